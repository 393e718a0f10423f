// Hyphenation at build time: soft hyphens from TeX patterns, since headless Chromium cannot hyphenate,
// kept to a typesetter's rules (minimum letters each side, the book's exception lists, no break in a
// paragraph's last word).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Element, ElementContent, Root, Text } from 'hast'
import { visitParents } from 'unist-util-visit-parents'
import { VFile } from 'vfile'
import type { Book } from '../model/types.js'
import { warn } from '../report/messages.js'

type Hyphenator = (text: string, options?: { hyphenChar?: string; minWordLength?: number }) => string

const require = createRequire(import.meta.url)
const cache = new Map<string, Hyphenator | null>()

/**
 * Pattern modules of the `hyphen` package by language: every official EU language but Maltese, for
 * which no TeX patterns exist (a Maltese text is not hyphenated: its lines break between words only).
 * English is British, as the handbook is; Greek is monotonic, as Greek is written today.
 */
const patternModules: Record<string, string> = {
  bg: 'hyphen/bg',
  cs: 'hyphen/cs',
  da: 'hyphen/da',
  de: 'hyphen/de',
  el: 'hyphen/el-monoton',
  en: 'hyphen/en-gb',
  es: 'hyphen/es',
  et: 'hyphen/et',
  fi: 'hyphen/fi',
  fr: 'hyphen/fr',
  ga: 'hyphen/ga',
  hr: 'hyphen/hr',
  hu: 'hyphen/hu',
  it: 'hyphen/it',
  lt: 'hyphen/lt',
  lv: 'hyphen/lv',
  nl: 'hyphen/nl',
  pl: 'hyphen/pl',
  pt: 'hyphen/pt',
  ro: 'hyphen/ro',
  sk: 'hyphen/sk',
  sl: 'hyphen/sl',
  sv: 'hyphen/sv'
}

/** Whether build-time hyphenation knows the language of `tag`. */
export function hasHyphenation(tag: string): boolean {
  return Object.hasOwn(patternModules, tag.toLowerCase().split('-')[0] ?? tag)
}

/** The folder of a handbook that holds one exception list per locale, `<locale>.txt`. */
export const hyphenationFolder = 'hyphenation'

const softHyphen = '\u00ad'

/** The language part of a BCP 47 tag. */
function languageOf(tag: string): string {
  return tag.toLowerCase().split('-')[0] ?? tag
}

/** The hyphenator of a BCP 47 tag, or `null` when no patterns are known for its language. */
export function hyphenatorFor(tag: string): Hyphenator | null {
  const language = languageOf(tag)
  if (!cache.has(language)) {
    const name = Object.hasOwn(patternModules, language) ? patternModules[language] : undefined
    // The ESM entry points of some languages lack named exports; the CommonJS ones all have them.
    cache.set(language, name ? (require(name) as { hyphenateSync: Hyphenator }).hyphenateSync : null)
  }
  return cache.get(language) ?? null
}

/** One line of an exception list: the letters of a word (or a stem) and where it may break. */
export interface HyphenationException {
  /** The letters, lower case, without hyphens. */
  letters: string
  /** Offsets (in letters) after which a break is allowed. */
  breaks: number[]
  /** A stem (`paš-val-dī-b*`) applies to every word that starts with it; the patterns break the rest. */
  stem: boolean
  /** A stem written `...-*` may also break where it ends. */
  breakAtEnd: boolean
}

/** How one locale hyphenates. */
export interface HyphenationRules {
  /** Fewest letters before a break. */
  minBefore: number
  /** Fewest letters after a break. */
  minAfter: number
  /** Exceptions by their letters; stems are also listed in `stems`, longest first. */
  exceptions: Map<string, HyphenationException>
  stems: HyphenationException[]
}

export const defaultRules: HyphenationRules = { minBefore: 3, minAfter: 3, exceptions: new Map(), stems: [] }

/** Letters, combining marks and the hyphens that separate them in an exception list. */
const entryPattern = /^[\p{L}\p{M}]+(?:-[\p{L}\p{M}]+)*(-?\*)?$/u

/**
 * Parse an exception list: one word a line with its allowed breaks (`paš-val-dī-ba`), a stem
 * ending in `*` for all its forms (`paš-val-dī-b*`), `#` comments. Bad lines are warnings on `file`.
 */
export function parseExceptions(text: string, file?: VFile): { exceptions: Map<string, HyphenationException>; stems: HyphenationException[] } {
  const exceptions = new Map<string, HyphenationException>()
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim()
    if (!line) return
    if (!entryPattern.test(line)) {
      if (file) warn(file, `Cannot read the hyphenation exception \`${line}\`: write one word a line with hyphens where it may break, like \`paš-val-dī-ba\` (or a stem like \`paš-val-dī-b*\`)`, { line: index + 1, column: raw.indexOf(line) + 1 }, 'hyphenation-exception')
      return
    }
    const stem = line.endsWith('*')
    const breakAtEnd = line.endsWith('-*')
    const parts = line.replace(/-?\*$/, '').toLowerCase().split('-')
    const breaks: number[] = []
    let offset = 0
    for (const part of parts.slice(0, -1)) breaks.push((offset += [...part].length))
    const letters = parts.join('')
    const key = (stem ? '*' : '') + letters
    if (exceptions.has(key) && file) warn(file, `The hyphenation exception \`${line}\` repeats an earlier line: keep one`, { line: index + 1, column: 1 }, 'hyphenation-exception')
    exceptions.set(key, { letters, breaks, stem, breakAtEnd })
  })
  const stems = [...exceptions.values()].filter((entry) => entry.stem).sort((a, b) => b.letters.length - a.letters.length)
  return { exceptions, stems }
}

const rulesCache = new Map<string, HyphenationRules>()

/**
 * The rules of `locale` in the handbook at `root`: the configured minimums and the locale's
 * exception list `hyphenation/<locale>.txt`, if there is one (read once per build).
 */
export function hyphenationRules(root: string, locale: string, minimums: { 'min-before'?: number; 'min-after'?: number } = {}, file?: VFile): HyphenationRules {
  const key = `${root}\0${locale}\0${minimums['min-before']}\0${minimums['min-after']}`
  const cached = rulesCache.get(key)
  if (cached) return cached
  const listPath = path.join(root, hyphenationFolder, `${locale}.txt`)
  let parsed: ReturnType<typeof parseExceptions> = { exceptions: new Map(), stems: [] }
  try {
    parsed = parseExceptions(readFileSync(listPath, 'utf8'), file ?? new VFile({ path: path.relative(process.cwd(), listPath) }))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const rules = { minBefore: minimums['min-before'] ?? defaultRules.minBefore, minAfter: minimums['min-after'] ?? defaultRules.minAfter, ...parsed }
  rulesCache.set(key, rules)
  return rules
}

/** Break offsets of a word written with soft hyphens. */
function breaksOf(word: string): number[] {
  const breaks: number[] = []
  let letters = 0
  for (const char of word) {
    if (char === softHyphen) breaks.push(letters)
    else letters++
  }
  return breaks
}

/**
 * Where `letters` (a word without soft hyphens) may break, given the breaks the patterns found:
 * an exception of the book replaces them (a stem only within itself), and no break leaves fewer
 * letters than the minimums on either side.
 */
export function allowedBreaks(letters: string, patternBreaks: readonly number[], rules: HyphenationRules): number[] {
  const chars = [...letters]
  const lower = letters.toLowerCase()
  let breaks = [...patternBreaks]
  const exact = rules.exceptions.get(lower)
  if (exact && !exact.stem) {
    breaks = [...exact.breaks]
  } else {
    const stem = rules.stems.find((entry) => lower.startsWith(entry.letters))
    if (stem) {
      const length = [...stem.letters].length
      breaks = [...stem.breaks, ...(stem.breakAtEnd ? [length] : []), ...breaks.filter((at) => at > length)]
    }
  }
  return breaks.filter((at) => at >= rules.minBefore && chars.length - at >= rules.minAfter)
}

/** Words as they stand in hyphenated text: letters and marks, with the soft hyphens among them. */
const wordPattern = /[\p{L}\p{M}\u00ad]+/gu

/** Hyphenated words by rules and language: a book repeats its words, and the patterns are slow. */
const hyphenatedWordCache = new WeakMap<HyphenationRules, Map<string, Map<string, string>>>()

/**
 * Hyphenate a run of text by the patterns of `language`, under `rules`, word by word. Each word is
 * worked out once per build: the Latvian book has 15,666 words but 4,300 distinct ones, and the
 * patterns took 1.8 s of a PDF build's CPU before.
 */
export function hyphenateText(text: string, language: string, rules: HyphenationRules = defaultRules): string {
  const hyphenate = hyphenatorFor(language)
  if (!hyphenate) return text
  let byLanguage = hyphenatedWordCache.get(rules)
  if (!byLanguage) hyphenatedWordCache.set(rules, (byLanguage = new Map()))
  let words = byLanguage.get(language)
  if (!words) byLanguage.set(language, (words = new Map()))
  const known = words
  const minWordLength = rules.minBefore + rules.minAfter
  return text.replace(wordPattern, (word) => {
    let result = known.get(word)
    if (result === undefined) {
      const letters = word.replaceAll(softHyphen, '')
      const marked = hyphenate(letters, { hyphenChar: softHyphen, minWordLength })
      // Soft hyphens the author wrote stay possible breaks beside the patterns' ones.
      const breaks = [...new Set([...breaksOf(word), ...breaksOf(marked)])].sort((a, b) => a - b)
      result = insertBreaks(letters, allowedBreaks(letters, breaks, rules))
      known.set(word, result)
    }
    return result
  })
}

function insertBreaks(letters: string, breaks: readonly number[]): string {
  if (breaks.length === 0) return letters
  const chars = [...letters]
  const at = new Set(breaks)
  return chars.map((char, index) => (at.has(index) ? softHyphen + char : char)).join('')
}

/** Elements whose text is never hyphenated: headings (they also feed the PDF outline), code, the contents. */
const keep = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'kbd', 'samp', 'script', 'style', 'title', 'nav'])

/** Elements that end a paragraph of text: their last word is not broken. */
const blocks = new Set(['p', 'li', 'dd', 'dt', 'td', 'th', 'figcaption', 'caption', 'blockquote', 'div', 'section', 'aside', 'header', 'footer'])

/**
 * Insert soft hyphens (U+00AD) into the running text of `tree`, each text in the language of its
 * nearest `lang` attribute (or `lang`), by the rules of that language (`rulesFor`, default: 3
 * letters each side, no exceptions). The last word of every paragraph stays whole: a fragment of
 * two or three letters alone on a paragraph's last line is what a typesetter avoids first.
 */
export function hyphenateTree(tree: Root | Element, lang: string, rulesFor: (language: string) => HyphenationRules = () => defaultRules): void {
  visitParents(tree, 'text', (node: Text, ancestors) => {
    let language = lang
    for (const ancestor of ancestors) {
      if (ancestor.type !== 'element') continue
      if (keep.has(ancestor.tagName)) return
      const value = ancestor.properties.lang
      if (typeof value === 'string' && value) language = value
    }
    node.value = hyphenateText(node.value, language, rulesFor(language))
  })
  visitParents(tree, 'element', (node: Element) => {
    if (!blocks.has(node.tagName)) return
    // Only the innermost block: a list item's paragraph, not the list item around it too.
    const last = lastText(node)
    if (last) last.value = lastWordWhole(last.value)
  })
}

const wordCharacter = /^[\p{L}\p{M}\u00ad]$/u

/**
 * `text` with no soft hyphen in its last word. Read from the end: a regular expression for the last
 * word tries every position of the text (the lv print document took 105 ms with one, 70 ms without).
 */
function lastWordWhole(text: string): string {
  // The character (a surrogate pair counts as one) that ends at `index`.
  const before = (index: number): string => {
    const unit = text.charCodeAt(index - 1)
    return index >= 2 && unit >= 0xdc00 && unit <= 0xdfff ? text.slice(index - 2, index) : text.slice(index - 1, index)
  }
  let end = text.length
  while (end > 0 && !wordCharacter.test(before(end))) end -= before(end).length
  let start = end
  while (start > 0 && wordCharacter.test(before(start))) start -= before(start).length
  return start === end ? text : text.slice(0, start) + text.slice(start, end).replaceAll(softHyphen, '') + text.slice(end)
}

/** The last text of `element` that holds a letter, in document order, not inside a nested block's later text. */
function lastText(element: Element): Text | undefined {
  const children: ElementContent[] = element.children
  for (let index = children.length - 1; index >= 0; index--) {
    const child = children[index]!
    if (child.type === 'text') {
      if (/\p{L}/u.test(child.value)) return child
    } else if (child.type === 'element') {
      // A footnote reference or a nested block ends nothing of this paragraph's words.
      if (child.tagName === 'sup') continue
      const found = lastText(child)
      if (found) return found
    }
  }
  return undefined
}

/** Every hyphenated word of `tree` with its breaks shown as `-`, and how often it occurs. */
export function hyphenatedWords(tree: Root | Element): Map<string, number> {
  const words = new Map<string, number>()
  visitParents(tree, 'text', (node: Text) => {
    for (const [word] of node.value.matchAll(wordPattern)) {
      if (!word.includes(softHyphen)) continue
      const shown = word.replaceAll(softHyphen, '-')
      words.set(shown, (words.get(shown) ?? 0) + 1)
    }
  })
  return words
}

/**
 * The rules of every language of `book`, by BCP 47 tag: each configured locale's minimums and
 * exception list; a language the book does not configure gets the defaults.
 */
export function hyphenationFor(book: Pick<Book, 'root' | 'config'>): (language: string) => HyphenationRules {
  return (language) => {
    const locale =
      book.config.locales.find((entry) => entry.tag.toLowerCase() === language.toLowerCase()) ??
      book.config.locales.find((entry) => languageOf(entry.tag) === languageOf(language))
    return locale ? hyphenationRules(book.root, locale.tag, locale.hyphenation) : defaultRules
  }
}
