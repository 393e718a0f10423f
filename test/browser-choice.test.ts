// Which browser the build starts: the headless shell where it is installed, since it starts a second
// faster than the full Chromium and prints the same PDF.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { findBrowser, isHeadlessShell } from '../src/render/browser.js'
import { fixtures, runCli, temporaryFolder } from './helpers.js'

const shell = '/usr/lib/chromium/chromium-headless-shell'
const chromium = '/usr/bin/chromium'
/** The version number `--version` prints (Debian's full browser adds where it was built). */
const version = (executable: string) => /\d+(\.\d+)+/.exec(spawnSync(executable, ['--version'], { encoding: 'utf8' }).stdout)?.[0]

test('a headless shell is told from a full browser by its name', () => {
  assert.ok(isHeadlessShell('/usr/lib/chromium/chromium-headless-shell'))
  assert.ok(isHeadlessShell('/home/me/.cache/puppeteer/chrome-headless-shell/linux-131/chrome-headless-shell-linux64/chrome-headless-shell'))
  assert.ok(!isHeadlessShell('/usr/bin/chromium'))
  assert.ok(!isHeadlessShell('/usr/bin/google-chrome-stable'))
})

test('the headless shell is preferred where installed; a browser named in the environment still wins', { skip: !existsSync(shell) && 'chromium-headless-shell is not installed' }, () => {
  assert.deepEqual(findBrowser({}).found, { path: shell, source: 'system installation' })
  assert.equal(findBrowser({ HANDBOOK_BROWSER: chromium }).found?.path, chromium)
  const doctor = runCli(['doctor', '--json'])
  const browser = (JSON.parse(doctor.stdout) as { checks: { name: string; detail: string }[] }).checks.find((check) => check.name === 'browser')!
  assert.match(browser.detail, /at \/usr\/lib\/chromium\/chromium-headless-shell \(found via system installation\)/)
})

test('the headless shell and the full Chromium of one version print the same PDF', { skip: !(existsSync(shell) && existsSync(chromium)) && 'needs both chromium and chromium-headless-shell' }, (t) => {
  if (version(shell) !== version(chromium)) {
    t.skip(`different versions: ${version(shell)} and ${version(chromium)}`)
    return
  }
  const root = path.join(fixtures, 'books', 'two-locales')
  const printed = [shell, chromium].map((browser) => {
    const out = temporaryFolder('handbook-browser-choice-')
    const result = runCli(['build', '--root', root, '--out', out, '--format', 'pdf', '--locale', 'en', '--json'], { env: { HANDBOOK_BROWSER: browser, SOURCE_DATE_EPOCH: '1700000000' } })
    assert.equal(result.code, 0, result.stderr)
    const artifact = (JSON.parse(result.stdout) as { artifacts: { path: string }[] }).artifacts.find((entry) => entry.path.endsWith('.pdf'))!
    return readFileSync(path.join(out, artifact.path))
  })
  assert.ok(printed[0]!.length > 10_000)
  assert.ok(printed[0]!.equals(printed[1]!), `the PDFs differ: ${printed[0]!.length} and ${printed[1]!.length} bytes`)
})
