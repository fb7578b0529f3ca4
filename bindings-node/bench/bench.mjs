// Benchmark (not a test): govshare's Node addon against
//  - @cedar-policy/cedar-wasm `isAuthorized` (and `statefulIsAuthorized`) on the
//    same Binzhou policies, the same entities and the same requests;
//  - the `chinese-workday` npm package for working-day arithmetic, where it can
//    do the same job (it has no addWorkdays: N calls to its nextWorkday).
//
// Usage (from bindings-node/, after `npm ci` and `npx napi build --platform --release`):
//   node bench/bench.mjs            # about 1 s per measurement
//   BENCH_MS=3000 node bench/bench.mjs
// It installs its extra packages itself when they are missing (they are
// devDependencies, so `npm ci` normally has them already).
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('..', import.meta.url))
const repo = fileURLToPath(new URL('../..', import.meta.url))
const require = createRequire(import.meta.url)

for (const [dep, entry] of [
  ['@cedar-policy/cedar-wasm', '@cedar-policy/cedar-wasm/nodejs'],
  ['chinese-workday', 'chinese-workday'],
]) {
  try {
    require.resolve(entry)
  } catch {
    console.error(`installing ${dep} …`)
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', dep], { cwd: here, stdio: 'inherit' })
  }
}

const { Calendar, Engine } = await import('../index.js')
const cedar = await import('@cedar-policy/cedar-wasm/nodejs')
const cw = (await import('chinese-workday')).default ?? (await import('chinese-workday'))

const BENCH_MS = Number(process.env.BENCH_MS ?? 1000)

/** ns per call of fn(i), run for about BENCH_MS after a warm-up. */
function measure(fn) {
  for (let i = 0; i < 200; i++) fn(i)
  let n = 0
  const start = process.hrtime.bigint()
  const budget = BigInt(BENCH_MS) * 1_000_000n
  let elapsed = 0n
  while (elapsed < budget) {
    for (let k = 0; k < 100; k++) fn(n++)
    elapsed = process.hrtime.bigint() - start
  }
  return Number(elapsed) / n
}

const fmt = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`)
const rows = []
function row(name, ns, baseline) {
  rows.push({ name, perCall: fmt(ns), perSecond: Math.round(1e9 / ns).toLocaleString('en'), ...(baseline ? { vs: baseline } : {}) })
  return ns
}

// ---------------------------------------------------------------- decisions
const registryPath = `${repo}policies/binzhou/sample/registry.json`
const doc = JSON.parse(readFileSync(registryPath, 'utf8'))
const engine = Engine.fromFile(registryPath)
const at = '2019-06-03T10:00:00+08:00'
const atSeconds = Math.floor(Date.parse(at) / 1000)

// Every department asking for every resource, for one of its duties, on the
// resource's network, with its own certificate: permits and denies mixed.
const requests = []
for (const d of doc.departments) {
  for (const r of doc.resources) {
    requests.push({
      department: d.id,
      resource: r.id,
      method: 'online_query',
      purpose: d.duties[0],
      network: r.network,
      certificate: d.certificate?.serial ?? '',
      at,
    })
  }
}

// The same vocabulary the engine builds (policies/binzhou/schema.cedarschema).
const uid = (type, id) => ({ type: `Gov::${type}`, id })
const secs = (t) => (t ? Math.floor(Date.parse(t) / 1000) : 0)
const deptEntity = (d) => ({
  uid: uid('Department', d.id),
  attrs: {
    duties: d.duties ?? [],
    roles: d.roles ?? [],
    restricted: d.restricted ?? false,
    has_certificate: Boolean(d.certificate),
    certificate_serial: d.certificate?.serial ?? '',
    certificate_not_before: secs(d.certificate?.not_before),
    certificate_not_after: secs(d.certificate?.not_after),
    certificate_revoked: d.certificate?.revoked ?? false,
  },
  parents: [],
})
const resEntity = (r) => ({
  uid: uid('Resource', r.id),
  attrs: {
    provider: { __entity: uid('Department', r.provider) },
    sharing: r.sharing,
    database: r.database,
    derived: r.derived ?? false,
    network: r.network,
    fields: r.fields ?? [],
    open_fields: r.open_fields ?? [],
    sensitivity: r.sensitivity ?? [],
    state_secret: (r.sensitivity ?? []).includes('state_secret'),
    open_data: r.open_data ?? false,
  },
  parents: [],
})
const depts = new Map(doc.departments.map((d) => [d.id, d]))
const ress = new Map(doc.resources.map((r) => [r.id, r]))
const policyText = readdirSync(`${repo}policies/binzhou`)
  .filter((f) => f.endsWith('.cedar'))
  .sort()
  .map((f) => readFileSync(`${repo}policies/binzhou/${f}`, 'utf8'))
  .join('\n')
const schemaText = readFileSync(`${repo}policies/binzhou/schema.cedarschema`, 'utf8')

// Per request: the principal, the resource and its provider (what one Cedar
// evaluation of the request needs), built ahead so that only authorization is timed.
const cedarCalls = requests.map((q) => {
  const r = ress.get(q.resource)
  const entities = [deptEntity(depts.get(q.department)), resEntity(r)]
  if (r.provider !== q.department) entities.push(deptEntity(depts.get(r.provider)))
  return {
    principal: uid('Department', q.department),
    action: { type: 'Gov::Action', id: 'access' },
    resource: uid('Resource', q.resource),
    context: {
      method: q.method,
      purpose: q.purpose,
      fields: r.fields ?? [],
      network: q.network,
      certificate: q.certificate,
      at: atSeconds,
    },
    policies: { staticPolicies: policyText },
    entities,
  }
})

// Sanity: every Cedar call succeeds without errors, and every govshare call decides.
let cedarPermits = 0
for (const call of cedarCalls) {
  const a = cedar.isAuthorized(call)
  if (a.type !== 'success' || a.response.diagnostics.errors.length) {
    throw new Error(`cedar-wasm failed: ${JSON.stringify(a).slice(0, 400)}`)
  }
  if (a.response.decision === 'allow') cedarPermits++
}
const decisions = engine.decideMany(requests)
const permits = decisions.filter((d) => d.decision === 'permit').length
const pset = cedar.preparsePolicySet('binzhou', { staticPolicies: policyText })
if (pset.type !== 'success') throw new Error(`preparse failed: ${JSON.stringify(pset)}`)
const schemaOk = cedar.preparseSchema('binzhou', schemaText)
if (schemaOk.type !== 'success') throw new Error(`schema preparse failed: ${JSON.stringify(schemaOk)}`)
const statefulCalls = cedarCalls.map(({ policies: _, ...c }) => ({ ...c, preparsedPolicySetId: 'binzhou' }))

const N = requests.length
const decide = row('govshare Engine.decide (full decision, grants tried, reasons)', measure((i) => engine.decide(requests[i % N])))
const batch = row(
  'govshare Engine.decideMany (per request, batches of 100)',
  measure((i) => {
    if (i % 100 === 0) engine.decideMany(requests.slice(i % N, (i % N) + 100))
  }),
)
const wasm = row('cedar-wasm isAuthorized (policy text + entities per call)', measure((i) => cedar.isAuthorized(cedarCalls[i % N])))
const wasmStateful = row('cedar-wasm statefulIsAuthorized (preparsed policies)', measure((i) => cedar.statefulIsAuthorized(statefulCalls[i % N])))

// ---------------------------------------------------------------- calendar
const cal = Calendar.china()
const starts = []
for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2025, 0, 1); t += 86_400_000 * 3) starts.push(new Date(t).toISOString().slice(0, 10))
const S = starts.length
// chinese-workday has no addWorkdays, and its nextWorkday looks only 7 days
// ahead (null after the 10-day 2020 Spring Festival break), so step day by day
// with its isWorkday, as a user of it would.
const DAY = 86_400_000
const cwAdd = (start, n) => {
  let t = Date.parse(start)
  for (let k = 0; k < n; ) {
    t += DAY
    if (cw.isWorkday(new Date(t).toISOString().slice(0, 10))) k++
  }
  return new Date(t).toISOString().slice(0, 10)
}
const nextNulls = starts.filter((s) => cw.nextWorkday(s) === null)
// Agreement check on the common years (chinese-workday holds 2011 onwards).
let agree = 0
let differ = []
for (const s of starts) {
  const ours = cal.addWorkdays(s, 5).toISOString().slice(0, 10)
  const theirs = cwAdd(s, 5)
  if (ours === theirs) agree++
  else differ.push(`${s}: govshare ${ours}, chinese-workday ${theirs}`)
}
const workOurs = row('govshare Calendar.addWorkdays(date string, 5)', measure((i) => cal.addWorkdays(starts[i % S], 5)))
const workTheirs = row('chinese-workday: step days with isWorkday until 5 (no addWorkdays)', measure((i) => cwAdd(starts[i % S], 5)))
const isOurs = row('govshare Calendar.isWorkday(date string)', measure((i) => cal.isWorkday(starts[i % S])))
const isTheirs = row('chinese-workday isWorkday(date string)', measure((i) => cw.isWorkday(starts[i % S])))
const betweenOurs = row('govshare Calendar.workdaysBetween (≈1 year)', measure((i) => cal.workdaysBetween(starts[i % S], starts[(i + 120) % S])))
const betweenTheirs = row('chinese-workday countWorkdays (≈1 year)', measure((i) => cw.countWorkdays(starts[i % S], starts[(i + 120) % S])))

console.log(`node ${process.version}, ${N} distinct requests (${permits} permits from govshare; cedar-wasm single-pass allows ${cedarPermits}), ${BENCH_MS} ms per row`)
console.table(rows)
const x = (a, b) => `${(a / b).toFixed(1)}×`
console.log(`Engine.decide vs cedar-wasm isAuthorized:          ${x(wasm, decide)} faster`)
console.log(`Engine.decide vs cedar-wasm statefulIsAuthorized:  ${x(wasmStateful, decide)} faster`)
console.log(`Engine.decideMany (per request) vs isAuthorized:   ${x(wasm, batch)} faster`)
console.log(`addWorkdays vs chinese-workday (isWorkday steps): ${x(workTheirs, workOurs)}`)
console.log(`isWorkday vs chinese-workday isWorkday:            ${x(isTheirs, isOurs)}`)
console.log(`workdaysBetween vs chinese-workday countWorkdays:  ${x(betweenTheirs, betweenOurs)}`)
if (nextNulls.length) console.log(`chinese-workday nextWorkday returned null for ${nextNulls.length} start days (${nextNulls.slice(0, 3).join(', ')} …)`)
console.log(`addWorkdays(·, 5) answers agree on ${agree}/${S} start days 2019–2024${differ.length ? `; differ: ${differ.slice(0, 5).join('; ')}` : ''}`)
