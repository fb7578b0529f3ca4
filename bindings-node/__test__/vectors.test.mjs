// The shared vectors (tests/vectors/*.json, format in tests/vectors/README.md)
// run against the built addon, case by case, like the Rust and Python runners.
// A case fails naming its file, id and the difference. A kind the addon does not
// bind yet is skipped with its reason (t.skip); a case marked `known_bug` (the
// library disagrees with the SPEC) is reported with t.todo unless
// GOVSHARE_VECTORS_STRICT=1, and fails when it passes (the note must go).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as govshare from '../index.js'

const { Calendar, Engine } = govshare
const repo = new URL('../../', import.meta.url)
const vectorsDir = fileURLToPath(new URL('tests/vectors/', repo))
const named = {
  sample: fileURLToPath(new URL('policies/binzhou/sample/registry.json', repo)),
  national: fileURLToPath(new URL('policies/national-2025/sample/registry.json', repo)),
}
const strict = process.env.GOVSHARE_VECTORS_STRICT === '1'

const FILE_KEYS = new Set(['description', 'registry', 'packs', 'cases'])
const CASE_KEYS = new Set(['id', 'kind', 'rule', 'note', 'known_bug', 'input', 'expect'])

class Mismatch extends Error {}
class Skip extends Error {}

function fields(what, value, allowed) {
  const extra = Object.keys(value).filter((k) => !allowed.includes(k))
  if (extra.length) throw new Mismatch(`bad vector: \`${what}\` has unknown fields ${JSON.stringify(extra)}`)
}

const ymd = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d))
const show = (v) => JSON.stringify(v)

function diff(diffs, field, want, got) {
  if (field in want && show(want[field]) !== show(got)) {
    diffs.push(`${field}: expected ${show(want[field])}, got ${show(got)}`)
  }
}

function citations(diffs, want, got) {
  if ('citations' in want) {
    const a = [...new Set(want.citations)].sort()
    const b = [...new Set(got)].sort()
    if (show(a) !== show(b)) diffs.push(`citations: expected ${show(a)}, got ${show(b)}`)
  }
  if ('citations_include' in want) {
    const missing = want.citations_include.filter((x) => !got.includes(x))
    if (missing.length) diffs.push(`citations: missing ${show(missing)} in ${show(got)}`)
  }
}

function codes(diffs, want, reasons) {
  const got = reasons.map((r) => r.code)
  const missing = (want.codes_include ?? []).filter((c) => !got.includes(c))
  if (missing.length) diffs.push(`reasons: missing ${show(missing)} in ${show(got)}`)
}

function finish(diffs, got) {
  if (diffs.length) throw new Mismatch(`${diffs.join('; ')}\n      got: ${show(got)}`)
}

/** Runs `call`; returns its result, or undefined when the expected error came. */
function expectError(want, call) {
  if ('error' in want) {
    let got
    try {
      got = call()
    } catch (e) {
      if (e?.code !== want.error) throw new Mismatch(`error: expected \`${want.error}\`, got \`${e?.code}\` (${e?.message})`)
      return undefined
    }
    throw new Mismatch(`error: expected \`${want.error}\`, got a result: ${show(got)}`)
  }
  try {
    return call()
  } catch (e) {
    if (e instanceof Mismatch) throw e
    throw new Mismatch(`unexpected error \`${e?.code}\`: ${e?.message}`)
  }
}

const engines = new Map()
function engineOf(name, doc) {
  if (!engines.has(name)) {
    const reg = doc.registry
    // The file's packs (SPEC v2 §7: several make a timeline); absent: Binzhou.
    const packs = doc.packs ?? ['binzhou']
    engines.set(name, typeof reg === 'string' ? Engine.fromFile(named[reg], packs) : new Engine(reg, packs))
  }
  return engines.get(name)
}

const cal = Calendar.china()
const calOf = (inp) => ('overrides' in inp ? cal.withOverridesToml(inp.overrides) : cal)
const opts = (inp) => ({ evaluateOutOfForce: inp.evaluate_out_of_force ?? false })

const runners = {
  decide(name, doc, inp, want) {
    fields('input', inp, ['request', 'evaluate_out_of_force'])
    fields('expect', want, ['decision', 'route', 'citations', 'citations_include', 'grant', 'in_force', 'codes_include', 'pack', 'error'])
    const d = expectError(want, () => engineOf(name, doc).decide(inp.request, opts(inp)))
    if (d === undefined) return
    const diffs = []
    if (!d.citations.length) diffs.push('citations: empty')
    if (d.decision === 'deny' && !d.reasons.length) diffs.push('reasons: a deny without reasons')
    if ((d.decision === 'permit' && d.route === 'granted') !== (d.grant !== null)) {
      diffs.push(`grant: ${show(d.grant)} with ${d.decision}/${d.route}`)
    }
    if (d.decision === 'deny') {
      // SPEC v2 §2: every failing check carries its route and remedy; one route by priority.
      const bare = d.reasons.filter((r) => r.route == null || r.remedy == null).map((r) => r.code)
      if (bare.length) diffs.push(`reasons: ${show(bare)} lack a route or a remedy`)
      const routes = d.reasons.map((r) => r.route)
      const first = ['none', 'coordinate', 'apply'].find((x) => routes.includes(x))
      if (first !== undefined && first !== d.route) diffs.push(`route: ${d.route}, but its reasons give ${first} first`)
    }
    if (!d.pack) diffs.push('pack: empty')
    for (const f of ['decision', 'route', 'grant', 'in_force', 'pack']) diff(diffs, f, want, d[f])
    citations(diffs, want, d.citations)
    codes(diffs, want, d.reasons)
    finish(diffs, d)
  },
  question(name, doc, inp, want) {
    fields('input', inp, ['question', 'evaluate_out_of_force'])
    fields('expect', want, ['allowed', 'must_serve', 'citations_include', 'codes_include', 'in_force', 'pack', 'error'])
    const a = expectError(want, () => engineOf(name, doc).answer(inp.question, opts(inp)))
    if (a === undefined) return
    const diffs = []
    if (!a.citations.length) diffs.push('citations: empty')
    for (const f of ['allowed', 'must_serve', 'in_force', 'pack']) diff(diffs, f, want, a[f])
    citations(diffs, want, a.citations)
    codes(diffs, want, a.reasons)
    finish(diffs, a)
  },
  submission: question('mayRequireSubmission'),
  open_data: question('mayPublishOpenData'),
  deadline(name, doc, inp, want) {
    fields('input', inp, ['at', 'workdays', 'overrides'])
    fields('expect', want, ['due', 'error'])
    const got = expectError(want, () => calOf(inp).dueDate(inp.at, inp.workdays))
    if (got !== undefined && 'due' in want && ymd(got) !== want.due) {
      throw new Mismatch(`due: expected ${want.due}, got ${ymd(got)}`)
    }
  },
  is_workday(name, doc, inp, want) {
    fields('input', inp, ['date', 'overrides'])
    fields('expect', want, ['workday', 'error'])
    const got = expectError(want, () => calOf(inp).isWorkday(inp.date))
    if (got !== undefined && 'workday' in want && got !== want.workday) {
      throw new Mismatch(`workday: expected ${want.workday}, got ${got}`)
    }
  },
  workdays_between(name, doc, inp, want) {
    fields('input', inp, ['from', 'to'])
    fields('expect', want, ['workdays', 'error'])
    const got = expectError(want, () => cal.workdaysBetween(inp.from, inp.to))
    if (got !== undefined && 'workdays' in want && got !== want.workdays) {
      throw new Mismatch(`workdays: expected ${want.workdays}, got ${got}`)
    }
  },
  registry(name, doc, inp, want) {
    fields('input', inp, ['document'])
    fields('expect', want, ['ok', 'error', 'message_contains'])
    if (!('error' in want)) {
      expectError(want, () => new Engine(inp.document))
      return
    }
    try {
      new Engine(inp.document)
    } catch (e) {
      const diffs = []
      if (e?.code !== want.error) diffs.push(`error: expected \`${want.error}\`, got \`${e?.code}\``)
      for (const w of want.message_contains ?? []) {
        if (!String(e?.message).includes(w)) diffs.push(`message: \`${e?.message}\` does not name \`${w}\``)
      }
      finish(diffs, e?.message)
      return
    }
    throw new Mismatch(`error: expected \`${want.error}\`, the registry loaded`)
  },
  validate(name, doc, inp, want) {
    fields('input', inp, ['registry'])
    fields('expect', want, ['findings', 'warnings'])
    if (typeof Engine.prototype.validate !== 'function') throw new Skip('catalog validation (SPEC §6) is not bound in Node yet')
    // Under the file's packs (of a timeline, the earliest).
    const engine = 'registry' in inp ? new Engine(inp.registry, doc.packs ?? ['binzhou']) : engineOf(name, doc)
    const found = engine.validate()
    const key = (f) => `${f.article}|${f.id}`
    const got = new Set(found.filter((f) => f.severity === 'error').map(key))
    const exp = new Set(want.findings.map(key))
    const diffs = []
    const missing = [...exp].filter((k) => !got.has(k))
    const extra = [...got].filter((k) => !exp.has(k))
    if (missing.length) diffs.push(`findings: missing ${show(missing)}`)
    if (extra.length) diffs.push(`findings: unexpected ${show(extra)}`)
    if ('warnings' in want) {
      const wkey = (f) => `${f.article}|${f.id}|${f.code}`
      const wgot = new Set(found.filter((f) => f.severity === 'warning').map(wkey))
      const wexp = new Set(want.warnings.map(wkey))
      const wmissing = [...wexp].filter((k) => !wgot.has(k))
      const wextra = [...wgot].filter((k) => !wexp.has(k))
      if (wmissing.length) diffs.push(`warnings: missing ${show(wmissing)}`)
      if (wextra.length) diffs.push(`warnings: unexpected ${show(wextra)}`)
    }
    finish(diffs, found)
  },
  applications(name, doc, inp, want) {
    fields('input', inp, ['events', 'as_of', 'serve'])
    fields('expect', want, ['applications', 'obligations', 'rejected', 'serve'])
    if (typeof govshare.Ledger !== 'function') throw new Skip('the workflow (SPEC §4) is not bound in Node yet')
    const ledger = new govshare.Ledger(engineOf(name, doc))
    const rejected = []
    const diffs = []
    inp.events.forEach((event, i) => {
      const before = show(ledger.state(inp.as_of))
      try {
        ledger.apply(event)
      } catch (e) {
        const id = event.id ?? String(i + 1)
        rejected.push({ event: id, code: e?.code })
        if (show(ledger.state(inp.as_of)) !== before) diffs.push(`rejected event \`${id}\` changed the state`)
      }
    })
    const state = ledger.state(inp.as_of)
    if ('applications' in want) {
      const apps = new Map(state.applications.map((a) => [a.id, a]))
      const a1 = [...apps.keys()].sort()
      const a2 = Object.keys(want.applications).sort()
      if (show(a1) !== show(a2)) diffs.push(`applications: expected ${show(a2)}, got ${show(a1)}`)
      for (const [id, w] of Object.entries(want.applications)) {
        fields(`applications.${id}`, w, ['status', 'reply_due', 'has_grant', 'approvals', 'reply_late'])
        const a = apps.get(id)
        if (!a) continue
        const got = { status: a.status, reply_due: a.reply_due ?? null, has_grant: a.grant != null, reply_late: a.reply_late }
        for (const f of ['status', 'reply_due', 'has_grant', 'reply_late']) diff(diffs, `${id}.${f}`, w, got[f])
        if ('approvals' in w && show([...w.approvals].sort()) !== show([...a.approvals].sort())) {
          diffs.push(`${id}.approvals: expected ${show(w.approvals)}, got ${show(a.approvals)}`)
        }
      }
    }
    if ('obligations' in want) {
      const left = [...state.obligations]
      if (left.length !== want.obligations.length) diffs.push(`obligations: expected ${want.obligations.length}, got ${left.length}`)
      for (const w of want.obligations) {
        fields('obligations[]', w, ['kind', 'department', 'resource', 'due', 'status', 'late'])
        const i = left.findIndex((o) => Object.entries(w).every(([k, v]) => show(o[k] ?? null) === show(v)))
        if (i < 0) diffs.push(`obligations: none matches ${show(w)}`)
        else left.splice(i, 1)
      }
    }
    if ('rejected' in want && show(want.rejected) !== show(rejected)) {
      diffs.push(`rejected: expected ${show(want.rejected)}, got ${show(rejected)}`)
    }
    if ('serve' in want) {
      fields('expect.serve', want.serve, ['must_serve', 'may_require_correction', 'disputed', 'citations_include'])
      const ask = inp.serve
      const a = ledger.mustServe(ask.resource, ask.proof_valid, ask.at)
      for (const f of ['must_serve', 'may_require_correction', 'disputed']) diff(diffs, `serve.${f}`, want.serve, a[f])
      citations(diffs, want.serve, a.citations)
    }
    finish(diffs, { state, rejected })
  },
  audit(name, doc, inp, want) {
    fields('input', inp, ['events', 'as_of'])
    fields('expect', want, ['violations', 'violations_include', 'rejected', 'undetermined'])
    if (typeof govshare.audit !== 'function') throw new Skip('the audit (SPEC §5) is not bound in Node yet')
    if (want.rejected?.length) throw new Skip('expected rejections need the streaming Auditor; not used here')
    let found
    let undetermined = null
    if ('undetermined' in want) {
      // SPEC v2 §5: duties with an unknown due date, from the streaming Auditor.
      const engine = engineOf(name, doc)
      const auditor = new govshare.Auditor(engine, inp.as_of)
      for (const e of inp.events) auditor.push(e)
      undetermined = auditor.undetermined().map((o) => o.id).sort()
      found = auditor.finish()
    } else {
      found = govshare.audit(engineOf(name, doc), inp.events, inp.as_of)
    }
    const exact = 'violations' in want
    const expected = exact ? want.violations : want.violations_include
    const diffs = []
    for (const v of found) {
      for (const f of ['category', 'article', 'department', 'severity', 'consequences', 'events', 'zh', 'en']) {
        if (!(f in v)) diffs.push(`a violation without \`${f}\``)
      }
    }
    if (exact && expected.length !== found.length) diffs.push(`violations: expected ${expected.length}, got ${found.length}`)
    const left = [...found]
    for (const w of expected) {
      fields('violations[]', w, [
        'category', 'article', 'department', 'severity', 'due', 'events', 'consequences_include',
        'consequences_exclude', 'basis', 'pack', 'pack_lapsed', 'reading', 'urged_by',
      ])
      const i = left.findIndex((v) => violationMismatch(w, v).length === 0)
      if (i < 0) {
        const near = left.filter((v) => v.category === w.category).map((v) => violationMismatch(w, v).join(', '))
        diffs.push(`violations: no ${w.category} by ${w.department} matches (closest: ${near.join(' | ')})`)
      } else left.splice(i, 1)
    }
    if (undetermined !== null && show(undetermined) !== show([...want.undetermined].sort())) {
      diffs.push(`undetermined: expected ${show([...want.undetermined].sort())}, got ${show(undetermined)}`)
    }
    finish(diffs, found.map((v) => `${v.category}/${v.department}/${v.article}/${v.severity}/due ${v.due}`))
  },
  usage(name, doc, inp, want) {
    fields('input', inp, ['events', 'provider', 'resource', 'from', 'until'])
    fields('expect', want, ['rows', 'total', 'citations', 'pack', 'reported', 'error'])
    const report = expectError(want, () =>
      govshare.usageReport(engineOf(name, doc), inp.events, inp.provider, inp.resource ?? null, inp.from ?? null, inp.until ?? null),
    )
    if (report === undefined) return
    const diffs = []
    if ('rows' in want) {
      const norm = (r) => [r.resource, r.department, r.purpose, r.grant, r.count, Date.parse(r.first), Date.parse(r.last)]
      for (const w of want.rows) fields('rows[]', w, ['resource', 'department', 'purpose', 'grant', 'count', 'first', 'last'])
      if (show(want.rows.map(norm)) !== show(report.rows.map(norm))) diffs.push(`rows: expected ${show(want.rows)}`)
    }
    diff(diffs, 'total', want, report.total)
    diff(diffs, 'citations', want, report.citations)
    diff(diffs, 'pack', want, report.pack)
    if ('reported' in want) {
      for (const w of want.reported) fields('reported[]', w, ['event', 'code'])
      diff(diffs, 'reported', want, report.reported.map((n) => ({ event: n.event, code: n.code })))
    }
    finish(diffs, report)
  },
}

function violationMismatch(w, v) {
  const out = []
  for (const f of ['category', 'department', 'article', 'severity', 'due', 'events']) {
    if (f in w && show(v[f] ?? null) !== show(w[f])) out.push(`${f} ${show(v[f])} (expected ${show(w[f])})`)
  }
  for (const c of w.consequences_include ?? []) {
    if (!(v.consequences ?? []).includes(c)) out.push(`consequences ${show(v.consequences)} lack ${c}`)
  }
  for (const c of w.consequences_exclude ?? []) {
    if ((v.consequences ?? []).includes(c)) out.push(`consequences ${show(v.consequences)} hold ${c}`)
  }
  for (const f of ['basis', 'pack', 'urged_by']) {
    if (f in w && show(v[f] ?? null) !== show(w[f])) out.push(`${f} ${show(v[f])} (expected ${show(w[f])})`)
  }
  for (const f of ['pack_lapsed', 'reading']) {
    if (f in w && Boolean(v[f]) !== w[f]) out.push(`${f} ${show(v[f] ?? false)} (expected ${w[f]})`)
  }
  return out
}

function question(method) {
  return (name, doc, inp, want) => {
    fields('input', inp, ['department', 'resource', 'at', 'purpose', 'fields', 'evaluate_out_of_force'])
    fields('expect', want, ['allowed', 'citations_include', 'in_force', 'error'])
    const engine = engineOf(name, doc)
    const o = opts(inp)
    if ('purpose' in inp) o.purpose = inp.purpose
    if ('fields' in inp) o.fields = inp.fields
    const a = expectError(want, () => engine[method](inp.department, inp.resource, inp.at, o))
    if (a === undefined) return
    const diffs = []
    if (!a.citations.length) diffs.push('citations: empty')
    diff(diffs, 'allowed', want, a.allowed)
    diff(diffs, 'in_force', want, a.in_force)
    citations(diffs, want, a.citations)
    finish(diffs, a)
  }
}

const files = readdirSync(vectorsDir).filter((f) => f.endsWith('.json')).sort()
let total = 0

for (const file of files) {
  const doc = JSON.parse(readFileSync(vectorsDir + file, 'utf8'))
  test(`${file}: the file is well formed`, () => {
    const extra = Object.keys(doc).filter((k) => !FILE_KEYS.has(k))
    assert.deepEqual(extra, [], `${file}: unknown fields`)
    const ids = doc.cases.map((c) => c.id)
    assert.equal(new Set(ids).size, ids.length, `${file}: duplicate case ids`)
  })
  for (const c of doc.cases) {
    total += 1
    test(`${file}::${c.id}`, (t) => {
      const extra = Object.keys(c).filter((k) => !CASE_KEYS.has(k))
      assert.deepEqual(extra, [], `${file} case \`${c.id}\`: unknown fields`)
      const run = runners[c.kind]
      assert.ok(run, `${file} case \`${c.id}\`: unknown kind \`${c.kind}\``)
      try {
        run(file, doc, c.input, c.expect)
      } catch (e) {
        if (e instanceof Skip) {
          t.skip(e.message)
          return
        }
        if (!(e instanceof Mismatch)) throw e
        if (c.known_bug && !strict) {
          t.todo(`known bug: ${c.known_bug}: ${e.message}`)
          return
        }
        assert.fail(`${file} case \`${c.id}\` (${c.kind}): ${e.message}`)
      }
      if (c.known_bug) assert.fail(`${file} case \`${c.id}\` passes but carries \`known_bug\`: remove the note`)
    })
  }
}

test('at least 150 shared cases', () => {
  assert.ok(total >= 150, `only ${total} cases`)
})
