// Mirrors core/src/policy: access decisions (SPEC §2), sync and async.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Engine } from '../index.js'
import { registry, registryText, request, samplePath, throwsCode, rejectsCode } from './helpers.mjs'

const engine = new Engine(registry())

test('unconditional resource: permit, route direct, with citations', () => {
  const d = engine.decide(request())
  assert.equal(d.decision, 'permit')
  assert.equal(d.route, 'direct')
  assert.equal(d.grant, null)
  assert.equal(d.in_force, true)
  assert.ok(d.citations.length > 0)
  assert.ok(d.citations.every((c) => typeof c === 'string'))
})

test('`at` may be a Date; a registry may be JSON text', () => {
  const fromText = new Engine(registryText)
  const d = fromText.decide(request({ at: new Date('2019-03-01T02:00:00Z') }))
  assert.deepEqual(d, engine.decide(request()))
})

test('Art. 8: the wrong network is a deny with route none citing 8', () => {
  const d = engine.decide(request({ network: 'intranet' }))
  assert.equal(d.decision, 'deny')
  assert.equal(d.route, 'none')
  assert.ok(d.citations.includes('8'), d.citations.join(','))
  assert.ok(d.reasons.some((r) => r.article === '8' && r.zh && r.en))
})

test('Art. 26: a wrong or revoked certificate is a deny citing 26', () => {
  const wrong = engine.decide(request({ certificate: 'BZ-9999' }))
  assert.equal(wrong.decision, 'deny')
  assert.ok(wrong.citations.includes('26'))
  const revoked = engine.decide(
    request({ department: 'city.housing', certificate: 'BZ-0009', purpose: 'housing-security' }),
  )
  assert.equal(revoked.decision, 'deny')
  assert.ok(revoked.citations.includes('26'))
})

test('a purpose outside the duties is a deny with route none', () => {
  const d = engine.decide(request({ purpose: 'curiosity' }))
  assert.equal(d.decision, 'deny')
  assert.equal(d.route, 'none')
  assert.ok(d.citations.some((c) => ['4(2)', '19', '23'].includes(c)), d.citations.join(','))
})

test('a deny lists every failing check', () => {
  const d = engine.decide(request({ network: 'intranet', certificate: 'BZ-9999' }))
  assert.equal(d.decision, 'deny')
  assert.ok(d.citations.includes('8') && d.citations.includes('26'), d.citations.join(','))
})

test('conditional: open fields direct, others apply, a grant makes it granted', () => {
  const base = { resource: 'civil.low-income', department: 'city.public-security', certificate: 'BZ-0003', purpose: 'public-order' }
  const open = engine.decide(request({ ...base, fields: ['name'] }))
  assert.equal(open.decision, 'permit')
  assert.equal(open.route, 'direct')
  const granted = engine.decide(request({ ...base, fields: ['bank_account'] }))
  assert.equal(granted.decision, 'permit')
  assert.equal(granted.route, 'granted')
  assert.equal(granted.grant, 'g-2')
  const apply = engine.decide(request({ resource: 'civil.low-income', department: 'city.big-data', certificate: 'BZ-0001', purpose: 'platform-operation', fields: ['bank_account'] }))
  assert.equal(apply.decision, 'deny')
  assert.equal(apply.route, 'apply')
})

test('not shared: deny with route coordinate; the provider has its own resource', () => {
  const d = engine.decide(request({ resource: 'security.case-files', network: 'intranet' }))
  assert.equal(d.decision, 'deny')
  assert.equal(d.route, 'coordinate')
  const own = engine.decide(request({ resource: 'security.case-files', network: 'intranet', department: 'city.public-security', certificate: 'BZ-0003', purpose: 'public-order' }))
  assert.equal(own.decision, 'permit')
  assert.equal(own.route, 'direct')
})

test('Art. 33: a moment outside the pack validity is an error', () => {
  throwsCode(() => engine.decide(request({ at: '2023-01-03T10:00:00+08:00' })), 'policy.not_in_force')
})

test('decideMany and decideManyAsync give decide’s answers, in order', async () => {
  const reqs = [request(), request({ network: 'intranet' }), request({ purpose: 'curiosity' })]
  const one = reqs.map((r) => engine.decide(r))
  assert.deepEqual(engine.decideMany(reqs), one)
  const pending = engine.decideManyAsync(reqs)
  assert.ok(pending instanceof Promise)
  assert.deepEqual(await pending, one)
  assert.deepEqual(engine.decideMany([]), [])
})

test('decideManyAsync runs off the event loop', async () => {
  const reqs = Array.from({ length: 2000 }, (_, i) => request(i % 2 ? {} : { network: 'intranet' }))
  let immediateRan = false
  setImmediate(() => {
    immediateRan = true
  })
  const out = await engine.decideManyAsync(reqs)
  // A synchronous implementation would settle before the event loop turned.
  assert.equal(immediateRan, true)
  assert.equal(out.length, reqs.length)
  assert.equal(out[0].decision, 'deny')
  assert.equal(out[1].decision, 'permit')
})

test('batch errors name the request and keep the code', async () => {
  const reqs = [request(), request({ at: '2023-01-03T10:00:00+08:00' })]
  throwsCode(() => engine.decideMany(reqs), 'policy.not_in_force', /request 1/)
  await rejectsCode(engine.decideManyAsync(reqs), 'policy.not_in_force', /request 1/)
  throwsCode(() => engine.decideMany([request(), { bogus: 1 }]), 'policy.invalid_request', /request 1/)
})

test('a pack directory gives the same answers as the built-in pack; a bad one is a policy error', async () => {
  const dir = new URL('../../policies/binzhou', import.meta.url).pathname
  const fromDir = new Engine(registry(), dir)
  const reqs = [request(), request({ network: 'intranet' }), request({ resource: 'civil.low-income', fields: ['bank_account'] })]
  assert.deepEqual(fromDir.decideMany(reqs), engine.decideMany(reqs))
  assert.equal(fromDir.manifest().name, 'binzhou')
  assert.equal(fromDir.manifest().reply_limit_workdays, 5)
  throwsCode(() => new Engine(registry(), '/nonexistent/pack'), 'policy.io', /nonexistent/)
  await rejectsCode(Engine.loadAsync(registry(), '/nonexistent/pack'), 'policy.io', /nonexistent/)
})

test('Art. 33: evaluateOutOfForce decides anyway under the pack named, and says in_force: false', () => {
  // The default engine is the built-in timeline: between its packs none is
  // loaded, and the engine never chooses one (SPEC v2 §7).
  throwsCode(
    () => engine.decide(request({ at: '2023-01-03T10:00:00+08:00' }), { evaluateOutOfForce: true }),
    'policy.not_in_force',
    /no pack is loaded/,
  )
  const binzhou = new Engine(registry(), 'binzhou')
  const d = binzhou.decide(request({ at: '2023-01-03T10:00:00+08:00' }), { evaluateOutOfForce: true })
  assert.equal(d.in_force, false)
  assert.equal(d.decision, 'permit')
  assert.equal(d.pack, 'binzhou')
})

test('SPEC v2 §7: each moment under the pack in force; a pack or a list of packs may be named', () => {
  assert.equal(engine.decide(request()).pack, 'binzhou')
  const later = engine.decide(request({ at: '2026-03-02T10:00:00+08:00' }))
  assert.equal(later.pack, 'national-2025')
  const national = new Engine(registry(), 'national-2025')
  assert.deepEqual(national.decide(request({ at: '2026-03-02T10:00:00+08:00' })), later)
  throwsCode(() => national.decide(request()), 'policy.not_in_force')
  const both = Engine.fromFile(samplePath, ['national-2025', 'binzhou'])
  assert.deepEqual(both.decide(request()), engine.decide(request()))
  throwsCode(() => new Engine(registry(), 42), 'input.invalid_argument', /pack/)
})

test('Art. 13 and Art. 22 answers', () => {
  const submit = engine.mayRequireSubmission('city.civil-affairs', 'population.basic', '2019-03-01T10:00:00+08:00')
  assert.equal(submit.allowed, false, 'it can get it through the platform')
  assert.ok(submit.citations.includes('13'))
  const publish = engine.mayPublishOpenData('city.civil-affairs', 'population.basic', new Date('2019-03-01T02:00:00Z'))
  assert.equal(publish.allowed, false, 'only the provider may publish, and not personal info')
  assert.ok(publish.citations.includes('22'))
  throwsCode(() => engine.mayRequireSubmission('nobody', 'population.basic', '2019-03-01'), 'policy.unknown_department', /nobody/)
})

test('question lines are answered (SPEC v2 §8); Art. 13 takes a purpose and fields', () => {
  const e = Engine.fromFile(samplePath)
  const at = '2019-03-01T10:00:00+08:00'
  const a = e.answer({ question: 'may_require_submission', department: 'city.civil-affairs', resource: 'population.basic', at })
  assert.equal(a.allowed, false)
  assert.equal(a.pack, 'binzhou')
  const s = e.answer({ question: 'must_serve', department: 'city.civil-affairs', resource: 'population.basic', proof_valid: true, at })
  assert.equal(s.must_serve, true)
  assert.deepEqual(s.citations, ['20'])
  assert.throws(
    () => e.answer({ question: 'may_fly', department: 'city.civil-affairs', resource: 'population.basic', at }),
    (err) => err.code === 'policy.invalid_request' && /may_fly/.test(err.message),
  )
  const notDuty = e.mayRequireSubmission('city.market-regulation', 'civil-affairs.marriage', at, { purpose: 'sightseeing' })
  assert.equal(notDuty.allowed, false)
  assert.ok(notDuty.citations.includes('4(2)'))
  const noField = e.mayRequireSubmission('city.civil-affairs', 'population.basic', at, { fields: ['no_such_field'] })
  assert.equal(noField.allowed, true)
})

test('every failing check carries its route and remedy (SPEC v2 §2)', () => {
  const e = Engine.fromFile(samplePath)
  const d = e.decide({
    department: 'city.finance', resource: 'public-security.criminal-records', method: 'online_query',
    purpose: 'budget-management', network: 'extranet', certificate: '', at: '2019-03-01T10:00:00+08:00',
  })
  assert.equal(d.decision, 'deny')
  assert.equal(d.pack, 'binzhou')
  const blank = d.reasons.find((r) => r.code === 'certificate_missing')
  assert.equal(blank.route, 'none')
  assert.deepEqual(blank.remedy, { by: 'requester', action: 'change_request' })
})

test('cache settings (issue 14): sizes, fill levels, off, and the same answers with any of them', async () => {
  const fresh = Engine.fromFile(samplePath)
  assert.deepEqual(fresh.cacheSettings(), { pairs: 4096, decisions: 65536 })
  assert.deepEqual(fresh.cacheLen(), { pairs: 0, decisions: 0 })
  const off = fresh.withCacheSettings({ pairs: 0, decisions: 0 })
  const noDecisions = fresh.withCacheSettings({ decisions: 0 })
  const tiny = fresh.withCacheSettings({ pairs: 1, decisions: 1 })
  assert.deepEqual(off.cacheSettings(), { pairs: 0, decisions: 0 })
  assert.deepEqual(noDecisions.cacheSettings(), { pairs: 4096, decisions: 0 })
  assert.deepEqual(fresh.withCacheSettings().cacheSettings(), { pairs: 4096, decisions: 65536 })
  const reqs = [
    request(),
    request({ resource: 'hr.social-insurance', fields: ['id_number'], at: '2019-06-03T10:00:00+08:00' }),
    request({ resource: 'gov-office.supervision' }),
    request({ certificate: 'BZ-9999', network: 'intranet' }),
  ]
  const answers = reqs.map((r) => fresh.decide(r))
  assert.equal(answers[1].route, 'granted')
  // The same request a second later, in the same validity interval: a hit.
  assert.deepEqual(fresh.decide({ ...reqs[0], at: '2019-03-01T10:00:01+08:00' }), answers[0])
  // One department, three resources: three pairs; four distinct requests.
  assert.deepEqual(fresh.cacheLen(), { pairs: 3, decisions: 4 })
  for (const other of [off, noDecisions, tiny]) {
    assert.deepEqual(reqs.map((r) => other.decide(r)), answers)
  }
  assert.deepEqual(await noDecisions.decideManyAsync(reqs), answers)
  assert.deepEqual(off.cacheLen(), { pairs: 0, decisions: 0 })
  assert.deepEqual(noDecisions.cacheLen(), { pairs: 3, decisions: 0 })
  // A new engine from withCacheSettings starts empty; the original keeps its own.
  assert.deepEqual(fresh.withCacheSettings({}).cacheLen(), { pairs: 0, decisions: 0 })
  assert.deepEqual(fresh.cacheLen(), { pairs: 3, decisions: 4 })
  for (const bad of [{ pairs: -1 }, { decisions: 1.5 }, { pairs: Number.NaN }, { decisions: 2 ** 64 }, { pairs: '5' }]) {
    throwsCode(() => fresh.withCacheSettings(bad), 'input.invalid_argument', /settings/)
  }
  for (const bad of [5, 'pairs', [0, 0], true]) {
    throwsCode(() => fresh.withCacheSettings(bad), 'input.invalid_argument', /settings/)
  }
  assert.deepEqual(fresh.withCacheSettings(null).cacheSettings(), { pairs: 4096, decisions: 65536 })
  const getter = {
    get pairs() {
      throw new RangeError('no pairs')
    },
  }
  assert.throws(
    () => fresh.withCacheSettings(getter),
    (e) => e.code === 'input.invalid_argument' && e.cause instanceof RangeError,
  )
})

test('a decision is a fresh object each call, repeated or not: changing one changes no other (issue 14)', () => {
  const fresh = Engine.fromFile(samplePath)
  // The deny with many reasons of the benches.
  const req = request({
    department: 'city.market-regulation',
    resource: 'civil-affairs.minimum-living',
    purpose: 'public-order',
    certificate: 'BZ-0001',
    network: 'intranet',
    at: '2019-09-27T10:00:00+08:00',
  })
  const first = fresh.decide(req)
  const pristine = JSON.parse(JSON.stringify(first))
  assert.ok(first.reasons.length >= 3, 'a deny with several reasons')
  const second = fresh.decide(req)
  assert.notEqual(second, first)
  assert.notEqual(second.reasons, first.reasons)
  assert.notEqual(second.reasons[0], first.reasons[0])
  assert.notEqual(second.reasons[0].remedy, first.reasons[0].remedy)
  // Scribble over every level of both copies.
  for (const d of [first, second]) {
    d.decision = 'permit'
    d.citations.push('99')
    d.reasons[0].remedy.by = 'nobody'
    d.reasons.pop()
    d.extra = true
  }
  const third = fresh.decide(req)
  assert.deepEqual(third, pristine)
  // The same as an engine that builds every decision anew, key order included;
  // its equal decisions are fresh objects too.
  const evaluated = fresh.withCacheSettings({ decisions: 0 })
  const plain = evaluated.decide(req)
  assert.equal(JSON.stringify(third), JSON.stringify(plain))
  plain.reasons[0].zh = ''
  plain.citations.length = 0
  assert.deepEqual(evaluated.decide(req), pristine)
  assert.equal(Object.getPrototypeOf(third), Object.prototype)
  assert.ok(Array.isArray(third.reasons) && Array.isArray(third.citations))
})

test('repeated decisions are copied from own keys only, whatever Object.prototype holds', () => {
  const fresh = Engine.fromFile(samplePath)
  const req = request({ resource: 'hr.social-insurance', fields: ['id_number'] })
  const before = fresh.decide(req)
  Object.prototype.polluted = 'yes'
  try {
    const after = fresh.decide(req)
    assert.deepEqual(Object.keys(after), Object.keys(before))
    assert.ok(!Object.hasOwn(after, 'polluted') && !Object.hasOwn(after.reasons[0], 'polluted'))
  } finally {
    delete Object.prototype.polluted
  }
})

test('over small caches, repeated decisions stay right as entries are evicted and come back', () => {
  const base = Engine.fromFile(samplePath)
  const doc = base.registry()
  const reqs = []
  for (const d of doc.departments.slice(0, 6))
    for (const r of doc.resources.slice(0, 8))
      reqs.push({ department: d.id, resource: r.id, purpose: d.duties[0], method: 'online_query', network: r.network, certificate: d.certificates?.[0]?.serial ?? '', at: '2019-09-27T10:00:00+08:00' })
  const plain = base.withCacheSettings({ pairs: 0, decisions: 0 })
  const expected = reqs.map((r) => plain.decide(r))
  for (const settings of [{ decisions: 16 }, { pairs: 2, decisions: 20 }, {}]) {
    const e = base.withCacheSettings(settings)
    for (let pass = 0; pass < 3; pass++) {
      reqs.forEach((r, i) => assert.deepEqual(e.decide(r), expected[i], `${JSON.stringify(settings)} pass ${pass} request ${i}`))
    }
  }
})

test('a JSON.parse that decides again (reentrant) still gets right answers', () => {
  const fresh = Engine.fromFile(samplePath)
  const req = request()
  const expected = fresh.withCacheSettings({ decisions: 0 }).decide(req)
  const parse = JSON.parse
  let inner
  JSON.parse = (text) => {
    JSON.parse = parse
    inner = fresh.decide(req)
    return parse(text)
  }
  try {
    assert.deepEqual(fresh.decide(req), expected)
  } finally {
    JSON.parse = parse
  }
  assert.deepEqual(inner, expected)
  assert.deepEqual(fresh.decide(req), expected)
})
