// The print edition's single HTML document: cover, title pages, contents, chapters, with page numbers filled in.
import { markSourcePositions } from './pdf-overflow.js'
import { dirFor, markDirections } from './direction.js'
import type { Element, ElementContent, Root } from 'hast'
import { h } from 'hastscript'
import { toHtml } from 'hast-util-to-html'
import { toString } from 'hast-util-to-string'
import { visit } from 'unist-util-visit'
import { localize } from '../config/load.js'
import type { TrimSize } from '../config/schema.js'
import { longDate } from '../i18n/dates.js'
import { format } from '../i18n/strings.js'
import { buildDate } from '../output/build-date.js'
import type { Book, Chapter, Edition } from '../model/types.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'
import { hyphenateTree, hyphenationFor } from './hyphenate.js'
import { coverColors, coverCss, coverElements } from './cover-design.js'
import { chapterNotice } from './notices.js'
import { cssString, renderPolicy } from './escape.js'
import { partnerLogo } from './partner-logo.js'

/** Page geometry per trim size, in millimetres (and the body font size). */
export const trims: Record<TrimSize, { width: number; height: number; top: number; bottom: number; inner: number; outer: number; fontSize: string }> = {
  A5: { width: 148, height: 210, top: 18, bottom: 20, inner: 20, outer: 14, fontSize: '9.5pt' },
  B5: { width: 176, height: 250, top: 20, bottom: 22, inner: 22, outer: 16, fontSize: '10pt' },
  A4: { width: 210, height: 297, top: 22, bottom: 25, inner: 25, outer: 20, fontSize: '10.5pt' },
  letter: { width: 215.9, height: 279.4, top: 22, bottom: 25, inner: 25, outer: 20, fontSize: '10.5pt' }
}

/** What the previous print told us: where every anchor landed, and where blank pages go. */
export interface Layout {
  /** Page number (1-based) of each id; empty before the first print. */
  pages: ReadonlyMap<string, number>
  /** Chapters preceded by a blank page so that they open on a right-hand page. */
  blankBefore: ReadonlySet<string>
  /** With roman front matter: the page where arabic numbering starts at 1 (the first body page). */
  firstBodyPage?: number
  /** How many pages the book had in the last print (folio labels are generated for them). */
  pageCount?: number
}

/** What the book prints for physical page `page`: roman numerals before the body when asked for. */
export function pageLabel(page: number | undefined, layout: Layout): string | undefined {
  if (page === undefined) return undefined
  const first = layout.firstBodyPage
  if (first === undefined) return String(page)
  return page < first ? roman(page) : String(page - first + 1)
}

function roman(value: number): string {
  const numerals: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']]
  let rest = value
  let out = ''
  for (const [amount, numeral] of numerals) {
    while (rest >= amount) {
      out += numeral
      rest -= amount
    }
  }
  return out
}

export interface PrintDocument {
  /** The whole document, as a file to load. */
  html: string
  /** What changes from one print to the next, to patch into a page that has the document loaded. */
  patch: { body: string; pageStyle: string }
  /** Heading texts in document order, for clean PDF outline titles. */
  outline: string[]
  /** Every page number the document prints (as printed), by the id it refers to, to verify after printing. */
  references: ReadonlyMap<string, string | undefined>
  /** Chapters that must open on a right-hand page, in order. */
  rectoChapters: string[]
}

export interface PrintOptions {
  book: Book
  edition: Edition
  layout: Layout
  /** `@font-face` rules and the base stylesheets, already joined. */
  css: string
  /** Maps a handbook-relative image path to the URL the print page loads. */
  imageUrl: (ref: string) => string | undefined
  /** Millimetres of bleed around the trim on every side (print-ready output); 0 for screen PDFs. */
  bleed?: number
  /**
   * Kept across the prints of one edition, where only the page numbers and blank pages change: the
   * body is built once (headings shifted, images resolved, hyphenated) and filled in for each print.
   */
  memo?: PrintMemo
}

export interface PrintMemo {
  body?: BodyShape
}

/** The body with a token where each page number goes, and where a blank page may go. */
interface BodyShape {
  html: string
  /** The target of each token, by the token's number. */
  targets: string[]
  outline: string[]
  rectoChapters: string[]
}

/** Placeholder width for a page number not known yet; wide enough for any book of this kind. */
const unknownPage = '000'

/**
 * Where the page number of target `index` goes in a body's shape, and where the blank page before
 * chapter `index` may. U+FFFF never stands in a chapter's text (xml-chars.ts removes it) and
 * serializes as itself.
 */
const pageToken = (index: number): string => `\uffff${index}\ufffe`
const blankToken = (index: number): string => `\uffffb${index}\ufffe`
const tokens = /\uffff(b?)(\d+)\ufffe/g

/** Build the print document of `edition` for the given layout. */
export function printDocument(options: PrintOptions): PrintDocument {
  const { book, edition, layout, memo } = options
  const shape = memo?.body ?? bodyShape(options)
  if (memo) memo.body = shape
  const labels = shape.targets.map((id) => pageLabel(layout.pages.get(id), layout))
  const references = new Map(shape.targets.map((id, index) => [id, labels[index]]))
  const fill = (text: string) =>
    text.replace(tokens, (_, blank: string, index: string) => {
      if (!blank) return labels[Number(index)] ?? unknownPage
      return layout.blankBefore.has(shape.rectoChapters[Number(index)]!) ? '<div class="blank-page"></div>' : ''
    })
  const bodyHtml = fill(shape.html)

  // Running heads and folios: the page rules that depend on where pages fell.
  const pageRules: string[] = []
  const folio = folioContent(layout)
  if (layout.firstBodyPage !== undefined) pageRules.push(folioStyle(layout))
  edition.chapters.forEach((chapter, index) => pageRules.push(runningHeads(edition, chapter, index, layout.pages.get(chapter.id) ?? 0, folio)))

  // The fonts and the fixed page design in one style element, the rules that depend on where pages
  // fell in another: a later print replaces only that one, and the loaded fonts stay.
  const trim = trims[book.config.editions.trim]
  const fixedStyle = [options.css, pageCss(trim, folio, options.bleed ?? 0)].join('\n')
  const pageStyle = pageRules.join('\n')
  // The body goes in serialized once, as it is patched in later.
  const bodyRaw = { type: 'raw', value: bodyHtml } as unknown as ElementContent
  const document: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: edition.locale.tag, dir: edition.locale.dir }, [
        h('head', [h('meta', { charset: 'utf-8' }), h('meta', { httpEquiv: 'Content-Security-Policy', content: renderPolicy(['file:', 'data:']) }), h('title', edition.title), h('style', fixedStyle), h('style#page-style', pageStyle)]),
        h('body', [bodyRaw])
      ])
    ]
  }
  const html = toHtml(document, { allowDangerousHtml: true })
  return { html, patch: { body: bodyHtml, pageStyle }, outline: shape.outline.map(fill), references, rectoChapters: shape.rectoChapters }
}

/** The body of `edition`, its page numbers and blank pages open. */
function bodyShape(options: PrintOptions): BodyShape {
  const { book, edition } = options
  const { strings } = edition
  const lang = edition.locale.tag
  const config = book.config
  const source = book.sourceLocale
  const targets: string[] = []
  const pageOf = (id: string): string => pageToken(targets.push(id) - 1)

  const authors = config.book.authors.map((author) => typeset(localize(author.name, lang, source), lang))
  const publisher = typeset(localize(config.book.publisher, lang, source), lang)
  const body: ElementContent[] = []

  // Front: cover, its blank back, half-title, blank, title page, imprint.
  const logo = partnerLogo(edition)
  // Sized here, not in print.css: only partner editions have one.
  const logoImage = (className: string) => (logo ? [h(`img.${className}`, { src: logo.src, alt: logo.alt, style: 'display: block; max-width: 45%; max-height: 22mm; margin: 6mm auto;' })] : [])
  body.push(
    // The EPUB's cover image and this page are one design (cover-design.ts), sized in pageCss.
    h('section.cover', coverElements({ title: edition.title, subtitle: edition.subtitle, publisher, logo })),
    h('div.blank-page'),
    h('section.book-page.half-title', [h('p', edition.title)]),
    h('div.blank-page'),
    h('section.book-page.title-page', [
      h('p.book-title', edition.title),
      ...(edition.subtitle ? [h('p.book-subtitle', edition.subtitle)] : []),
      ...authors.map((name) => h('p.authors', name)),
      ...logoImage('partner-logo'),
      h('p.publisher', publisher)
    ]),
    imprint(options, publisher)
  )

  // Contents.
  const rectoChapters: string[] = []
  const tocItems: Element[] = []
  for (const chapter of edition.chapters) {
    const label = chapter.number === null ? '' : String(chapter.number)
    const entry = (id: string, number: string, title: string, className: string) =>
      h(`li.${className}`, [
        h('a', { href: `#${id}` }, [h('span.toc-number', number), h('span.toc-title', title), h('span.toc-leader'), h('span.toc-page', pageOf(id))])
      ])
    tocItems.push(entry(chapter.id, label, chapter.title, chapter.kind === 'part' ? 'toc-part' : 'toc-chapter'))
    if (chapter.kind === 'chapter') {
      for (const heading of chapter.headings) {
        if (heading.depth === 2) tocItems.push(entry(heading.id, heading.number ?? '', heading.text, 'toc-section'))
      }
    }
  }
  body.push(h('section.book-page.toc.front', { id: 'contents' }, [h('h1', strings.contents), h('ol', tocItems)]))

  // Chapters and parts, each opening on a right-hand page.
  edition.chapters.forEach((chapter, index) => {
    rectoChapters.push(chapter.id)
    body.push({ type: 'text', value: blankToken(index) }, chapterSection(options, chapter, index, pageOf))
  })

  const bodyTree: Root = { type: 'root', children: body }
  const outline: string[] = []
  visit(bodyTree, 'element', (node: Element) => {
    if (/^h[1-6]$/.test(node.tagName)) outline.push(toString(node).replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim())
  })
  return { html: toHtml(bodyTree), targets, outline, rectoChapters }
}


function imprint(options: PrintOptions, publisher: string): Element {
  const { book, edition } = options
  const { config } = book
  const lang = edition.locale.tag
  const source = book.sourceLocale
  const lines: ElementContent[] = [
    h('p', [h('strong', edition.title), edition.subtitle ? `: ${edition.subtitle}` : '']),
    h('p', format(edition.strings, 'version', { version: config.book.version })),
    h('p', typeset(format(edition.strings, 'build-date', { date: longDate(buildDate(book.root), lang) }), lang)),
    h('p', publisher)
  ]
  const notice = localize(config.book.license.notice, lang, source)
  lines.push(h('p', `${edition.strings.license}: ${notice ? typeset(notice, lang) : config.book.license.name}` + (config.book.license.url ? ` (${config.book.license.url})` : '')))
  const funding = localize(config.book.funding, lang, source)
  if (funding) {
    const fundingLang = typeof config.book.funding === 'object' && !(lang in config.book.funding) ? source : lang
    lines.push(h('p.funding', { lang: fundingLang === lang ? undefined : fundingLang }, typeset(funding, fundingLang)))
  }
  return h('section.book-page.imprint', lines)
}

/** Shift the chapter's headings so the outline nests parts > chapters > sections. */
function shiftHeadings(tree: Root, by: number): void {
  if (by === 0) return
  visit(tree, 'element', (node: Element) => {
    const match = /^h([1-6])$/.exec(node.tagName)
    if (match) node.tagName = `h${Math.min(6, Number(match[1]) + by)}`
  })
}

function chapterSection(options: PrintOptions, chapter: Chapter, index: number, pageOf: (id: string) => string): Element {
  const { book, edition } = options
  const { strings } = edition
  const inPart = chapter.partId !== null && chapter.kind !== 'part'
  const content = structuredClone(chapter.hast)
  // Chapter titles are h1 (h2 inside a part), their sections one level deeper.
  shiftHeadings(content, inPart ? 1 : 0)
  visit(content, 'element', (node: Element) => {
    if (node.tagName === 'img' && typeof node.properties.src === 'string') node.properties.src = options.imageUrl(node.properties.src) ?? ''
  })
  hyphenateTree(content, chapter.lang, hyphenationFor(book))
  markSourcePositions(content)
  visit(content, 'element', (node: Element) => {
    if (node.tagName !== 'a' || typeof node.properties.href !== 'string' || !node.properties.href.startsWith('#')) return
    const classes = Array.isArray(node.properties.className) ? node.properties.className.map(String) : []
    if (classes.includes('glossary-term') || node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined) return
    const id = node.properties.href.slice(1)
    if (!edition.targets.has(id)) return
    // Marked for the hyphenation fixes, which measure again only what a page number changes.
    node.properties.dataPageRef = ''
    // Plain text with no-break spaces, not a span: a link made of one text run gets one link
    // rectangle per line, where Chromium splits mixed runs into rectangles unpredictably.
    node.children.push({ type: 'text', value: ' ' + format(strings, 'on-page', { page: pageOf(id) }).replace(/ /g, '\u00a0') })
  })

  const header: ElementContent[] = []
  if (chapter.number !== null) header.push(h('p.chapter-label', format(strings, 'chapter', { number: chapter.number })))
  header.push(h(inPart ? 'h2.chapter-title' : 'h1.chapter-title', chapter.title))
  const notice: ElementContent[] = []
  const shown = chapterNotice(book, edition, chapter)
  // The notice is in the edition's language, a fallback chapter around it is not.
  const chapterLang = chapter.lang === edition.locale.tag ? undefined : chapter.lang
  const chapterDir = dirFor(chapterLang, edition.locale.dir, book.config)
  if (shown) {
    const noticeLang = chapter.lang === shown.lang ? undefined : shown.lang
    notice.push(h(`p.notice.notice-${shown.kind}`, { lang: noticeLang, dir: noticeLang === undefined ? undefined : dirFor(noticeLang, chapterDir ?? edition.locale.dir, book.config) }, shown.text))
  }
  markDirections(content, chapterDir ?? edition.locale.dir, book.config)
  const className = `${chapter.kind === 'part' ? 'part-opener' : 'chapter'} pg-${index}`
  return h(`section.book-page.${className.replace(/ /g, '.')}`, { id: chapter.id, lang: chapterLang, dir: chapterDir }, [
    ...header,
    ...notice,
    ...(content.children as ElementContent[])
  ])
}

/**
 * Running heads of one chapter: the book title on left pages, the chapter's short title on right
 * pages, neither on the opening page. Chromium has no `string-set`, so each chapter gets a named page;
 * and since `:first` only matches the document's first page, the opening page is blanked by a counter
 * style that prints nothing for that one page number and the title for every other.
 */
function runningHeads(edition: Edition, chapter: Chapter, index: number, openingPage: number, folio: string): string {
  const name = `pg-${index}`
  const heads = [
    ['l', edition.title],
    ['r', chapter.shortTitle]
  ] as const
  const styles = heads
    .map(
      ([side, text]) =>
        `@counter-style ${name}-${side} { system: fixed ${Math.max(1, openingPage)}; symbols: ""; fallback: ${name}-${side}-text; }\n` +
        `@counter-style ${name}-${side}-text { system: cyclic; symbols: ${cssString(text)}; }`
    )
    .join('\n')
  return `.${name} { page: ${name}; }
${styles}
@page ${name}:left { @top-left { content: counter(page, ${name}-l); } @bottom-left { content: ${folio}; } }
@page ${name}:right { @top-right { content: counter(page, ${name}-r); } @bottom-right { content: ${folio}; } }`
}

/** The folio of a page: its number, or its label when the front matter is numbered in roman. */
function folioContent(layout: Layout): string {
  return layout.firstBodyPage === undefined ? 'counter(page)' : 'counter(page, folio)'
}

/** A counter style that prints every page's label ("iv", then "1" from the first body page). */
function folioStyle(layout: Layout): string {
  // A few pages beyond the last print, in case the next one grows; past them, plain numbers.
  const count = (layout.pageCount ?? 0) + 16
  const labels = Array.from({ length: count }, (_, index) => cssString(pageLabel(index + 1, layout)!))
  return `@counter-style folio { system: fixed 1; symbols: ${labels.join(' ')}; fallback: decimal; }`
}

function pageCss(trim: (typeof trims)[TrimSize], folio: string, bleed: number): string {
  // Bleed grows the sheet and every margin alike, so the type area stays where the trim puts it.
  const width = trim.width + 2 * bleed
  const height = trim.height + 2 * bleed
  const [top, bottom, inner, outer] = [trim.top, trim.bottom, trim.inner, trim.outer].map((margin) => margin + bleed)
  // Half a millimetre short of the sheet (one of exactly its height spills a blank page in Chromium);
  // the page's own background fills that strip.
  const cover = coverCss('.cover', { width: trim.width, height: height - 0.5, unit: 'mm', bleed })
  return `:root { --font-size: ${trim.fontSize}; }
${cover}
@page { size: ${width}mm ${height}mm; margin: ${top}mm ${outer}mm ${bottom}mm ${inner}mm;
  @top-left { font: 8pt "Noto Sans", sans-serif; color: #444; vertical-align: bottom; padding-bottom: 4mm; }
  @top-right { font: 8pt "Noto Sans", sans-serif; color: #444; vertical-align: bottom; padding-bottom: 4mm; }
  @bottom-left { font: 8pt "Noto Sans", sans-serif; vertical-align: top; padding-top: 5mm; }
  @bottom-right { font: 8pt "Noto Sans", sans-serif; vertical-align: top; padding-top: 5mm; } }
@page :left { margin-left: ${outer}mm; margin-right: ${inner}mm; }
@page :right { margin-left: ${inner}mm; margin-right: ${outer}mm; }
@page cover { margin: 0; background: ${coverColors.background}; }
@page front:left { @bottom-left { content: ${folio}; } }
@page front:right { @bottom-right { content: ${folio}; } }
.front { page: front; }`
}
