// Hyphenation at build time: soft hyphens from TeX patterns, since headless Chromium cannot hyphenate.
import { createRequire } from 'node:module'
import type { Element, Root, Text } from 'hast'
import { visitParents } from 'unist-util-visit-parents'

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

/** The hyphenator of a BCP 47 tag, or `null` when no patterns are known for its language. */
export function hyphenatorFor(tag: string): Hyphenator | null {
  const language = tag.toLowerCase().split('-')[0] ?? tag
  if (!cache.has(language)) {
    const name = Object.hasOwn(patternModules, language) ? patternModules[language] : undefined
    // The ESM entry points of some languages lack named exports; the CommonJS ones all have them.
    cache.set(language, name ? (require(name) as { hyphenateSync: Hyphenator }).hyphenateSync : null)
  }
  return cache.get(language) ?? null
}

/** Elements whose text is never hyphenated: headings (they also feed the PDF outline), code, the contents. */
const keep = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'kbd', 'samp', 'script', 'style', 'title', 'nav'])

/**
 * Insert soft hyphens (U+00AD) into the running text of `tree`, each text in the language of its
 * nearest `lang` attribute (or `lang`).
 */
export function hyphenateTree(tree: Root | Element, lang: string): void {
  visitParents(tree, 'text', (node: Text, ancestors) => {
    let language = lang
    for (const ancestor of ancestors) {
      if (ancestor.type !== 'element') continue
      if (keep.has(ancestor.tagName)) return
      const value = ancestor.properties.lang
      if (typeof value === 'string' && value) language = value
    }
    const hyphenate = hyphenatorFor(language)
    if (hyphenate) node.value = hyphenate(node.value, { minWordLength: 6 })
  })
}
