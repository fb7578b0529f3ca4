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

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8)

/**
 * CPU ns per call of fn(i) over about `ms` of wall time (process CPU time, so
 * that time spent waiting for a core on a busy machine is not counted).
 */
function cpuPerCall(fn, ms) {
  let n = 0
  const wallEnd = performance.now() + ms
  const c0 = process.cpuUsage()
  while (performance.now() < wallEnd) {
    for (let k = 0; k < 50; k++) fn(n++)
  }
  const c = process.cpuUsage(c0)
  return ((c.user + c.system) * 1000) / n
}

/**
 * Runs the cases in interleaved rounds (so that a burst of load from other
 * processes hits every case alike) and keeps each case's best round.
 */
function suite(cases) {
  for (const c of cases) for (let i = 0; i < 200; i++) c.fn(i)
  const best = new Map()
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases) {
      const ns = cpuPerCall(c.fn, BENCH_MS / ROUNDS)
      best.set(c.name, Math.min(best.get(c.name) ?? Infinity, ns))
    }
  }
  return cases.map((c) => row(c.name, best.get(c.name)))
}

const fmt = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`)
const rows = []
function row(name, ns) {
  rows.push({ name, 'CPU per call': fmt(ns), 'calls per CPU second': Math.round(1e9 / ns).toLocaleString('en') })
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
const grantEntity = (g) => ({
  uid: uid('Grant', g.id),
  attrs: {
    department: { __entity: uid('Department', g.department) },
    resource: { __entity: uid('Resource', g.resource) },
    purposes: g.purposes ?? [],
    all_fields: !(g.fields ?? []).length,
    fields: g.fields ?? [],
    all_methods: !(g.methods ?? []).length,
    methods: g.methods ?? [],
    from: secs(g.from),
    has_until: Boolean(g.until),
    until: secs(g.until),
    coordinated: ['big_data_center', 'city_government_office'].includes(g.source),
    provider_approved: g.source === 'provider_reply' || (g.approvals ?? []).includes('provider_reply'),
    big_data_center_approved: g.source === 'big_data_center' || (g.approvals ?? []).includes('big_data_center'),
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

// Per request, what the engine's first Cedar evaluation gets (Engine::cedar_inputs
// in the core): the principal, the resource, its provider, the department's grants
// on the resource and the first of them in the context. Built ahead, so that only
// authorization is timed on the cedar-wasm side, while Engine.decide is timed
// from the JS request object to the JS decision object.
const cedarCalls = requests.map((q) => {
  const r = ress.get(q.resource)
  const entities = [deptEntity(depts.get(q.department)), resEntity(r)]
  if (r.provider !== q.department) entities.push(deptEntity(depts.get(r.provider)))
  const grants = (doc.grants ?? []).filter((g) => g.department === q.department && g.resource === q.resource)
  entities.push(...grants.map(grantEntity))
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
      ...(grants.length ? { grant: { __entity: uid('Grant', grants[0].id) } } : {}),
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
// Batches of exactly 100 requests, cycling through the set.
const batches = Array.from({ length: N }, (_, k) => Array.from({ length: 100 }, (_, j) => requests[(k + j) % N]))
const [decide, batch, wasm, wasmStateful] = suite([
  { name: 'govshare Engine.decide (full decision: checks, grants tried, reasons)', fn: (i) => engine.decide(requests[i % N]) },
  {
    name: 'govshare Engine.decideMany (per request, batches of 100)',
    fn: (i) => {
      if (i % 100 === 0) engine.decideMany(batches[(i / 100) % N])
    },
  },
  { name: 'cedar-wasm isAuthorized (policy text + entities per call)', fn: (i) => cedar.isAuthorized(cedarCalls[i % N]) },
  { name: 'cedar-wasm statefulIsAuthorized (preparsed policies)', fn: (i) => cedar.statefulIsAuthorized(statefulCalls[i % N]) },
])

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
const [workOurs, workTheirs, isOurs, isTheirs, betweenOurs, betweenTheirs] = suite([
  { name: 'govshare Calendar.addWorkdays(date string, 5)', fn: (i) => cal.addWorkdays(starts[i % S], 5) },
  { name: 'chinese-workday: isWorkday day by day until 5 (no addWorkdays)', fn: (i) => cwAdd(starts[i % S], 5) },
  { name: 'govshare Calendar.isWorkday(date string)', fn: (i) => cal.isWorkday(starts[i % S]) },
  { name: 'chinese-workday isWorkday(date string)', fn: (i) => cw.isWorkday(starts[i % S]) },
  { name: 'govshare Calendar.workdaysBetween (≈1 year apart)', fn: (i) => cal.workdaysBetween(starts[i % S], starts[(i + 120) % S]) },
  { name: 'chinese-workday countWorkdays (≈1 year apart)', fn: (i) => cw.countWorkdays(starts[i % S], starts[(i + 120) % S]) },
])

console.log(`node ${process.version}, ${N} distinct requests (${permits} permits from govshare; cedar-wasm single-pass allows ${cedarPermits}), best of ${ROUNDS} interleaved rounds, ${BENCH_MS} ms per case`)
console.table(rows)
const x = (a, b) => (a >= b ? `${(a / b).toFixed(1)}× faster` : `${(b / a).toFixed(1)}× slower`)
console.log(`Engine.decide vs cedar-wasm isAuthorized:          ${x(wasm, decide)}`)
console.log(`Engine.decide vs cedar-wasm statefulIsAuthorized:  ${x(wasmStateful, decide)}`)
console.log(`Engine.decideMany (per request) vs isAuthorized:   ${x(wasm, batch)}`)
console.log(`addWorkdays vs chinese-workday (isWorkday steps): ${x(workTheirs, workOurs)}`)
console.log(`isWorkday vs chinese-workday isWorkday:            ${x(isTheirs, isOurs)}`)
console.log(`workdaysBetween vs chinese-workday countWorkdays:  ${x(betweenTheirs, betweenOurs)}`)
if (nextNulls.length) console.log(`chinese-workday nextWorkday returned null for ${nextNulls.length} start days (${nextNulls.slice(0, 3).join(', ')} …)`)
console.log(`addWorkdays(·, 5) answers agree on ${agree}/${S} start days 2019–2024${differ.length ? `; differ: ${differ.slice(0, 5).join('; ')}` : ''}`)
