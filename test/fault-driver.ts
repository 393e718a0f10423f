// A build with a browser fault done to one edition's print, for browser-faults.test.ts: run as
// `node fault-driver.js <fault> <victim> <root> <out>` with HANDBOOK_FAULT_DRIVER=1; prints the build's JSON summary.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from 'puppeteer'
import { runBuild } from '../src/commands/build.js'
import { sharedBrowser } from '../src/render/chromium.js'

type Fault = 'crash-page' | 'hang-page' | 'kill-browser'

/** The language of the print document a page shows, read from its file (no script runs in the page). */
function languageOf(page: Page): string | undefined {
  const url = page.url()
  if (!url.startsWith('file:') || !url.includes('handbook-print-')) return undefined
  try {
    return /<html[^>]*\slang="([^"]+)"/.exec(readFileSync(fileURLToPath(url), 'utf8'))?.[1]
  } catch {
    return undefined
  }
}

/** Set when the build is over: nothing is injected after it. */
let finished = false

/** Wait until the shared browser shows the print page of `locale`; `undefined` if the build ended first. */
async function printPage(locale: string): Promise<Page | undefined> {
  while (!finished) {
    const { browser } = await sharedBrowser()
    for (const page of await browser.pages().catch(() => [] as Page[])) if (languageOf(page) === locale) return page
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return undefined
}

/** Do `fault` to the print of `victim` as soon as it prints (the other edition prints beside it or after it, on the same browser). */
async function inject(fault: Fault, victim: string): Promise<void> {
  const page = await printPage(victim)
  if (!page) throw new Error(`the build ended before \`${victim}\` printed`)
  const { browser } = await sharedBrowser()
  if (fault === 'kill-browser') {
    browser.process()?.kill('SIGKILL')
    return
  }
  const session = await page.createCDPSession()
  if (fault === 'crash-page') {
    // The renderer of this page alone dies, as in an out-of-memory kill.
    await session.send('Page.crash').catch(() => undefined)
    return
  }
  // A hang: the page's renderer waits for an answer to a dialog that nobody gives, and answers
  // nothing more. A script that never returns (`for (;;) {}`) hangs it as well, but keeps a core busy
  // until the build gives up on the page (30 s of CPU that the other tests running beside it lose).
  void session.send('Runtime.evaluate', { expression: 'alert("hung")' }).catch(() => undefined)
}

if (process.env.HANDBOOK_FAULT_DRIVER === '1') {
  const [fault, victim, root, out] = process.argv.slice(2) as [Fault, string, string, string]
  const locales = ['en', 'lv']
  const injected = inject(fault, victim).catch((error: Error) => process.stderr.write(`fault-driver: cannot inject: ${error.message}\n`))
  const code = await runBuild({ root, out, locale: locales, format: ['pdf'], json: true, quiet: true, strict: false, printReady: false, cache: false })
  finished = true
  await injected
  process.exitCode = code
}
