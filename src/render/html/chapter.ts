// A chapter's page: its content with links mapped to pages, heading anchors, the fallback notice and previous/next.
import { dirFor, markDirections } from '../direction.js'
import type { Element, ElementContent, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { h } from 'hastscript'
import { visit } from 'unist-util-visit'
import { format } from '../../i18n/strings.js'
import type { Book, Chapter, Edition } from '../../model/types.js'
import { chapterNotice } from '../notices.js'
import { page } from './document.js'
import { editLink } from './downloads.js'
import { langOf, neighbours, pager } from './navigation.js'
import { pageInLocale, pageOf } from './paths.js'

/** Headings that get a visible "#" link to themselves. */
const anchoredHeadings = new Set(['h2', 'h3', 'h4'])

/** The complete page of `chapter` in `edition`. */
export function chapterPage(book: Book, edition: Edition, chapter: Chapter): string {
  const { previous, next } = neighbours(edition, chapter)
  return page({
    book,
    edition,
    chapterId: chapter.id,
    title: `${chapter.title} – ${edition.title}`,
    description: chapter.description,
    kind: ['page-chapter', chapter.kind === 'chapter' ? '' : `.page-${chapter.kind}`, chapter.isFallback ? '.page-fallback' : ''].join(''),
    sidebar: true,
    previous: previous ? pageOf(previous.id) : undefined,
    next: next ? pageOf(next.id) : undefined,
    main: chapterMain(book, edition, chapter)
  })
}

function chapterMain(book: Book, edition: Edition, chapter: Chapter): ElementContent[] {
  const { strings } = edition
  const contentLang = langOf(edition, chapter)
  // Interface text inside content of another language carries the edition's language.
  const uiLang = contentLang ? edition.locale.tag : undefined
  const content = structuredClone(chapter.hast)
  relink(content, book, edition, chapter)
  decorate(content, format(strings, 'heading-link'), uiLang)
  const contentDir = dirFor(contentLang, edition.locale.dir, book.config)
  markDirections(content, contentDir ?? edition.locale.dir, book.config)

  const heading: ElementContent[] = []
  if (chapter.number !== null) heading.push(h('p.chapter-label', { lang: uiLang }, format(strings, 'chapter', { number: chapter.number })))
  heading.push(h('h1', chapter.title))
  const main: ElementContent[] = []
  const notice = chapterNotice(book, edition, chapter)
  if (notice) main.push(h(`p.notice.notice-${notice.kind}`, { role: 'note' }, notice.text))
  main.push(h(`article.chapter.chapter-${chapter.kind}`, { lang: contentLang, dir: contentDir }, [h('header.chapter-header', heading), ...(content.children as ElementContent[])]))
  const edit = editLink(book, edition, chapter)
  if (edit) main.push(edit)
  main.push(pager(edition, chapter))
  return main
}

/** Point in-book links at the page that holds their target, and images at the shared media folder. */
function relink(tree: Root, book: Book, edition: Edition, chapter: Chapter): void {
  visit(tree, 'element', (node: Element) => {
    const { properties } = node
    if (node.tagName === 'a' && typeof properties.href === 'string' && properties.href.startsWith('#')) {
      const id = properties.href.slice(1)
      const target = edition.targets.get(id)
      if (target) {
        if (target.chapterId !== chapter.id) properties.href = target.id === target.chapterId ? pageOf(target.chapterId) : `${pageOf(target.chapterId)}#${id}`
        return
      }
      // A fallback chapter may point at an id its translated neighbours lack: lead to the source edition.
      const source = chapter.isFallback ? book.editions.find((candidate) => candidate.isSource) : undefined
      const original = source?.targets.get(id)
      if (source && original && original.chapterId !== chapter.id) {
        properties.href = `${pageInLocale(source.locale.tag, original.chapterId)}${original.id === original.chapterId ? '' : `#${id}`}`
        properties.hrefLang = source.locale.tag
      }
    } else if (node.tagName === 'img' && typeof properties.src === 'string' && properties.src !== '') {
      properties.src = `../media/${properties.src}`
      properties.loading = 'lazy'
    }
  })
}

/**
 * Add what reading on screen needs: a "#" link in each section heading, and keyboard access
 * (a focusable, labelled region) to tables and code that scroll sideways on narrow screens.
 */
function decorate(tree: Root, anchorLabel: string, uiLang: string | undefined): void {
  visit(tree, 'element', (node: Element) => {
    const { properties } = node
    const classes = Array.isArray(properties.className) ? properties.className.map(String) : []
    if (anchoredHeadings.has(node.tagName) && typeof properties.id === 'string' && !classes.includes('footnotes-title')) {
      // A no-break space keeps the anchor on the heading's last line.
      node.children.push({ type: 'text', value: '\u00a0' }, h('a.heading-anchor', { href: `#${properties.id}`, ariaLabel: anchorLabel, lang: uiLang }, '#'))
      return 'skip'
    }
    if ((node.tagName === 'div' && classes.includes('table-float')) || node.tagName === 'pre') {
      const caption = node.tagName === 'div' ? findCaption(node) : undefined
      properties.tabIndex = 0
      if (caption) {
        properties.role = 'region'
        properties.ariaLabel = toString(caption).trim()
      }
      return 'skip'
    }
    return undefined
  })
}

function findCaption(node: Element): Element | undefined {
  let caption: Element | undefined
  visit(node, 'element', (child: Element) => {
    if (!caption && child.tagName === 'caption') caption = child
  })
  return caption
}
