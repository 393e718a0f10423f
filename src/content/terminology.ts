// The book's agreed terminology (handbook/terms/): reading the term lists and finding the sections of a translation that do not use a concept's agreed translation.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml'
import { readerText, type ChapterText } from './sections.js'

/** The folder of the term lists inside the handbook root. */
export const termsFolder = 'terms'

/** A term list: concept id -> its strings. In the source locale the forms that mark the concept; in a translation the agreed term first, then stems or forms of it. */
export type TermList = Map<string, string[]>

/** A problem in a term list file, with its place. */
export interface TermListProblem {
  message: string
  line: number
  column: number
}

/**
 * Parse a term list: a YAML map from concept id to a list of non-empty strings. Entries that are
 * not of that shape are left out and reported.
 */
export function parseTermList(text: string): { terms: TermList; problems: TermListProblem[] } {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false })
  const problems: TermListProblem[] = []
  const at = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0)
    return { line, column: col }
  }
  for (const error of document.errors) problems.push({ message: `Cannot parse the term list: ${error.message.split('\n')[0]}`, ...at(error.pos[0]) })
  const terms: TermList = new Map()
  if (problems.length > 0 || document.contents === null) return { terms, problems }
  if (!isMap(document.contents)) {
    problems.push({ message: 'Expected a map from concept id to a list of terms, e.g. `municipality: [Kommune]`', ...at(document.contents.range?.[0]) })
    return { terms, problems }
  }
  for (const pair of document.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined
    const place = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined)
    const strings = isSeq(pair.value) ? pair.value.items.map((item) => (isScalar(item) && typeof item.value === 'string' ? item.value.trim() : '')) : []
    if (!key || strings.length === 0 || strings.some((value) => value === '')) {
      problems.push({ message: `Expected \`${key ?? '?'}\` to have a list of non-empty terms, e.g. \`${key ?? 'id'}: [term, stem]\``, ...place })
      continue
    }
    terms.set(key, strings)
  }
  return { terms, problems }
}

/** Read `terms/<locale>.yaml` of a handbook; `undefined` when the locale has no term list. */
export async function readTermList(root: string, locale: string): Promise<{ file: string; terms: TermList; problems: TermListProblem[] } | undefined> {
  const file = path.join(root, termsFolder, `${locale}.yaml`)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return { file, ...parseTermList(text) }
}

/** A section of a translation that does not name a concept its source section names. */
export interface TermInconsistency {
  /** The section id (the chapter id for the opening). */
  section: string
  /** 1-based line of the section's heading in the translated file. */
  line: number
  /** The concept id. */
  term: string
  /** The source form found in the source section. */
  found: string
  /** The locale's strings for the concept, the agreed term first. */
  expected: string[]
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A matcher for the whole-word, case-insensitive occurrence of any of the forms. */
function formsPattern(forms: readonly string[]): RegExp {
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map((form) => escapeRegExp(form.normalize('NFC')).replace(/ +/g, '\\s+'))
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'iu')
}

/**
 * The rule of the agreed terminology: wherever a source section names a concept (one of its source
 * forms as a whole word, any case), the translated section with the same id must contain one of
 * the concept's strings in the translation (any case, anywhere in a word, so a stem matches every
 * ending and compound). A translated section that keeps the source words themselves quotes them (the
 * title of a work in a reading list, a name) and is not held to the rule. Concepts without strings in the translation, and sections missing from the
 * translation, are not checked here (`status` reports those).
 */
export function findTermInconsistencies(source: ChapterText, translation: ChapterText, sourceTerms: TermList, targetTerms: TermList, locale: string): TermInconsistency[] {
  const translated = new Map(translation.sections.map((section) => [section.id, section]))
  const concepts = [...sourceTerms].flatMap(([id, forms]) => {
    const expected = targetTerms.get(id)
    return expected ? [{ id, pattern: formsPattern(forms), expected, lower: expected.map((value) => value.normalize('NFC').toLocaleLowerCase(locale)) }] : []
  })
  const problems: TermInconsistency[] = []
  for (const section of source.sections) {
    const target = translated.get(section.id)
    if (!target) continue
    const sourceText = readerText(section.text).normalize('NFC')
    const targetText = readerText(target.text).normalize('NFC').toLocaleLowerCase(locale)
    for (const concept of concepts) {
      const found = concept.pattern.exec(sourceText)
      if (!found || concept.lower.some((value) => targetText.includes(value))) continue
      // The translation quotes the source words themselves (a title of a work, a name): not a term in use.
      if (concept.pattern.test(targetText)) continue
      problems.push({ section: section.id, line: target.line, term: concept.id, found: found[0], expected: concept.expected })
    }
  }
  return problems
}
