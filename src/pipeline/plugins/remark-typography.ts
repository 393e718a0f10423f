// Typography: straight quotes, dashes and dots become the typographic characters of the content's language.
import type { Root } from 'mdast'
import type { Node, Parent } from 'unist'
import { visitParents } from 'unist-util-visit-parents'
import { typographyFor } from '../../i18n/typography.js'

export interface Options {
  /** BCP 47 tag of the content's language. */
  locale: string
}

const phrasing = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference', 'textDirective', 'footnoteReference'])
const openingContext = /[\s([{\u2014\u2013/\u00a0-]/u
const wordCharacter = /[\p{L}\p{N}]/u

interface State {
  /** The character before the current position in this block. */
  previous: string
  /** How many inner (single) quotations are open. */
  innerOpen: number
}

/**
 * Replace `"…"`, `'…'`, apostrophes, `--`, `---` and `...` in text, keeping code untouched.
 * Quotes are decided by the character before them, across inline nodes of the same block.
 */
export default function remarkTypography(options: Options) {
  const typography = typographyFor(options.locale)
  return function (tree: Root) {
    let block: Node | undefined
    let state: State = { previous: '', innerOpen: 0 }
    visitParents(tree, (node, ancestors: Parent[]) => {
      if (node.type !== 'text' && node.type !== 'inlineCode') return
      const owner = [...ancestors].reverse().find((ancestor) => !phrasing.has(ancestor.type))
      if (owner !== block) {
        block = owner
        state = { previous: '', innerOpen: 0 }
      }
      if (node.type === 'inlineCode') {
        state.previous = 'x'
        return
      }
      const text = node as Node & { value: string }
      text.value = transform(text.value, state, typography)
    })
  }
}

/** Apply the same rules to a standalone text, such as a title from front matter. */
export function typeset(value: string, locale: string): string {
  return transform(value, { previous: '', innerOpen: 0 }, typographyFor(locale))
}

function transform(value: string, state: State, typography: ReturnType<typeof typographyFor>): string {
  let out = ''
  let index = 0
  const emit = (text: string) => {
    out += text
    state.previous = text.at(-1) ?? state.previous
  }
  while (index < value.length) {
    const character = value[index]!
    const next = value[index + 1] ?? ''
    if (value.startsWith('---', index)) {
      emit('\u2014')
      index += 3
    } else if (value.startsWith(' -- ', index)) {
      emit(typography.dash)
      index += 4
    } else if (value.startsWith('--', index)) {
      emit('\u2013')
      index += 2
    } else if (value.startsWith('...', index)) {
      emit('\u2026')
      index += 3
    } else if (character === '"') {
      emit(opens(state.previous, typography) ? typography.quotes[0] : typography.quotes[1])
      index++
    } else if (character === "'") {
      if (wordCharacter.test(state.previous) && wordCharacter.test(next)) emit('\u2019')
      else if (opens(state.previous, typography) && next !== '' && !/\s/.test(next)) {
        state.innerOpen++
        emit(typography.innerQuotes[0])
      } else if (state.innerOpen > 0) {
        state.innerOpen--
        emit(typography.innerQuotes[1])
      } else emit('\u2019')
      index++
    } else {
      emit(character)
      index++
    }
  }
  return out
}

function opens(previous: string, typography: ReturnType<typeof typographyFor>): boolean {
  return previous === '' || openingContext.test(previous) || previous === typography.quotes[0] || previous === typography.innerQuotes[0]
}
