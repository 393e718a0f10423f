// The prebuilt search index of a locale: one document per section, words folded, shipped as a script for file:// pages.
import type { Element, ElementContent, Root, RootContent } from 'hast'
import type { Chapter, Edition } from '../../model/types.js'
import { entryLabel } from './navigation.js'
import { normalizeTerm } from './normalize.js'

/** A searchable piece of a chapter: the text under one heading (or glossary entry, or the notes). */
export interface SearchDocument {
  chapterId: string
  /** The id to link to, or `''` for the top of the chapter. */
  anchor: string
  title: string
  text: string
}

const documentsByTree = new WeakMap<Root, SearchDocument[]>()

/** The search documents of a chapter; cached per content tree, which fallback chapters share with the source. */
export function chapterDocuments(chapter: Chapter): SearchDocument[] {
  const cached = documentsByTree.get(chapter.hast)
  if (cached && cached[0]?.title === chapter.title) return cached
  const documents: SearchDocument[] = []
  let current: SearchDocument = { chapterId: chapter.id, anchor: '', title: chapter.title, text: '' }
  const start = (anchor: string, title: string) => {
    if (current.text.trim() || current.title) documents.push(current)
    current = { chapterId: chapter.id, anchor, title, text: '' }
  }
  const add = (node: RootContent | ElementContent) => {
    current.text += ' ' + textOf(node)
  }
  for (const node of chapter.hast.children) {
    if (node.type !== 'element') {
      add(node)
      continue
    }
    const id = typeof node.properties.id === 'string' ? node.properties.id : undefined
    if ((node.tagName === 'h2' || node.tagName === 'h3') && id) start(id, textOf(node).trim())
    else if (node.tagName === 'dl') {
      for (const child of node.children) {
        if (child.type === 'element' && child.tagName === 'dt' && typeof child.properties.id === 'string') start(child.properties.id, textOf(child).trim())
        else add(child)
      }
    } else if (node.tagName === 'section' && node.properties.dataFootnotes !== undefined) {
      const label = node.children.find((child): child is Element => child.type === 'element' && /^h[1-6]$/.test(child.tagName))
      start(label && typeof label.properties.id === 'string' ? label.properties.id : '', label ? textOf(label).trim() : '')
      for (const child of node.children) if (child !== label) add(child)
    } else add(node)
  }
  start('', '')
  for (const document of documents) document.text = document.text.replace(/\s+/g, ' ').trim()
  documentsByTree.set(chapter.hast, documents)
  return documents
}

/** Running text of a node, without footnote reference numbers and back-links. */
function textOf(node: RootContent | ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type !== 'element') return ''
  if (node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined) return ''
  const inner = node.children.map(textOf).join('')
  // Block elements separate words even when the Markdown put no space between them.
  return /^(p|li|dt|dd|h[1-6]|td|th|caption|figcaption|div|aside|section|blockquote|tr)$/.test(node.tagName) ? ` ${inner} ` : inner
}

/** How much more a word of a section's title counts than a word of its text. */
const titleWeight = 3

/** The folded words of a text; the twin of `tokenize` in client/search-engine.js. */
export function tokenize(text: string): string[] {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).map(normalizeTerm).filter((term) => term !== '')
}

/** A document's words with their weights (title words count `titleWeight` times), and its length. */
interface IndexedDocument {
  document: SearchDocument
  weights: Map<string, number>
  length: number
}

const indexedByTree = new WeakMap<Root, IndexedDocument[]>()

function indexedDocuments(chapter: Chapter): IndexedDocument[] {
  const cached = indexedByTree.get(chapter.hast)
  const documents = chapterDocuments(chapter)
  if (cached && cached[0]?.document === documents[0]) return cached
  const indexed = documents.map((document) => {
    const weights = new Map<string, number>()
    for (const term of tokenize(document.title)) weights.set(term, (weights.get(term) ?? 0) + titleWeight)
    const words = tokenize(document.text)
    for (const term of words) weights.set(term, (weights.get(term) ?? 0) + 1)
    return { document, weights, length: words.length + titleWeight * tokenize(document.title).length }
  })
  indexedByTree.set(chapter.hast, indexed)
  return indexed
}

/**
 * The data the client reads: chapters by id; documents as `[chapter, anchor, title, text]` with their
 * lengths; the sorted terms and, for each, its postings as a flat list of (document, weight) pairs.
 */
export interface SearchData {
  locale: string
  chapters: Record<string, { label: string; lang?: string }>
  documents: [string, string, string, string][]
  lengths: number[]
  terms: string[]
  postings: number[][]
}

/**
 * Build the search data of an edition. Deterministic: same chapters, same bytes. A chapter's words are
 * indexed once per content tree, so a rebuild after one chapter changed indexes that chapter alone.
 */
export function searchData(edition: Edition): SearchData {
  const indexed = edition.chapters.flatMap(indexedDocuments)
  const postings = new Map<string, number[]>()
  indexed.forEach((entry, index) => {
    for (const [term, weight] of entry.weights) {
      let list = postings.get(term)
      if (!list) postings.set(term, (list = []))
      list.push(index, weight)
    }
  })
  // Sorted by code units, as the client's binary search compares them.
  const terms = [...postings.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const chapters: SearchData['chapters'] = {}
  for (const chapter of edition.chapters) {
    chapters[chapter.id] = chapter.lang === edition.locale.tag ? { label: entryLabel(chapter) } : { label: entryLabel(chapter), lang: chapter.lang }
  }
  return {
    locale: edition.locale.tag,
    chapters,
    documents: indexed.map(({ document }) => [document.chapterId, document.anchor, document.title, document.text]),
    lengths: indexed.map((entry) => entry.length),
    terms,
    postings: terms.map((term) => postings.get(term)!)
  }
}

/** The index as a script that sets `window.handbookSearch`: pages opened from file:// can load scripts, not fetch JSON. */
export function searchIndexScript(edition: Edition): string {
  return `/* Search index of the ${edition.locale.tag} edition, generated by handbook. */\nwindow.handbookSearch = ${JSON.stringify(searchData(edition))};\n`
}
