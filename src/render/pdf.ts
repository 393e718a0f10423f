// The print edition: one PDF per locale, printed by Chromium, with page numbers from a first print.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef } from 'pdf-lib'
import { localize } from '../config/load.js'
import type { Book, Edition } from '../model/types.js'
import { buildDate } from '../output/build-date.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'
import { toolVersion } from '../commands/doctor.js'
import { sharedBrowser, openPage, type PageProblem } from './chromium.js'
import { fontFaceCss, fontFiles } from './fonts.js'
import { printDocument, type Layout } from './print-document.js'
import { readStyles } from './styles.js'
import type { OutputUnit, RenderContext, Renderer } from './types.js'
import { warn } from '../report/messages.js'

/** How long one print may take before it counts as hung. */
const printTimeout = 120_000
/** Prints after the first, to settle page numbers that moved the text they are in. */
const maxPrints = 4

/** The PDF's path in the output folder. */
export function pdfPath(book: Book, edition: Edition): string {
  return `pdf/${book.config.book.id}-${book.config.book.version}-${edition.locale.tag}.pdf`
}

export const pdfRenderer: Renderer = {
  format: 'pdf',
  async renderEdition(context: RenderContext): Promise<OutputUnit[]> {
    const data = await renderPdf(context)
    return [{ path: pdfPath(context.book, context.edition), isDirectory: false, locale: context.edition.locale.tag, files: [{ path: pdfPath(context.book, context.edition), data }] }]
  }
}

/** Print the edition until every printed page number is the page its target landed on. */
export async function renderPdf(context: RenderContext): Promise<Buffer> {
  const { book, edition } = context
  const css = fontFaceCss((font) => pathToFileURL(font.source).href) + (await readStyles(['base.css', 'print.css']))
  const images = new Map<string, string>()
  for (const chapter of edition.chapters) for (const asset of chapter.assets) images.set(asset.ref, pathToFileURL(asset.source).href)

  const workDirectory = await mkdtemp(path.join(tmpdir(), 'handbook-print-'))
  // The page may load its own HTML, the fonts and the book's images, and nothing else.
  const allowed = new Set([...fontFiles.map((font) => pathToFileURL(font.source).href), ...images.values()])
  const workUrl = pathToFileURL(workDirectory).href + '/'
  const reported = new Set<string>()
  const { browser } = await sharedBrowser()
  const page = await openPage(browser, {
    allow: (url) => allowed.has(url) || url.startsWith(workUrl),
    onProblem: (problem: PageProblem) => {
      // Every print repeats the same problems; report each once.
      if (reported.has(problem.text) || !context.file) return
      reported.add(problem.text)
      warn(context.file, `Chromium: ${problem.text}`, undefined, `pdf-${problem.kind}`)
    }
  })
  try {
    let layout: Layout = { pages: new Map(), blankBefore: new Set() }
    for (let print = 1; ; print++) {
      context.signal?.throwIfAborted()
      const document = printDocument({ book, edition, layout, css, imageUrl: (ref) => images.get(ref) })
      const htmlPath = path.join(workDirectory, 'book.html')
      await writeFile(htmlPath, document.html)
      await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: printTimeout })
      await page.evaluate('document.fonts.ready')
      const pdf = Buffer.from(await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true, timeout: printTimeout }))
      const parsed = await PDFDocument.load(pdf)
      const landed = destinations(parsed)
      const next = settle(landed, document.rectoChapters, layout.blankBefore)
      const settled =
        next.blankBefore.size === layout.blankBefore.size &&
        [...next.blankBefore].every((id) => layout.blankBefore.has(id)) &&
        [...document.references].every(([id, printed]) => printed === landed.get(id))
      if (settled || print >= maxPrints) {
        if (!settled) throw new Error(`Cannot settle page numbers after ${maxPrints} prints: the layout keeps moving`)
        return await finish(parsed, book, edition, document.outline)
      }
      layout = next
    }
  } finally {
    await page.close().catch(() => undefined)
    await rm(workDirectory, { recursive: true, force: true })
  }
}

/** Page number (1-based) of every named destination: Chromium writes one per link target. */
export function destinations(document: PDFDocument): Map<string, number> {
  const pages = new Map(document.getPages().map((page, index) => [page.ref.toString(), index + 1]))
  const result = new Map<string, number>()
  const dests = document.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict)
  if (!dests) return result
  for (const [name, value] of dests.entries()) {
    const target = document.context.lookup(value)
    const array = target instanceof PDFArray ? target : target instanceof PDFDict ? target.lookupMaybe(PDFName.of('D'), PDFArray) : undefined
    const pageRef = array?.get(0)
    if (pageRef instanceof PDFRef) {
      const page = pages.get(pageRef.toString())
      if (page !== undefined) result.set(name.decodeText(), page)
    }
  }
  return result
}

/**
 * From where things landed, the layout of the next print: a blank page before every chapter that
 * opened on a left-hand (even) page, and every page number shifted by the blanks added before it.
 */
export function settle(landed: ReadonlyMap<string, number>, rectoChapters: readonly string[], blankBefore: ReadonlySet<string>): Layout {
  const blanks = new Set(blankBefore)
  const starts = rectoChapters.map((id) => ({ id, page: landed.get(id) }))
  // Shift at each chapter start, in page order.
  const shifts: { from: number; by: number }[] = []
  let shift = 0
  for (const { id, page } of starts) {
    if (page === undefined) continue
    if ((page + shift) % 2 === 0) {
      // Toggling the blank before this chapter moves it (and all after it) by one page.
      const by = blanks.has(id) ? -1 : 1
      if (by > 0) blanks.add(id)
      else blanks.delete(id)
      shift += by
      shifts.push({ from: page, by })
    }
  }
  const pages = new Map<string, number>()
  for (const [id, page] of landed) {
    let moved = page
    for (const step of shifts) if (page >= step.from) moved += step.by
    pages.set(id, moved)
  }
  return { pages, blankBefore: blanks }
}

/** Metadata, clean outline titles and fixed dates; the result is the final file. */
async function finish(document: PDFDocument, book: Book, edition: Edition, outline: readonly string[]): Promise<Buffer> {
  const { config, sourceLocale } = book
  const lang = edition.locale.tag
  const date = buildDate(book.root)
  document.setTitle(edition.subtitle ? `${edition.title}: ${edition.subtitle}` : edition.title, { showInWindowTitleBar: true })
  document.setAuthor(config.book.authors.map((author) => typeset(localize(author.name, lang, sourceLocale), lang)).join('; '))
  const description = localize(config.book.description, lang, sourceLocale)
  if (description) document.setSubject(typeset(description, lang))
  document.setKeywords((config.book.keywords ?? []).map((keyword) => localize(keyword, lang, sourceLocale)))
  document.setProducer(`handbook ${toolVersion()}`)
  document.setCreator(`handbook ${toolVersion()} (Chromium)`)
  document.setCreationDate(date)
  document.setModificationDate(date)
  document.setLanguage(lang)
  cleanOutline(document, outline)
  return Buffer.from(await document.save({ useObjectStreams: false }))
}

/**
 * Chromium builds the outline from the headings but can drop the space where a heading wrapped;
 * the titles are set again from the headings' text, in document order.
 */
function cleanOutline(document: PDFDocument, titles: readonly string[]): void {
  const root = document.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)
  if (!root) return
  const items: PDFDict[] = []
  const walk = (item: PDFDict | undefined) => {
    for (let current = item; current; current = current.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      items.push(current)
      walk(current.lookupMaybe(PDFName.of('First'), PDFDict))
    }
  }
  walk(root.lookupMaybe(PDFName.of('First'), PDFDict))
  if (items.length !== titles.length) {
    for (const item of items) {
      const title = item.lookup(PDFName.of('Title'))
      const text = title instanceof PDFHexString ? title.decodeText() : String(title ?? '')
      item.set(PDFName.of('Title'), PDFHexString.fromText(text.replace(/\u00ad/g, '')))
    }
    return
  }
  items.forEach((item, index) => item.set(PDFName.of('Title'), PDFHexString.fromText(titles[index]!)))
}

