// One addon, 8 worker threads: every worker loads the addon, builds its engine over
// the sample registry and decides its share of 20,000 draws from a set of a few
// hundred distinct requests; every answer must equal the sequential one computed on
// the main thread. Mirrors core/tests/concurrency.rs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Engine } from '../index.js'

const WORKERS = 8
const DRAWS = 20_000
const DISTINCT = 300
const METHODS = ['system_integration', 'front_processor', 'online_query', 'batch_download']
const TIMES = [
  '2019-10-10T10:00:00+08:00',
  '2020-06-01T09:30:00+08:00',
  '2021-12-31T23:59:59+08:00',
  '2018-03-15T08:00:00Z',
  '2023-01-01T00:00:00+08:00', // outside the pack's validity: an error
]
const samplePath = fileURLToPath(new URL('../../policies/binzhou/sample/registry.json', import.meta.url))
const sampleText = readFileSync(samplePath, 'utf8')

/** A small deterministic generator (mulberry32), so failures are reproducible. */
function rng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, below: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] }
}

function distinctRequests(sample) {
  const r = rng(20171206)
  const seen = new Set()
  const out = []
  while (out.length < DISTINCT) {
    const dept = r.pick(sample.departments)
    const res = r.pick(sample.resources)
    const purpose = r.next() < 0.125 || dept.duties.length === 0 ? 'sightseeing' : r.pick(dept.duties)
    const certificate = r.next() < 0.1 ? 'BZ-FORGED' : (dept.certificates ?? [dept.certificate])[0].serial
    let network = res.network
    if (r.next() < 0.17) network = network === 'intranet' ? 'extranet' : 'intranet'
    const req = { department: dept.id, resource: res.id, method: r.pick(METHODS), purpose, network, certificate, at: r.pick(TIMES) }
    const pick = r.below(4)
    if (pick === 1 && res.open_fields?.length) req.fields = [...res.open_fields]
    else if (pick > 0) req.fields = res.fields.filter(() => r.next() < 0.5)
    const key = JSON.stringify(req)
    if (!seen.has(key)) {
      seen.add(key)
      out.push(req)
    }
  }
  return out
}

/** The answer as comparable text: the decision's JSON, or the error's code and message. */
function answer(engine, req) {
  try {
    return JSON.stringify(engine.decide(req))
  } catch (e) {
    return `error ${e.code}: ${e.message}`
  }
}

if (!isMainThread) {
  // A worker: its own engine from the same addon, deciding the draws it is given.
  const { requests, draws } = workerData
  const engine = new Engine(sampleText)
  parentPort.postMessage(draws.map((k) => answer(engine, requests[k])))
} else {
  test('8 worker threads answer like one thread', async () => {
    const requests = distinctRequests(JSON.parse(sampleText))
    const engine = new Engine(sampleText)
    const expected = requests.map((r) => answer(engine, r))

    const routes = new Set(expected.filter((a) => !a.startsWith('error')).map((a) => {
      const d = JSON.parse(a)
      return `${d.decision} ${d.route}`
    }))
    for (const route of ['permit direct', 'permit granted', 'deny apply', 'deny coordinate', 'deny none']) {
      assert.ok(routes.has(route), `no ${route} in ${[...routes]}`)
    }
    assert.ok(expected.some((a) => a.startsWith('error policy.not_in_force')), 'no error case')

    const r = rng(33)
    const draws = Array.from({ length: DRAWS }, () => r.below(requests.length))
    const shares = Array.from({ length: WORKERS }, (_, t) => draws.filter((_, i) => i % WORKERS === t))
    const results = await Promise.all(shares.map((share) => new Promise((resolve, reject) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { requests, draws: share } })
      w.once('message', resolve)
      w.once('error', reject)
      w.once('exit', (code) => { if (code !== 0) reject(new Error(`worker exited with ${code}`)) })
    })))

    let checked = 0
    results.forEach((answers, t) => {
      assert.equal(answers.length, shares[t].length)
      answers.forEach((a, j) => {
        const k = shares[t][j]
        assert.equal(a, expected[k], `worker ${t}, draw ${j}: request ${k} answered differently`)
        checked += 1
      })
    })
    assert.equal(checked, DRAWS)
  })
}
