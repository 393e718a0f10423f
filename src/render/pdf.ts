// The print edition: one PDF per locale, printed by Chromium, with page numbers from a first print.
import { temporaryPrefix } from '../output/leftovers.js'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFString,
  ParseSpeeds
} from 'pdf-lib'
import { localize } from '../config/load.js'
import type { Book, Edition } from '../model/types.js'
import { buildDate } from '../output/build-date.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'
import { toolVersion } from '../tool-root.js'
import type { Page } from 'puppeteer'
import { browserTimeout, sharedBrowser, openPage, type PageProblem } from './chromium.js'
import { fontFaceCss, fontFiles } from './fonts.js'
import { breakFixCss, breakViolations, namedDestinations } from './pdf-breaks.js'
import { overflowProbe, reportOverflow, textWidthStyle, type Overflow } from './pdf-overflow.js'
import { markParagraphs, paragraphPlaces, strandedLines, type StrandedLine } from './pdf-widows.js'
import { chapterAt, chapterSpans, mergeMeasures, showOnlyChapters, type Measure, type Span } from './pdf-remeasure.js'
import { limitHyphenRuns, replayHyphenEdits, reportHyphenRuns, type HyphenRunReport } from './pdf-hyphen-runs.js'
import { cleanTextLayer, markPaginationArtifacts, StreamEdits } from './pdf-text.js'
import { markUntaggedArtifacts, retagFigureGroups, setXmpMetadata } from './pdf-tagging.js'
import { pageLabel, printDocument, trims, type Layout, type PrintMemo } from './print-document.js'
import { markPrintBoxes, printShopFiles, type PrintShopFiles } from './print-ready.js'
import { readStyles } from './styles.js'
import type { OutputUnit, RenderContext, Renderer } from './types.js'
import { refUrl } from '../pipeline/plugins/remark-images.js'
import { fail, warn } from '../report/messages.js'

/** Bleed of print-ready PDFs, the usual 3 mm. */
const bleedMillimetres = 3

const pointsPerMillimetre = 72 / 25.4

/** Prints after the first, to settle page numbers that moved the text they are in. */
const maxPrints = 6

/** The PDF's path in the output folder. */
export function pdfPath(book: Book, edition: Edition): string {
  return `pdf/${book.config.book.id}-${book.config.book.version}-${edition.locale.tag}.pdf`
}

export const pdfRenderer: Renderer = {
  format: 'pdf',
  async renderEdition(context: RenderContext): Promise<OutputUnit[]> {
    const { data, shop } = await renderPdf(context)
    const file = pdfPath(context.book, context.edition)
    // For a print shop (`--print-ready`): `<book>-<version>-<locale>-print.pdf` (the PDF/X book block),
    // `...-cover.pdf`, and `...-bleed.pdf` (the tagged PDF with the same bleed and marks, for proofs).
    // None of them has the reading PDF's name: a print-ready build leaves that file as it is.
    const files = shop
      ? [
          { path: file.replace(/\.pdf$/, '-print.pdf'), data: shop.block.data },
          { path: file.replace(/\.pdf$/, '-cover.pdf'), data: shop.cover.data },
          { path: file.replace(/\.pdf$/, '-bleed.pdf'), data }
        ]
      : [{ path: file, data }]
    return files.map((entry) => ({ path: entry.path, isDirectory: false, locale: context.edition.locale.tag, files: [entry] }))
  }
}

export interface PdfResult {
  data: Buffer
  /** How many times Chromium printed the book (2 when the first print's numbers held). */
  prints: number
  /** Prints of only the chapters a break fix changed, between the first and the final print. */
  partialPrints: number
  /** The final print document, for benchmarks that print it other ways. */
  html: string
  /** With `--print-ready`: the PDF/X book block and cover for a print shop. */
  shop?: PrintShopFiles
}

/**
 * Print the edition until every printed page number is the page its target landed on. With
 * `wholeBook`, every measuring print is of the whole book (tests compare that with the partial prints).
 */
export async function renderPdf(context: RenderContext, options: { wholeBook?: boolean } = {}): Promise<PdfResult> {
  const { book, edition } = context
  const css = fontFaceCss((font) => pathToFileURL(font.source).href) + (await readStyles(['base.css', 'content.css', 'print.css']))
  const images = new Map<string, string>()
  // Chapters name images by their URL form (`refUrl`), which is the path itself for plain names.
  for (const chapter of edition.chapters) for (const asset of chapter.assets) images.set(refUrl(asset.ref), pathToFileURL(asset.source).href)

  const workDirectory = await mkdtemp(temporaryPrefix('print'))
  // The page may load its own HTML, the fonts and the book's images, and nothing else.
  const allowed = new Set([...fontFiles.map((font) => pathToFileURL(font.source).href), ...images.values()])
  const workUrl = pathToFileURL(workDirectory).href + '/'
  const reported = new Set<string>()
  // Opened inside the try: a browser that fails right here still leaves no print folder behind.
  let page: Page | undefined
  let opening: Promise<Page> | undefined
  try {
    const { browser } = await sharedBrowser()
    opening = openPage(browser, {
      allow: (url) => allowed.has(url) || url.startsWith(workUrl),
      onProblem: (problem: PageProblem) => {
        // Every print repeats the same problems; report each once.
        if (reported.has(problem.text) || !context.file) return
        reported.add(problem.text)
        warn(context.file, `Chromium: ${problem.text}`, undefined, `pdf-${problem.kind}`)
      }
    })
    let layout: Layout = { pages: new Map(), blankBefore: new Set() }
    const memo: PrintMemo = {}
    const bleed = context.printReady ? bleedMillimetres : 0
    // Built while Chromium opens the page.
    const firstDocument = printDocument({ book, edition, layout, css, imageUrl: (ref) => images.get(ref), memo, bleed })
    page = await opening
    // Targets that ended a page in a full print: the next prints start a page with them.
    const breakBefore = new Set<string>()
    const trim = trims[book.config.editions.trim]
    const textWidth = trim.width - trim.inner - trim.outer
    const lineHeight = parseFloat(trim.fontSize) * 1.5
    const sheet = { height: (trim.height + 2 * bleed) * pointsPerMillimetre, blockBottom: (trim.top + trim.bottom + 2 * bleed) * pointsPerMillimetre }
    // Hidden prints cost a third of a full one: they repeat while page breaks are being added.
    let probe = true
    let hyphenRuns: HyphenRunReport = { kept: 0, left: [], edits: [] }
    let measuredBody: string | undefined
    // Paragraphs that left a single line alone on a page in a measuring print: kept whole from then on.
    const whole = new Set<number>()
    // The single lines the latest measuring print of each chapter found, by page of that chapter.
    let stranded: PlacedLine[] = []
    let partialPrints = 0

    /** What a measuring print tells: where things landed, and the break rules and single lines it broke. */
    const measure = (parsed: PDFDocument) => {
      const named = namedDestinations(parsed)
      return {
        print: { landed: new Map(named.map(({ name, page }) => [name, page])), pageCount: parsed.getPageCount() },
        violations: breakViolations(named, edition, { top: trim.top + bleed, bottom: trim.bottom + bleed }, lineHeight),
        stranded: strandedLines(named, sheet, lineHeight)
      }
    }
    const printPdf = async (final: boolean) => {
      const pdf = Buffer.from(await page!.pdf({ preferCSSPageSize: true, printBackground: true, tagged: final, outline: final, timeout: browserTimeout() }))
      return PDFDocument.load(pdf, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false })
    }
    /**
     * The fixes a measuring print asks for that no earlier print did (for `marks`, single lines as
     * well as break rules): kept for every later print, and returned.
     */
    const takeFixes = (measured: ReturnType<typeof measure>, marks: boolean): { page: number }[] => {
      const unfixed = measured.violations.filter((violation) => !breakBefore.has(violation.id))
      const newlyStranded = marks ? measured.stranded.filter((line) => !whole.has(line.index)) : []
      for (const violation of unfixed) breakBefore.add(violation.id)
      for (const line of newlyStranded) whole.add(line.index)
      return [...unfixed, ...newlyStranded]
    }
    /** The layout of the next print from where a print of the document laid out with `from` put things. */
    const nextLayout = (print: Measure, from: Layout, rectoChapters: readonly string[]): Layout => {
      const next: Layout = settle(print.landed, rectoChapters, from.blankBefore)
      if (book.config.editions['roman-front-matter']) {
        const firstBody = edition.chapters.find((chapter) => chapter.matter === 'body')
        next.firstBodyPage = firstBody ? next.pages.get(firstBody.id) : undefined
        next.pageCount = print.pageCount + next.blankBefore.size - from.blankBefore.size
      }
      return next
    }
    /**
     * After a measuring print of the whole book found new fixes: prints, in the same hidden page,
     * only the chapters they change, again while that finds new fixes in them, and gives the whole
     * book's destinations as a print of it would. Undefined where that cannot be told (a fix outside
     * the chapters, a destination missing): a print of the whole book is then the next measure.
     */
    const remeasure = async (from: Measure, chapters: readonly string[], fixes: readonly { page: number }[]): Promise<Measure | undefined> => {
      const spans = chapterSpans(from, chapters, layout.blankBefore)
      if (!spans) return undefined
      let current = { print: from, spans }
      let changed = new Set(fixes.map((fix) => chapterAt(spans, fix.page)))
      for (let round = 0; changed.size > 0; round++) {
        if (changed.has(undefined) || round >= maxPrints) return undefined
        const shown = chapters.filter((id) => changed.has(id))
        await page!.evaluate(`[${showOnlyChapters(shown, breakFixCss(breakBefore))}, ${markParagraphs([...whole], false)}]`)
        const measured = measure(await printPdf(false))
        partialPrints++
        const partSpans = chapterSpans(measured.print, shown, new Set())
        const merged = partSpans && mergeMeasures(current, { print: measured.print, spans: partSpans })
        if (!partSpans || !merged) return undefined
        stranded = [...stranded.filter((line) => !changed.has(line.chapter)), ...placeLines(measured.stranded, partSpans)]
        changed = new Set(takeFixes(measured, true).map((fix) => chapterAt(partSpans, fix.page)))
        current = merged
      }
      return current.print
    }

    for (let print = 1; ; print++) {
      context.signal?.throwIfAborted()
      const document = print === 1 ? firstDocument : printDocument({ book, edition, layout, css, imageUrl: (ref) => images.get(ref), memo, bleed })
      const fixes = breakFixCss(breakBefore)
      document.patch.pageStyle += '\n' + fixes
      // The first print only tells where things land: tagging and the outline are for the final one.
      const final: boolean = !probe
      if (final) {
        // The page keeps the fonts the first print loaded: no reload, no waiting for them again.
        await page.evaluate(patchPage, document.patch)
      } else {
        // Hidden content lays out exactly as visible content does, but Chromium paints none of it:
        // the first print costs a third of a full one and still carries every named destination.
        const htmlPath = path.join(workDirectory, 'book.html')
        await writeFile(htmlPath, document.html.replace('</head>', `<style id="probe">${probeStyle}</style><style>${fixes}</style><style>${textWidthStyle(textWidth)}</style></head>`))
        await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: browserTimeout() })
        await page.evaluate('document.fonts.ready')
      }
      // Laid out at the text block's width, the document shows its lines as the print will break
      // them: content too wide for the page is found (once, it does not change between prints), and
      // every print, final or hidden, keeps words whole where a third hyphenated line in a row would
      // end. One evaluate for both: each costs a layout of the whole book.
      // The paragraph marks come last: the hyphenation fixes change lines. A final print of the body
      // the last print measured makes the same hyphenation fixes again without measuring.
      if (final && measuredBody === document.patch.body) {
        await page.evaluate(`[${replayHyphenEdits(hyphenRuns.edits)}, ${markParagraphs([...whole], false)}]`)
      } else {
        // The prints' bodies differ only in their page numbers and blank pages (one memo builds
        // them), so they have the same lines but in the paragraphs that show a number: after the
        // first, only those are measured again.
        const earlier = measuredBody === undefined ? undefined : hyphenRuns
        const measured = (await page.evaluate(`({ overflow: ${print === 1 ? overflowProbe : '[]'}, runs: ${limitHyphenRuns(earlier)}, short: ${markParagraphs([...whole], !final)} })`)) as { overflow: Overflow[]; runs: HyphenRunReport; short: number[] }
        if (context.file) reportOverflow(context.file, edition, measured.overflow)
        // Paragraphs too short to break are kept whole from their measuring print on, unmarked.
        for (const index of measured.short) whole.add(index)
        hyphenRuns = measured.runs
        measuredBody = document.patch.body
      }
      const parsed = await printPdf(final)
      const measured = measure(parsed)
      const { landed } = measured.print
      const next = nextLayout(measured.print, layout, document.rectoChapters)
      // Every print, the painted or the hidden one, tells where each target stands on its page.
      const violations = measured.violations
      // Only a measuring print carries the paragraph marks; the final one lays out as the last of them.
      if (!final) stranded = placeLines(measured.stranded, chapterSpans(measured.print, document.rectoChapters, layout.blankBefore))
      const newFixes = takeFixes(measured, !final)
      const numbersHold =
        next.blankBefore.size === layout.blankBefore.size &&
        [...next.blankBefore].every((id) => layout.blankBefore.has(id)) &&
        next.firstBodyPage === layout.firstBodyPage &&
        [...document.references].every(([id, printed]) => printed === pageLabel(landed.get(id), layout))
      const settled = numbersHold && newFixes.length === 0
      if ((settled && final) || print >= maxPrints) {
        if (!numbersHold) throw new Error(`Cannot settle page numbers after ${maxPrints} prints: the layout keeps moving`)
        if (context.file) {
          for (const violation of violations) {
            const { target } = violation
            warn(context.file, `Page ${violation.page}: the ${violation.what} \`${target.title}\` (${target.sourceFile}${target.position ? `:${target.position.start.line}` : ''}) ends the page, apart from what follows it; shorten the text before it or move it`, target.position, 'page-break')
          }
        }
        if (context.file) reportHyphenRuns(context.file, edition, hyphenRuns.left)
        if (context.file && stranded.length > 0) {
          const places = (await page.evaluate(paragraphPlaces(stranded.map((line) => line.index)))) as { chapter: string; src: string | null }[]
          stranded.forEach((line, index) => {
            const place = places[index]
            const chapter = edition.chapters.find((entry) => entry.id === place?.chapter)
            const [row, column] = (place?.src ?? '').split(':').map(Number)
            const where = `${chapter?.sourceFile ?? place?.chapter ?? ''}${place?.src ? `:${place.src}` : ''}`
            const pageNumber = line.chapter === undefined ? line.page : (landed.get(line.chapter) ?? 1) + line.page
            const message = warn(context.file!, `Page ${pageNumber}: a single line of the paragraph at \`${where}\` stands alone at the page ${line.where}, though the paragraph was kept whole; shorten the text before it or move it`, row && column ? { line: row, column } : undefined, 'page-break')
            if (chapter) message.file = chapter.sourceFile
          })
        }
        reportUnresolvedPages(context, document.references)
        const pageCount = parsed.getPageCount()
        if (bleed > 0) markPrintBoxes(parsed, trim, bleed)
        const data = await finish(parsed, book, edition, document.outline, layout)
        const lang = edition.locale.tag
        const shop = context.printReady
          ? await printShopFiles({ page, book, edition, css, data, pageCount, trim, bleed, workDirectory, title: edition.title, publisher: typeset(localize(book.config.book.publisher, lang, book.sourceLocale), lang), description: localize(book.config.book.description, lang, book.sourceLocale), timeout: browserTimeout(), date: buildDate(book.root) })
          : undefined
        if (shop && context.file) for (const result of [shop.block, shop.cover]) if (result.messages) warn(context.file, `Ghostscript: ${result.messages}`, undefined, 'pdf-ghostscript')
        return { data, prints: print, partialPrints, html: document.html, shop }
      }
      probe = newFixes.length > 0
      if (probe && !final && !options.wholeBook) {
        // The fixes move only the chapters they are in: those are measured again alone.
        const remeasured = await remeasure(measured.print, document.rectoChapters, newFixes)
        if (remeasured) {
          layout = nextLayout(remeasured, layout, document.rectoChapters)
          probe = false
          continue
        }
      }
      layout = next
    }
  } finally {
    await (page ?? (await opening?.catch(() => undefined)))?.close().catch(() => undefined)
    await rm(workDirectory, { recursive: true, force: true })
  }
}

/** A single line alone at a page top or bottom, by its chapter and page within it (front matter: by page). */
interface PlacedLine extends StrandedLine {
  chapter?: string
}

/** Lines of a print placed by chapter (pages counted from the chapter's first, 0-based), where the chapters are known. */
function placeLines(lines: readonly StrandedLine[], spans: ReadonlyMap<string, Span> | undefined): PlacedLine[] {
  return lines.map((line) => {
    const chapter = spans && chapterAt(spans, line.page)
    return chapter === undefined ? line : { ...line, chapter, page: line.page - spans!.get(chapter)!.start }
  })
}

/** A page number the print could not find is an error: the contents or an "on page" shows a placeholder. */
function reportUnresolvedPages(context: RenderContext, references: ReadonlyMap<string, string | undefined>): void {
  const missing = [...references].filter(([, label]) => label === undefined).map(([id]) => id)
  if (missing.length === 0) return
  const message = `Cannot find the page of ${missing.map((id) => `\`#${id}\``).join(', ')} in the print: Chromium wrote no destination for ${missing.length === 1 ? 'it' : 'them'}; report this as a bug of the tool`
  if (context.file) fail(context.file, message, undefined, 'page-number-unresolved')
  else throw new Error(message)
}

/** Hides all content of the first print without changing its layout. */
const probeStyle = 'html, body, body * { visibility: hidden !important; }'

/**
 * Runs in the page: the next print's body and page rules replace the loaded ones, and the probe
 * style goes. The fonts' style element stays, so the fonts stay loaded.
 */
function patchPage(patch: { body: string; pageStyle: string }): void {
  // The DOM as far as this function uses it (the project compiles without the DOM library).
  interface Node {
    textContent: string | null
    innerHTML: string
    remove(): void
  }
  const page = (globalThis as unknown as { document: { body: Node; getElementById(id: string): Node | null } }).document
  page.getElementById('probe')?.remove()
  page.getElementById('page-style')!.textContent = patch.pageStyle
  page.body.innerHTML = patch.body
}

/**
 * From where things landed, the layout of the next print: a blank page before every chapter that
 * opened on a left-hand (even) page, and every page number shifted by the blanks added before it.
 */
export function settle(
  landed: ReadonlyMap<string, number>,
  rectoChapters: readonly string[],
  blankBefore: ReadonlySet<string>
): { pages: Map<string, number>; blankBefore: Set<string>; firstBodyPage?: number; pageCount?: number } {
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
async function finish(document: PDFDocument, book: Book, edition: Edition, outline: readonly string[], layout: Layout): Promise<Buffer> {
  const { config, sourceLocale } = book
  const lang = edition.locale.tag
  const date = buildDate(book.root)
  // The title bar shows the title, not the file name (PDF/UA): the viewer preference and both the
  // information dictionary and the XMP metadata carry it.
  const title = edition.subtitle ? `${edition.title}: ${edition.subtitle}` : edition.title
  const authors = config.book.authors.map((author) => typeset(localize(author.name, lang, sourceLocale), lang))
  const description = localize(config.book.description, lang, sourceLocale)
  const keywords = (config.book.keywords ?? []).map((keyword) => localize(keyword, lang, sourceLocale))
  const producer = `handbook ${toolVersion()}`
  const creator = `handbook ${toolVersion()} (Chromium)`
  document.setTitle(title, { showInWindowTitleBar: true })
  document.setAuthor(authors.join('; '))
  if (description) document.setSubject(typeset(description, lang))
  document.setKeywords(keywords)
  document.setProducer(producer)
  document.setCreator(creator)
  document.setCreationDate(date)
  document.setModificationDate(date)
  document.setLanguage(lang)
  setXmpMetadata(document, { title, lang, authors, description: description ? typeset(description, lang) : undefined, keywords, producer, creator, date })
  retagFigureGroups(document)
  cleanOutline(document, outline)
  // One inflate and one deflate per stream for both edits.
  const edits = new StreamEdits(document)
  markPaginationArtifacts(document, edits)
  markUntaggedArtifacts(document, edits)
  cleanTextLayer(document, edits)
  await edits.commit()
  renumberStructureIds(document)
  if (layout.firstBodyPage !== undefined) {
    // Viewers then show the printed folios: i, ii, ... and 1 from the first body page.
    const { context } = document
    const labels = context.obj({ Nums: [0, context.obj({ S: 'r' }), layout.firstBodyPage - 1, context.obj({ S: 'D' })] })
    document.catalog.set(PDFName.of('PageLabels'), labels)
  }
  return Buffer.from(await document.save({ useObjectStreams: false, objectsPerTick: Infinity }))
}

/**
 * Chromium names structure elements after DOM node numbers, which count every node the browser
 * made before, in any page: renumber them in order so the same book gives the same bytes,
 * whatever else the browser printed first or alongside.
 */
function renumberStructureIds(document: PDFDocument): void {
  const pattern = /^node\d+$/
  const isId = (value: unknown): value is PDFString | PDFHexString => (value instanceof PDFString || value instanceof PDFHexString) && pattern.test(value.decodeText())
  const objects = document.context.enumerateIndirectObjects().map(([, object]) => object)
  const found = new Set<string>()
  for (const object of objects) {
    const id = object instanceof PDFDict ? object.get(PDFName.of('ID')) : undefined
    if (isId(id)) found.add(id.decodeText())
  }
  const width = Math.max(8, String(found.size).length)
  const renamed = new Map([...found].sort().map((id, index) => [id, PDFString.of(`node${String(index + 1).padStart(width, '0')}`)]))
  // The ids also stand in the ID tree and in table cells' /Headers, possibly nested in direct objects.
  const visit = (object: unknown): void => {
    if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) {
        const replacement = isId(value) ? renamed.get(value.decodeText()) : undefined
        if (replacement) object.set(key, replacement)
        else visit(value)
      }
    } else if (object instanceof PDFArray) {
      for (let index = 0; index < object.size(); index++) {
        const value = object.get(index)
        const replacement = isId(value) ? renamed.get(value.decodeText()) : undefined
        if (replacement) object.set(index, replacement)
        else visit(value)
      }
    }
  }
  for (const object of objects) visit(object)
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

