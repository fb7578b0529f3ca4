// Mirrors core/src/registry: loading and checking a registry (SPEC §6, §8).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Engine, Registry, audit, usageReport } from '../index.js'
import { fixturePath, registry, registryText, request, throwsCode, rejectsCode } from './helpers.mjs'

test('a registry loads from an object, JSON text, a file, sync and async', async () => {
  const expected = new Engine(registry()).decide(request())
  assert.deepEqual(new Engine(registryText).decide(request()), expected)
  assert.deepEqual(Engine.fromFile(fixturePath).decide(request()), expected)
  const loaded = await Engine.loadAsync(registry())
  assert.ok(loaded instanceof Engine)
  assert.deepEqual(loaded.decide(request()), expected)
  assert.deepEqual((await Engine.loadAsync(registryText)).decide(request()), expected)
  assert.deepEqual((await Engine.fromFileAsync(fixturePath)).decide(request()), expected)
})

test('lists default to empty; grants may be absent', () => {
  const doc = registry()
  delete doc.grants
  const e = new Engine(doc)
  assert.equal(e.decide(request()).decision, 'permit')
  new Engine({})
})

test('malformed JSON and unknown fields are registry.invalid_json naming the field', () => {
  throwsCode(() => new Engine('{"departments": ['), 'registry.invalid_json')
  const doc = registry()
  doc.departments[0].colour = 'red'
  throwsCode(() => new Engine(doc), 'registry.invalid_json', /colour/)
  throwsCode(() => new Engine(JSON.stringify(doc)), 'registry.invalid_json', /colour/)
})

test('duplicate ids, dangling references and bad ids name the id', async () => {
  const dup = registry()
  dup.departments.push({ ...dup.departments[0] })
  throwsCode(() => new Engine(dup), 'registry.duplicate_id', /city\.big-data/)
  const dangling = registry()
  dangling.grants[0].resource = 'no.such-resource'
  throwsCode(() => new Engine(dangling), 'registry.dangling_reference', /no\.such-resource/)
  const badId = registry()
  badId.resources[0].id = 'Population Basic'
  throwsCode(() => new Engine(badId), 'registry.invalid_id', /Population Basic/)
  await rejectsCode(Engine.loadAsync(dup), 'registry.duplicate_id', /city\.big-data/)
})

test('a missing file is registry.io naming the path', async () => {
  throwsCode(() => Engine.fromFile('/nonexistent/registry.json'), 'registry.io', /nonexistent/)
  await rejectsCode(Engine.fromFileAsync('/nonexistent/registry.json'), 'registry.io', /nonexistent/)
})

test('a registry of the wrong type is input.invalid_argument', () => {
  throwsCode(() => new Engine(42), 'input.invalid_argument')
})

test('validate(): SPEC §6 findings with their article and id', () => {
  const doc = registry()
  doc.resources[0].sharing = 'conditional' // a basic-database entry must be unconditional (Art. 10)
  delete doc.resources[2].legal_basis // not shared needs a legal basis (Art. 5)
  doc.resources[1].open_data = true // open data with personal info (Art. 22)
  delete doc.departments[2].certificate // every department has a certificate (Art. 26)
  doc.resources.push({
    id: 'secret.plans', name: '保密規劃', provider: 'city.public-security', sharing: 'conditional',
    database: 'business', network: 'extranet', fields: ['plan'], sensitivity: ['state_secret'],
    interface: { endpoint: 'https://intranet.example/plans', spec: 'spec/plans.md' }, update_workdays: 5,
  })
  const findings = new Engine(doc).validate()
  const has = (code, article, id) =>
    assert.ok(
      findings.some((f) => f.code === code && f.article === article && f.id === id),
      `${code} ${article} ${id} in ${JSON.stringify(findings.map((f) => [f.code, f.article, f.id]))}`,
    )
  has('basic_not_unconditional', '10', 'population.basic')
  has('legal_basis_missing', '5', 'security.case-files')
  has('open_data_sensitive', '22', 'civil.low-income')
  has('certificate_missing', '26', 'city.public-security')
  has('state_secret_not_intranet', '8', 'secret.plans')
  has('certificate_revoked', '26', 'city.housing')
  for (const f of findings) {
    assert.ok(['error', 'warning'].includes(f.severity))
    assert.ok(f.zh && f.en && f.kind)
  }
  const clean = new Engine(registry()).validate().filter((f) => f.severity === 'error')
  assert.ok(clean.length < findings.filter((f) => f.severity === 'error').length)
})

// Issue 15: one loader (Rust `Registry::load`) behind three explicit constructors.
test('Registry.fromJson, fromFile and fromObject load the same registry, usable everywhere', async () => {
  const fromJson = Registry.fromJson(registryText)
  const fromFile = Registry.fromFile(fixturePath)
  const fromObject = Registry.fromObject(registry())
  for (const r of [fromJson, fromFile, fromObject]) assert.ok(r instanceof Registry)
  assert.deepEqual(fromJson.toObject(), fromFile.toObject())
  assert.deepEqual(fromJson.toObject(), fromObject.toObject())
  const expected = new Engine(registry()).decide(request())
  assert.deepEqual(new Engine(fromFile).decide(request()), expected)
  assert.deepEqual((await Engine.loadAsync(fromObject)).decide(request()), expected)
  assert.deepEqual(audit(fromJson, [], new Date('2019-11-01T00:00:00+08:00')), [])
  const provider = registry().resources[0].provider
  assert.equal(usageReport(fromJson, [], provider).total, 0)
})

test('Registry constructors: a missing file, bad JSON, a wrong field name the path or the field', () => {
  throwsCode(() => Registry.fromFile('/nonexistent/registry.json'), 'registry.io', /`\/nonexistent\/registry\.json`/)
  throwsCode(() => Registry.fromJson('{"departments": ['), 'registry.invalid_json')
  const doc = registry()
  doc.departments[0].colour = 'red'
  throwsCode(() => Registry.fromObject(doc), 'registry.invalid_json', /`departments\[0\]\.colour`/)
  throwsCode(() => Registry.fromJson(JSON.stringify(doc)), 'registry.invalid_json', /`departments\[0\]\.colour`/)
  doc.departments[0].colour = undefined
  doc.departments[0].level = 7
  throwsCode(() => Registry.fromObject(doc), 'registry.invalid_json', /`departments\[0\]\.level`/)
  // The source is said, never guessed: text is not an object, an object is not text.
  throwsCode(() => Registry.fromObject(registryText), 'input.invalid_argument', /`registry`/)
  throwsCode(() => Registry.fromObject([]), 'input.invalid_argument', /`registry`/)
  throwsCode(() => Registry.fromJson(registry()), 'input.invalid_argument', /`text`/)
  throwsCode(() => Registry.fromFile(42), 'input.invalid_argument', /`path`/)
  let deep = []
  for (let i = 0; i < 40; i++) deep = [deep]
  throwsCode(() => Registry.fromObject({ departments: deep }), 'limits.too_deep')
})

test('new Registry() makes no registry and says which three do, with a code', () => {
  throwsCode(() => new Registry(), 'input.invalid_argument', /Registry\.fromJson.*fromFile.*fromObject/)
})
