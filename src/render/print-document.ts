// The print edition's single HTML document: cover, title pages, contents, chapters, with page numbers filled in.
import type { Element, ElementContent, Root } from 'hast'
import { h } from 'hastscript'
import { toHtml } from 'hast-util-to-html'
import { toString } from 'hast-util-to-string'
import { visit } from 'unist-util-visit'
import { localize } from '../config/load.js'
import type { TrimSize } from '../config/schema.js'
import { format } from '../i18n/strings.js'
import type { Book, Chapter, Edition } from '../model/types.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'
import { hyphenateTree } from './hyphenate.js'

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
}

export interface PrintDocument {
  html: string
  /** Heading texts in document order, for clean PDF outline titles. */
  outline: string[]
  /** Every page number the document prints, by the id it refers to (to verify them after printing). */
  references: ReadonlyMap<string, number | undefined>
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
}

/** Placeholder width for a page number not known yet; wide enough for any book of this kind. */
const unknownPage = '000'

function cssString(value: string): string {
  return '"' + value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\A ') + '"'
}

/** Build the print document of `edition` for the given layout. */
export function printDocument(options: PrintOptions): PrintDocument {
  const { book, edition, layout } = options
  const { strings } = edition
  const lang = edition.locale.tag
  const config = book.config
  const source = book.sourceLocale
  const references = new Map<string, number | undefined>()
  const pageOf = (id: string): string => {
    const page = layout.pages.get(id)
    references.set(id, page)
    return page === undefined ? unknownPage : String(page)
  }

  const authors = config.book.authors.map((author) => typeset(localize(author.name, lang, source), lang))
  const publisher = typeset(localize(config.book.publisher, lang, source), lang)
  const body: ElementContent[] = []

  // Front: cover, its blank back, half-title, blank, title page, imprint.
  body.push(
    h('section.cover', [
      h('p.cover-title', edition.title),
      ...(edition.subtitle ? [h('p.cover-subtitle', edition.subtitle)] : []),
      h('p.cover-publisher', publisher)
    ]),
    h('div.blank-page'),
    h('section.book-page.half-title', [h('p', edition.title)]),
    h('div.blank-page'),
    h('section.book-page.title-page', [
      h('p.book-title', edition.title),
      ...(edition.subtitle ? [h('p.book-subtitle', edition.subtitle)] : []),
      ...authors.map((name) => h('p.authors', name)),
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
  const pageRules: string[] = []
  edition.chapters.forEach((chapter, index) => {
    rectoChapters.push(chapter.id)
    if (layout.blankBefore.has(chapter.id)) body.push(h('div.blank-page'))
    body.push(chapterSection(options, chapter, index, pageOf))
    pageRules.push(runningHeads(edition, chapter, index, layout.pages.get(chapter.id) ?? 0))
  })

  const trim = trims[config.editions.trim]
  const css = [
    options.css,
    pageCss(trim),
    pageRules.join('\n')
  ].join('\n')
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang, dir: edition.locale.dir }, [
        h('head', [h('meta', { charset: 'utf-8' }), h('title', edition.title), h('style', css)]),
        h('body', body)
      ])
    ]
  }
  const outline: string[] = []
  visit(tree, 'element', (node: Element) => {
    if (/^h[1-6]$/.test(node.tagName)) outline.push(toString(node).replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim())
  })
  return { html: toHtml(tree), outline, references, rectoChapters }
}


function imprint(options: PrintOptions, publisher: string): Element {
  const { book, edition } = options
  const { config } = book
  const lang = edition.locale.tag
  const source = book.sourceLocale
  const lines: ElementContent[] = [
    h('p', [h('strong', edition.title), edition.subtitle ? `: ${edition.subtitle}` : '']),
    h('p', format(edition.strings, 'version', { version: config.book.version })),
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
  const content = structuredClone(chapter.hast)
  const inPart = chapter.partId !== null && chapter.kind !== 'part'
  // Chapter titles are h1 (h2 inside a part), their sections one level deeper.
  shiftHeadings(content, inPart ? 1 : 0)
  visit(content, 'element', (node: Element) => {
    if (node.tagName === 'img' && typeof node.properties.src === 'string') {
      node.properties.src = options.imageUrl(node.properties.src) ?? ''
    }
    if (node.tagName !== 'a' || typeof node.properties.href !== 'string' || !node.properties.href.startsWith('#')) return
    const classes = Array.isArray(node.properties.className) ? node.properties.className.map(String) : []
    if (classes.includes('glossary-term') || node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined) return
    const id = node.properties.href.slice(1)
    if (!edition.targets.has(id)) return
    node.children.push(h('span.page-ref', ' ' + format(strings, 'on-page', { page: pageOf(id) })))
  })
  hyphenateTree(content, chapter.lang)

  const header: ElementContent[] = []
  if (chapter.number !== null) header.push(h('p.chapter-label', format(strings, 'chapter', { number: chapter.number })))
  header.push(h(inPart ? 'h2.chapter-title' : 'h1.chapter-title', chapter.title))
  const notice: ElementContent[] = []
  if (chapter.isFallback) {
    const sourceLabel = book.config.locales.find((locale) => locale.tag === book.sourceLocale)?.label ?? book.sourceLocale
    notice.push(h('p.notice.notice-fallback', format(strings, 'not-translated', { language: edition.locale.label, source: sourceLabel })))
  }
  const className = `${chapter.kind === 'part' ? 'part-opener' : 'chapter'} pg-${index}`
  return h(`section.book-page.${className.replace(/ /g, '.')}`, { id: chapter.id, lang: chapter.lang === edition.locale.tag ? undefined : chapter.lang }, [
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
function runningHeads(edition: Edition, chapter: Chapter, index: number, openingPage: number): string {
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
@page ${name}:left { @top-left { content: counter(page, ${name}-l); } @bottom-left { content: counter(page); } }
@page ${name}:right { @top-right { content: counter(page, ${name}-r); } @bottom-right { content: counter(page); } }`
}

function pageCss(trim: (typeof trims)[TrimSize]): string {
  return `:root { --font-size: ${trim.fontSize}; --cover-height: ${trim.height - 0.5}mm; }
@page { size: ${trim.width}mm ${trim.height}mm; margin: ${trim.top}mm ${trim.outer}mm ${trim.bottom}mm ${trim.inner}mm;
  @top-left { font: 8pt "Noto Sans", sans-serif; color: #444; vertical-align: bottom; padding-bottom: 4mm; }
  @top-right { font: 8pt "Noto Sans", sans-serif; color: #444; vertical-align: bottom; padding-bottom: 4mm; }
  @bottom-left { font: 8pt "Noto Sans", sans-serif; vertical-align: top; padding-top: 5mm; }
  @bottom-right { font: 8pt "Noto Sans", sans-serif; vertical-align: top; padding-top: 5mm; } }
@page :left { margin-left: ${trim.outer}mm; margin-right: ${trim.inner}mm; }
@page :right { margin-left: ${trim.inner}mm; margin-right: ${trim.outer}mm; }
@page cover { margin: 0; }
@page front:left { @bottom-left { content: counter(page); } }
@page front:right { @bottom-right { content: counter(page); } }
.front { page: front; }`
}
