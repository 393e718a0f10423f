// Issue 18, finding 9: an interrupt (SIGINT, SIGTERM) or a kill (SIGKILL) at any moment of a build
// leaves no Chromium running, no temporaries (a killed build's are removed by the next build) and an
// output folder that its manifest and SHA256SUMS describe exactly.
//
// The default suite runs one SIGINT after Chromium has started. The trials (10 SIGINT and 10 SIGKILL
// at random moments, and 2 SIGTERM) take minutes; run them on their own with
//   HANDBOOK_SIGNAL_TRIALS=1 node --test --test-reporter=spec dist/test/signals.test.js
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { repoRoot, temporaryFolder } from './helpers.js'
import { copyBook, filesUnder, manifestMismatch, runCliAsync } from './security-support.js'

/** A run of the CLI with its own temporary folder (TMPDIR): every temporary and Chromium profile it makes lands there. */
interface Sandbox {
  root: string
  out: string
  tmp: string
}

function sandbox(): Sandbox {
  // Short: Chromium's sockets go in TMPDIR, and a Unix socket's path may have at most 107 bytes.
  const folder = temporaryFolder('hb-sig-')
  const tmp = path.join(folder, 't')
  mkdirSync(tmp)
  return { root: copyBook('two-locales'), out: path.join(folder, 'out'), tmp }
}

/** One locale in every format: PDF (Chromium), EPUB and HTML. */
const buildArgs = (box: Sandbox) => ['build', '--root', box.root, '--out', box.out, '--locale', 'en', '--format', 'pdf,epub,html', '--json']

function environment(box: Sandbox, epoch: string): NodeJS.ProcessEnv {
  return { ...process.env, TMPDIR: box.tmp, SOURCE_DATE_EPOCH: epoch }
}

/**
 * Processes that belong to the sandbox's builds: their command line or environment names its
 * temporary folder (Chromium's profile is there, and every Chromium process inherits TMPDIR).
 */
function processesOf(box: Sandbox): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8')
      // Chromium's processes name its profile (in TMPDIR) on their command lines; the build's TMPDIR, or Chromium's inside it.
      if (command.includes(box.tmp) || env.includes(`TMPDIR=${box.tmp}\0`) || env.includes(`TMPDIR=${box.tmp}/`)) found.push(Number(entry))
    } catch {
      // Ended while we looked.
    }
  }
  return found
}

/** Chromium processes of the sandbox (not the build's own Node process, nor a `git` or Ghostscript it runs). */
function chromiumOf(box: Sandbox): number[] {
  return processesOf(box).filter((pid) => {
    try {
      return /chrom/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!)
    } catch {
      return false
    }
  })
}

/** Wait until `condition` holds, checking every 50 ms, at most `seconds`; returns whether it held. */
async function waitUntil(condition: () => boolean, seconds: number): Promise<boolean> {
  const end = performance.now() + seconds * 1000
  for (;;) {
    try {
      if (condition()) return true
    } catch {
      // A process ended while we looked: look again.
    }
    if (performance.now() > end) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Temporaries in the output folder: `*.tmp-<pid>-<n>` files and folders. */
function outputTemporaries(out: string): string[] {
  if (!existsSync(out)) return []
  const found: string[] = []
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (/\.tmp-\d+-\d+/.test(entry.name)) found.push(path.join(folder, entry.name))
      else if (entry.isDirectory()) walk(path.join(folder, entry.name))
    }
  }
  walk(out)
  return found
}

interface Interrupted {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Whether the signal reached the build before it ended by itself. */
  signalled: boolean
}

/**
 * Start a build, wait until `ready` holds (or the build ends), then `delay` ms, and send `signal`.
 * `ready` defaults to: the build holds its output folder's lock (it runs the tool's own code).
 */
async function interruptBuild(box: Sandbox, epoch: string, signal: NodeJS.Signals, delay: number, ready?: (pid: number) => boolean): Promise<Interrupted> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'handbook'), ...buildArgs(box), '--no-cache'], { cwd: repoRoot, env: environment(box, epoch), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  let ended = false
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signalName) => {
      ended = true
      resolve({ code, signal: signalName })
    })
  )
  const lock = path.join(box.out, '.handbook-lock')
  const condition = ready ?? (() => existsSync(lock) && readFileSync(lock, 'utf8').trim() === String(child.pid))
  assert.ok(await waitUntil(() => ended || condition(child.pid!), 120), 'the build started')
  await new Promise((resolve) => setTimeout(resolve, delay))
  const signalled = !ended
  if (signalled) child.kill(signal)
  const result = await exit
  return { ...result, stdout, stderr, signalled }
}

/** The checks every trial ends with: no Chromium, no temporaries, a manifest that matches the folder. */
async function assertClean(box: Sandbox, label: string): Promise<void> {
  // Chromium ends when its pipe to the build closes: give it a bounded time to notice.
  assert.ok(await waitUntil(() => processesOf(box).length === 0, 30), `${label}: processes left: ${processesOf(box).join(', ')}`)
  assert.deepEqual(readdirSync(box.tmp), [], `${label}: temporaries left in TMPDIR`)
  assert.deepEqual(outputTemporaries(box.out), [], `${label}: temporaries left in --out`)
  assert.ok(!existsSync(path.join(box.out, '.handbook-lock')), `${label}: the lock is released`)
  assert.deepEqual(manifestMismatch(box.out), [], `${label}: manifest`)
}

/** A complete build, so every trial starts with editions (and a manifest) that an interrupt must not spoil. */
async function completeBuild(box: Sandbox, epoch: string): Promise<number> {
  const started = performance.now()
  const result = await runCliAsync(buildArgs(box), { TMPDIR: box.tmp, SOURCE_DATE_EPOCH: epoch })
  assert.equal(result.code, 0, result.stderr)
  return performance.now() - started
}

/** The interrupted build's own report: exit 130 (SIGINT) or 143 (SIGTERM), a message, the JSON summary. */
function assertReported(result: Interrupted, signal: 'SIGINT' | 'SIGTERM', label: string): void {
  if (!result.signalled) {
    assert.equal(result.code, 0, `${label}: ended by itself: ${result.stderr}`)
    return
  }
  const expected = signal === 'SIGINT' ? 130 : 143
  const summary = JSON.parse(result.stdout) as { ok: boolean; interrupted?: boolean; exitCode: number; signal?: string }
  if (summary.interrupted !== true) {
    // The signal came as the process was ending, after its summary: the build was complete.
    assert.equal(summary.ok, true, label)
    assert.ok(result.code === 0 || result.code === expected, `${label}: exit ${result.code}`)
    if (result.code === expected) assert.match(result.stderr, /after the build had finished/, label)
    return
  }
  assert.equal(result.code, expected, `${label}: ${result.stderr}`)
  assert.match(result.stderr, new RegExp(`handbook: interrupted \\(${signal}\\)`), label)
  assert.equal(summary.signal, signal)
  assert.equal(summary.exitCode, result.code)
}

describe('signals (finding 9)', () => {
  it('SIGINT while Chromium prints: exit 130, a message and the JSON summary, Chromium closed, no temporaries, the manifest matches', async () => {
    const box = sandbox()
    await completeBuild(box, '1406764800')
    const result = await interruptBuild(box, '1500000000', 'SIGINT', 0, () => chromiumOf(box).length > 0)
    assert.ok(result.signalled, 'the build was still running when Chromium had started')
    assertReported(result, 'SIGINT', 'SIGINT')
    assert.equal((JSON.parse(result.stdout) as { interrupted?: boolean }).interrupted, true, 'the summary says it was interrupted')
    await assertClean(box, 'SIGINT')
  })

  const trials = process.env.HANDBOOK_SIGNAL_TRIALS === '1'
  it('trials: 10 SIGINT, 2 SIGTERM and 10 SIGKILL at random moments of a PDF, EPUB and HTML build', { skip: trials ? false : 'set HANDBOOK_SIGNAL_TRIALS=1 to run the trials' }, async () => {
    const box = sandbox()
    // How long a whole build takes here: the moments are drawn from that span.
    const span = await completeBuild(box, '1406764800')
    const plan: NodeJS.Signals[] = [...Array(10).fill('SIGINT'), 'SIGTERM', 'SIGTERM', ...Array(10).fill('SIGKILL')]
    const tally: Record<string, { signalled: number; total: number }> = {}
    for (const [index, signal] of plan.entries()) {
      // A new build date each time changes every file, so a stale manifest entry would fail its checksum.
      const epoch = String(1500000000 + index * 86400)
      // A moment while the build runs: a build that ended before its signal came is run again with
      // an earlier moment (it still has to leave everything clean).
      let delay = Math.floor(Math.random() * span * 0.8)
      let result = await interruptBuild(box, epoch, signal, delay)
      for (let retry = 0; !result.signalled && retry < 3; retry++) {
        delay = Math.floor(delay / 2)
        result = await interruptBuild(box, epoch, signal, delay)
      }
      const label = `trial ${index + 1} (${signal} ${delay} ms after the build took its lock)`
      tally[signal] ??= { signalled: 0, total: 0 }
      tally[signal]!.total++
      if (result.signalled) tally[signal]!.signalled++
      if (signal === 'SIGKILL') {
        assert.ok(!result.signalled || result.signal === 'SIGKILL', label)
        // No Chromium survives its build, and what the killed build wrote is already described truly.
        assert.ok(await waitUntil(() => processesOf(box).length === 0, 30), `${label}: processes left: ${processesOf(box).join(', ')}`)
        // (A file that landed just before the kill may be unlisted yet, and the two lists, written one
        // after the other, may differ by it; every entry of each matches its file.)
        const check = manifestMismatch(box.out).filter((problem) => !problem.startsWith('not in manifest.json') && !problem.endsWith('list different files'))
        assert.deepEqual(check, [], `${label}: right after the kill, every listed file matches`)
        // The next build removes what the killed one left and lists every file.
        const next = await runCliAsync(buildArgs(box), { TMPDIR: box.tmp, SOURCE_DATE_EPOCH: epoch })
        assert.equal(next.code, 0, `${label}: next build: ${next.stderr}`)
      } else {
        assertReported(result, signal as 'SIGINT' | 'SIGTERM', label)
      }
      await assertClean(box, label)
      assert.ok(filesUnder(box.out).some((file) => file.endsWith('.pdf')), `${label}: the earlier PDF is still there`)
    }
    console.log(`signal trials passed: ${JSON.stringify(tally)} (signalled: the build was still running when the signal came)`)
    for (const [signal, count] of Object.entries(tally)) assert.ok(count.signalled >= count.total - 1, `${signal}: most trials reached a running build`)
  })
})
