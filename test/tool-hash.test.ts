// The tool's own hash (part of every cache key) is kept with the files' sizes and times, and
// computed again as soon as any file it covers changes.
import assert from 'node:assert/strict'
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { hashFiles } from '../src/output/cache.js'
import { temporaryFolder } from './helpers.js'

test('the hash of the tool is taken from its memo while the files are unchanged, and computed again when one is edited, touched, added or removed', async () => {
  const root = temporaryFolder('handbook-tool-hash-')
  const memo = path.join(root, 'memo.json')
  const [a, b, c] = ['a.js', 'b.js', 'c.js'].map((name) => path.join(root, name))
  writeFileSync(a!, 'export const a = 1\n')
  writeFileSync(b!, 'export const b = 2\n')
  const files = [a!, b!, c!]

  const first = await hashFiles(root, files, memo)
  assert.match(first, /^[0-9a-f]{64}$/)
  const kept = JSON.parse(readFileSync(memo, 'utf8')) as { signature: string; hash: string }
  assert.equal(kept.hash, first)
  // While nothing changed, the memo's hash is the answer: a planted one comes back unread from the files.
  writeFileSync(memo, JSON.stringify({ ...kept, hash: 'planted' }))
  assert.equal(await hashFiles(root, files, memo), 'planted')

  // The same size, another content and time (set apart: some file systems keep seconds only): computed again, and different.
  writeFileSync(a!, 'export const a = 3\n')
  utimesSync(a!, new Date(2_000_000_000_000), new Date(2_000_000_000_000))
  const edited = await hashFiles(root, files, memo)
  assert.notEqual(edited, first)
  assert.notEqual(edited, 'planted')

  // Touched only: computed again (same content, so the same hash), and the memo follows.
  writeFileSync(memo, JSON.stringify({ ...(JSON.parse(readFileSync(memo, 'utf8')) as object), hash: 'planted' }))
  utimesSync(b!, new Date(1_000_000_000_000), new Date(1_000_000_000_000))
  assert.equal(await hashFiles(root, files, memo), edited)

  // A file that appears, then goes again.
  writeFileSync(c!, 'export const c = 4\n')
  const added = await hashFiles(root, files, memo)
  assert.notEqual(added, edited)
  rmSync(c!)
  assert.equal(await hashFiles(root, files, memo), edited)

  // A memo that is not JSON is no answer.
  writeFileSync(memo, '{')
  assert.equal(await hashFiles(root, files, memo), edited)
})
