// Issue 18, finding 10: one build at a time writes an output folder (a lock left by a killed build is
// taken over), and manifest.json and SHA256SUMS describe exactly the files there after a failed locale.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { temporaryFolder } from './helpers.js'
import { copyBook, manifestMismatch, runCliAsync, summary } from './security-support.js'

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

/** The manifest's entries by path. */
function entries(out: string): Map<string, { locale: string | null; sha256: string }> {
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { artifacts: { path: string; locale: string | null; sha256: string }[] }
  return new Map(manifest.artifacts.map((artifact) => [artifact.path, artifact]))
}

test('finding 10: when one locale fails, manifest.json and SHA256SUMS list exactly the files in --out, the failed locale\'s only while unchanged', async () => {
  const root = copyBook('two-locales')
  const out = path.join(temporaryFolder('handbook-sec-manifest-'), 'out')
  const build = (epoch: string) => runCliAsync(['build', '--root', root, '--out', out, '--format', 'html,epub', '--no-cache', '--json'], { SOURCE_DATE_EPOCH: epoch })
  const first = await build('1406764800')
  assert.equal(first.code, 0, first.stderr)
  assert.deepEqual(manifestMismatch(out), [])
  const before = entries(out)

  // The Latvian chapter gets an error that stops its editions; a new build date changes every English file.
  const chapter = path.join(root, 'lv', 'first.md')
  writeFileSync(chapter, readFileSync(chapter, 'utf8').replace(/^title: .*$/m, 'title: [unclosed'))
  const failed = await build('1500000000')
  assert.equal(failed.code, 1, failed.stderr)
  const statuses = Object.fromEntries(summary(failed).editions.map((edition) => [`${edition.format}/${edition.locale}`, edition.status]))
  assert.deepEqual(statuses, { 'epub/en': 'written', 'epub/lv': 'failed', 'html/en': 'written', 'html/lv': 'failed' })
  assert.deepEqual(manifestMismatch(out), [])
  const after = entries(out)
  const english = [...after].filter(([, entry]) => entry.locale === 'en')
  assert.ok(english.length > 0)
  assert.ok(english.some(([file, entry]) => before.get(file)?.sha256 !== entry.sha256), 'the rewritten English editions have new checksums')
  const latvian = [...before].filter(([, entry]) => entry.locale === 'lv')
  assert.ok(latvian.length > 0)
  for (const [file, entry] of latvian) assert.equal(after.get(file)?.sha256, entry.sha256, `${file} keeps its entry`)

  // A file of the failed edition changed on disk since: its entry goes, the rest still match.
  const epub = latvian.map(([file]) => file).find((file) => file.endsWith('.epub'))!
  writeFileSync(path.join(out, epub), 'not the EPUB that was built')
  const again = await build('1500000000')
  assert.equal(again.code, 1)
  assert.ok(!entries(out).has(epub), 'a changed file is not listed with its old checksum')
  rmSync(path.join(out, epub))
  assert.deepEqual(manifestMismatch(out), [])
})

test('finding 10: three builds started together into one --out: a build that finds another one writing is refused, and the manifest matches the folder', async () => {
  const root = copyBook('two-locales')
  const out = path.join(temporaryFolder('handbook-sec-race-'), 'out')
  const run = (epoch: string, locale: string) => runCliAsync(['build', '--root', root, '--out', out, '--format', 'html,epub', '--locale', locale, '--json'], { SOURCE_DATE_EPOCH: epoch })
  const results = await Promise.all([run('1406764800', 'en'), run('1500000000', 'lv'), run('1600000000', 'en')])
  for (const result of results) {
    assert.ok(result.code === 0 || (result.code === 2 && /another build \(process \d+\) is writing there/.test(result.stderr)), `${result.code}: ${result.stderr}`)
  }
  assert.ok(results.some((result) => result.code === 0))
  assert.deepEqual(manifestMismatch(out), [])
})
