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
const named = { sample: fileURLToPath(new URL('policies/binzhou/sample/registry.json', repo)) }
const strict = process.env.GOVSHARE_VECTORS_STRICT === '1'

const FILE_KEYS = new Set(['description', 'registry', 'cases'])
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
    engines.set(name, typeof reg === 'string' ? Engine.fromFile(named[reg]) : new Engine(reg))
  }
  return engines.get(name)
}

const cal = Calendar.china()
const opts = (inp) => ({ evaluateOutOfForce: inp.evaluate_out_of_force ?? false })

const runners = {
  decide(name, doc, inp, want) {
    fields('input', inp, ['request', 'evaluate_out_of_force'])
    fields('expect', want, ['decision', 'route', 'citations', 'citations_include', 'grant', 'in_force', 'error'])
    const d = expectError(want, () => engineOf(name, doc).decide(inp.request, opts(inp)))
    if (d === undefined) return
    const diffs = []
    if (!d.citations.length) diffs.push('citations: empty')
    if (d.decision === 'deny' && !d.reasons.length) diffs.push('reasons: a deny without reasons')
    if ((d.decision === 'permit' && d.route === 'granted') !== (d.grant !== null)) {
      diffs.push(`grant: ${show(d.grant)} with ${d.decision}/${d.route}`)
    }
    for (const f of ['decision', 'route', 'grant', 'in_force']) diff(diffs, f, want, d[f])
    citations(diffs, want, d.citations)
    finish(diffs, d)
  },
  submission: question('mayRequireSubmission'),
  open_data: question('mayPublishOpenData'),
  deadline(name, doc, inp, want) {
    fields('input', inp, ['at', 'workdays'])
    fields('expect', want, ['due', 'error'])
    const got = expectError(want, () => cal.dueDate(inp.at, inp.workdays))
    if (got !== undefined && 'due' in want && ymd(got) !== want.due) {
      throw new Mismatch(`due: expected ${want.due}, got ${ymd(got)}`)
    }
  },
  is_workday(name, doc, inp, want) {
    fields('input', inp, ['date'])
    fields('expect', want, ['workday', 'error'])
    const got = expectError(want, () => cal.isWorkday(inp.date))
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
  validate: unbound('catalog validation (SPEC §6 findings) has no API yet'),
  applications: unbound('the workflow (SPEC §4) is not bound in Node yet'),
  audit: unbound('the audit (SPEC §5) is not bound in Node yet'),
}

function question(method) {
  return (name, doc, inp, want) => {
    fields('input', inp, ['department', 'resource', 'at', 'evaluate_out_of_force'])
    fields('expect', want, ['allowed', 'citations_include', 'in_force', 'error'])
    const engine = engineOf(name, doc)
    const a = expectError(want, () => engine[method](inp.department, inp.resource, inp.at, opts(inp)))
    if (a === undefined) return
    const diffs = []
    if (!a.citations.length) diffs.push('citations: empty')
    diff(diffs, 'allowed', want, a.allowed)
    diff(diffs, 'in_force', want, a.in_force)
    citations(diffs, want, a.citations)
    finish(diffs, a)
  }
}

function unbound(reason) {
  return () => {
    throw new Skip(reason)
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
