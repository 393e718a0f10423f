// Cutting a chapter into translatable segments (front matter values, headings, paragraphs, list items, table cells, captions, footnotes) with their source offsets and protected inline codes.
import type { Nodes, Parent, PhrasingContent, Root } from 'mdast'
import { isMap, isScalar, parseDocument, type Scalar } from 'yaml'
import { VFile } from 'vfile'
import { chapterFromRaw, matchSections, type Section } from '../content/sections.js'
import { defaultStrings } from '../i18n/defaults.js'
import { createProcessor, type ChapterProcessor } from '../pipeline/processor.js'

/**
 * One protected piece of Markdown inside a segment. `open`/`close` enclose translatable text (the
 * text of a link, a glossary term, an emphasis, an image's alt text); `ph` stands alone (a
 * cross-reference, a footnote marker, code, inline HTML, an interface string's `{name}`); `lb` is a
 * hard line break. Ids are numbered 1, 2, ... in source order; an open and its close share one.
 */
export interface Code {
  id: number
  kind: 'open' | 'close' | 'ph' | 'lb'
  /** The Markdown bytes the code stands for. */
  code: string
  /** What it is, for CAT tools (`x-md-link`, `bold`, ...). */
  ctype: string
}

/** A segment's content: translatable Markdown text and codes, in order. */
export type Part = string | Code

export type SegmentKind = 'title' | 'short-title' | 'description' | 'heading' | 'paragraph' | 'alt-text' | 'list-item' | 'table-cell' | 'caption' | 'footnote' | 'term' | 'definition' | 'string'

export interface Segment {
  /** `<chapter>/<section>/<n>`, `<chapter>/<chapter>/title` (front matter) or `strings/<key>`. */
  id: string
  kind: SegmentKind
  parts: Part[]
  /** Offsets of the segment's Markdown in the file text (without a byte order mark); for a front matter value, of its YAML scalar. */
  start: number
  end: number
  /** 1-based line and column of `start`. */
  line: number
  column: number
}

export interface SegmentedSection {
  /** The section id, as the tracking names it. */
  id: string
  section: Section
  /** Body segments (for the opening: after the front matter values). */
  segments: Segment[]
  /** The front matter values (the opening only), by key. */
  front: Map<string, FrontValue>
  /** Offsets of the section's Markdown: from its heading line (the body's first line for the opening) to the next section. */
  start: number
  end: number
}

/** A translatable front matter value: its text, and where its YAML scalar is. */
export interface FrontValue {
  key: string
  value: string
  start: number
  end: number
  /** Whether the scalar is written plain (unquoted). */
  plain: boolean
}

export interface SegmentedChapter {
  id: string
  /** The file text without a byte order mark. */
  text: string
  bom: boolean
  /** Offsets of the front matter block (`---` to `---` and its line end); 0, 0 when there is none. */
  frontStart: number
  frontEnd: number
  /** The YAML between the fences: its start offset, and the offset where a new key may be inserted. */
  yamlStart: number
  yamlEnd: number
  newline: string
  sections: SegmentedSection[]
  /** `kind: glossary`: headings are terms, paragraphs definitions. */
  glossary: boolean
}

export const frontKeys = ['title', 'short-title', 'description'] as const

let processor: ChapterProcessor | undefined

/** The project's Markdown parser (remark with GFM and directives), without its transforms. */
function parseMarkdown(text: string): Root {
  processor ??= createProcessor({ locale: 'en', strings: defaultStrings })
  return processor.parse(new VFile({ value: text })) as Root
}

const frontMatterBlock = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/

/** Line and column (1-based) of every offset, by a table of line starts. */
export function lineColumn(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0]
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === 10) starts.push(index + 1)
  return (offset) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid]! <= offset) low = mid
      else high = mid - 1
    }
    return { line: low + 1, column: offset - starts[low]! + 1 }
  }
}

const headingId = /[ \t]*\{#[^}\s]*\}[ \t]*$/

/** Segment a chapter file's text. */
export function segmentChapter(chapterId: string, raw: string): SegmentedChapter {
  const bom = raw.charCodeAt(0) === 0xfeff
  const text = bom ? raw.slice(1) : raw
  const newline = text.includes('\r\n') ? '\r\n' : '\n'
  const match = frontMatterBlock.exec(text)
  const frontEnd = match ? match[0].length : 0
  const yamlStart = match ? match[0].indexOf('\n') + 1 : 0
  const yamlEnd = match ? yamlStart + (match[1] !== undefined ? match[1].length + (match[0].slice(yamlStart + match[1].length).startsWith('\r\n') ? 2 : 1) : 0) : 0
  const front = new Map<string, FrontValue>()
  let glossary = false
  if (match) {
    const yamlText = match[1] ?? ''
    const document = parseDocument(yamlText, { keepSourceTokens: false })
    if (document.errors.length === 0 && isMap(document.contents)) {
      for (const pair of document.contents.items) {
        if (!isScalar(pair.key) || !isScalar(pair.value)) continue
        const key = String(pair.key.value)
        const scalar = pair.value as Scalar
        if (key === 'kind' && scalar.value === 'glossary') glossary = true
        if (!(frontKeys as readonly string[]).includes(key) || scalar.range === undefined || scalar.range === null) continue
        if (typeof scalar.value !== 'string' && typeof scalar.value !== 'number') continue
        front.set(key, { key, value: String(scalar.value), start: yamlStart + scalar.range[0], end: yamlStart + scalar.range[1], plain: scalar.type === 'PLAIN' })
      }
    }
  }
  const { text: tracked } = chapterFromRaw(chapterId, text)
  const position = lineColumn(text)
  // Section starts as offsets: the opening starts after the front matter.
  const lineStarts = [0]
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === 10) lineStarts.push(index + 1)
  const sectionStarts = tracked.sections.map((section, index) => (index === 0 ? frontEnd : lineStarts[section.line - 1] ?? text.length))
  const sections: SegmentedSection[] = tracked.sections.map((section, index) => ({
    id: section.id,
    section,
    segments: [],
    front: index === 0 ? front : new Map(),
    start: sectionStarts[index]!,
    end: sectionStarts[index + 1] ?? text.length
  }))

  const body = text.slice(frontEnd)
  const tree = parseMarkdown(body)
  const found: { kind: SegmentKind; start: number; end: number; parts: Part[] }[] = []
  const inline = (kind: SegmentKind, children: readonly PhrasingContent[], start?: number, end?: number) => {
    if (children.length === 0) return
    let from = start ?? children[0]!.position!.start.offset!
    let to = end ?? children.at(-1)!.position!.end.offset!
    if (kind === 'heading' || kind === 'term') {
      // `{#id}` belongs to the heading, not to its text.
      const idMatch = headingId.exec(body.slice(from, to))
      if (idMatch) to = from + idMatch.index
    }
    // Leading and trailing blanks stay outside, so a translator's spacing cannot glue lines together.
    while (from < to && /\s/.test(body[from]!)) from++
    while (to > from && /\s/.test(body[to - 1]!)) to--
    if (from >= to) return
    const parts: Part[] = []
    let next = 1
    const push = (code: Omit<Code, 'id'>, id: number) => parts.push({ ...code, id })
    const addText = (a: number, b: number) => {
      if (b <= a) return
      const value = body.slice(a, b)
      const last = parts.at(-1)
      if (typeof last === 'string') parts[parts.length - 1] = last + value
      else parts.push(value)
    }
    const walk = (nodes: readonly Nodes[], a: number, b: number) => {
      let cursor = a
      for (const node of nodes) {
        const s = Math.max(node.position!.start.offset!, a)
        const e = Math.min(node.position!.end.offset!, b)
        if (e <= s) continue
        addText(cursor, s)
        cursor = e
        const raw = body.slice(s, e)
        const kids = 'children' in node ? (node.children as Nodes[]) : []
        const first = kids[0]?.position?.start.offset
        const lastEnd = kids.at(-1)?.position?.end.offset
        const pair = (ctype: string) => {
          if (first === undefined || lastEnd === undefined || first < s || lastEnd > e || first >= lastEnd) {
            push({ kind: 'ph', code: raw, ctype }, next++)
            return
          }
          const id = next++
          push({ kind: 'open', code: body.slice(s, first), ctype }, id)
          walk(kids, first, lastEnd)
          push({ kind: 'close', code: body.slice(lastEnd, e), ctype }, id)
        }
        switch (node.type) {
          case 'text':
            addText(s, e)
            break
          case 'emphasis':
            pair('italic')
            break
          case 'strong':
            pair('bold')
            break
          case 'delete':
            pair('x-md-delete')
            break
          case 'link':
          case 'linkReference':
            // An autolink's text is its address: nothing to translate.
            if (raw.startsWith('<') || (node.type === 'link' && kids.length === 1 && kids[0]!.type === 'text' && (kids[0] as { value: string }).value === node.url && !raw.startsWith('['))) push({ kind: 'ph', code: raw, ctype: 'x-md-autolink' }, next++)
            else pair(raw.startsWith('[](') ? 'x-md-xref' : 'link')
            break
          case 'textDirective':
            pair(`x-md-${node.name}`)
            break
          case 'image': {
            // The alt text is translatable; `![` and `](address)` are not.
            const close = raw.lastIndexOf('](')
            if (!raw.startsWith('![') || close <= 2) {
              push({ kind: 'ph', code: raw, ctype: 'x-md-image' }, next++)
              break
            }
            const id = next++
            push({ kind: 'open', code: '![', ctype: 'x-md-image' }, id)
            addText(s + 2, s + close)
            push({ kind: 'close', code: raw.slice(close), ctype: 'x-md-image' }, id)
            break
          }
          case 'break':
            push({ kind: 'lb', code: raw, ctype: 'lb' }, next++)
            break
          case 'footnoteReference':
            push({ kind: 'ph', code: raw, ctype: 'x-md-footnote-ref' }, next++)
            break
          case 'inlineCode':
            push({ kind: 'ph', code: raw, ctype: 'x-md-code' }, next++)
            break
          case 'html':
            push({ kind: 'ph', code: raw, ctype: 'x-html' }, next++)
            break
          default:
            push({ kind: 'ph', code: raw, ctype: `x-md-${node.type}` }, next++)
        }
      }
      addText(cursor, b)
    }
    walk(children as Nodes[], from, to)
    // A segment of codes only (a lone cross-reference) has nothing to translate.
    if (!parts.some((part) => typeof part === 'string' && part.trim() !== '')) return
    found.push({ kind, start: from, end: to, parts })
  }
  const blocks = (nodes: readonly Nodes[], context: 'body' | 'list' | 'footnote') => {
    for (const node of nodes) {
      switch (node.type) {
        case 'heading':
          inline(glossary && node.depth === 2 ? 'term' : 'heading', node.children)
          break
        case 'paragraph':
          if ((node.data as { directiveLabel?: boolean } | undefined)?.directiveLabel) inline('caption', node.children)
          // A paragraph of one image (a figure's picture) is its alt text.
          else if (node.children.length === 1 && node.children[0]!.type === 'image') inline('alt-text', node.children)
          else inline(context === 'list' ? 'list-item' : context === 'footnote' ? 'footnote' : glossary ? 'definition' : 'paragraph', node.children)
          break
        case 'list':
          for (const item of node.children) blocks(item.children, 'list')
          break
        case 'blockquote':
          blocks(node.children, context)
          break
        case 'footnoteDefinition':
          blocks(node.children, 'footnote')
          break
        case 'table':
          for (const row of node.children) for (const cell of row.children) inline('table-cell', cell.children)
          break
        case 'containerDirective':
        case 'leafDirective':
          blocks((node as Parent).children as Nodes[], context)
          break
        default:
          // Code blocks, HTML blocks, thematic breaks and definitions are not translated.
          break
      }
    }
  }
  blocks(tree.children as Nodes[], 'body')
  found.sort((a, b) => a.start - b.start)
  const counters = new Map<string, number>()
  for (const entry of found) {
    const start = entry.start + frontEnd
    let index = sections.length - 1
    while (index > 0 && sections[index]!.start > start) index--
    const section = sections[index]!
    const n = (counters.get(section.id) ?? 0) + 1
    counters.set(section.id, n)
    const where = position(start)
    section.segments.push({ id: `${chapterId}/${section.id}/${n}`, kind: entry.kind, parts: entry.parts, start, end: entry.end + frontEnd, line: where.line, column: where.column })
  }
  return { id: chapterId, text, bom, frontStart: 0, frontEnd, yamlStart, yamlEnd, newline, sections, glossary }
}

/** The front matter segments of the opening section, in key order. */
export function frontSegments(chapter: SegmentedChapter): Segment[] {
  const opening = chapter.sections[0]
  if (!opening) return []
  const position = lineColumn(chapter.text)
  return frontKeys
    .filter((key) => opening.front.has(key))
    .map((key) => {
      const value = opening.front.get(key)!
      const where = position(value.start)
      return { id: `${chapter.id}/${opening.id}/${key}`, kind: key, parts: [value.value], start: value.start, end: value.end, line: where.line, column: where.column }
    })
}

/** An interface string's parts: `{name}` placeholders are codes. */
export function stringParts(value: string): Part[] {
  const parts: Part[] = []
  let cursor = 0
  let next = 1
  for (const match of value.matchAll(/\{[a-z][a-z0-9-]*\}/g)) {
    if (match.index > cursor) parts.push(value.slice(cursor, match.index))
    parts.push({ id: next++, kind: 'ph', code: match[0], ctype: 'x-placeholder' })
    cursor = match.index + match[0].length
  }
  if (cursor < value.length) parts.push(value.slice(cursor))
  return parts
}

/** The Markdown a segment's parts stand for. */
export function partsMarkdown(parts: readonly Part[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.code)).join('')
}

/** The flat form of parts with codes as tokens (`<g1>`, `</g1>`, `<x2/>`): PO text, and a comparable form. */
export function flatten(parts: readonly Part[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.kind === 'open' ? `<g${part.id}>` : part.kind === 'close' ? `</g${part.id}>` : `<x${part.id}/>`)).join('')
}

/** The codes of parts, in order. */
export function codesOf(parts: readonly Part[]): Code[] {
  return parts.filter((part): part is Code => typeof part !== 'string')
}

/**
 * Whether a translation's segment has the source's codes in the same order and of the same kinds;
 * then code k of the translation takes the id of the source's code k (its bytes may differ: a
 * localized image, a localized link). Otherwise `undefined`: it cannot be offered as a target.
 */
export function alignCodes(source: readonly Part[], translation: readonly Part[]): Part[] | undefined {
  const want = codesOf(source)
  const have = codesOf(translation)
  if (want.length !== have.length) return undefined
  for (let index = 0; index < want.length; index++) {
    if (want[index]!.kind !== have[index]!.kind || want[index]!.ctype !== have[index]!.ctype) return undefined
  }
  let index = 0
  return translation.map((part) => (typeof part === 'string' ? part : { ...part, id: want[index++]!.id }))
}

/**
 * For interface strings, whose `{name}` placeholders are told apart by name and may change order
 * between languages: each of the translation's codes takes the id of the source code with the same
 * text. `undefined` when the sets differ.
 */
export function alignByCode(source: readonly Part[], translation: readonly Part[]): Part[] | undefined {
  const want = codesOf(source)
  const have = codesOf(translation)
  if (want.length !== have.length) return undefined
  const taken = new Set<Code>()
  const result: Part[] = []
  for (const part of translation) {
    if (typeof part === 'string') {
      result.push(part)
      continue
    }
    const match = want.find((code) => !taken.has(code) && code.code === part.code)
    if (!match) return undefined
    taken.add(match)
    result.push({ ...part, id: match.id })
  }
  return result
}

/** Whether two sections have the same segment structure (kinds in the same order). */
export function sameStructure(source: SegmentedSection, translation: SegmentedSection): boolean {
  return source.segments.length === translation.segments.length && source.segments.every((segment, index) => segment.kind === translation.segments[index]!.kind)
}

/** Pair each source section with the translation's, as the tracking does (`matchSections`). */
export function matchSegmentedSections(source: readonly SegmentedSection[], translation: readonly SegmentedSection[]): (SegmentedSection | undefined)[] {
  return matchSections(source, translation, (item) => ({ id: item.id, explicit: item.section.explicit }))
}
