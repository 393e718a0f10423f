// Issue 18, finding 10 (part): one build at a time writes an output folder; a lock left by a killed
// build is taken over.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { temporaryFolder } from './helpers.js'
import { copyBook, runCliAsync, summary } from './security-support.js'

test('finding 10: a second build into the same --out is refused with the first one named, and a stale lock is taken over', async () => {
  const root = copyBook('sec-paths')
  const out = temporaryFolder('handbook-sec-lock-')
  mkdirSync(out, { recursive: true })
  const lock = path.join(out, '.handbook-lock')
  // A running build: this test's own process holds the lock.
  writeFileSync(lock, `${process.pid}\n`)
  const refused = await runCliAsync(['build', '--root', root, '--out', out, '--json'])
  assert.equal(refused.code, 2)
  assert.match(refused.stderr, new RegExp(`another build \\(process ${process.pid}\\) is writing there`))
  assert.ok(!existsSync(path.join(out, 'manifest.json')), 'nothing written')

  // A killed build: its process is gone.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  writeFileSync(lock, `${gone.stdout}\n`)
  const taken = await runCliAsync(['build', '--root', root, '--out', out, '--json'])
  assert.equal(taken.code, 0, taken.stderr)
  assert.deepEqual(summary(taken).editions.map((edition) => edition.status), ['written'])
  assert.ok(!existsSync(lock), 'the lock goes with the build')
})
