// Browser faults are isolated per edition (issue 17): a crash or hang in one edition's print retries
// that edition alone, in a browser of its own, and never fails the edition printing beside it.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fixtures, repoRoot, temporaryFolder } from './helpers.js'

interface Summary {
  exitCode: number
  editions: { locale: string; status: string }[]
  messages: { file: string; ruleId: string; message: string }[]
}

/** Build the en and lv PDFs of a small book (side by side, sharing one browser), doing `fault` to `victim`'s print once it prints. */
async function buildWithFault(fault: 'crash-page' | 'hang-page' | 'kill-browser', victim: string, env: NodeJS.ProcessEnv = {}) {
  // Short: Chromium's socket path, under the profile folder inside it, must fit in 108 bytes.
  const folder = temporaryFolder('hbf-')
  // Chromium's profile and the print pages live here: whatever is left afterwards is a leak.
  const temp = path.join(folder, 't')
  mkdirSync(temp)
  const out = path.join(folder, 'out')
  const driver = path.join(repoRoot, 'dist', 'test', 'fault-driver.js')
  const child = spawn(process.execPath, [driver, fault, victim, path.join(fixtures, 'books', 'two-locales'), out], {
    env: { ...process.env, SOURCE_DATE_EPOCH: '1406764800', HANDBOOK_FAULT_DRIVER: '1', TMPDIR: temp, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  assert.ok(stdout.trim(), `no summary; stderr: ${stderr}`)
  const summary = JSON.parse(stdout) as Summary
  // The messages of the build itself (not the fixture's missing strings), for assertion output.
  const about = JSON.stringify(summary.messages.filter((message) => /browser|render/.test(message.ruleId)))
  const retried = (locale: string) => summary.messages.filter((message) => message.ruleId === 'browser-retry' && message.file.endsWith(`pdf/${locale}`))
  return { code, summary, stderr, temp, retried, about }
}

/** Both PDFs written; the build's browsers and print pages are all gone. */
function assertBothWritten(result: Awaited<ReturnType<typeof buildWithFault>>): void {
  assert.equal(result.code, 0, result.about + result.stderr)
  assert.deepEqual(result.summary.editions.map((edition) => `${edition.locale} ${edition.status}`).sort(), ['en written', 'lv written'])
  const leftovers = readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(result.temp)
    } catch {
      return false
    }
  })
  assert.deepEqual(leftovers, [], 'no browser process left')
  assert.deepEqual(readdirSync(result.temp), [], 'no temporary folder left')
}

test('a crashed page in one edition retries that edition alone; the other edition on the same browser is written untouched', async () => {
  const result = await buildWithFault('crash-page', 'lv')
  assertBothWritten(result)
  assert.equal(result.retried('lv').length, 1, result.about)
  assert.deepEqual(result.retried('en'), [], 'en printed on without a retry')
})

test('a hung page in one edition times out and retries alone; the other edition is written untouched', async () => {
  // The timeout bounds each browser call; the edition that does not hang must never reach it.
  const result = await buildWithFault('hang-page', 'en', { HANDBOOK_BROWSER_TIMEOUT: '30' })
  assertBothWritten(result)
  const retries = result.retried('en')
  assert.equal(retries.length, 1, result.about)
  assert.match(retries[0]!.message, /timeout|timed out/i)
  assert.deepEqual(result.retried('lv'), [], 'lv printed on without a retry')
})

test('a browser killed while an edition prints: it retries in a browser of its own, and the other edition is written too', async () => {
  const result = await buildWithFault('kill-browser', 'en')
  assertBothWritten(result)
  assert.equal(result.retried('en').length, 1, result.about)
  // lv retries too if it was printing on the killed browser; if not yet, it prints on a new shared one.
  assert.ok(result.retried('lv').length <= 1, result.about)
})
