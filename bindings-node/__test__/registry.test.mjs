// Mirrors core/src/registry: loading and checking a registry (SPEC §6, §8).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Engine } from '../index.js'
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
