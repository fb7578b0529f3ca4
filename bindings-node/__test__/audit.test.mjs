// Mirrors core/src/audit: violations over an event log (SPEC §5), sync, async, streaming.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Auditor, Engine, audit, auditAsync } from '../index.js'
import { applyEvent, samplePath, throwsCode, rejectsCode } from './helpers.mjs'

const engine = Engine.fromFile(samplePath)
const asOf = '2019-10-21T12:00:00+08:00'

test('Art. 17 / 30(5): an unanswered application is reply_overdue for the provider', () => {
  const violations = audit(engine, [applyEvent()], asOf)
  const v = violations.find((x) => x.category === 'reply_overdue')
  assert.ok(v, JSON.stringify(violations))
  assert.equal(v.article, '30(5)')
  assert.equal(v.department, 'city.human-resources')
  assert.equal(v.due, '2019-10-10')
  assert.deepEqual(v.events, ['e1'])
  assert.ok(['ordinary', 'serious'].includes(v.severity))
  assert.ok(v.consequences.length > 0)
  assert.ok(v.zh && v.en)
})

test('a timely reply is no violation; audits before the due date find none', () => {
  const reply = { id: 'e2', kind: 'reply', at: '2019-10-09T09:00:00+08:00', application: 'a-1', by: 'city.human-resources', outcome: 'approve' }
  assert.deepEqual(audit(engine, [applyEvent(), reply], asOf).filter((v) => v.category === 'reply_overdue'), [])
  assert.deepEqual(audit(engine, [applyEvent()], '2019-10-10T20:00:00+08:00'), [])
})

test('a refusal without a reason is refusal_without_reason (the audit is lenient)', () => {
  const refuse = { id: 'e2', kind: 'reply', at: '2019-09-30T09:00:00+08:00', application: 'a-1', by: 'city.human-resources', outcome: 'refuse' }
  const v = audit(engine, [applyEvent(), refuse], asOf).find((x) => x.category === 'refusal_without_reason')
  assert.ok(v)
  assert.equal(v.article, '30(5)')
  assert.equal(v.department, 'city.human-resources')
})

test('Art. 31: a leak is sensitive_data_breach by whoever leaked', () => {
  const leak = { id: 'k1', kind: 'leak', at: '2019-10-09T09:00:00+08:00', department: 'city.civil-affairs', resource: 'population.basic' }
  const v = audit(engine, [leak], asOf).find((x) => x.category === 'sensitive_data_breach')
  assert.ok(v)
  assert.equal(v.article, '31')
  assert.equal(v.department, 'city.civil-affairs')
  assert.deepEqual(v.events, ['k1'])
})

test('audit takes an Engine or a registry; async and streaming agree', async () => {
  const events = [applyEvent(), { id: 'k1', kind: 'leak', at: '2019-10-09T09:00:00+08:00', department: 'city.civil-affairs', resource: 'population.basic' }]
  const expected = audit(engine, events, asOf)
  assert.ok(expected.length >= 2)
  assert.deepEqual(audit(readFileSync(samplePath, 'utf8'), events, new Date(asOf)), expected)
  assert.deepEqual(audit(JSON.parse(readFileSync(samplePath, 'utf8')), events, asOf), expected)
  const pending = auditAsync(engine, events, asOf)
  assert.ok(pending instanceof Promise)
  assert.deepEqual(await pending, expected)
  const auditor = new Auditor(engine, asOf)
  for (const e of events) auditor.push(e)
  assert.deepEqual(auditor.finish(), expected)
  throwsCode(() => auditor.finish(), 'input.auditor_finished')
})

test('audit errors keep their codes', async () => {
  throwsCode(() => audit(engine, [{ kind: 'apply' }], asOf), 'workflow.invalid_event', /event 0/)
  const orphan = { id: 'r1', kind: 'reply', at: '2019-10-09T09:00:00+08:00', application: 'nope', by: 'city.human-resources', outcome: 'approve' }
  throwsCode(() => audit(engine, [orphan], asOf), 'workflow.unknown_application', /nope/)
  await rejectsCode(auditAsync(engine, [orphan], asOf), 'workflow.unknown_application', /nope/)
  throwsCode(() => audit('{"departments": 5}', [], asOf), 'registry.invalid_json')
  throwsCode(() => audit(engine, [], 'soon'), 'input.invalid_date')
})
