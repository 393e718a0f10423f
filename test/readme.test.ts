// The README's config reference is the one the schema generates, and its quick start is what CI runs.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { withReference } from '../src/config/reference.js'
import { repoRoot } from './helpers.js'

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8')

test('the config reference in README.md matches the schema (run `npm run docs` after changing it)', () => {
  assert.equal(withReference(readme), readme)
})

test('the quick start is two commands and .ci/run runs the same test command', () => {
  const quickStart = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)
  assert.ok(quickStart, 'README has a Quick start with a sh block')
  const commands = quickStart[1]!.split('\n').map((line) => line.replace(/#.*$/, '').trim()).filter(Boolean)
  assert.equal(commands.length, 2)
  const ci = readFileSync(path.join(repoRoot, '.ci', 'run'), 'utf8')
  assert.ok(ci.includes(commands[1]!), `.ci/run runs \`${commands[1]}\``)
})
