// `npm run bench:pdf`: our PDF build against the floor (one raw page.pdf of the same final HTML)
// and a peer (the Paged.js polyfill paginating that HTML in the same Chromium, computing the
// contents' page numbers with target-counter), side by side in one run.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadBook } from '../src/model/build.js'
import type { Edition } from '../src/model/types.js'
import { closeSharedBrowser } from '../src/render/chromium.js'
import { renderPdf } from '../src/render/pdf.js'
import { inTurns, median, pagedJs, printsOf, rawPrint, time } from './bench-peers.js'

const root = fileURLToPath(new URL('../../handbook/', import.meta.url))

const runsOption = process.argv.indexOf('--runs')
const runs = runsOption > 0 ? Math.max(1, Number(process.argv[runsOption + 1]) || 1) : 3
const load = await time(() => loadBook({ root }))
const book = load[0].book!
const directory = await mkdtemp(path.join(tmpdir(), 'handbook-bench-pdf-'))
const rows: string[][] = [['locale', 'ours (s)', 'prints', 'raw page.pdf (s)', 'ours / raw', 'Paged.js (s)', 'ours / Paged.js']]
const totals = { ours: 0, raw: 0, paged: 0 }
try {
  const editions: Edition[] = process.argv.includes('--all') ? [...book.editions] : book.editions.filter((edition) => edition.locale.tag === 'lv')
  // A warm-up print, not counted: the browser's first page and the first compile of this code
  // would otherwise be charged to whichever measurement comes first.
  await renderPdf({ book, edition: editions[0]! })
  for (const edition of editions) {
    let prints = ''
    // The peers print our final document: ours goes first in the first run.
    let html = ''
    const measured = await inTurns(runs, {
      ours: async () => {
        const [result, seconds] = await time(() => renderPdf({ book, edition }))
        prints = printsOf(result)
        html = result.html
        return seconds
      },
      raw: () => rawPrint(html, directory),
      paged: async () => (await pagedJs(html, directory)).seconds
    })
    const [ours, raw, paged] = [median(measured.ours), median(measured.raw), median(measured.paged)]
    totals.ours += ours
    totals.raw += raw
    totals.paged += paged
    rows.push([edition.locale.tag, ours.toFixed(2), prints, raw.toFixed(2), (ours / raw).toFixed(2), paged.toFixed(2), (ours / paged).toFixed(2)])
  }
  if (editions.length > 1) {
    rows.push(['all', totals.ours.toFixed(2), '', totals.raw.toFixed(2), (totals.ours / totals.raw).toFixed(2), totals.paged.toFixed(2), (totals.ours / totals.paged).toFixed(2)])
  }
} finally {
  await closeSharedBrowser()
  await rm(directory, { recursive: true, force: true })
}
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
process.stdout.write(`book model for all locales: ${load[1].toFixed(2)} s (not counted below); median of ${runs} run(s) each, in turns (order rotated each run), after one warm-up print\n`)
for (const row of rows) process.stdout.write(row.map((cell, column) => cell.padStart(widths[column]!)).join('  ') + '\n')
