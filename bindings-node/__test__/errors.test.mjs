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
