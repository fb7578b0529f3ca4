// The README's Node quick start is examples/quickstart.mjs: run it and check
// every `console.log(...) // expected` line, and keep README.md's copy in sync.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const example = fileURLToPath(new URL('../examples/quickstart.mjs', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const source = readFileSync(example, 'utf8')

test('the quick start runs and prints what its comments say', () => {
  const expected = source
    .split('\n')
    .filter((l) => /^\s*console\.log\(.*\) \/\/ /.test(l))
    .map((l) => l.slice(l.lastIndexOf(' // ') + 4).trim())
  assert.ok(expected.length >= 5, 'the example checks its answers')
  const out = execFileSync(process.execPath, [example], { cwd: repoRoot, encoding: 'utf8' })
  assert.deepEqual(out.trim().split('\n'), expected)
})

test('README.md shows the quick start as it is tested', (t) => {
  const readme = `${repoRoot}README.md`
  const text = existsSync(readme) ? readFileSync(readme, 'utf8') : ''
  const marker = '<!-- node-quickstart: bindings-node/examples/quickstart.mjs -->'
  const at = text.indexOf(marker)
  if (at < 0) {
    t.skip('README.md has no Node quick start yet')
    return
  }
  const block = /```(?:js|javascript|mjs)\n([\s\S]*?)```/.exec(text.slice(at))
  assert.ok(block, 'a ```js block follows the marker')
  assert.equal(block[1].trim(), source.trim())
})
