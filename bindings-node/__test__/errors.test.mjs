// Mirrors core/src/error.rs: every error is an Error with a stable `code`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Calendar, Engine } from '../index.js'
import { registry, request, throwsCode } from './helpers.mjs'

test('core errors keep the core code and a message naming the input', () => {
  throwsCode(() => Calendar.china().isWorkday('2040-01-01'), 'calendar.not_covered', /2040-01-01/)
  throwsCode(() => new Engine('{"departments": 5}'), 'registry.invalid_json', /departments|sequence/)
})

test('errors are plain Error objects (instanceof, message, stack)', () => {
  try {
    Calendar.china().isWorkday('2040-01-01')
    assert.fail('expected a throw')
  } catch (e) {
    assert.ok(e instanceof Error)
    assert.equal(typeof e.message, 'string')
    assert.ok(e.message.length > 0)
    assert.equal(typeof e.stack, 'string')
  }
})

test('wire-shape errors on requests name the field', () => {
  const engine = new Engine(registry())
  throwsCode(() => engine.decide({ ...request(), colour: 'red' }), 'policy.invalid_request', /colour/)
  throwsCode(() => engine.decide({ ...request(), method: 'fax' }), 'policy.invalid_request', /fax/)
  const { purpose: _, ...noPurpose } = request()
  throwsCode(() => engine.decide(noPurpose), 'policy.invalid_request', /purpose/)
  throwsCode(() => engine.decide({ ...request(), at: 'yesterday' }), 'policy.invalid_request')
  throwsCode(() => engine.decide({ ...request(), at: new Date(NaN) }), 'input.invalid_date')
  throwsCode(() => engine.decide('nope'), 'policy.invalid_request')
})

test('an error leaves the object usable', () => {
  const engine = new Engine(registry())
  assert.throws(() => engine.decide({ bogus: true }))
  assert.equal(engine.decide(request()).decision, 'permit')
})

test('arguments of the wrong JavaScript type are input.invalid_argument naming the argument', async () => {
  const { Calendar: Cal, Engine: Eng, Ledger, Auditor, audit } = await import('../index.js')
  const engine = new Eng(registry())
  const cal = Cal.china()
  const cases = [
    [() => engine.decideMany('x'), /requests/],
    [() => engine.mayRequireSubmission(1, 'population.basic', '2019-03-01'), /department/],
    [() => Eng.fromFile(42), /path/],
    [() => new Eng(registry(), 7), /pack/],
    [() => new Ledger({}), /engine/],
    [() => new Ledger(engine, 'china'), /calendar/],
    [() => new Auditor(cal, '2019-10-01'), /engine/],
    [() => audit(engine, 'x', '2019-10-01'), /events/],
    [() => cal.withRule(5), /rule/],
    [() => cal.addWorkdays('2019-09-27', '5'), /`n`/],
    [() => cal.month('2019', 10), /year/],
    [() => cal.withOverridesToml(null), /text/],
  ]
  for (const [fn, message] of cases) throwsCode(fn, 'input.invalid_argument', message)
  // The async forms read their arguments synchronously: bad arguments throw at once.
  throwsCode(() => Eng.fromFileAsync(42), 'input.invalid_argument', /path/)
  throwsCode(() => engine.decideManyAsync([{ bogus: 1 }]), 'policy.invalid_request', /bogus/)
})

test('deeply nested or self-referencing objects are limits.too_deep, not a crash', () => {
  // napi's object conversion recurses without a limit; the binding checks depth first.
  const cyclic = { departments: [] }
  cyclic.departments.push(cyclic)
  throwsCode(() => new Engine(cyclic), 'limits.too_deep', /MAX_DEPTH/)

  let deep = {}
  for (let i = 0; i < 100000; i++) deep = { nested: deep }
  const engine = new Engine(registry())
  throwsCode(() => engine.decide({ ...request(), fields: [deep] }), 'limits.too_deep', /MAX_DEPTH/)
  // A normal request still works afterwards.
  assert.equal(engine.decide(request()).decision.length > 0, true)
})
