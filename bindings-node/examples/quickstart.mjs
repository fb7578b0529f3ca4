// Node quick start (README.md shows this file; __test__/readme.test.mjs runs it
// and checks each console.log against its trailing comment). From the repo root:
//   node bindings-node/examples/quickstart.mjs
import { Calendar, Engine } from 'govshare'

// Statutory working days. A Date stands for its China date (UTC+08:00);
// returned dates are 00:00 UTC of the day.
const cal = Calendar.china()
const due = cal.addWorkdays(new Date('2019-09-27'), 5)
console.log(due.toISOString().slice(0, 10)) // 2019-10-10

// Access decisions: the built-in Binzhou pack over a registry (file, object or JSON text).
const engine = Engine.fromFile('policies/binzhou/sample/registry.json')
const request = {
  department: 'city.civil-affairs',
  resource: 'hr.social-insurance',
  method: 'online_query',
  purpose: 'social-assistance',
  fields: ['contribution_base'],
  network: 'extranet',
  certificate: 'BZ-0007',
  at: new Date('2019-09-27T10:00:00+08:00'), // or an RFC 3339 string
}
const decision = engine.decide(request)
console.log(decision.decision, decision.route, decision.grant) // permit granted g-2018-0001

// A purpose the grant does not cover: apply to the provider (Art. 17).
const denied = engine.decide({ ...request, purpose: 'elderly-care' })
console.log(denied.decision, denied.route, denied.citations.join(',')) // deny apply 17,23

// Large batches run off the event loop.
const many = await engine.decideManyAsync([request, request])
console.log(many.length) // 2

// Every error is an Error with a stable code.
try {
  cal.isWorkday('2030-01-02')
} catch (e) {
  console.log(e.code) // calendar.not_covered
}
