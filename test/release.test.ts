// Release builds: byte-identical outputs from identical inputs, the cache, manifests, interruption.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { bundledEditionsBuild, bundledHandbook, fixtures, repoRoot, runCli, sharedEpoch, temporaryFolder } from './helpers.js'

const epoch = { SOURCE_DATE_EPOCH: '1406764800' }

interface Summary {
  exitCode: number
  editions: { locale: string; format: string; status: string; seconds: number }[]
  artifacts: { locale: string | null; format: string; path: string; sha256: string; bytes: number }[]
}

function build(root: string, out: string, extra: string[] = []): Summary {
  // Whole books in every format: minutes when the machine is loaded.
  const result = runCli(['build', '--root', root, '--out', out, '--json', ...extra], { env: epoch, timeout: 900_000 })
  assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}${result.stdout.slice(0, 4000)}`)
  return JSON.parse(result.stdout) as Summary
}

/**
 * Earlier outputs for the interruption tests: the shared build's editions of `locale` in `formats`,
 * copied into `out` as a build of them would have written them (the release test further down shows
 * that a build elsewhere gives the same bytes). Returns the copied artifacts.
 */
async function earlierOutputs(out: string, locale: string, formats: readonly string[]): Promise<Summary['artifacts']> {
  const shared = await bundledEditionsBuild()
  const artifacts = shared.summary.artifacts.filter((artifact) => artifact.locale === locale && formats.includes(artifact.format))
  assert.ok(artifacts.length > 0, `the shared build has ${formats.join(' and ')} of ${locale}`)
  for (const artifact of artifacts) cpSync(path.join(shared.out, artifact.path), path.join(out, artifact.path))
  return artifacts
}

function walk(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(directory, entry.name)) : [path.join(directory, entry.name)]
  )
}

test('a rebuild with nothing changed renders nothing; a changed chapter re-renders only its locale', () => {
  const folder = temporaryFolder('handbook-cache-')
  const root = path.join(folder, 'book')
  const out = path.join(folder, 'out')
  cpSync(path.join(fixtures, 'books', 'two-locales'), root, { recursive: true })
  const cold = build(root, out, ['--format', 'html,pdf'])
  assert.deepEqual(cold.editions.map((edition) => edition.status), ['written', 'written', 'written', 'written'])

  const again = build(root, out, ['--format', 'html,pdf'])
  assert.deepEqual(again.editions.map((edition) => edition.status), ['cached', 'cached', 'cached', 'cached'])
  assert.deepEqual(again.artifacts, cold.artifacts, 'the unchanged build lists the same files')

  const chapter = path.join(root, 'lv', 'first.md')
  writeFileSync(chapter, readFileSync(chapter, 'utf8').replace('Teksts ar piezīmi.', 'Teksts ar jaunu piezīmi.'))
  const edited = build(root, out, ['--format', 'html,pdf'])
  const byEdition = Object.fromEntries(edited.editions.map((edition) => [`${edition.format}/${edition.locale}`, edition.status]))
  assert.deepEqual(byEdition, { 'html/en': 'cached', 'html/lv': 'written', 'pdf/en': 'cached', 'pdf/lv': 'written' })
  assert.match(readFileSync(path.join(out, 'html', 'lv', 'first.html'), 'utf8'), /jaunu piezīmi/)

  const forced = build(root, out, ['--format', 'html', '--no-cache'])
  assert.ok(forced.editions.every((edition) => edition.status === 'written'))
})

test('manifest.json and SHA256SUMS list every file with its checksum; manifests of a matrix merge', () => {
  const folder = temporaryFolder('handbook-manifest-')
  const root = path.join(fixtures, 'books', 'two-locales')
  const outs = ['en', 'lv'].map((locale) => {
    const out = path.join(folder, locale)
    build(root, out, ['--format', 'html', '--locale', locale])
    return out
  })
  const manifest = JSON.parse(readFileSync(path.join(outs[0]!, 'manifest.json'), 'utf8')) as { book: string; toolVersion: string; coverage: { locale: string }[]; artifacts: { path: string; sha256: string }[] }
  assert.equal(manifest.book, 'sample-book')
  assert.deepEqual(manifest.coverage.map((entry) => entry.locale), ['en'])
  const sums = readFileSync(path.join(outs[0]!, 'SHA256SUMS'), 'utf8').trim().split('\n')
  assert.equal(sums.length, manifest.artifacts.length)
  for (const line of sums) {
    const [sum, file] = line.split(/ {2}/)
    assert.ok(manifest.artifacts.some((artifact) => artifact.path === file && artifact.sha256 === sum), line)
  }
  const merged = path.join(folder, 'merged')
  const result = runCli(['manifest', 'merge', ...outs.map((out) => path.join(out, 'manifest.json')), '--out', merged])
  assert.equal(result.code, 0, result.stderr)
  const all = JSON.parse(readFileSync(path.join(merged, 'manifest.json'), 'utf8')) as { coverage: { locale: string }[]; artifacts: { path: string }[] }
  assert.deepEqual(all.coverage.map((entry) => entry.locale), ['en', 'lv'])
  assert.ok(all.artifacts.some((artifact) => artifact.path === 'html/lv/first.html') && all.artifacts.some((artifact) => artifact.path === 'html/en/first.html'))
})

test('clean removes what builds wrote', () => {
  const out = temporaryFolder('handbook-clean-')
  build(path.join(fixtures, 'books', 'two-locales'), out, ['--format', 'html'])
  writeFileSync(path.join(out, 'notes.txt'), 'kept')
  assert.equal(runCli(['clean', '--out', out]).code, 0)
  assert.deepEqual(readdirSync(out), ['notes.txt'])
})

test('SIGINT stops a PDF build: exit 130, no temporaries, no Chromium left, earlier outputs intact', async () => {
  const folder = temporaryFolder('handbook-sigint-')
  const out = path.join(folder, 'out')
  await earlierOutputs(out, 'en', ['pdf'])
  const before = readFileSync(path.join(out, 'pdf', 'ready-for-europe-1.0.0-en.pdf'))
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'handbook'), 'build', '--root', bundledHandbook, '--out', out, '--format', 'pdf', '--no-cache'], {
    env: { ...process.env, ...epoch },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  // Interrupt once its Chromium is printing.
  await waitFor(() => chromiumProcesses(child.pid).length > 0, 30_000)
  const browsers = chromiumProcesses(child.pid)
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const interrupted = performance.now()
  child.kill('SIGINT')
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)))
  const seconds = (performance.now() - interrupted) / 1000
  assert.equal(code, 130, stderr)
  assert.ok(seconds < 5, `stopped ${seconds.toFixed(1)} s after SIGINT`)
  assert.deepEqual(walk(out).filter((file) => /\.tmp-/.test(file)), [], 'no temporaries')
  await waitFor(() => browsers.every((pid) => !existsSync(`/proc/${pid}`)), 5_000)
  assert.deepEqual(readFileSync(path.join(out, 'pdf', 'ready-for-europe-1.0.0-en.pdf')), before)
})

test('SIGKILL during PDF rendering leaves the earlier outputs unchanged and loadable', async () => {
  const folder = temporaryFolder('handbook-sigkill-')
  const out = path.join(folder, 'out')
  const earlier = await earlierOutputs(out, 'lv', ['html', 'pdf'])
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'handbook'), 'build', '--root', bundledHandbook, '--out', out, '--format', 'html,pdf', '--locale', 'lv', '--no-cache'], {
    env: { ...process.env, ...epoch },
    stdio: 'ignore'
  })
  await waitFor(() => chromiumProcesses(child.pid).length > 0, 30_000)
  const browsers = chromiumProcesses(child.pid)
  await new Promise((resolve) => setTimeout(resolve, 1000))
  child.kill('SIGKILL')
  await new Promise((resolve) => child.on('exit', resolve))
  // A killed build cannot close its browser; the test does.
  for (const pid of browsers) process.kill(pid, 'SIGKILL')
  for (const artifact of earlier) {
    const file = path.join(out, artifact.path)
    assert.ok(existsSync(file), artifact.path)
    assert.equal(readFileSync(file).byteLength, artifact.bytes, `${artifact.path} is whole`)
  }
  const pdf = path.join(out, 'pdf', 'ready-for-europe-1.0.0-lv.pdf')
  assert.ok(readFileSync(pdf).subarray(-6).toString('latin1').includes('%%EOF'), 'the PDF is complete')
})

// Crashes and hangs during a print are tested on a small book in browser-faults.test.ts.

/** Chromium processes started by this tool (profile folder handbook-chromium-*), by the process `parent` when given. */
function chromiumProcesses(parent?: number): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      const parentPid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1])
      if (command.includes('handbook-chromium-') && (parent === undefined || parentPid === parent)) pids.push(Number(entry))
    } catch {
      // The process ended while we looked.
    }
  }
  return pids
}

async function waitFor(condition: () => boolean, timeout: number): Promise<void> {
  const end = performance.now() + timeout
  while (!condition()) {
    if (performance.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

// Last in the file: the shared build it compares with is then most likely done.
test('two builds of the same sources in different folders are identical to the byte, in every format', async () => {
  // The shared build, from the handbook's own folder, against one from a copy elsewhere with no cache.
  const shared = (await bundledEditionsBuild()).out
  const folder = temporaryFolder('handbook-repro-')
  const root = path.join(folder, 'book')
  cpSync(bundledHandbook, root, { recursive: true })
  const summary = build(root, path.join(folder, 'out'), ['--format', 'html,epub,pdf', '--no-cache'])
  assert.equal(epoch.SOURCE_DATE_EPOCH, sharedEpoch)
  assert.deepEqual([...new Set(summary.artifacts.map((artifact) => artifact.format))].sort(), ['epub', 'html', 'pdf'])
  assert.ok(summary.artifacts.length > 100)
  const manifest = readFileSync(path.join(folder, 'out', 'manifest.json'), 'utf8')
  assert.doesNotMatch(manifest, new RegExp(folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no absolute paths in the manifest')
  assert.equal(readFileSync(path.join(folder, 'out', 'SHA256SUMS'), 'utf8'), readFileSync(path.join(shared, 'SHA256SUMS'), 'utf8'), 'SHA256SUMS differs between the two builds')
  // The copy is outside git, so its manifest names no source commit; everything else is the same.
  const withoutCommit = (file: string) => ({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), sourceCommit: undefined })
  assert.deepEqual(withoutCommit(path.join(folder, 'out', 'manifest.json')), withoutCommit(path.join(shared, 'manifest.json')), 'manifest.json differs between the two builds')
  for (const artifact of summary.artifacts) assert.ok(readFileSync(path.join(shared, artifact.path)).equals(readFileSync(path.join(folder, 'out', artifact.path))), `${artifact.path} differs between the two builds`)
})
