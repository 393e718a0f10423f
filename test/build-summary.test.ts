// The build's summary and cache (issue 17): where editions went, memory with Chromium, print-ready files apart, keys, JSON on usage errors.
import assert from 'node:assert/strict'
import { cpSync, existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fixtures, runCli, temporaryFolder } from './helpers.js'

const epoch = { SOURCE_DATE_EPOCH: '1406764800' }

interface Summary {
  exitCode: number
  peakMemoryBytes: number
  peakMemory: { nodeBytes: number; browserBytes: number; totalBytes: number }
  editions: { locale: string; format: string; status: string; output?: string }[]
  artifacts: { path: string; sha256: string }[]
}

function build(cwd: string, args: string[]): Summary {
  const result = runCli(['build', '--root', 'book', '--out', 'out', '--json', ...args], { cwd, env: epoch })
  assert.ok(result.code === 0 || result.code === 1, result.stderr + result.stdout.slice(0, 2000))
  return JSON.parse(result.stdout) as Summary
}

test('the summary says where each edition is and counts Chromium in the peak memory; --strict and --print-ready keep the cache right', () => {
  const work = temporaryFolder('handbook-summary-')
  cpSync(path.join(fixtures, 'books', 'two-locales'), path.join(work, 'book'), { recursive: true })

  const first = build(work, ['--format', 'html,pdf', '--locale', 'en'])
  assert.deepEqual(
    first.editions.map((entry) => [entry.format, entry.status, entry.output]),
    [
      ['html', 'written', path.join('out', 'html', 'en')],
      ['pdf', 'written', path.join('out', 'pdf', 'sample-book-0.0.1-en.pdf')]
    ]
  )
  for (const entry of first.editions) assert.ok(existsSync(path.join(work, entry.output!)), entry.output)
  // Chromium printed the PDF: its processes are in the peak, beside Node's own.
  assert.ok(first.peakMemory.browserBytes > 0, JSON.stringify(first.peakMemory))
  assert.ok(first.peakMemory.totalBytes >= first.peakMemory.nodeBytes + first.peakMemory.browserBytes - 1, JSON.stringify(first.peakMemory))
  assert.equal(first.peakMemoryBytes, first.peakMemory.totalBytes)

  // --strict changes what may be written, not the bytes: a complete locale is reused.
  const strict = build(work, ['--format', 'html,pdf', '--locale', 'en', '--strict'])
  assert.deepEqual(strict.editions.map((entry) => entry.status), ['cached', 'cached'])
  assert.deepEqual(strict.editions.map((entry) => entry.output), first.editions.map((entry) => entry.output), 'cached editions say where they are too')

  // ...but an incomplete translation cached by a normal build is not released by --strict.
  build(work, ['--format', 'html', '--locale', 'lv'])
  const lv = runCli(['build', '--root', 'book', '--out', 'out', '--json', '--format', 'html', '--locale', 'lv', '--strict'], { cwd: work, env: epoch })
  const lvSummary = JSON.parse(lv.stdout) as Summary & { messages: { ruleId: string }[] }
  assert.equal(lv.code, 1)
  assert.deepEqual(lvSummary.editions.map((entry) => entry.status), ['failed'])
  assert.ok(lvSummary.messages.some((message) => message.ruleId.startsWith('translation-')), 'the translation problems are reported')

  // A print-ready PDF has its own name and cache slot: the screen PDF stays, byte for byte.
  const screen = readFileSync(path.join(work, 'out', 'pdf', 'sample-book-0.0.1-en.pdf'))
  const print = build(work, ['--format', 'pdf', '--locale', 'en', '--print-ready'])
  assert.deepEqual(print.editions.map((entry) => [entry.status, entry.output]), [['written', path.join('out', 'pdf', 'sample-book-0.0.1-en-print.pdf')]])
  assert.deepEqual(readFileSync(path.join(work, 'out', 'pdf', 'sample-book-0.0.1-en.pdf')), screen)
  assert.notDeepEqual(readFileSync(path.join(work, 'out', 'pdf', 'sample-book-0.0.1-en-print.pdf')), screen)
  assert.deepEqual(build(work, ['--format', 'pdf', '--locale', 'en']).editions.map((entry) => entry.status), ['cached'])
  assert.deepEqual(build(work, ['--format', 'pdf', '--locale', 'en', '--print-ready']).editions.map((entry) => entry.status), ['cached'])
})

test('--json prints one JSON object on stdout for every usage error', () => {
  const cases: [string[], RegExp][] = [
    [['build', '--locale', 'xx'], /Unknown locale `xx`/],
    [['build', '--format', 'docx'], /unknown format `docx`/],
    [['check', '--no-such-option'], /unknown option/],
    [['build', '--edition', 'nobody'], /./]
  ]
  for (const [args, reason] of cases) {
    const result = runCli([...args, '--root', path.join(fixtures, 'books', 'two-locales'), '--json', '--out', temporaryFolder()])
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
    const report = JSON.parse(result.stdout) as { ok: boolean; exitCode: number; messages: { severity: string; message: string }[] }
    assert.equal(report.ok, false)
    assert.equal(report.exitCode, 2)
    assert.ok(report.messages.some((message) => message.severity === 'error' && reason.test(message.message)), `${args.join(' ')}: ${result.stdout}`)
  }
})
