// Benchmark (not a test): govshare's Node addon against
//  - @cedar-policy/cedar-wasm `isAuthorized` (and `statefulIsAuthorized`) on the
//    same Binzhou policies, the same entities and the same requests: the four
//    requests of the Rust bench's `sample` group repeated (govshare answers from
//    its decision cache, and, with it off, evaluates every call), and 2,112
//    distinct requests;
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
const engine = Engine.fromFile(registryPath)
// Decision cache off, pairs specialised: every call is evaluated (Rust's
// `decide_specialised`).
const evaluated = engine.withCacheSettings({ decisions: 0 })
const doc = engine.registry() // the snapshot, certificates as lists
const depts = new Map(doc.departments.map((d) => [d.id, d]))
const ress = new Map(doc.resources.map((r) => [r.id, r]))
const quarantined = new Set(
  engine
    .validate()
    .filter((f) => f.kind === 'resource' && f.severity === 'error')
    .map((f) => f.id),
)

// A request as the Rust bench builds it (core/benches/decide.rs `request`): the
// resource's network, the department's first certificate, unless `over` says
// otherwise.
const SAMPLE_AT = '2019-09-27T10:00:00+08:00'
const requestOf = (over, at = SAMPLE_AT, method = 'online_query') => ({
  method,
  network: ress.get(over.resource).network,
  certificate: depts.get(over.department).certificates?.[0]?.serial ?? '',
  at,
  ...over,
})
// The four requests of the Rust bench's `sample` group, so that these figures
// compare with its `decide_repeated` rows.
const sampleCases = [
  ['unconditional_direct', { department: 'city.civil-affairs', resource: 'population.basic', purpose: 'social-assistance' }],
  [
    'conditional_granted',
    { department: 'city.civil-affairs', resource: 'hr.social-insurance', purpose: 'social-assistance', fields: ['name', 'id_number'] },
  ],
  ['not_shared_coordinate', { department: 'city.finance', resource: 'public-security.criminal-records', purpose: 'budget-management' }],
  [
    'deny_many_reasons',
    {
      department: 'city.market-regulation',
      resource: 'civil-affairs.minimum-living',
      purpose: 'public-order',
      certificate: 'BZ-0001',
      network: 'intranet',
    },
  ],
].map(([name, over]) => [name, requestOf(over)])

// Distinct requests: every department × resource × method, for the department's
// first duty, at three moments (2,112 requests).
const moments = ['2018-06-01T09:30:00+08:00', SAMPLE_AT, '2021-03-15T16:45:00+08:00']
const methods = ['system_integration', 'front_processor', 'online_query', 'batch_download']
const requests = []
for (const at of moments)
  for (const d of doc.departments)
    for (const r of doc.resources)
      for (const m of methods) requests.push(requestOf({ department: d.id, resource: r.id, purpose: d.duties[0] }, at, m))

// The Cedar request and entities the engine evaluates first for a request (with
// its first candidate grant): what Rust's `Engine::cedar_inputs` gives. It
// mirrors core/src/policy/entities.rs and `Engine::entities` / `cedar_request`
// (the vocabulary of policies/binzhou/schema.cedarschema); the bench checks
// below that every answer agrees with govshare's.
// Unix nanoseconds (the pack's unit) as a JS number: exact for whole seconds
// (the odd part of s × 10^9 stays below 2^53), which cedar-wasm reads as a Long.
const nanos = (t) => Date.parse(t) * 1e6
const uid = (type, id) => ({ type: `Gov::${type}`, id })
const certUid = (dept, serial) => uid('Certificate', `${dept}\u001f${serial}`)
const deptEntity = (d) => ({
  uid: uid('Department', d.id),
  attrs: {
    duties: d.duties ?? [],
    roles: d.roles ?? [],
    restricted: d.restricted ?? false,
    certificates: (d.certificates ?? []).map((c) => ({ __entity: certUid(d.id, c.serial) })),
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
    quarantined: quarantined.has(r.id),
    // The day the entry joined the catalog: its first moment, China time.
    has_catalogued: r.catalogued != null,
    catalogued: r.catalogued != null ? nanos(`${r.catalogued}T00:00:00+08:00`) : 0,
  },
  parents: [],
})
const grantEntity = (g) => {
  const sources = [g.source, ...(g.approvals ?? [])]
  return {
    uid: uid('Grant', g.id),
    attrs: {
      department: { __entity: uid('Department', g.department) },
      resource: { __entity: uid('Resource', g.resource) },
      purposes: g.purposes ?? [],
      all_fields: !(g.fields ?? []).length,
      fields: g.fields ?? [],
      all_methods: !(g.methods ?? []).length,
      methods: g.methods ?? [],
      from: nanos(g.from),
      has_until: Boolean(g.until),
      until: g.until ? nanos(g.until) : 0,
      coordinated: ['big_data_center', 'city_government_office'].includes(g.source),
      provider_approved: sources.includes('provider_reply'),
      big_data_center_approved: sources.includes('big_data_center'),
      sources,
    },
    parents: [],
  }
}
const policyText = readdirSync(`${repo}policies/binzhou`)
  .filter((f) => f.endsWith('.cedar'))
  .sort()
  .map((f) => readFileSync(`${repo}policies/binzhou/${f}`, 'utf8'))
  .join('\n')
const schemaText = readFileSync(`${repo}policies/binzhou/schema.cedarschema`, 'utf8')

// Active grants in registry order, else the one nearest in time (the one that
// ended last or starts first; ties: the first), as `Engine::candidates`.
const candidates = (q) => {
  const at = Date.parse(q.at)
  const grants = (doc.grants ?? []).filter((g) => g.department === q.department && g.resource === q.resource)
  const active = grants.filter((g) => Date.parse(g.from) <= at && (!g.until || at < Date.parse(g.until)))
  if (active.length || !grants.length) return active
  const distance = (g) => (Date.parse(g.from) > at ? Date.parse(g.from) - at : g.until ? at - Date.parse(g.until) : 0)
  return [grants.reduce((best, g) => (distance(g) < distance(best) ? g : best))]
}

const cedarCall = (q) => {
  const d = depts.get(q.department)
  const r = ress.get(q.resource)
  const entities = [deptEntity(d), resEntity(r)]
  if (r.provider !== q.department) entities.push(deptEntity(depts.get(r.provider)))
  const serial = (q.certificate ?? '').trim() ? q.certificate : ''
  const cert = (d.certificates ?? []).find((c) => c.serial === serial)
  if (cert) {
    entities.push({
      uid: certUid(d.id, serial),
      attrs: { serial, not_before: nanos(cert.not_before), not_after: nanos(cert.not_after), revoked: cert.revoked ?? false },
      parents: [],
    })
  }
  const grants = candidates(q)
  entities.push(...grants.map(grantEntity))
  const fields = q.fields?.length ? q.fields : (r.fields ?? [])
  return {
    principal: uid('Department', q.department),
    action: { type: 'Gov::Action', id: 'access' },
    resource: uid('Resource', q.resource),
    context: {
      method: q.method,
      purpose: q.purpose,
      fields,
      closed_fields: fields.filter((f) => !(r.open_fields ?? []).includes(f)),
      network: q.network,
      certificate_serial: serial,
      certificate: { __entity: certUid(d.id, serial) },
      at: nanos(q.at),
      ...(grants.length ? { grant: { __entity: uid('Grant', grants[0].id) } } : {}),
    },
    policies: { staticPolicies: policyText },
    entities,
  }
}

const pset = cedar.preparsePolicySet('binzhou', { staticPolicies: policyText })
if (pset.type !== 'success') throw new Error(`preparse failed: ${JSON.stringify(pset)}`)
const schemaOk = cedar.preparseSchema('binzhou', schemaText)
if (schemaOk.type !== 'success') throw new Error(`schema preparse failed: ${JSON.stringify(schemaOk)}`)
const stateful = ({ policies: _, ...c }) => ({ ...c, preparsedPolicySetId: 'binzhou' })

// Every Cedar call succeeds without errors and says what govshare says.
const check = (qs) => {
  const calls = qs.map(cedarCall)
  const ours = evaluated.decideMany(qs)
  let allows = 0
  calls.forEach((call, i) => {
    for (const a of [cedar.isAuthorized(call), cedar.statefulIsAuthorized(stateful(call))]) {
      if (a.type !== 'success' || a.response.diagnostics.errors.length) {
        throw new Error(`cedar-wasm failed on request ${i}: ${JSON.stringify(a).slice(0, 400)}`)
      }
      if ((a.response.decision === 'allow') !== (ours[i].decision === 'permit')) {
        throw new Error(`cedar-wasm and govshare disagree on ${JSON.stringify(qs[i])}`)
      }
    }
    if (ours[i].decision === 'permit') allows++
  })
  return { calls, statefulCalls: calls.map(stateful), allows }
}

// Repeated: each sample request on its own, the same request every call.
const repeatedRows = []
for (const [name, q] of sampleCases) {
  const { calls, statefulCalls } = check([q])
  const d = engine.decide(q)
  const [rep, ev, wasm, wasmStateful] = suite([
    { name: `${name}: govshare Engine.decide, repeated (decision cache)`, fn: () => engine.decide(q) },
    { name: `${name}: govshare Engine.decide, evaluated (decision cache off)`, fn: () => evaluated.decide(q) },
    { name: `${name}: cedar-wasm isAuthorized`, fn: () => cedar.isAuthorized(calls[0]) },
    { name: `${name}: cedar-wasm statefulIsAuthorized`, fn: () => cedar.statefulIsAuthorized(statefulCalls[0]) },
  ])
  repeatedRows.push({ name, rep, ev, wasm, wasmStateful, answer: `${d.decision}/${d.route}` })
}

// Distinct: every request once per pass, cycling.
const N = requests.length
const { calls: cedarCalls, statefulCalls, allows } = check(requests)
const warm = engine.withCacheSettings({})
warm.decideMany(requests) // every decision cached: each later pass is all hits
evaluated.decideMany(requests) // every pair specialised
// Batches of exactly 100 requests, cycling through the set.
const batches = Array.from({ length: N }, (_, k) => Array.from({ length: 100 }, (_, j) => requests[(k + j) % N]))
const [dEval, dWarm, dBatch, dWasm, dWasmStateful] = suite([
  { name: 'distinct: govshare Engine.decide, evaluated (decision cache off)', fn: (i) => evaluated.decide(requests[i % N]) },
  { name: 'distinct: govshare Engine.decide, all cached (each pass after the first)', fn: (i) => warm.decide(requests[i % N]) },
  {
    name: 'distinct: govshare Engine.decideMany, evaluated (per request, batches of 100)',
    fn: (i) => {
      if (i % 100 === 0) evaluated.decideMany(batches[(i / 100) % N])
    },
  },
  { name: 'distinct: cedar-wasm isAuthorized (policy text + entities per call)', fn: (i) => cedar.isAuthorized(cedarCalls[i % N]) },
  { name: 'distinct: cedar-wasm statefulIsAuthorized (preparsed policies)', fn: (i) => cedar.statefulIsAuthorized(statefulCalls[i % N]) },
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

console.log(
  `node ${process.version}; CPU time per call, best of ${ROUNDS} interleaved rounds, ${BENCH_MS} ms per case; ` +
    `${N} distinct requests (${allows} permits; cedar-wasm agrees on every request)`,
)
console.table(rows)
const x = (a, b) => (a >= b ? `${(a / b).toFixed(1)}× faster` : `${(b / a).toFixed(1)}× slower`)
for (const r of repeatedRows) {
  console.log(
    `${r.name} (${r.answer}): repeated decide ${fmt(r.rep)} is ${x(r.wasm, r.rep)} than isAuthorized, ${x(r.wasmStateful, r.rep)} than statefulIsAuthorized; ` +
      `evaluated ${fmt(r.ev)} is ${x(r.wasm, r.ev)} / ${x(r.wasmStateful, r.ev)}`,
  )
}
console.log(`distinct: evaluated decide vs isAuthorized ${x(dWasm, dEval)}, vs statefulIsAuthorized ${x(dWasmStateful, dEval)}`)
console.log(`distinct: decideMany (per request) vs isAuthorized ${x(dWasm, dBatch)}, vs statefulIsAuthorized ${x(dWasmStateful, dBatch)}`)
console.log(`distinct, all cached: decide vs isAuthorized ${x(dWasm, dWarm)}, vs statefulIsAuthorized ${x(dWasmStateful, dWarm)}`)
console.log(`addWorkdays vs chinese-workday (isWorkday steps): ${x(workTheirs, workOurs)}`)
console.log(`isWorkday vs chinese-workday isWorkday:            ${x(isTheirs, isOurs)}`)
console.log(`workdaysBetween vs chinese-workday countWorkdays:  ${x(betweenTheirs, betweenOurs)}`)
if (nextNulls.length) console.log(`chinese-workday nextWorkday returned null for ${nextNulls.length} start days (${nextNulls.slice(0, 3).join(', ')} …)`)
console.log(`addWorkdays(·, 5) answers agree on ${agree}/${S} start days 2019–2024${differ.length ? `; differ: ${differ.slice(0, 5).join('; ')}` : ''}`)
