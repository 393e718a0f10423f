// The test suite, as `npm test` runs it: independent test files side by side, heavy files first,
// and one build of the bundled handbook shared by the files that only read it (test/helpers.ts, sharedBuild).
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const testFolder = fileURLToPath(new URL('../test/', import.meta.url))

/**
 * The files that take longest (1 to 4 minutes each on 2 cores), started first so that the run does
 * not end waiting for one of them alone. The first builds the bundled handbook that the accessibility,
 * PDF and HTML files read (test/helpers.ts, sharedBuild); files that need no shared build run beside
 * it, and those that read it come after them. A file missing here only starts later.
 */
const heavy = ['a11y-html', 'translate-export', 'browser-faults', 'release', 'a11y-epub', 'a11y-ace', 'pdf', 'epub', 'html-browser', 'translation-editions', 'real-world', 'content-problems']

/**
 * Files at once: one per core. The suite keeps both cores of this machine busy (95 to 99% of the run)
 * with two files or three, as each file's Chromium, Java or build runs beside it; three contended
 * more (whole suite 466 s against 434 s with two, one run each, nothing else running).
 */
const concurrency = Number(process.env.HANDBOOK_TEST_CONCURRENCY) || availableParallelism()

const named = process.argv.slice(2)
const files = named.length > 0
  ? named
  : readdirSync(testFolder)
      .filter((name) => name.endsWith('.test.js'))
      .map((name) => name.slice(0, -'.test.js'.length))
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((name) => path.join(testFolder, `${name}.test.js`))

function rank(name: string): number {
  const index = heavy.indexOf(name)
  return index < 0 ? heavy.length : index
}

const shared = mkdtempSync(path.join(tmpdir(), 'handbook-test-run-'))
const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, HANDBOOK_TEST_SHARED: shared }
})
const forward = (signal: NodeJS.Signals) => child.kill(signal)
process.on('SIGINT', forward)
process.on('SIGTERM', forward)
child.on('exit', (code, signal) => {
  rmSync(shared, { recursive: true, force: true })
  process.exitCode = code ?? (signal ? 1 : 0)
})
