// Mirrors core/src/workflow: applications and obligations over the event log (SPEC §4).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Calendar, Engine, Ledger } from '../index.js'
import { applyEvent, samplePath, throwsCode } from './helpers.mjs'

const engine = Engine.fromFile(samplePath)
const askRequest = {
  department: 'city.civil-affairs',
  resource: 'hr.social-insurance',
  method: 'online_query',
  purpose: 'elderly-care',
  fields: ['contribution_base'],
  network: 'extranet',
  certificate: 'BZ-0007',
  at: '2019-10-09T12:00:00+08:00',
}
const approve = (over = {}) => ({
  id: 'e2',
  kind: 'reply',
  at: '2019-10-09T09:00:00+08:00',
  application: 'a-1',
  by: 'city.human-resources',
  outcome: 'approve',
  scope: { purposes: ['elderly-care'], fields: ['contribution_base'], methods: ['online_query'] },
  ...over,
})

test('an application: reply due in 5 working days (2019-09-27 → 2019-10-10)', () => {
  const ledger = new Ledger(engine)
  const applied = ledger.apply(applyEvent())
  assert.equal(applied.event, 'e1')
  assert.equal(applied.application.status, 'pending')
  assert.equal(applied.application.reply_due, '2019-10-10')
  assert.equal(applied.application.provider, 'city.human-resources')
  const state = ledger.state(new Date('2019-10-08T12:00:00+08:00'))
  assert.equal(state.applications.length, 1)
  assert.equal(state.applications[0].reply_late, false)
  const late = ledger.state('2019-10-15T12:00:00+08:00')
  assert.equal(late.applications[0].reply_late, true)
})

test('an approval creates a grant the ledger’s engine uses', () => {
  const ledger = new Ledger(engine)
  ledger.apply(applyEvent())
  assert.equal(engine.decide(askRequest).route, 'apply')
  const applied = ledger.apply(approve())
  assert.equal(applied.application.status, 'approved')
  assert.ok(applied.grant && applied.grant.id)
  const d = ledger.engine().decide(askRequest)
  assert.equal(d.decision, 'permit')
  assert.equal(d.route, 'granted')
  assert.equal(d.grant, applied.grant.id)
  assert.equal(engine.decide(askRequest).route, 'apply', 'the original engine is unchanged')
})

test('a rejected event throws with its code and changes nothing', () => {
  const ledger = new Ledger(engine)
  ledger.apply(applyEvent())
  const before = ledger.state('2019-10-08T00:00:00+08:00')
  throwsCode(
    () => ledger.apply({ id: 'e2', kind: 'reply', at: '2019-09-30T09:00:00+08:00', application: 'a-1', by: 'city.human-resources', outcome: 'refuse' }),
    'workflow.missing_reason',
  )
  throwsCode(() => ledger.apply(approve({ by: 'city.finance' })), 'workflow.wrong_actor')
  throwsCode(() => ledger.apply(approve({ application: 'a-9' })), 'workflow.unknown_application', /a-9/)
  throwsCode(() => ledger.apply(applyEvent()), 'workflow.duplicate_event')
  assert.deepEqual(ledger.state('2019-10-08T00:00:00+08:00'), before)
  assert.equal(ledger.apply(approve()).application.status, 'approved')
})

test('events that do not fit the wire format are workflow.invalid_event naming the field', () => {
  const ledger = new Ledger(engine)
  throwsCode(() => ledger.apply(applyEvent({ colour: 'red' })), 'workflow.invalid_event', /colour/)
  throwsCode(() => ledger.apply(applyEvent({ kind: 'teleport' })), 'workflow.invalid_event', /teleport/)
  throwsCode(() => ledger.apply(applyEvent({ at: new Date(NaN) })), 'input.invalid_date')
  throwsCode(() => ledger.applyAll([applyEvent(), { kind: 'apply' }]), 'workflow.invalid_event', /event 1/)
})

test('an event without an id gets its position; `at` may be a Date', () => {
  const ledger = new Ledger(engine)
  const { id: _, ...noId } = applyEvent({ at: new Date('2019-09-27T02:00:00Z') })
  assert.equal(ledger.apply(noId).event, '1')
  assert.equal(ledger.position, 1)
})

test('Art. 11: a law revision opens a catalog update due in 15 working days', () => {
  const ledger = new Ledger(engine, Calendar.china())
  const applied = ledger.apply({ id: 'l1', kind: 'law_revised', at: '2019-09-27T10:00:00+08:00', department: 'city.civil-affairs' })
  assert.equal(applied.opened.length, 1)
  assert.equal(applied.opened[0].kind, 'catalog_update')
  assert.equal(applied.opened[0].due, '2019-10-23')
  const done = ledger.apply({ id: 'l2', kind: 'catalog_updated', at: '2019-10-22T10:00:00+08:00', department: 'city.civil-affairs' })
  assert.equal(done.closed.length, 1)
  assert.equal(done.closed[0].late, false)
})

test('applyAll applies in order and names the failing event', () => {
  const ledger = new Ledger(engine)
  const out = ledger.applyAll([applyEvent(), approve()])
  assert.deepEqual(out.map((a) => a.application.status), ['pending', 'approved'])
  throwsCode(() => ledger.applyAll([approve({ id: 'e3' })]), 'workflow.wrong_state', /event 0/)
})

test('SPEC v2 §4: the registry has a history; registryAt shows it at a moment', () => {
  const ledger = new Ledger(engine)
  ledger.apply({ kind: 'restriction_imposed', at: '2020-03-02T09:00:00+08:00', department: 'county.huimin.civil-affairs', by: 'city.big-data-center', reason: '逾期' })
  const restricted = (at) => ledger.registryAt(at).departments.find((d) => d.id === 'county.huimin.civil-affairs').restricted
  assert.equal(restricted('2020-03-01T00:00:00+08:00'), false)
  assert.equal(restricted(new Date('2020-03-02T01:00:00Z')), true)
  throwsCode(() => ledger.apply({ kind: 'restriction_lifted', at: '2020-03-03T09:00:00+08:00', department: 'county.huimin.civil-affairs', by: 'city.finance', reason: 'x' }), 'workflow.invalid_change')
  assert.equal(restricted('2020-03-04T00:00:00+08:00'), true)
})

test('SPEC v2 §4 Art. 20: mustServe is per subject', () => {
  const ledger = new Ledger(engine)
  ledger.apply({ kind: 'inconsistency_reported', at: '2019-09-27T10:00:00+08:00', resource: 'civil-affairs.marriage', by: 'city.market-regulation', subject: 'S-1' })
  const at = '2019-09-30T10:00:00+08:00'
  assert.equal(ledger.mustServe('civil-affairs.marriage', true, at, 'S-1').disputed, true)
  assert.equal(ledger.mustServe('civil-affairs.marriage', true, at, 'S-2').disputed, false)
  assert.equal(ledger.mustServe('civil-affairs.marriage', true, at).disputed, true)
})
