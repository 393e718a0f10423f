// The hyphen-run fixes of a print whose body differs from the measured one only in its page
// numbers: the earlier report's fixes are taken over, and only the paragraphs that show a page
// number are measured again. The result must be what measuring the whole body gives.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { loadBook } from '../src/model/build.js'
import { closeSharedBrowser, openPage, sharedBrowser } from '../src/render/chromium.js'
import { renderPdf } from '../src/render/pdf.js'
import { limitHyphenRuns, type HyphenRunReport } from '../src/render/pdf-hyphen-runs.js'
import { textWidthStyle } from '../src/render/pdf-overflow.js'
import { trims } from '../src/render/print-document.js'
import { bundledHandbook, temporaryFolder } from './helpers.js'

test('the Latvian book with other page numbers: measuring only the paragraphs that show one gives what measuring all gives', async (context) => {
  const { book } = await loadBook({ root: bundledHandbook, locales: ['lv'] })
  const edition = book!.editions.find((entry) => entry.locale.tag === 'lv')!
  context.after(() => closeSharedBrowser())
  const { html } = await renderPdf({ book: book!, edition })
  const trim = trims[book!.config.editions.trim]
  const laidOut = (document: string) => document.replace('</head>', `<style>${textWidthStyle(trim.width - trim.inner - trim.outer)}</style></head>`)
  // Every page number 100 higher: one digit wider, so the lines of the paragraphs around them move.
  let changed = 0
  // The page number is the link text's last number ("… 19. lappusē").
  const renumbered = html.replace(/(<a [^>]*data-page-ref[^>]*>[^<]*?)(\d+)([^\d<]*<\/a>)/g, (_, before: string, page: string, after: string) => {
    changed++
    return `${before}${Number(page) + 100}${after}`
  })
  assert.ok(changed > 10, `${changed} page references renumbered`)

  const folder = temporaryFolder('handbook-hyphen-runs-')
  const files = { before: path.join(folder, 'before.html'), after: path.join(folder, 'after.html') }
  writeFileSync(files.before, laidOut(html))
  writeFileSync(files.after, laidOut(renumbered))
  const { browser } = await sharedBrowser()
  const page = await openPage(browser, { allow: (url) => url.startsWith('file:'), onProblem: (problem) => assert.fail(problem.text) })
  context.after(() => page.close().catch(() => undefined))
  const measure = async (file: string, earlier?: HyphenRunReport) => {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    await page.evaluate('document.fonts.ready')
    const report = (await page.evaluate(limitHyphenRuns(earlier))) as HyphenRunReport
    return { report, text: (await page.evaluate('document.body.textContent')) as string }
  }
  const before = await measure(files.before)
  assert.ok(before.report.edits.length > 0, 'the book has words kept whole against a third hyphenated line')
  const whole = await measure(files.after)
  const taken = await measure(files.after, before.report)
  // The same soft hyphens taken out, the same words, the same runs left.
  assert.equal(taken.text, whole.text)
  const sorted = (report: HyphenRunReport) => ({ edits: report.edits.map((edit) => edit.join(':')).sort(), left: report.left.map((run) => JSON.stringify(run)).sort() })
  assert.deepEqual(sorted(taken.report), sorted(whole.report))
})
