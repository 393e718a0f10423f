// The termbase of a locale pair: the term lists (terms/<locale>.yaml) and the glossary, as TBX for CAT tools and as CSV.
import path from 'node:path'
import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom'
import type { Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import remarkDirective from 'remark-directive'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { scanBudget } from '../pipeline/budget.js'
import { unified } from 'unified'
import type { Config } from '../config/schema.js'
import { readChapterFile } from './chapter-file.js'
import { planContents } from './contents-plan.js'
import { chapterFromRaw } from './sections.js'
import { readTermList, type TermList, type TermListProblem } from './terminology.js'

/** One language's side of a concept. */
export interface TermSide {
  /** The preferred term: the glossary entry's heading, else the first string of the term list. */
  term: string
  /** Further strings of the term list: English inflected forms; in a translation, forms and stems that count as the term. */
  forms: string[]
  /** The glossary's definition in this language, as plain text. */
  definition?: string
}

/** A concept of the termbase: an id of the term list or of a glossary entry. */
export interface Concept {
  id: string
  source: TermSide
  /** Absent when the translation has neither an agreed term nor a translated glossary entry. */
  target?: TermSide
}

export interface Termbase {
  sourceLocale: string
  locale: string
  concepts: Concept[]
  /** Problems of the term lists, by file (absolute path). */
  problems: { file: string; problem: TermListProblem }[]
}

interface GlossaryEntry {
  title: string
  definition: string
}

const markdown = unified().use(remarkParse).use(remarkGfm).use(remarkDirective)

/** A section's Markdown (its heading line dropped) as plain text, paragraphs joined by a space. */
function plainText(body: string): string {
  const tree = markdown.parse(body) as Root
  return tree.children
    .map((node) => toString(node))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The entries of the locale's glossary chapter (`kind: glossary`), by id; empty when it has none. */
async function readGlossary(root: string, locale: string, chapterIds: readonly string[]): Promise<Map<string, GlossaryEntry>> {
  const entries = new Map<string, GlossaryEntry>()
  for (const id of chapterIds) {
    const chapter = await readChapterFile(path.join(root, locale, `${id}.md`), root)
    if (chapter.data?.kind !== 'glossary') continue
    // A glossary over a parse budget is reported (chapter-too-complex) where the book is parsed; its definitions are not read.
    if (scanBudget(String(chapter.file.value))) continue
    const { text } = chapterFromRaw(id, String(chapter.file.value))
    for (const section of text.sections) {
      // The opening is the glossary's introduction; entries are its `##` sections with an id.
      if (section.id === id || !section.explicit) continue
      entries.set(section.id, { title: section.title, definition: plainText(section.text.split('\n').slice(1).join('\n')) })
    }
  }
  return entries
}

function side(list: readonly string[] | undefined, entry: GlossaryEntry | undefined): TermSide | undefined {
  if (!list && !entry) return undefined
  const term = entry?.title ?? list![0]!
  const key = term.toLowerCase()
  const forms = (list ?? []).filter((form, index, all) => form.toLowerCase() !== key && all.indexOf(form) === index)
  return { term, forms, ...(entry?.definition ? { definition: entry.definition } : {}) }
}

/**
 * The termbase of `locale` against the source: every concept of the source term list, then every
 * glossary entry the list lacks, each with the source and (where agreed) the target term.
 */
export async function collectTermbase(root: string, config: Config, locale: string): Promise<Termbase> {
  const sourceLocale = config['source-locale']
  const chapterIds = planContents(config).map((entry) => entry.id)
  const [sourceList, targetList, sourceGlossary, targetGlossary] = await Promise.all([
    readTermList(root, sourceLocale),
    readTermList(root, locale),
    readGlossary(root, sourceLocale, chapterIds),
    readGlossary(root, locale, chapterIds)
  ])
  const problems = [sourceList, targetList].flatMap((list) => (list ? list.problems.map((problem) => ({ file: list.file, problem })) : []))
  const sourceTerms: TermList = sourceList?.terms ?? new Map()
  const targetTerms: TermList = targetList?.terms ?? new Map()
  const ids = [...sourceTerms.keys(), ...[...sourceGlossary.keys()].filter((id) => !sourceTerms.has(id))]
  const concepts = ids.map((id): Concept => {
    const source = side(sourceTerms.get(id), sourceGlossary.get(id))!
    // The agreed term of the list comes first; a translated glossary heading stands in for a missing one.
    const agreed = targetTerms.get(id)
    const entry = targetGlossary.get(id)
    const target = agreed ? { ...side(agreed, undefined)!, ...(entry?.definition ? { definition: entry.definition } : {}) } : side(undefined, entry)
    return target ? { id, source, target } : { id, source }
  })
  return { sourceLocale, locale, concepts, problems }
}

const xmlNamespace = 'http://www.w3.org/XML/1998/namespace'

/** An XML ID (NCName) for a concept id: ids that start with a digit get a `c-` prefix. */
function xmlId(id: string): string {
  return /^[A-Za-z_]/.test(id) ? id : `c-${id}`
}

/**
 * The termbase as TBX-Basic (TBX 2, ISO 30042:2008 `martif`), which Trados MultiTerm, memoQ,
 * OmegaT, Weblate and Crowdin import: one `termEntry` per concept with a `langSet` per language,
 * the preferred term first, further English forms as admitted terms, the target's accepted forms
 * and stems as a note, and the glossary definitions.
 */
export function toTbx(termbase: Termbase, title: string): string {
  const document: Document = new DOMImplementation().createDocument(null, 'martif', null)
  const martif = document.documentElement!
  martif.setAttribute('type', 'TBX-Basic')
  martif.setAttributeNS(xmlNamespace, 'xml:lang', termbase.sourceLocale)
  const add = (parent: Element, name: string, attributes: Record<string, string> = {}, text?: string): Element => {
    const element = document.createElement(name)
    for (const [key, value] of Object.entries(attributes)) {
      if (key.startsWith('xml:')) element.setAttributeNS(xmlNamespace, key, value)
      else element.setAttribute(key, value)
    }
    if (text !== undefined) element.appendChild(document.createTextNode(text))
    parent.appendChild(element)
    return element
  }
  const header = add(martif, 'martifHeader')
  const fileDesc = add(header, 'fileDesc')
  add(add(fileDesc, 'titleStmt'), 'title', {}, title)
  add(add(fileDesc, 'sourceDesc'), 'p', {}, `The agreed terminology of the handbook, ${termbase.sourceLocale} to ${termbase.locale}: terms/${termbase.sourceLocale}.yaml, terms/${termbase.locale}.yaml and the glossary.`)
  add(add(header, 'encodingDesc'), 'p', { type: 'XCSURI' }, 'TBXBasicXCSV02.xcs')
  const body = add(add(martif, 'text'), 'body')
  const langSet = (entry: Element, lang: string, value: TermSide, status: 'source' | 'target') => {
    const set = add(entry, 'langSet', { 'xml:lang': lang })
    if (value.definition) add(add(set, 'descripGrp'), 'descrip', { type: 'definition' }, value.definition)
    const tig = add(set, 'tig')
    add(tig, 'term', {}, value.term)
    add(tig, 'termNote', { type: 'administrativeStatus' }, 'preferredTerm-admn-sts')
    if (status === 'target' && value.forms.length > 0) add(tig, 'note', {}, `Forms and word stems that also count as this term: ${value.forms.join(', ')}`)
    if (status === 'source') {
      for (const form of value.forms) {
        const variant = add(set, 'tig')
        add(variant, 'term', {}, form)
        add(variant, 'termNote', { type: 'administrativeStatus' }, 'admittedTerm-admn-sts')
      }
    }
  }
  for (const concept of termbase.concepts) {
    const entry = add(body, 'termEntry', { id: xmlId(concept.id) })
    langSet(entry, termbase.sourceLocale, concept.source, 'source')
    if (concept.target) langSet(entry, termbase.locale, concept.target, 'target')
  }
  const xml = new XMLSerializer().serializeToString(document)
  return `<?xml version="1.0" encoding="UTF-8"?>\n${indent(xml)}\n`
}

/** One element per line, nested two spaces: TBX elements hold either elements or text, never both, so no text changes. */
function indent(xml: string): string {
  const tokens = [...xml.matchAll(/(<[^>]+>)([^<]*)/g)].map((match) => ({ tag: match[1]!, text: match[2]! }))
  const out: string[] = []
  let depth = 0
  for (let index = 0; index < tokens.length; index++) {
    const { tag, text } = tokens[index]!
    if (tag.startsWith('</')) out.push('  '.repeat(--depth) + tag)
    else if (tag.endsWith('/>')) out.push('  '.repeat(depth) + tag)
    else if (text !== '') {
      // A text-only element: its closing tag is the next token.
      out.push('  '.repeat(depth) + tag + text + tokens[++index]!.tag)
    } else out.push('  '.repeat(depth++) + tag)
  }
  return out.join('\n')
}

/** A CSV field, quoted when RFC 4180 requires it (comma, quote, line break). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** The termbase as CSV (RFC 4180: CRLF line ends, a header row): source, target, definition. */
export function toCsv(termbase: Termbase): string {
  const rows = [['source', 'target', 'definition'], ...termbase.concepts.map((concept) => [concept.source.term, concept.target?.term ?? '', concept.source.definition ?? ''])]
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
