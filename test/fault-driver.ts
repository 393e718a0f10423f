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

/** Wait until the shared browser shows a print page of every locale in `locales`; returns them by locale. */
async function printPages(locales: readonly string[]): Promise<Map<string, Page>> {
  for (;;) {
    const { browser } = await sharedBrowser()
    const pages = new Map<string, Page>()
    for (const page of await browser.pages().catch(() => [] as Page[])) {
      const lang = languageOf(page)
      if (lang && locales.includes(lang)) pages.set(lang, page)
    }
    if (pages.size === locales.length) return pages
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Do `fault` to the print of `victim` once both editions are printing. */
async function inject(fault: Fault, victim: string, locales: readonly string[]): Promise<void> {
  const pages = await printPages(locales)
  const page = pages.get(victim)!
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
  // A hang: the page's renderer runs a script that never returns, and answers nothing more.
  void session.send('Runtime.evaluate', { expression: 'for (;;) {}' }).catch(() => undefined)
}

if (process.env.HANDBOOK_FAULT_DRIVER === '1') {
  const [fault, victim, root, out] = process.argv.slice(2) as [Fault, string, string, string]
  const locales = ['en', 'lv']
  void inject(fault, victim, locales).catch((error: Error) => process.stderr.write(`fault-driver: cannot inject: ${error.message}\n`))
  const code = await runBuild({ root, out, locale: locales, format: ['pdf'], json: true, quiet: true, strict: false, printReady: false, cache: false })
  process.exitCode = code
}
