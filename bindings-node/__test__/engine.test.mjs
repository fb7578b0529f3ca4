// Mirrors core/src/policy: access decisions (SPEC §2), sync and async.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Engine } from '../index.js'
import { registry, registryText, request, throwsCode, rejectsCode } from './helpers.mjs'

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
