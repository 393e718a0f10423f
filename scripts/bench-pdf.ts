// `npm run bench:pdf`: our PDF build against the floor (one raw page.pdf of the same final HTML)
// and a peer (the Paged.js polyfill paginating that HTML in the same Chromium, computing the
// contents' page numbers with target-counter), side by side in one run.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { loadBook } from '../src/model/build.js'
import type { Edition } from '../src/model/types.js'
import { closeSharedBrowser, sharedBrowser } from '../src/render/chromium.js'
import { renderPdf } from '../src/render/pdf.js'

const require = createRequire(import.meta.url)
const root = fileURLToPath(new URL('../../handbook/', import.meta.url))
// The polyfill file is not in the package's exports map; find it beside the main entry.
const polyfill = path.join(path.dirname(require.resolve('pagedjs')), '..', 'dist', 'paged.polyfill.js')

async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const result = await work()
  return [result, (performance.now() - start) / 1000]
}

/** One raw print of `html` in a fresh page: the least any Chromium-based PDF can cost. */
async function rawPrint(html: string, directory: string): Promise<number> {
  const { browser } = await sharedBrowser()
  const file = path.join(directory, 'raw.html')
  await writeFile(file, html)
  const page = await browser.newPage()
  const [, seconds] = await time(async () => {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    await page.evaluate('document.fonts.ready')
    await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true })
  })
  await page.close()
  return seconds
}

/** Paged.js on the same HTML, the contents' numbers left to `target-counter`. */
async function pagedJs(html: string, directory: string): Promise<{ seconds: number; pages: number }> {
  const { browser } = await sharedBrowser()
  const peerHtml = html
    .replace(/<span class="toc-page">\d+<\/span>/g, '<span class="toc-page"></span>')
    .replace('</style>', '.toc a .toc-page::after { content: target-counter(attr(href url), page); }</style>')
    .replace('</head>', `<script>window.PagedConfig = { auto: true, after: () => { window.pagedDone = true } }</script><script src="${pathToFileURL(polyfill).href}"></script></head>`)
  const file = path.join(directory, 'paged.html')
  await writeFile(file, peerHtml)
  const page = await browser.newPage()
  let pages = 0
  const [, seconds] = await time(async () => {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    await page.waitForFunction('window.pagedDone === true', { timeout: 300_000, polling: 100 })
    pages = (await page.evaluate('document.querySelectorAll(".pagedjs_page").length')) as number
    await page.pdf({ preferCSSPageSize: true, printBackground: true })
  })
  await page.close()
  return { seconds, pages }
}

const load = await time(() => loadBook({ root }))
const book = load[0].book!
const directory = await mkdtemp(path.join(tmpdir(), 'handbook-bench-pdf-'))
const rows: string[][] = [['locale', 'ours (s)', 'prints', 'raw page.pdf (s)', 'ours / raw', 'Paged.js (s)', 'ours / Paged.js']]
const totals = { ours: 0, raw: 0, paged: 0 }
try {
  await sharedBrowser()
  const single: Edition[] = process.argv.includes('--all') ? [...book.editions] : book.editions.filter((edition) => edition.locale.tag === 'lv')
  for (const edition of single) {
    const [result, ours] = await time(() => renderPdf({ book, edition }))
    const raw = await rawPrint(result.html, directory)
    const peer = await pagedJs(result.html, directory)
    totals.ours += ours
    totals.raw += raw
    totals.paged += peer.seconds
    rows.push([edition.locale.tag, ours.toFixed(2), String(result.prints), raw.toFixed(2), (ours / raw).toFixed(2), peer.seconds.toFixed(2), (ours / peer.seconds).toFixed(2)])
  }
  if (single.length > 1) {
    rows.push(['all', totals.ours.toFixed(2), '', totals.raw.toFixed(2), (totals.ours / totals.raw).toFixed(2), totals.paged.toFixed(2), (totals.ours / totals.paged).toFixed(2)])
  }
} finally {
  await closeSharedBrowser()
  await rm(directory, { recursive: true, force: true })
}
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
process.stdout.write(`book model for all locales: ${load[1].toFixed(2)} s (not counted below)\n`)
for (const row of rows) process.stdout.write(row.map((cell, column) => cell.padStart(widths[column]!)).join('  ') + '\n')
