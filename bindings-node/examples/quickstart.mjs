// Node quick start (README.md shows this file; __test__/readme.test.mjs runs it
// and checks each console.log against its trailing comment). From the repo root:
//   node bindings-node/examples/quickstart.mjs
import { Calendar, Engine, Ledger, audit } from 'govshare'

// Statutory working days. A Date stands for its China date (UTC+08:00);
// returned dates are 00:00 UTC of the day.
const cal = Calendar.china()
const due = cal.addWorkdays(new Date('2019-09-27'), 5)
console.log(due.toISOString().slice(0, 10)) // 2019-10-10

// Access decisions over a registry (file, object or JSON text): each request under
// the pack in force at its moment (Binzhou until 2022-11-05, the national
// regulation from 2025-08-01); a second argument forces one: 'binzhou',
// 'national-2025', a folder, or an array of them (a timeline).
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

// 2026: the national regulation, which reads online_query as its service_interface.
const later = engine.decide({ ...request, at: '2026-03-02T10:00:00+08:00' })
console.log(later.pack, later.decision) // national-2025 deny

// Large batches run off the event loop.
const many = await engine.decideManyAsync([request, request])
console.log(many.length) // 2

// The workflow: an application's reply is due within 5 working days (Art. 17).
const application = {
  id: 'e1',
  kind: 'apply',
  at: '2019-09-27T10:00:00+08:00',
  application: 'a-1',
  department: 'city.civil-affairs',
  resource: 'hr.social-insurance',
  purpose: 'elderly-care',
  fields: ['contribution_base'],
}
const ledger = new Ledger(engine)
console.log(ledger.apply(application).application.reply_due) // 2019-10-10

// Nobody replied: the audit names the provider and the article.
const [violation] = audit(engine, [application], new Date('2019-10-21T12:00:00+08:00'))
console.log(violation.category, violation.article, violation.department) // reply_overdue 30(5) city.human-resources

// Every error is an Error with a stable code.
try {
  cal.isWorkday('2030-01-02')
} catch (e) {
  console.log(e.code) // calendar.not_covered
}
