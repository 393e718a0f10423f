// Writing direction of text in another language: a fallback chapter or a quote keeps its own `dir` next to its `lang`.
import type { Element, Root } from 'hast'
import type { Config } from '../config/schema.js'

/** Languages written right to left, by primary subtag (for tags the book does not configure). */
const rightToLeft = new Set(['ar', 'arc', 'dv', 'fa', 'he', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi'])

/** The direction of language `tag`: the book's setting for its own locales, else by the language. */
export function directionOf(tag: string, config: Config): 'ltr' | 'rtl' {
  const configured = config.locales.find((locale) => locale.tag === tag)
  if (configured) return configured.dir
  return rightToLeft.has(tag.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr'
}

/** `dir` for text in `lang` inside an edition written in direction `around`, or `undefined` when the same. */
export function dirFor(lang: string | undefined, around: 'ltr' | 'rtl', config: Config): 'ltr' | 'rtl' | undefined {
  if (lang === undefined) return undefined
  const own = directionOf(lang, config)
  return own === around ? undefined : own
}

/**
 * Give every element with a `lang` of the other direction its `dir`, unless the author set one:
 * English quoted in Arabic reads left to right, with its punctuation where English puts it.
 */
export function markDirections(tree: Root | Element, around: 'ltr' | 'rtl', config: Config): void {
  const walk = (node: Root | Element, direction: 'ltr' | 'rtl') => {
    for (const child of node.children) {
      if (child.type !== 'element') continue
      let inner = direction
      const lang = child.properties.lang
      if (typeof child.properties.dir === 'string') inner = child.properties.dir === 'rtl' ? 'rtl' : 'ltr'
      else if (typeof lang === 'string' && lang !== '') {
        const own = directionOf(lang, config)
        if (own !== direction) child.properties.dir = own
        inner = own
      }
      walk(child, inner)
    }
  }
  walk(tree, around)
}
