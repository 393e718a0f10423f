// Characters XML 1.0 forbids (controls from word processors, U+FFFE, U+FFFF, lone surrogates): found in a chapter's text, reported and removed.
import type { VFile } from 'vfile'
import { warn } from '../report/messages.js'

/** Every character XML 1.0 does not allow in a document (tab, line feed and carriage return are allowed). */
export const forbiddenXmlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Names for the characters word processors leave behind. */
const names: Record<string, string> = { '\u000c': 'form feed', '\u0007': 'bell', '\u000b': 'vertical tab', '\u0000': 'NUL', '\ufffe': 'noncharacter', '\uffff': 'noncharacter' }

/**
 * `text` without the characters XML forbids: the EPUB edition must be well-formed XML, and none of
 * them shows as anything in any edition. Each one is a `char-invalid` warning at its place.
 */
export function removeForbiddenCharacters(text: string, file: VFile): string {
  if (!forbiddenXmlCharacters.test(text)) return text
  forbiddenXmlCharacters.lastIndex = 0
  let line = 1
  let lineStart = 0
  let scanned = 0
  return text.replace(forbiddenXmlCharacters, (character, offset: number) => {
    for (let index = scanned; index < offset; index++) {
      if (text.charCodeAt(index) === 10) {
        line++
        lineStart = index + 1
      }
    }
    scanned = offset
    const code = `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
    const name = names[character] ?? (character.length === 1 && character.charCodeAt(0) < 0x20 ? 'control character' : 'lone surrogate')
    warn(file, `Removed the character ${code} (${name}), which XML and so the EPUB edition cannot carry: delete it from the file`, { line, column: offset - lineStart + 1 }, 'char-invalid')
    return ''
  })
}
