// A chapter as the body of an EPUB content document: links mapped to files, EPUB 3 notes, semantics for reading systems.
import type { Element, ElementContent, Properties, Root } from 'hast'
import { h } from 'hastscript'
import { visit } from 'unist-util-visit'
import type { Book, Chapter, Edition } from '../../model/types.js'
import { chapterNotice } from '../notices.js'
import { format } from '../../i18n/strings.js'

/** An image of the book as the EPUB stores it. */
export interface EpubImage {
  /** The image's path relative to the handbook folder, as in the model. */
  ref: string
  /** Absolute path of the file. */
  source: string
  /** Its file name in the package's `images/` folder, without the extension. */
  id: string
  extension: string
  mediaType: string
  /** Its path relative to the content documents: `images/<id>.<extension>`. */
  href: string
}

export interface ChapterPage {
  /** The body's children. */
  body: Root
  /** The language of the chapter's text (the source locale for a fallback chapter). */
  lang: string
  /** `frontmatter`, `bodymatter` or `backmatter`, for the `<body>`. */
  matter: string
  /** Link targets this edition lacks: the links were replaced by their text. */
  droppedLinks: string[]
}

/** The file name of a chapter's content document. `toc.xhtml` is the navigation document's. */
export function chapterFile(chapterId: string): string {
  // Chapter ids cannot contain `_`, so this cannot clash with another chapter.
  return chapterId === 'toc' ? 'toc_.xhtml' : `${chapterId}.xhtml`
}

/** `epub:type` and DPUB-ARIA role of a chapter's section: only where the kind says what it is. */
function semantics(chapter: Chapter): Properties {
  if (chapter.kind === 'part') return { 'epub:type': 'part', role: 'doc-part' }
  if (chapter.kind === 'glossary') return { 'epub:type': 'glossary', role: 'doc-glossary' }
  if (chapter.matter === 'body') return { 'epub:type': 'chapter', role: 'doc-chapter' }
  return {}
}

function classList(node: Element): string[] {
  const value: unknown = node.properties.className
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []
}

function collectIds(tree: Root): Set<string> {
  const ids = new Set<string>()
  visit(tree, 'element', (node: Element) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id)
  })
  return ids
}

/**
 * The content document body of `chapter`. Works on a copy: the model's tree is shared by
 * every renderer and by the fallback chapters of other locales.
 */
export function chapterPage(book: Book, edition: Edition, chapter: Chapter, images: ReadonlyMap<string, EpubImage>): ChapterPage {
  const { strings } = edition
  const content = structuredClone(chapter.hast)
  const ownIds = collectIds(content)
  ownIds.add(chapter.id)
  const droppedLinks = rewrite(content, edition, chapter, ownIds, images)
  convertFootnotes(content)

  const header: ElementContent[] = []
  // The label is in the edition's language, which a fallback chapter's text is not.
  const own = chapter.lang === edition.locale.tag ? {} : { lang: edition.locale.tag, xmlLang: edition.locale.tag }
  if (chapter.number !== null) header.push(h('p.chapter-label', own, format(strings, 'chapter', { number: chapter.number })))
  header.push(h('h1.chapter-title', chapter.title))
  const section = h(`section.chapter.chapter-${chapter.kind}`, { id: chapter.id, ...semantics(chapter) }, [
    h('header.chapter-header', header),
    ...(content.children as ElementContent[])
  ])

  const children: ElementContent[] = []
  const notice = chapterNotice(book, edition, chapter)
  if (notice) {
    // The notice is in the edition's language; a fallback chapter around it is not.
    children.push(h(`p.notice.notice-${notice.kind}`, { lang: notice.lang, xmlLang: notice.lang, dir: edition.locale.dir === 'rtl' ? 'rtl' : undefined, role: 'note' }, notice.text))
  }
  children.push(section)
  return { body: { type: 'root', children }, lang: chapter.lang, matter: `${chapter.matter}matter`, droppedLinks }
}

/** Links to their files, images to the package, and the markup reading systems understand. Returns the targets it could not find. */
function rewrite(tree: Root, edition: Edition, chapter: Chapter, ownIds: Set<string>, images: ReadonlyMap<string, EpubImage>): string[] {
  const dropped: string[] = []
  visit(tree, 'element', (node: Element, index, parent) => {
    const { properties } = node
    if (node.tagName === 'a' && typeof properties.href === 'string' && properties.href.startsWith('#')) {
      const id = properties.href.slice(1)
      const target = edition.targets.get(id)
      if (target && target.chapterId !== chapter.id) properties.href = `${chapterFile(target.chapterId)}#${id}`
      else if (!target && !ownIds.has(id) && parent && index !== undefined) {
        // A target this edition lacks (a term its glossary does not define): keep the words, drop the link.
        dropped.push(id)
        parent.children.splice(index, 1, ...node.children)
        return index
      }
      if (properties.dataFootnoteRef !== undefined) Object.assign(properties, { 'epub:type': 'noteref', role: 'doc-noteref' })
      if (classList(node).includes('glossary-term')) Object.assign(properties, { 'epub:type': 'glossref', role: 'doc-glossref' })
    } else if (node.tagName === 'img') {
      const image = typeof properties.src === 'string' ? images.get(properties.src) : undefined
      if (!image && parent && index !== undefined) {
        parent.children.splice(index, 1)
        return index
      }
      if (image) properties.src = image.href
    } else if (node.tagName === 'aside' && classList(node).includes('callout')) {
      // Several unnamed asides on one page are indistinguishable landmarks; a note is what they are.
      properties.role = classList(node).includes('callout-tip') ? 'doc-tip' : 'note'
    } else if (node.tagName === 'label' && classList(node).includes('task-label')) {
      taskItem(node, ownIds)
      return 'skip'
    } else if (node.tagName === 'input' && properties.type === 'checkbox') {
      // A box outside a task item (raw HTML would not keep one): drawn, and silent, as it names nothing.
      Object.assign(node, drawnBox(properties.checked === true))
      node.properties.ariaHidden = 'true'
    } else if ((node.tagName === 'td' || node.tagName === 'th') && typeof properties.align === 'string') {
      // `align` is obsolete in XHTML5; a class carries the column's alignment.
      properties.className = [...classList(node), `align-${properties.align}`]
      delete properties.align
    }
    return undefined
  })
  return dropped
}

/** A drawn box in place of a checkbox: a form control cannot be ticked in a book. */
function drawnBox(checked: boolean): Element {
  return h('span', { className: checked ? ['task-box', 'task-box-checked'] : ['task-box'] }, checked ? '✓' : ' ')
}

/**
 * A task item's `<label>` (rehype-task-list) with its box drawn: the box keeps the checkbox's role and
 * state for screen readers, and its words, given an id, stay its accessible name (`aria-labelledby`).
 */
function taskItem(label: Element, ownIds: Set<string>): void {
  const index = label.children.findIndex((child) => child.type === 'element' && child.tagName === 'input')
  const input = label.children[index] as Element | undefined
  const checked = input?.properties.checked === true
  let number = 1
  while (ownIds.has(`task-${number}`)) number++
  const id = `task-${number}`
  ownIds.add(id)
  const box = drawnBox(checked)
  Object.assign(box.properties, { role: 'checkbox', ariaChecked: checked ? 'true' : 'false', ariaDisabled: 'true', ariaLabelledBy: [id] })
  const words = label.children.filter((_, position) => position !== index)
  // The space after the box belongs to the layout, not to the name.
  const first = words[0]
  if (first?.type === 'text') first.value = first.value.replace(/^\s+/, '')
  label.tagName = 'span'
  label.properties = { className: ['task-label'] }
  label.children = [box, { type: 'text', value: ' ' }, h('span', { id }, words)]
}

/**
 * remark-rehype's footnote list becomes EPUB 3 notes: each item an `<aside epub:type="footnote">`
 * that reading systems can show as a pop-up, numbered, with its back-links marked as such.
 */
function convertFootnotes(tree: Root): void {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'section' || node.properties.dataFootnotes === undefined) return
    const heading = findHeadingId(node)
    node.properties = { className: ['footnotes'], 'epub:type': 'footnotes', ariaLabelledBy: heading ? [heading] : undefined }
    const notes: ElementContent[] = []
    for (const child of node.children) {
      if (child.type !== 'element' || child.tagName !== 'ol') {
        notes.push(child)
        continue
      }
      let number = 0
      for (const item of child.children) {
        if (item.type !== 'element' || item.tagName !== 'li') continue
        number++
        notes.push(footnote(item, number))
      }
    }
    node.children = notes
  })
  visit(tree, 'element', (node: Element) => {
    for (const key of Object.keys(node.properties)) if (key.startsWith('data')) delete node.properties[key]
  })
}

function findHeadingId(section: Element): string | undefined {
  const heading = section.children.find((child): child is Element => child.type === 'element' && /^h[1-6]$/.test(child.tagName))
  return typeof heading?.properties.id === 'string' ? heading.properties.id : undefined
}

function footnote(item: Element, number: number): Element {
  visit(item, 'element', (node: Element) => {
    if (node.tagName !== 'a' || node.properties.dataFootnoteBackref === undefined) return
    node.properties.role = 'doc-backlink'
    // "↩" is in no embedded font; "↑" is, and says the same.
    for (const child of node.children) if (child.type === 'text') child.value = child.value.replace('↩', '↑')
  })
  const label = h('span.footnote-number', `${number}.`)
  const first = item.children.find((child): child is Element => child.type === 'element')
  if (first?.tagName === 'p') first.children.unshift(label, { type: 'text', value: ' ' })
  else item.children.unshift(label)
  return h('aside.footnote', { id: item.properties.id, 'epub:type': 'footnote', role: 'doc-footnote' }, item.children)
}
