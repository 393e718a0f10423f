// A chapter's Markdown cut into its `##` sections, each with a whitespace-insensitive hash and a word count, without parsing.
import { createHash } from 'node:crypto'
import GithubSlugger from 'github-slugger'
import { parse } from 'yaml'
import type { FrontMatter } from './chapter-file.js'

/** One section of a chapter: the opening (title and text before the first `##`) or a `##` heading with its text. */
export interface Section {
  /** The heading's `{#id}`; `<chapter>--<slug>` without one (as the pipeline makes it); the chapter id for the opening. */
  id: string
  /** Whether the id was written in the file (only those line up reliably across locales). */
  explicit: boolean
  /** The heading text without the id; the chapter title for the opening. */
  title: string
  /** The Markdown of the section as written, heading line included; for the opening, the translatable front matter first. */
  text: string
  /** Hash of `text` with Unicode and whitespace normalized: whitespace-only edits keep it. */
  hash: string
  /** Words of running text, see `countWords`. */
  words: number
  /** 1-based line of the heading in the file (of the first body line for the opening). */
  line: number
}

/** A chapter file as a list of sections. */
export interface ChapterText {
  id: string
  /** `draft: true` in the front matter. */
  draft: boolean
  sections: Section[]
  /** Hash of the ordered section ids and hashes: changes when any section, the order or the set of sections changes. */
  hash: string
}

/** Front matter keys whose values a translator translates; they belong to the opening section. */
const translatableKeys = ['title', 'short-title', 'description'] as const

/**
 * The text a hash is taken of: Unicode NFC, every run of whitespace one space, no leading or
 * trailing whitespace. Re-wrapping lines, indenting or adding blank lines therefore changes nothing.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/** A short, stable content hash (64 bits of SHA-256 in hex) of the normalized text. */
export function hashText(text: string): string {
  return createHash('sha256').update(normalizeText(text)).digest('hex').slice(0, 16)
}

const wordPattern = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu

/**
 * Words of running text in Markdown, counted without parsing: the `readerText`, in which every
 * run of letters and digits (with inner `'`, `’`, `.` or `-`) is one word.
 */
export function countWords(markdown: string): number {
  return readerText(markdown).match(wordPattern)?.length ?? 0
}

/**
 * Markdown without the markup a reader never sees: `{#id}` and other attribute blocks, link and
 * image destinations, footnote markers, HTML comments and tags, directive names such as `:::figure`
 * or `:term`. What is left is the running text (with some punctuation), good for counting words
 * and finding terms without parsing.
 */
export function readerText(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/\{[^{}\n]*\}/g, ' ')
    .replace(/\]\([^()\s]*(?:\s+"[^"]*")?\)/g, '] ')
    .replace(/\[\^[^\]\s]+\]:?/g, ' ')
    .replace(/(^|\s|\()(:{1,})[A-Za-z][\w-]*/g, '$1 ')
}

const fenceOpen = /^ {0,3}(`{3,}|~{3,})(.*)$/
const sectionHeading = /^ {0,3}##(?:[ \t]+(.*?))?[ \t]*$/
const anyHeading = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/
const explicitId = /[ \t]*\{#([^}\s]*)\}[ \t]*$/
const closingHashes = /(?:^|[ \t]+)#+[ \t]*$/

/** The heading text of an ATX heading line's content: without a closing `#` sequence and without `{#id}`. */
function headingParts(content: string): { text: string; id: string | undefined } {
  let text = content.replace(closingHashes, '')
  const match = explicitId.exec(text)
  const id = match ? match[1] : undefined
  if (match) text = text.slice(0, match.index)
  return { text: text.trim(), id: id === '' ? undefined : id }
}

/** Plain text of inline Markdown, close enough to what the pipeline slugs. */
function plainInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/:[A-Za-z][\w-]*\[([^\]]*)\](\{[^}]*\})?/g, '$1')
    .replace(/[*_`~]/g, '')
}

/**
 * Cut a chapter into sections. `body` is the Markdown after the front matter, with the front
 * matter lines kept as empty lines so line numbers are true (as `readChapterFile` gives it).
 * A section starts at every `##` line outside fenced code; the pipeline numbers the same headings.
 */
export function splitChapter(chapterId: string, body: string, frontMatter: Partial<FrontMatter> | undefined): ChapterText {
  // Line endings are whitespace too: a file saved with CRLF is the same text.
  const lines = body.split(/\r\n?|\n/)
  const slugger = new GithubSlugger()
  const starts: { line: number; id: string; explicit: boolean; title: string }[] = []
  let fence: { char: string; length: number } | undefined
  lines.forEach((line, index) => {
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined
      return
    }
    const open = fenceOpen.exec(line)
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      fence = { char: open[1]![0]!, length: open[1]!.length }
      return
    }
    const heading = anyHeading.exec(line)
    if (!heading) return
    const { text, id } = headingParts(heading[2] ?? '')
    // Every heading feeds the slugger, as in the pipeline, so repeated texts get the same suffixes.
    const finalId = id ?? `${chapterId}--${slugger.slug(plainInline(text)) || 'section'}`
    if (id) slugger.slug(id)
    if (sectionHeading.test(line)) starts.push({ line: index, id: finalId, explicit: id !== undefined, title: plainInline(text) })
  })

  const head = translatableKeys
    .filter((key) => frontMatter?.[key] !== undefined)
    .map((key) => `${key}: ${frontMatter![key]}`)
    .join('\n')
  const firstBodyLine = lines.findIndex((line) => line.trim() !== '')
  const openingEnd = starts[0]?.line ?? lines.length
  const openingBody = lines.slice(0, openingEnd).join('\n').trim()
  const opening = [head, openingBody].filter(Boolean).join('\n\n')
  // The front matter keys are markup, not words: count the values only.
  const openingWords = translatableKeys.reduce((sum, key) => sum + countWords(frontMatter?.[key] ?? ''), 0) + countWords(openingBody)
  const sections: Section[] = [
    { id: chapterId, explicit: true, title: frontMatter?.title ?? chapterId, text: opening, hash: hashText(opening), words: openingWords, line: (firstBodyLine < 0 ? 0 : Math.min(firstBodyLine, openingEnd)) + 1 }
  ]
  starts.forEach((start, index) => {
    const end = starts[index + 1]?.line ?? lines.length
    const text = lines.slice(start.line, end).join('\n').trim()
    sections.push({ id: start.id, explicit: start.explicit, title: start.title, text, hash: hashText(text), words: countWords(text), line: start.line + 1 })
  })
  return {
    id: chapterId,
    draft: frontMatter?.draft === true,
    sections,
    hash: hashText(sections.map((section) => `${section.id} ${section.hash}`).join('\n'))
  }
}

const frontMatterBlock = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/

/**
 * A whole chapter file (front matter and body) as sections. The front matter is read for its
 * translatable keys and `draft` only; checking it is `handbook check`'s business, so a broken one
 * is reported in `problem` and counts as empty.
 */
export function chapterFromRaw(chapterId: string, raw: string): { text: ChapterText; problem?: string } {
  const source = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  const match = frontMatterBlock.exec(source)
  if (!match) return { text: splitChapter(chapterId, source, undefined) }
  // The front matter's lines stay as empty lines, so section lines are the file's lines.
  const body = '\n'.repeat(match[0].split('\n').length - 1) + source.slice(match[0].length)
  let data: Partial<FrontMatter> = {}
  let problem: string | undefined
  try {
    const value: unknown = parse(match[1] ?? '')
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>
      const text = (key: string) => (typeof record[key] === 'string' || typeof record[key] === 'number' ? String(record[key]) : undefined)
      data = { title: text('title'), 'short-title': text('short-title'), description: text('description'), draft: record.draft === true }
    }
  } catch (error) {
    problem = `Cannot parse the front matter: ${(error as Error).message.split('\n')[0]}`
  }
  return { text: splitChapter(chapterId, body, data), problem }
}

/**
 * Pair each source section with the translation's: by id; a heading without an explicit id in both
 * (ids made from translated text differ) pairs by position. `section` gives an item's id and whether
 * it is explicit, for the lists of sections that status and the translation exchange each keep.
 */
export function matchSections<T>(source: readonly T[], translation: readonly T[], section: (item: T) => Pick<Section, 'id' | 'explicit'>): (T | undefined)[] {
  const byId = new Map(translation.map((item) => [section(item).id, item]))
  const taken = new Set<T>()
  const result = source.map((item) => {
    const own = byId.get(section(item).id)
    if (own) taken.add(own)
    return own
  })
  source.forEach((item, index) => {
    const candidate = translation[index]
    if (result[index] || section(item).explicit || candidate === undefined || section(candidate).explicit || taken.has(candidate)) return
    result[index] = candidate
    taken.add(candidate)
  })
  return result
}
