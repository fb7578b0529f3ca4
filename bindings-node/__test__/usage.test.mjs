// Mirrors core/src/audit/usage.rs: the provider's usage report (SPEC v2 §4 Art. 27, §8).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Engine, usageReport } from '../index.js'
import { samplePath, throwsCode } from './helpers.mjs'

const engine = Engine.fromFile(samplePath)
const HR = 'city.human-resources'
const CA = 'city.civil-affairs'
const usage = (id, at, extra = {}) => ({
  id,
  kind: 'usage',
  at,
  department: CA,
  resource: 'hr.social-insurance',
  purpose: 'social-assistance',
  grant: 'g-2018-0001',
  ...extra,
})
const log = [
  usage('u1', '2019-10-08T09:00:00+08:00'),
  usage('u2', '2019-10-09T09:00:00+08:00', { grant: undefined }),
  usage('u3', '2019-10-10T09:00:00+08:00'),
  usage('u4', '2019-10-11T09:00:00+08:00', { resource: 'population.basic', grant: undefined }),
].map((e) => JSON.parse(JSON.stringify(e)))

test('rows by resource, department, purpose and grant, with counts; citations from the pack', () => {
  const r = usageReport(engine, log, HR)
  assert.deepEqual(Object.keys(r).sort(), ['citations', 'pack', 'provider', 'reported', 'rows', 'total'])
  assert.equal(r.total, 3)
  assert.deepEqual(r.citations, ['27'])
  assert.deepEqual(
    r.rows.map((x) => [x.grant, x.count, x.first, x.last]),
    [
      [null, 1, '2019-10-09T09:00:00+08:00', '2019-10-09T09:00:00+08:00'],
      ['g-2018-0001', 2, '2019-10-08T09:00:00+08:00', '2019-10-10T09:00:00+08:00'],
    ],
  )
})

test('the period is inclusive; a Date or a string; one resource; a registry object', () => {
  const r = usageReport(engine, log, HR, null, new Date('2019-10-09T01:00:00Z'), '2019-10-10T09:00:00+08:00')
  assert.equal(r.total, 2)
  const registry = JSON.parse(readFileSync(samplePath, 'utf8'))
  const one = usageReport(registry, log, 'city.public-security', 'population.basic')
  assert.equal(one.resource, 'population.basic')
  assert.equal(one.total, 1)
})

test('a repeated id is counted once and reported', () => {
  const r = usageReport(engine, [...log, usage('u1', '2019-10-12T09:00:00+08:00')], HR)
  assert.equal(r.total, 3)
  assert.deepEqual(r.reported, [{ code: 'duplicate_event', event: 'u1', at: '2019-10-12T09:00:00+08:00' }])
})

test('a usage counts for the provider the resource had at that moment', () => {
  const registry = JSON.parse(readFileSync(samplePath, 'utf8'))
  const entry = registry.resources.find((r) => r.id === 'hr.social-insurance')
  const moved = { id: 'c', kind: 'resource_changed', at: '2019-10-09T12:00:00+08:00', resource: { ...entry, provider: CA } }
  const l = [log[0], moved, log[1], log[2]]
  assert.equal(usageReport(engine, l, HR).total, 1)
  assert.equal(usageReport(engine, l, CA, 'hr.social-insurance').total, 2)
})

test('errors carry stable codes and name the input', () => {
  throwsCode(() => usageReport(engine, log, 'city.nobody'), 'usage.unknown_provider', /`city\.nobody`/)
  throwsCode(() => usageReport(engine, log, CA, 'population.basic'), 'usage.not_provider', /`population\.basic`/)
  throwsCode(
    () => usageReport(engine, log, HR, null, '2019-10-10T00:00:00+08:00', '2019-10-09T00:00:00+08:00'),
    'usage.invalid_period',
  )
  throwsCode(() => usageReport(engine, [{ kind: 'usage', at: '2019-10-08T09:00:00+08:00' }], HR), 'workflow.invalid_event')
})

test('a registry change a ledger rejects is not applied and is reported with its reason', () => {
  const registry = JSON.parse(readFileSync(samplePath, 'utf8'))
  const entry = registry.resources.find((r) => r.id === 'hr.social-insurance')
  const bad = { id: 'c', kind: 'resource_changed', at: '2019-10-09T12:00:00+08:00', resource: { ...entry, provider: 'city.nobody' } }
  const r = usageReport(engine, [log[0], bad, log[1], log[2]], HR)
  assert.equal(r.total, 3)
  assert.equal(r.reported.length, 1)
  assert.equal(r.reported[0].code, 'registry_change_rejected')
  assert.equal(r.reported[0].resource, 'hr.social-insurance')
  assert.match(r.reported[0].reason, /city\.nobody/)
})
