// Adding a locale to handbook.yaml in place: the new entry is spliced into the text where the YAML document says `locales` ends, so every other byte (comments, layout, folded texts) stays as written.
import { readFile } from 'node:fs/promises'
import { isMap, isSeq, parseDocument, stringify } from 'yaml'
import { writeFileAtomic } from '../output/write.js'

export type AddLocaleResult = { added: true; text: string } | { added: false; reason: string }

/** A plain scalar when YAML allows one, else quoted: as `yaml` itself would write the value. */
function scalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd()
}

/** The handbook.yaml text with `{ tag, label }` appended to `locales`, or why it cannot be. */
export function addLocaleToConfigText(text: string, tag: string, label: string): AddLocaleResult {
  const document = parseDocument(text)
  if (document.errors.length > 0) return { added: false, reason: `it cannot be parsed: ${document.errors[0]!.message.split('\n')[0]}` }
  const locales = document.get('locales', true)
  if (!isSeq(locales) || locales.items.length === 0) return { added: false, reason: 'it has no list `locales` with entries' }
  if (locales.items.some((item) => isMap(item) && String(item.get('tag')) === tag)) return { added: false, reason: `\`${tag}\` is listed already` }
  const last = locales.items[locales.items.length - 1]
  if (!isMap(last) || !last.range || !locales.range) return { added: false, reason: 'its `locales` entries are not maps of `tag` and `label`' }
  const newline = text.includes('\r\n') ? '\r\n' : '\n'
  const flowEntry = `{ tag: ${scalar(tag)}, label: ${scalar(label)} }`
  let updated: string
  if (locales.flow) {
    // `locales: [{ tag: en, ... }]`: the entry goes after the last one, inside the brackets.
    updated = `${text.slice(0, last.range[1])}, ${flowEntry}${text.slice(last.range[1])}`
  } else {
    // The new entry starts on the line after the last one, indented as that one is.
    const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1
    const prefix = text.slice(lineStart, last.range[0])
    if (!/^[ \t]*-[ \t]+$/.test(prefix)) return { added: false, reason: 'its `locales` entries are not laid out one per line' }
    // The map's range may run on over the line break and blank lines: its text ends at the last non-space.
    let end = last.range[1]
    while (end > last.range[0] && /\s/.test(text[end - 1]!)) end--
    const lineEnd = text.indexOf('\n', end)
    const insertAt = lineEnd === -1 ? text.length : lineEnd + 1
    const keyIndent = ' '.repeat(prefix.length)
    const entry = last.flow ? `${prefix}${flowEntry}${newline}` : `${prefix}tag: ${scalar(tag)}${newline}${keyIndent}label: ${scalar(label)}${newline}`
    const before = text.slice(0, insertAt)
    updated = `${before}${lineEnd === -1 ? newline : ''}${entry}${text.slice(insertAt)}`
  }
  // What was written must read back as the same document with one more locale.
  const check = parseDocument(updated)
  const tags = check.get('locales', true)
  const readBack = isSeq(tags) ? tags.items.map((item) => (isMap(item) ? String(item.get('tag')) : '')) : []
  const expected = [...locales.items.map((item) => (isMap(item) ? String(item.get('tag')) : '')), tag]
  if (check.errors.length > 0 || readBack.join(' ') !== expected.join(' ')) {
    return { added: false, reason: 'the edited file would not read back with the new locale; add it by hand' }
  }
  return { added: true, text: updated }
}

/** Add the locale to the file `configPath`; returns what happened, writing only on success. */
export async function addLocaleToConfig(configPath: string, tag: string, label: string): Promise<AddLocaleResult> {
  const result = addLocaleToConfigText(await readFile(configPath, 'utf8'), tag, label)
  if (result.added) await writeFileAtomic(configPath, result.text)
  return result
}
