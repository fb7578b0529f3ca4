// Reading JavaScript input (bindings-node/src/wire.rs, args.rs): each property read
// once, bounded depth, no silent nulls, integer arguments checked, and every throw
// an Error with a `code` (issue 16).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Auditor, Calendar, Engine, Ledger, audit, auditAsync } from '../index.js'
import { applyEvent, registry, registryText, rejectsCode, request, throwsCode } from './helpers.mjs'

const MAX_DEPTH = 32
const engine = new Engine(registry())
const cal = Calendar.china()

/** `depth` arrays (or objects) one inside the other around `leaf`. */
function nest(depth, kind = 'array', leaf = 'x') {
  let v = leaf
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { k: v }
  return v
}

/** A seeded generator (mulberry32), so that a failure can be replayed. */
function rng(seed) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// --- 2. time of check vs time of use -----------------------------------------

test('a getter is read once: shallow first, deep second cannot crash the process', () => {
  let reads = 0
  const req = request()
  Object.defineProperty(req, 'fields', {
    enumerable: true,
    get() {
      reads += 1
      return reads === 1 ? [] : nest(20000)
    },
  })
  assert.deepEqual(engine.decide(req), engine.decide(request({ fields: [] })))
  assert.equal(reads, 1)
})

test('a getter that answers deep first is limits.too_deep, read once', () => {
  let reads = 0
  const req = request()
  Object.defineProperty(req, 'fields', {
    enumerable: true,
    get() {
      reads += 1
      return reads === 1 ? nest(20000) : []
    },
  })
  throwsCode(() => engine.decide(req), 'limits.too_deep', /MAX_DEPTH/)
  assert.equal(reads, 1)
})

test('a Proxy is asked for its keys once and each property once', () => {
  const gets = new Map()
  let ownKeys = 0
  const target = request({ fields: [] })
  const proxy = new Proxy(target, {
    ownKeys(t) {
      ownKeys += 1
      return Reflect.ownKeys(t)
    },
    get(t, key, receiver) {
      gets.set(key, (gets.get(key) ?? 0) + 1)
      // Every read after the first of `fields` would be 20,000 levels deep.
      if (key === 'fields' && gets.get(key) > 1) return nest(20000)
      return Reflect.get(t, key, receiver)
    },
  })
  assert.deepEqual(engine.decide(proxy), engine.decide(request({ fields: [] })))
  assert.equal(ownKeys, 1)
  for (const key of Object.keys(target)) assert.equal(gets.get(key), 1, String(key))
})

test('a Proxy that is deeper every time it is read stops at MAX_DEPTH', () => {
  let made = 0
  const bottomless = () => {
    made += 1
    return new Proxy({}, {
      ownKeys: () => ['down'],
      getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true, value: undefined }),
      get: () => bottomless(),
    })
  }
  throwsCode(() => engine.decide(request({ fields: bottomless() })), 'limits.too_deep')
  assert.ok(made <= MAX_DEPTH + 1, `walked ${made} levels`)
})

test('an exception thrown by a getter or a Proxy trap is coded, with the exception as cause', () => {
  const boom = new Error('boom')
  const req = request()
  Object.defineProperty(req, 'purpose', { enumerable: true, get() { throw boom } })
  assert.throws(() => engine.decide(req), (e) => {
    assert.equal(e.code, 'policy.invalid_request')
    assert.match(e.message, /`purpose`/)
    assert.match(e.message, /boom/)
    assert.equal(e.cause, boom)
    return true
  })
  const trap = new Proxy({}, { ownKeys() { throw boom } })
  assert.throws(() => new Ledger(engine).apply(trap), (e) => {
    assert.equal(e.code, 'workflow.invalid_event')
    assert.equal(e.cause, boom)
    return true
  })
  // A non-Error thrown value is kept as the cause too.
  const odd = {}
  Object.defineProperty(odd, 'departments', { enumerable: true, get() { throw 42 } })
  assert.throws(() => new Engine(odd), (e) => {
    assert.equal(e.code, 'registry.invalid_json')
    assert.equal(e.cause, 42)
    return true
  })
  // And the addon keeps working afterwards.
  assert.equal(engine.decide(request()).decision, 'permit')
})

test('a getter on the options object that throws is input.invalid_argument', () => {
  const options = {}
  Object.defineProperty(options, 'evaluateOutOfForce', { enumerable: true, get() { throw new Error('no') } })
  throwsCode(() => engine.decide(request(), options), 'input.invalid_argument', /options/)
})

// --- depth everywhere ----------------------------------------------------------

test('20,000 levels of arrays or objects are limits.too_deep on every entry point', async () => {
  for (const kind of ['array', 'object']) {
    const deep = nest(20000, kind)
    throwsCode(() => engine.decide(request({ fields: deep })), 'limits.too_deep', /MAX_DEPTH/)
    throwsCode(() => engine.decideMany([request(), request({ fields: deep })]), 'limits.too_deep', /request 1/)
    throwsCode(() => new Ledger(engine).apply(applyEvent({ fields: deep })), 'limits.too_deep')
    throwsCode(() => new Auditor(engine, '2019-10-01').push(applyEvent({ fields: deep })), 'limits.too_deep')
    throwsCode(() => audit(engine, [applyEvent({ fields: deep })], '2019-10-01'), 'limits.too_deep')
    throwsCode(() => new Engine({ departments: deep }), 'limits.too_deep')
    throwsCode(() => Engine.loadAsync({ departments: deep }), 'limits.too_deep')
    throwsCode(() => audit({ departments: deep }, [], '2019-10-01'), 'limits.too_deep')
    throwsCode(() => auditAsync(engine, [applyEvent({ fields: deep })], '2019-10-01'), 'limits.too_deep')
  }
})

test('the depth limit is exactly the core’s (objects and JSON text agree)', () => {
  for (const kind of ['array', 'object']) {
    for (let n = MAX_DEPTH - 3; n <= MAX_DEPTH + 3; n++) {
      const doc = { departments: nest(n, kind) }
      const want = n + 1 > MAX_DEPTH ? 'limits.too_deep' : 'registry.invalid_json'
      throwsCode(() => new Engine(doc), want)
      throwsCode(() => new Engine(JSON.stringify(doc)), want)
    }
  }
})

test('property: random mixed nestings are too deep exactly past MAX_DEPTH', () => {
  const random = rng(16)
  for (let i = 0; i < 300; i++) {
    const depth = 1 + Math.floor(random() * 120)
    // A number at the bottom: never a valid `fields`, whatever the depth.
    let v = 1
    for (let d = 0; d < depth; d++) v = random() < 0.5 ? [v] : { k: v }
    // The request object is level 1, `fields` holds level 2 onwards.
    const want = depth + 1 > MAX_DEPTH ? 'limits.too_deep' : 'policy.invalid_request'
    throwsCode(() => engine.decide(request({ fields: v })), want, undefined)
  }
})

// --- 3. numbers: no silent null ------------------------------------------------

test('NaN and ±Infinity are input.invalid_number naming the path', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    const doc = registry()
    doc.grants[0].until = bad
    throwsCode(() => new Engine(doc), 'input.invalid_number', /`grants\[0\]\.until`/)
    const doc2 = registry()
    doc2.resources[0].update_workdays = bad
    throwsCode(() => new Engine(doc2), 'input.invalid_number', /`resources\[0\]\.update_workdays`/)
    throwsCode(() => engine.decide(request({ at: bad })), 'input.invalid_number', /`at`/)
    throwsCode(() => new Ledger(engine).apply(applyEvent({ fields: ['a', bad] })), 'input.invalid_number', /`fields\[1\]`/)
  }
  // A BigInt past 64 bits too; ordinary numbers still read.
  const doc = registry()
  doc.resources[0].update_workdays = 2n ** 70n
  throwsCode(() => new Engine(doc), 'input.invalid_number')
  doc.resources[0].update_workdays = 5n
  assert.equal(new Engine(doc).registry().resources[0].update_workdays, 5)
  doc.resources[0].update_workdays = 5.5
  throwsCode(() => new Engine(doc), 'registry.invalid_json')
})

test('property: a non-finite number anywhere is refused with its path', () => {
  const random = rng(3)
  for (let i = 0; i < 200; i++) {
    const bad = [NaN, Infinity, -Infinity][Math.floor(random() * 3)]
    const req = request()
    let where
    switch (Math.floor(random() * 3)) {
      case 0: {
        const k = Math.floor(random() * 4)
        req.fields = [...Array(k).fill('name'), bad]
        where = `fields[${k}]`
        break
      }
      case 1:
        req.extra = { deep: [1, { x: bad }] }
        where = 'extra.deep[1].x'
        break
      default:
        req.purpose = bad
        where = 'purpose'
    }
    assert.throws(() => engine.decide(req), (e) => {
      assert.equal(e.code, 'input.invalid_number')
      assert.ok(e.message.includes(`\`${where}\``), e.message)
      return true
    })
  }
})

test('a Date anywhere in a wire object is its RFC 3339 instant', () => {
  const doc = registry()
  doc.grants[0].until = new Date('2019-12-31T16:00:00Z')
  assert.deepEqual(new Engine(doc).registry(), new Engine(registry()).registry())
  doc.grants[0].until = new Date(NaN)
  throwsCode(() => new Engine(doc), 'input.invalid_date')
})

test('values with no JSON form are named', () => {
  for (const [value, named] of [[() => 1, /function/], [Symbol('s'), /symbol/], [new Uint8Array(2), /typed array/]]) {
    throwsCode(() => engine.decide(request({ fields: ['name', value] })), 'policy.invalid_request', named)
  }
})

// --- 4. integer arguments ------------------------------------------------------

test('Calendar.month checks its integers instead of wrapping or truncating', () => {
  throwsCode(() => cal.month(2 ** 32 + 2020, 1), 'input.invalid_argument', /`year`/)
  throwsCode(() => cal.month(2019.5, 10), 'input.invalid_argument', /`year`/)
  throwsCode(() => cal.month(NaN, 10), 'input.invalid_argument', /`year`/)
  throwsCode(() => cal.month(-Infinity, 10), 'input.invalid_argument', /`year`/)
  throwsCode(() => cal.month(2019, 10.5), 'input.invalid_argument', /`month`/)
  throwsCode(() => cal.month(2019, 2 ** 32 + 10), 'input.invalid_argument', /`month`/)
  throwsCode(() => cal.month(2019, -1), 'input.invalid_argument', /`month`/)
  throwsCode(() => cal.month(2019, 13), 'calendar.bad_month')
  throwsCode(() => cal.month(2 ** 31 - 1, 1), 'calendar.bad_month') // past chrono's dates
  throwsCode(() => cal.month(1999, 1), 'calendar.not_covered')
  assert.equal(cal.month(2019, 10).month, 10)
})

test('working-day counts are whole numbers from 0 to 2^32 − 1', () => {
  for (const fn of [(n) => cal.addWorkdays('2019-09-27', n), (n) => cal.dueDate('2019-09-27', n), (n) => cal.deadline('2019-09-27', n)]) {
    for (const bad of [-1, 0.5, 2 ** 32, NaN, Infinity, -0.5]) throwsCode(() => fn(bad), 'input.invalid_argument', /`n`/)
    fn(5)
  }
})

test('property: an integer argument is refused unless whole and in range', () => {
  const random = rng(7)
  const pool = [0, 1, -1, 0.5, 2019, 2020, 2 ** 31, -(2 ** 31), 2 ** 31 - 1, 2 ** 32 + 2020, 2 ** 53, 1e300, NaN, Infinity, -Infinity, -0]
  for (let i = 0; i < 300; i++) {
    const year = pool[Math.floor(random() * pool.length)] + (random() < 0.2 ? random() : 0)
    const ok = Number.isInteger(year) && year >= -(2 ** 31) && year <= 2 ** 31 - 1
    try {
      const m = cal.month(year, 1)
      assert.ok(ok, `month(${year}, 1) answered`)
      assert.equal(m.year, year)
    } catch (e) {
      const want = ok ? ['calendar.not_covered', 'calendar.bad_month'] : ['input.invalid_argument']
      assert.ok(want.includes(e.code), `${year}: ${e.code}: ${e.message}`)
    }
  }
})

// --- 5. every throw has a code -------------------------------------------------

function garbage(random, depth = 0) {
  const leaves = [
    null, undefined, true, 0, -1, 1.5, NaN, Infinity, 2 ** 64, 1n, 2n ** 80n, '', 'x', '2019-10-01',
    '2019-03-01T10:00:00+08:00', new Date(NaN), new Date('2019-10-01'), Symbol('s'), () => 1,
    new Uint8Array(1), new Map([[1, 2]]), new Proxy({}, { ownKeys() { throw new Error('trap') } }),
    Object.defineProperty({}, 'x', { enumerable: true, get() { throw new Error('getter') } }),
    engine, cal,
  ]
  if (depth > 4 || random() < 0.4) return leaves[Math.floor(random() * leaves.length)]
  const items = Array.from({ length: Math.floor(random() * 4) }, () => garbage(random, depth + 1))
  if (random() < 0.5) return items
  const keys = ['department', 'resource', 'at', 'fields', 'kind', 'id', 'departments', 'x']
  return Object.fromEntries(items.map((v) => [keys[Math.floor(random() * keys.length)], v]))
}

test('fuzz: garbage into every entry point returns or throws an Error with a code', async () => {
  const random = rng(1616)
  const entryPoints = [
    (v) => engine.decide(v),
    (v) => engine.decide(request(), v),
    (v) => engine.decide(request({ fields: v })),
    (v) => engine.decideMany(v),
    (v) => engine.decideMany([v]),
    (v) => engine.decideManyAsync([v]),
    (v) => engine.mayRequireSubmission(v, v, v),
    (v) => engine.mayPublishOpenData('city.civil-affairs', 'population.basic', v, v),
    (v) => new Engine(v),
    (v) => new Engine(registryText, v),
    (v) => Engine.fromFile(v),
    (v) => Engine.loadAsync(v),
    (v) => new Ledger(v),
    (v) => new Ledger(engine, v),
    (v) => new Ledger(engine).apply(v),
    (v) => new Ledger(engine).applyAll(v),
    (v) => new Ledger(engine).state(v),
    (v) => new Ledger(engine).mustServe(v, v, v),
    (v) => audit(v, [], '2019-10-01'),
    (v) => audit(engine, v, v),
    (v) => auditAsync(engine, [v], '2019-10-01'),
    (v) => new Auditor(v, v),
    (v) => new Auditor(engine, '2019-10-01').push(v),
    (v) => cal.month(v, v),
    (v) => cal.addWorkdays(v, v),
    (v) => cal.dueDate('2019-09-27', v),
    (v) => cal.deadline(v, 1),
    (v) => cal.workdaysBetween(v, v),
    (v) => cal.isWorkday(v),
    (v) => cal.day(v),
    (v) => cal.nextWorkday(v),
    (v) => cal.withRule(v),
    (v) => cal.withOverridesToml(v),
    (v) => cal.withOverridesJson(v),
    (v) => cal.withOverridesFile(v),
  ]
  const checkError = (e, label) => {
    assert.ok(e instanceof Error, `${label}: not an Error: ${String(e)}`)
    assert.equal(typeof e.code, 'string', `${label}: no code: ${e.message}`)
    assert.match(e.code, /^[a-z]+\.[a-z_]+$/, `${label}: ${e.code}`)
  }
  for (let i = 0; i < 2000; i++) {
    const v = garbage(random)
    const which = Math.floor(random() * entryPoints.length)
    let result
    try {
      result = entryPoints[which](v)
    } catch (e) {
      checkError(e, `entry point ${which}`)
      continue
    }
    if (result instanceof Promise) {
      try {
        await result
      } catch (e) {
        checkError(e, `entry point ${which} (async)`)
      }
    }
  }
  assert.equal(engine.decide(request()).decision, 'permit')
})

test('an async load of a bad registry rejects with a code', async () => {
  await rejectsCode(Engine.loadAsync('{"departments": 5}'), 'registry.invalid_json')
})

test('strings of every length around the one-call reading buffer are read whole (ASCII, Chinese, astral, lone surrogates)', () => {
  // wire.rs reads a string of fewer than 123 UTF-8 bytes in one call and a
  // longer one in two: a purpose cut short would no longer be the duty.
  const purposes = []
  for (let n = 110; n <= 135; n++) {
    purposes.push('p'.repeat(n), `${'p'.repeat(n - 2)}社會救助`.slice(0, n), `${'x'.repeat(n - 4)}😀`, `${'救'.repeat(Math.floor(n / 3))}`)
  }
  const doc = registry()
  const dept = doc.departments.find((d) => d.id === 'city.civil-affairs')
  dept.duties.push(...purposes)
  const e = new Engine(doc)
  for (const purpose of purposes) {
    const d = e.decide(request({ purpose }))
    assert.equal(d.decision, 'permit', `${purpose.length} chars`)
    // One character less is not a duty.
    const shorter = [...purpose].slice(0, -1).join('')
    if (!purposes.includes(shorter)) {
      assert.equal(e.decide(request({ purpose: shorter })).decision, 'deny', `${shorter.length} chars`)
    }
  }
  // A lone surrogate reads as U+FFFD, as napi's own string reading gives it.
  dept.duties.push('a\uFFFDb')
  assert.equal(new Engine(doc).decide(request({ purpose: 'a\uD800b' })).decision, 'permit')
})

test('a request is read from its own properties, as Object.keys lists them', () => {
  const { purpose, ...rest } = request()
  const inherited = Object.assign(Object.create({ purpose }), rest)
  throwsCode(() => engine.decide(inherited), 'policy.invalid_request', /purpose/)
  const own = Object.assign(Object.create({ unknown_field: 1 }), request())
  assert.deepEqual(engine.decide(own), engine.decide(request()))
})
