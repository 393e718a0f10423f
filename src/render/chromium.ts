// One headless Chromium per build, and pages that cannot reach the network and report what goes wrong.
import { AsyncLocalStorage } from 'node:async_hooks'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'puppeteer'
import { killProcessesNaming, temporaryPrefix } from '../output/leftovers.js'
import { findBrowser, isHeadlessShell } from './browser.js'

/** Something Chromium reported while rendering: a page error, a console error, a blocked or failed request. */
export interface PageProblem {
  kind: 'page-error' | 'console-error' | 'request-blocked' | 'request-failed'
  text: string
}

export interface BuildBrowser {
  browser: Browser
  close(): Promise<void>
}

/** Flags for a headless Chromium that starts fast and makes no background connections. */
const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--font-render-hinting=none'
]

/**
 * How long one browser operation (loading a page, printing it, any call into it) may take before the
 * page counts as hung: `HANDBOOK_BROWSER_TIMEOUT` seconds, 120 by default.
 */
export function browserTimeout(): number {
  const seconds = Number(process.env.HANDBOOK_BROWSER_TIMEOUT)
  // A retry waits longer: the machine was just slow enough, or busy enough, for the first try to time out.
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 120) * 1000 * (ownBrowser.getStore() ? retryPatience : 1)
}

/** How many times longer than `browserTimeout` an edition's retry in its own browser may wait. */
const retryPatience = 3

/**
 * Start Chromium as found by `findBrowser` (else puppeteer's managed browser, if installed).
 * Fails with the fix when there is none.
 */
export async function launchBrowser(protocolTimeout = browserTimeout()): Promise<BuildBrowser> {
  // Loaded here, not at the top: commands and builds that never start a browser skip its loading.
  const { default: puppeteer } = await import('puppeteer')
  const search = findBrowser()
  let executablePath = search.found?.path
  if (!executablePath) {
    if (search.problem) throw new Error(`Cannot start a browser: ${search.problem}`)
    try {
      executablePath = puppeteer.executablePath()
    } catch {
      executablePath = undefined
    }
  }
  if (!executablePath) {
    throw new Error('Cannot find Chromium or Chrome: install it (Debian/Ubuntu: apt-get install -y chromium) or set HANDBOOK_BROWSER=/path/to/chrome')
  }
  // The profile and every temporary file Chromium makes go into one folder, removed on close:
  // a browser that crashed cannot clean up after itself.
  const folder = await mkdtemp(temporaryPrefix('chromium'))
  const userDataDir = path.join(folder, 'profile')
  const temporary = path.join(folder, 'tmp')
  await mkdir(temporary)
  const close = () => rm(folder, { recursive: true, force: true })
  let browser: Browser
  try {
    // A pipe, not a debugging port: no other process can connect to this browser, and it dies with
    // the build. Puppeteer's own signal handlers would exit before the build's cleanup ran.
    browser = await puppeteer.launch({
      executablePath,
      headless: isHeadlessShell(executablePath) ? 'shell' : true,
      args: flags,
      userDataDir,
      env: { ...process.env, TMPDIR: temporary },
      timeout: 30_000,
      protocolTimeout,
      pipe: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false
    })
  } catch (error) {
    await close()
    throw error
  }
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined)
      // A hung renderer can outlive its browser, holding the pipes this process waits on.
      killProcessesNaming(folder)
      await close()
    }
  }
}

export interface PageOptions {
  /** Whether a request may go out; `data:` URLs are always allowed, everything else is blocked unless this says yes. */
  allow: (url: string) => boolean
  /** Receives every problem the page reports. */
  onProblem: (problem: PageProblem) => void
  /**
   * Let the page run its own scripts. Only for testing the HTML edition's own client code in a
   * browser; rendering (print, covers) never does.
   */
  scripts?: boolean
}

/**
 * A new page whose requests are filtered by `allow` and whose errors go to `onProblem`. The page runs
 * no script of its own (the tool's calls go through the protocol and still work): a script that got
 * into a rendered document despite escaping and the document's Content-Security-Policy still cannot run.
 * A page opened ahead on the same browser (`openPageAhead`) is taken where there is one.
 */
export async function openPage(browser: Browser, options: PageOptions): Promise<Page> {
  // A page opened ahead runs no scripts: one that must is opened anew, and the other stays for the next.
  const waiting = options.scripts ? undefined : ahead
  if (waiting) ahead = undefined
  const early = await waiting?.catch(() => undefined)
  if (early && early.page.browser() === browser && !early.page.isClosed()) {
    early.answer(options)
    return early.page
  }
  if (early) void early.page.close().catch(() => undefined)
  const opened = await newPage(browser, options.scripts === true)
  opened.answer(options)
  return opened.page
}

/** A page without its owner yet: its handlers answer to the options `answer` gives, and block everything before. */
async function newPage(browser: Browser, scripts: boolean): Promise<{ page: Page; answer(options: PageOptions): void }> {
  let options: PageOptions = { allow: () => false, onProblem: () => undefined }
  const page = await browser.newPage()
  await page.setJavaScriptEnabled(scripts)
  await page.setRequestInterception(true)
  page.on('request', (request) => {
    const url = request.url()
    if (url.startsWith('data:') || options.allow(url)) {
      void request.continue()
    } else {
      options.onProblem({ kind: 'request-blocked', text: `Blocked request to ${url}: builds make no network requests` })
      void request.abort('blockedbyclient')
    }
  })
  // A crashed renderer answers nothing more: closing its page ends the calls that wait on it now,
  // not at the timeout, so the edition's retry starts at once.
  page.on('error', () => void page.close().catch(() => undefined))
  page.on('pageerror', (error) => options.onProblem({ kind: 'page-error', text: String((error as Error).message ?? error) }))
  page.on('console', (message) => {
    // A failed or blocked load is reported with its URL by the request events; the console echo says less.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) options.onProblem({ kind: 'console-error', text: message.text() })
  })
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed'
    if (!failure.startsWith('net::ERR_BLOCKED_BY_CLIENT')) options.onProblem({ kind: 'request-failed', text: `Cannot load ${request.url()}: ${failure}` })
  })
  return { page, answer: (given) => (options = given) }
}

/** The page `openPageAhead` is opening, for the next `openPage` on the shared browser. */
let ahead: ReturnType<typeof newPage> | undefined

/**
 * Open a page on the shared browser now, for the next `openPage`: a build's first PDF then finds its
 * page open (about 0.13 s) when the book has loaded. Nothing inside `withOwnBrowser`.
 */
export function openPageAhead(): void {
  if (ownBrowser.getStore() || ahead) return
  const opening = sharedBrowser().then(({ browser }) => newPage(browser, false))
  opening.catch(() => undefined)
  ahead = opening
}

let shared: Promise<BuildBrowser> | undefined
/** The shared browser once it started: a crashed one is replaced for the editions that come after. */
let sharedStarted: BuildBrowser | undefined
/** Counts the build's browsers: a fault is answered by one restart, however many editions saw it. */
/** A browser of one edition's own (its retry after a fault), seen by `sharedBrowser` inside `withOwnBrowser`. */
const ownBrowser = new AsyncLocalStorage<Promise<BuildBrowser>>()

/**
 * The build's one browser, started on first use, and started again when it crashed. Inside
 * `withOwnBrowser`, that edition's own browser instead.
 */
export function sharedBrowser(): Promise<BuildBrowser> {
  const own = ownBrowser.getStore()
  if (own) return own
  if (sharedStarted && !sharedStarted.browser.connected) {
    // Closing a crashed browser kills what is left of it; the editions still on it fail on their own.
    void sharedStarted.close()
    shared = undefined
    sharedStarted = undefined
  }
  if (!shared) {
    const launching = launchBrowser()
    shared = launching
    launching.then((started) => (sharedStarted = shared === launching ? started : sharedStarted)).catch(() => undefined)
  }
  return shared
}

/**
 * Run `work` (one edition's rendering) with a browser of its own, closed afterwards: a retry after a
 * crash or a hang then neither closes the browser that other editions are printing with, nor is
 * closed by their retries.
 */
export async function withOwnBrowser<T>(work: () => Promise<T>): Promise<T> {
  const browser = launchBrowser(browserTimeout() * retryPatience)
  try {
    return await ownBrowser.run(browser, work)
  } finally {
    await (await browser.catch(() => undefined))?.close()
  }
}

/** Whether the build's browser, if one was started, is still running: false after a crash. */
export async function browserConnected(): Promise<boolean> {
  const current = await shared?.catch(() => undefined)
  return current?.browser.connected ?? true
}

/** Close the build's browser, if one was started. Safe to call more than once. */
export async function closeSharedBrowser(): Promise<void> {
  const current = shared
  shared = undefined
  sharedStarted = undefined
  // A page opened ahead and never taken closes with its browser.
  ahead = undefined
  if (current) await (await current.catch(() => undefined))?.close()
}
