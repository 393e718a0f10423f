// The PDF peers the benchmarks measure ours against, in a browser of the build's kind: one raw
// page.pdf of the same final print document (the floor) and the Paged.js polyfill paginating it.
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { sharedBrowser } from '../src/render/chromium.js'

const require = createRequire(import.meta.url)
// The polyfill file is not in the package's exports map; find it beside the main entry.
const polyfill = path.join(path.dirname(require.resolve('pagedjs')), '..', 'dist', 'paged.polyfill.js')

export async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const result = await work()
  return [result, (performance.now() - start) / 1000]
}

/**
 * One raw print of `html` in a fresh page: the least any Chromium-based PDF can cost. Opening and
 * closing the page count, as they do in ours (a new page took 216 ms here, its renderer process
 * starting; closing it 8 ms).
 */
export async function rawPrint(html: string, directory: string): Promise<number> {
  const { browser } = await sharedBrowser()
  const file = path.join(directory, 'raw.html')
  await writeFile(file, html)
  const [, seconds] = await time(async () => {
    const page = await browser.newPage()
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    await page.evaluate('document.fonts.ready')
    await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true })
    await page.close()
  })
  return seconds
}

/** How a render printed: whole-book prints, and prints of only some chapters (`2+1 partial`). */
export function printsOf(result: { prints: number; partialPrints: number }): string {
  return result.partialPrints > 0 ? `${result.prints}+${result.partialPrints} partial` : String(result.prints)
}

/** Paged.js on the same HTML, the contents' numbers left to `target-counter`. */
export async function pagedJs(html: string, directory: string): Promise<{ seconds: number; pages: number }> {
  const { browser } = await sharedBrowser()
  const peerHtml = html
    // Our print document forbids scripts (a Content-Security-Policy); Paged.js is one.
    .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
    .replace(/<span class="toc-page">\d+<\/span>/g, '<span class="toc-page"></span>')
    .replace('</style>', '.toc a .toc-page::after { content: target-counter(attr(href url), page); }</style>')
    .replace('</head>', `<script>window.PagedConfig = { auto: true, after: () => { window.pagedDone = true } }</script><script src="${pathToFileURL(polyfill).href}"></script></head>`)
  const file = path.join(directory, 'paged.html')
  await writeFile(file, peerHtml)
  let pages = 0
  const [, seconds] = await time(async () => {
    const page = await browser.newPage()
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    await page.waitForFunction('window.pagedDone === true', { timeout: 300_000, polling: 100 })
    pages = (await page.evaluate('document.querySelectorAll(".pagedjs_page").length')) as number
    await page.pdf({ preferCSSPageSize: true, printBackground: true })
    await page.close()
  })
  return { seconds, pages }
}

/**
 * Each of `work` `runs` times, in turns, the first one first in the first run and the order rotated
 * after each run: whatever one measurement leaves behind (a renderer process still exiting, garbage
 * to collect) falls on each of the others alike, where a fixed order put ours always after Paged.js.
 * (On lv, ours after Paged.js and after the raw print took 3.61 and 3.77 s, medians of 5: no effect
 * seen, but a fixed order would hide one.) An undefined result (a failed run) is left out.
 */
export async function inTurns<K extends string>(runs: number, work: Record<K, () => Promise<number | undefined>>): Promise<Record<K, number[]>> {
  const names = Object.keys(work) as K[]
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>
  for (let run = 0; run < runs; run++) {
    for (let step = 0; step < names.length; step++) {
      const name = names[(run + step) % names.length]!
      const seconds = await work[name]()
      if (seconds !== undefined) times[name].push(seconds)
    }
  }
  return times
}

/** The middle value: one slow or fast outlier on a shared machine does not decide a ratio. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
