// Measuring again only the chapters a break fix changed: the page arithmetic of merging their print
// into the whole book's, and the same PDF as measuring the whole book again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadBook } from '../src/model/build.js'
import { closeSharedBrowser } from '../src/render/chromium.js'
import { renderPdf } from '../src/render/pdf.js'
import { chapterAt, chapterSpans, mergeMeasures } from '../src/render/pdf-remeasure.js'
import { bundledHandbook } from './helpers.js'

// A book of 12 pages: front matter on 1-3, chapter a on 4-6, a blank page 7, chapter b on 8-9,
// chapter c on 10-12.
const order = ['a', 'b', 'c']
const wholePrint = {
  landed: new Map([
    ['contents', 3],
    ['a', 4],
    ['a-1', 5],
    ['b', 8],
    ['b-1', 9],
    ['c', 10],
    ['c-1', 12]
  ]),
  pageCount: 12
}

test('chapter spans leave out the blank page before a chapter and reach the last page', () => {
  const spans = chapterSpans(wholePrint, order, new Set(['b']))!
  assert.deepEqual([...spans], [
    ['a', { start: 4, length: 3 }],
    ['b', { start: 8, length: 2 }],
    ['c', { start: 10, length: 3 }]
  ])
  assert.equal(chapterAt(spans, 3), undefined)
  assert.equal(chapterAt(spans, 7), undefined)
  assert.equal(chapterAt(spans, 9), 'b')
})

test('a chapter missing from a print, or out of order, gives no spans', () => {
  assert.equal(chapterSpans({ landed: new Map([['a', 4]]), pageCount: 6 }, order, new Set()), undefined)
  assert.equal(chapterSpans({ landed: new Map([['a', 4], ['b', 4], ['c', 5]]), pageCount: 6 }, order, new Set()), undefined)
})

test('a chapter that grew by a page moves the later chapters and their destinations by one page', () => {
  const whole = { print: wholePrint, spans: chapterSpans(wholePrint, order, new Set(['b']))! }
  // b printed alone after a fix: 3 pages, its section on its last.
  const partialPrint = { landed: new Map([['b', 1], ['b-1', 3]]), pageCount: 3 }
  const merged = mergeMeasures(whole, { print: partialPrint, spans: chapterSpans(partialPrint, ['b'], new Set())! })!
  assert.deepEqual(Object.fromEntries(merged.print.landed), { contents: 3, a: 4, 'a-1': 5, b: 8, 'b-1': 10, c: 11, 'c-1': 13 })
  assert.equal(merged.print.pageCount, 13)
  assert.deepEqual(merged.spans.get('c'), { start: 11, length: 3 })
})

test('two chapters printed alone: each from its own first page, the shrinking one pulling the rest back', () => {
  const whole = { print: wholePrint, spans: chapterSpans(wholePrint, order, new Set(['b']))! }
  // a shrank to 2 pages, c kept 3 but its section moved to its second page.
  const partialPrint = { landed: new Map([['a', 1], ['a-1', 2], ['c', 3], ['c-1', 4]]), pageCount: 5 }
  const merged = mergeMeasures(whole, { print: partialPrint, spans: chapterSpans(partialPrint, ['a', 'c'], new Set())! })!
  assert.deepEqual(Object.fromEntries(merged.print.landed), { contents: 3, a: 4, 'a-1': 5, b: 7, 'b-1': 8, c: 9, 'c-1': 10 })
  assert.equal(merged.print.pageCount, 11)
})

test('a destination of a remeasured chapter missing from its print gives no merge', () => {
  const whole = { print: wholePrint, spans: chapterSpans(wholePrint, order, new Set(['b']))! }
  const partialPrint = { landed: new Map([['b', 1]]), pageCount: 2 }
  assert.equal(mergeMeasures(whole, { print: partialPrint, spans: chapterSpans(partialPrint, ['b'], new Set())! }), undefined)
})

test('the Hungarian PDF at B5, its fixed chapters measured again alone, is the same to the byte as measured again whole', async (context) => {
  const { book: loaded } = await loadBook({ root: bundledHandbook, locales: ['hu'] })
  // At A5 no edition of the bundled book needs a fix after its first print any more (paragraphs of
  // two or three lines are kept whole from the start); the Hungarian one at B5 does.
  const book = { ...loaded!, config: { ...loaded!.config, editions: { ...loaded!.config.editions, trim: 'B5' as const } } }
  const edition = book.editions.find((entry) => entry.locale.tag === 'hu')!
  context.after(() => closeSharedBrowser())
  const partial = await renderPdf({ book, edition })
  assert.ok(partial.partialPrints > 0, 'the first print found fixes, measured again by chapter')
  const whole = await renderPdf({ book, edition }, { wholeBook: true })
  assert.equal(whole.partialPrints, 0)
  assert.ok(whole.prints > partial.prints, `whole: ${whole.prints} prints, partial: ${partial.prints} + ${partial.partialPrints} partial`)
  assert.ok(partial.data.equals(whole.data), 'the same PDF either way')
})
