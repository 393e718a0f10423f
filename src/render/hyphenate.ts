// Hyphenation at build time: soft hyphens from TeX patterns, since headless Chromium cannot hyphenate.
import { createRequire } from 'node:module'
import type { Element, Root, Text } from 'hast'
import { visitParents } from 'unist-util-visit-parents'

type Hyphenator = (text: string, options?: { hyphenChar?: string; minWordLength?: number }) => string

const require = createRequire(import.meta.url)
const cache = new Map<string, Hyphenator | null>()

/** Pattern modules of the `hyphen` package by language; English is British, as the handbook is. */
const patternModules: Record<string, string> = {
  en: 'hyphen/en-gb',
  lv: 'hyphen/lv',
  de: 'hyphen/de',
  da: 'hyphen/da',
  hu: 'hyphen/hu',
  it: 'hyphen/it'
}

/** The hyphenator of a BCP 47 tag, or `null` when no patterns are known for its language. */
export function hyphenatorFor(tag: string): Hyphenator | null {
  const language = tag.toLowerCase().split('-')[0] ?? tag
  if (!cache.has(language)) {
    const name = patternModules[language]
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
