// Which errors leave an edition usable: it is written with the problem marked, unless the run is strict.
import type { VFileMessage } from 'vfile-message'

/**
 * Rule ids of errors whose place the renderers mark visibly (a broken link reads `text [?]`, a
 * missing image a framed placeholder): the edition is still written and the run exits 1. A
 * release (`--strict`) writes no edition with any of them.
 */
export const recoverableRules: ReadonlySet<string> = new Set([
  'xref-unresolved',
  'link-unresolved',
  'link-file-missing',
  'link-outside-root',
  'link-unsafe',
  'term-unresolved',
  'image-missing',
  'image-outside-root',
  'image-remote',
  'image-data-url',
  'footnote-undefined'
])

/** Whether `message` keeps its edition from being written. */
export function blocksEdition(message: VFileMessage, strict: boolean): boolean {
  if (message.fatal !== true) return strict
  return strict || !recoverableRules.has(message.ruleId ?? '')
}
