// Shared fixtures for the node --test suites (not a test file itself).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'

export const fixturePath = fileURLToPath(new URL('./fixtures/registry.json', import.meta.url))
export const registryText = readFileSync(fixturePath, 'utf8')
/** A fresh copy of the fixture registry each call (tests may mutate it). */
export const registry = () => JSON.parse(registryText)

/** The date part of a returned calendar date (a Date at 00:00 UTC). */
export const ymd = (d) => {
  assert.ok(d instanceof Date, `expected a Date, got ${d}`)
  return d.toISOString().slice(0, 10)
}

/** Asserts that `fn` throws (or rejects with) an Error whose code is `code`. */
export function throwsCode(fn, code, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `expected an Error, got ${e}`)
    assert.equal(e.code, code, `code of: ${e.message}`)
    if (message) assert.match(e.message, message)
    return true
  })
}

export async function rejectsCode(promise, code, message) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Error, `expected an Error, got ${e}`)
    assert.equal(e.code, code, `code of: ${e.message}`)
    if (message) assert.match(e.message, message)
    return true
  })
}

/** A request from city.civil-affairs with its valid certificate, at a moment in force. */
export const request = (over = {}) => ({
  department: 'city.civil-affairs',
  resource: 'population.basic',
  method: 'online_query',
  purpose: 'social-assistance',
  network: 'extranet',
  certificate: 'BZ-0007',
  at: '2019-03-01T10:00:00+08:00',
  ...over,
})

export const samplePath = fileURLToPath(new URL('../../policies/binzhou/sample/registry.json', import.meta.url))

/** civil-affairs applies to human-resources for a non-open field (Friday 2019-09-27). */
export const applyEvent = (over = {}) => ({
  id: 'e1',
  kind: 'apply',
  at: '2019-09-27T10:00:00+08:00',
  application: 'a-1',
  department: 'city.civil-affairs',
  resource: 'hr.social-insurance',
  purpose: 'elderly-care',
  fields: ['contribution_base'],
  ...over,
})
