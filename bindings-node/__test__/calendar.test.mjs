// Mirrors core/src/calendar: statutory working days and the JS Date mapping.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Calendar } from '../index.js'
import { ymd, throwsCode } from './helpers.mjs'

const cal = Calendar.china()

test('SPEC §3 example: Friday 2019-09-27 + 5 working days is 2019-10-10', () => {
  assert.equal(ymd(cal.addWorkdays(new Date('2019-09-27'), 5)), '2019-10-10')
  assert.equal(ymd(cal.addWorkdays('2019-09-27', 5)), '2019-10-10')
  assert.equal(cal.workdaysBetween('2019-09-27', '2019-10-10'), 5)
  assert.equal(cal.workdaysBetween('2019-10-10', '2019-09-27'), -5)
})

test('rest days and make-up working days of the 2019 National Day arrangement', () => {
  assert.equal(cal.isWorkday('2019-09-29'), true, 'Sunday 09-29 was a working day')
  assert.equal(cal.isWorkday('2019-10-01'), false)
  assert.equal(cal.isWorkday('2019-10-07'), false, 'Monday 10-07 was a rest day')
  assert.equal(cal.isWorkday('2019-10-12'), true, 'Saturday 10-12 was a working day')
  assert.equal(cal.isWorkday('2019-10-13'), false, 'an ordinary Sunday')
  assert.equal(cal.isWorkday('2019-10-08'), true)
})

test('the 2020 Spring Festival extension (mid-year change) is in the data', () => {
  assert.equal(cal.isWorkday('2020-01-31'), false)
  assert.equal(cal.isWorkday('2020-01-23'), true)
})

test('an event on a rest day: the next working day is day 1', () => {
  assert.equal(ymd(cal.addWorkdays('2019-10-01', 1)), '2019-10-08')
  assert.equal(ymd(cal.nextWorkday('2019-09-30')), '2019-10-08')
})

test('a Date means the China date (UTC+08:00) of the instant', () => {
  // 2019-09-30 20:00 UTC is 2019-10-01 04:00 in China: a rest day, although the
  // UTC date (Monday 09-30) is a working day.
  assert.equal(cal.isWorkday(new Date('2019-09-30T20:00:00Z')), false)
  assert.equal(cal.isWorkday(new Date('2019-09-30T15:59:59Z')), true)
  assert.equal(cal.isWorkday('2019-09-30T20:00:00Z'), false)
  // Returned dates are 00:00 UTC of the date, so they round-trip.
  const d = cal.addWorkdays('2019-09-27', 5)
  assert.equal(d.getTime(), Date.UTC(2019, 9, 10))
  assert.equal(cal.isWorkday(d), true)
})

test('deadline: 24:00 China time of the due day; dueDate: that day', () => {
  const at = new Date('2019-09-27T10:00:00+08:00')
  assert.equal(cal.deadline(at, 5).toISOString(), '2019-10-10T16:00:00.000Z')
  assert.equal(ymd(cal.dueDate(at, 5)), '2019-10-10')
  // 23:30 UTC on 09-26 is already 09-27 in China.
  assert.equal(ymd(cal.dueDate(new Date('2019-09-26T23:30:00Z'), 5)), '2019-10-10')
})

test('counting rules differ for an event on a rest day', () => {
  const at = '2019-10-01T10:00:00+08:00'
  assert.equal(ymd(cal.dueDate(at, 1)), '2019-10-08')
  const dayZero = cal.withRule('next_workday_is_day_zero')
  assert.equal(ymd(dayZero.dueDate(at, 1)), '2019-10-09')
  assert.equal(ymd(cal.withRule('strict').dueDate(at, 1)), '2019-10-08')
})

test('covered(): 2004 through 2026', () => {
  const { first, last } = cal.covered()
  assert.equal(first, '2004-01-01')
  assert.equal(last, '2026-12-31')
})

test('a date outside the data is an error, never a guess', () => {
  throwsCode(() => cal.isWorkday('2027-03-01'), 'calendar.not_covered', /2027-03-01/)
  throwsCode(() => cal.isWorkday(new Date('2003-06-01')), 'calendar.not_covered')
  throwsCode(() => cal.addWorkdays('2026-12-30', 30), 'calendar.not_covered')
})

test('bad dates and rules are errors with input codes', () => {
  throwsCode(() => cal.isWorkday(new Date('not a date')), 'input.invalid_date')
  throwsCode(() => cal.isWorkday('yesterday'), 'input.invalid_date', /yesterday/)
  throwsCode(() => cal.withRule('lenient'), 'calendar.invalid_rule', /lenient/)
  assert.throws(() => cal.isWorkday(20190927), Error)
})

test('day() and month() say what each day is and which notice says so', () => {
  const nationalDay = cal.day('2019-10-01')
  assert.equal(nationalDay.date, '2019-10-01')
  assert.equal(nationalDay.kind, 'holiday')
  assert.equal(nationalDay.workday, false)
  assert.match(nationalDay.notice, /2018/)
  const makeUp = cal.day(new Date('2019-09-29'))
  assert.equal(makeUp.kind, 'adjusted_workday')
  assert.equal(makeUp.workday, true)
  assert.equal(cal.day('2019-10-14').kind, 'workday')
  assert.equal(cal.day('2019-10-14').notice, null)

  const oct = cal.month(2019, 10)
  assert.equal(oct.year, 2019)
  assert.equal(oct.month, 10)
  assert.equal(oct.days.length, 31)
  assert.equal(oct.days.filter((d) => d.workday).length, 19)
  assert.deepEqual(
    oct.days.filter((d) => d.kind === 'holiday').map((d) => d.date.slice(8)),
    ['01', '02', '03', '04', '05', '06', '07'],
  )
  throwsCode(() => cal.month(2019, 13), 'calendar.bad_month')
  throwsCode(() => cal.month(2040, 1), 'calendar.not_covered')
  assert.ok(cal.notices().length >= 23)
})

test('a newly announced year can be added as data without a release', () => {
  const toml = `format = 1
[coverage]
first = "2004-01-01"
last = "2027-12-31"

[[notice]]
document = "test-2027"
rest = [{ name = "元旦", from = "2027-01-01" }]
`
  throwsCode(() => cal.isWorkday('2027-01-01'), 'calendar.not_covered')
  const extended = cal.withOverridesToml(toml)
  assert.equal(extended.isWorkday('2027-01-01'), false)
  assert.equal(extended.isWorkday('2027-01-04'), true)
  assert.equal(extended.day('2027-01-01').notice, 'test-2027')
  assert.equal(cal.covered().last, '2026-12-31', 'the original is unchanged')
  throwsCode(() => cal.withOverridesToml('format = ['), 'calendar.bad_syntax')
  throwsCode(() => cal.withOverridesFile('/nonexistent/holidays.toml'), 'calendar.io', /nonexistent/)
  assert.equal(cal.rule, 'strict')
  assert.equal(cal.withRule('next_workday_is_day_zero').rule, 'next_workday_is_day_zero')
})
