// Gettext PO for translation platforms and PO editors: writing a locale's units (codes as <gN>…</gN> and <xN/> tokens, the segment id as msgctxt) and reading a translated file back.
import { po, type GetTextTranslation, type GetTextTranslations } from 'gettext-parser'
import { flatten, partsMarkdown } from './segments.js'
import type { LocaleUnits, Unit } from './units.js'
import type { ReadFile, Token } from './xliff.js'

/** The token syntax of codes in PO text: `<g1>`…`</g1>` around translatable text, `<x2/>` alone. */
export const poToken = /<g([0-9]+)>|<\/g([0-9]+)>|<x([0-9]+)\/>/g

/** PO text to tokens. */
export function poTokens(text: string): Token[] {
  const tokens: Token[] = []
  let cursor = 0
  for (const match of text.matchAll(poToken)) {
    if (match.index > cursor) tokens.push(text.slice(cursor, match.index))
    if (match[1] !== undefined) tokens.push({ id: Number(match[1]), kind: 'open' })
    else if (match[2] !== undefined) tokens.push({ id: Number(match[2]), kind: 'close' })
    else tokens.push({ id: Number(match[3]), kind: 'ph' })
    cursor = match.index + match[0].length
  }
  if (cursor < text.length) tokens.push(text.slice(cursor))
  return tokens
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`
}

/** What each code of a unit stands for, for the translator (`#.` comments). */
function codeComments(unit: Unit): string[] {
  const lines: string[] = []
  for (const part of unit.source) {
    if (typeof part === 'string' || part.kind === 'close') continue
    const close = unit.source.find((other) => typeof other !== 'string' && other.kind === 'close' && other.id === part.id)
    const shown = part.kind === 'open' ? `<g${part.id}>…</g${part.id}> = ${part.code}…${typeof close === 'string' || !close ? '' : close.code}` : `<x${part.id}/> = ${part.code}`
    lines.push(shown.replace(/\n/g, ' '))
  }
  return lines
}

/** A locale's units as one PO file (a POT without translations when `template` is set). */
export function writePo(model: LocaleUnits, options: { template?: boolean; date?: Date } = {}): string {
  const translations: Record<string, Record<string, GetTextTranslation>> = { '': { '': { msgid: '', msgstr: [''] } } }
  for (const group of model.groups) {
    for (const unit of group.units) {
      // Interface strings keep their `{name}` placeholders as they are: PO tools know that syntax
      // (python-brace-format), and names may change order between languages.
      const named = unit.kind === 'string'
      const text = (parts: Unit['source']) => (named ? partsMarkdown(parts) : flatten(parts))
      const msgid = text(unit.source)
      const template = options.template === true
      const extracted = [`${unit.kind} in ${group.id === 'strings' ? 'the interface strings' : `${group.id} § ${unit.section}`}`, ...(named ? [] : codeComments(unit)), ...(template ? [] : unit.notes.map((note) => note.replace(/\n/g, ' ')))]
      const entry: GetTextTranslation = {
        msgctxt: unit.id,
        msgid,
        msgstr: [!template && unit.target ? text(unit.target) : ''],
        comments: {
          translator: '',
          extracted: extracted.join('\n'),
          reference: unit.location,
          flag: [!template && unit.target && unit.state === 'needs-review-translation' ? 'fuzzy' : '', named && unit.source.some((part) => typeof part !== 'string') ? 'python-brace-format' : ''].filter(Boolean).join(', '),
          previous: !template && unit.previous !== undefined ? `msgctxt ${quote(unit.id)}\nmsgid ${quote(unit.previous)}` : ''
        }
      }
      translations[unit.id] = { [msgid]: entry }
    }
  }
  const headers: Record<string, string> = {
    'Project-Id-Version': 'handbook',
    'Report-Msgid-Bugs-To': '',
    // The build date (SOURCE_DATE_EPOCH or the last commit), never the wall clock: exports are reproducible.
    'PO-Revision-Date': (options.date ?? new Date('2014-07-31T00:00:00Z')).toISOString().replace(/T(\d\d:\d\d).*$/, ' $1+0000'),
    'Last-Translator': '',
    'Language-Team': options.template ? '' : model.locale,
    ...(options.template ? {} : { Language: model.locale }),
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=UTF-8',
    'Content-Transfer-Encoding': '8bit',
    'X-Source-Language': model.sourceLocale,
    'X-Generator': 'handbook translate export'
  }
  const compiled = po.compile({ charset: 'utf-8', headers, translations }, { foldLength: 0, sort: false })
  return compiled.toString('utf8').replace(/\n*$/, '\n')
}

/** Read a PO file: every entry with a msgctxt is a unit. */
export function readPo(text: string): ReadFile {
  const result: ReadFile = { format: 'po', sourceLocale: undefined, locale: undefined, units: [], problems: [] }
  let parsed: GetTextTranslations
  try {
    parsed = po.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const line = /line (\d+)/i.exec(message)?.[1]
    result.problems.push({ line: line ? Number(line) : 1, column: 1, message: `Cannot read the PO file: ${message}` })
    return result
  }
  result.locale = parsed.headers.Language || parsed.headers.language || undefined
  result.sourceLocale = parsed.headers['X-Source-Language'] || undefined
  // Where each entry's msgstr is, for messages: the line after its msgctxt.
  const lines = text.split('\n')
  const places = new Map<string, number>()
  lines.forEach((line, index) => {
    const match = /^msgctxt\s+"(.*)"\s*$/.exec(line)
    if (match) {
      let at = index + 1
      while (at < lines.length && !lines[at]!.startsWith('msgstr')) at++
      places.set(match[1]!.replace(/\\(.)/g, '$1'), at + 1)
    }
  })
  for (const [context, entries] of Object.entries(parsed.translations)) {
    if (context === '') continue
    for (const entry of Object.values(entries as Record<string, GetTextTranslation>)) {
      const msgstr = entry.msgstr?.[0] ?? ''
      const fuzzy = (entry.comments?.flag ?? '').split(/[\s,]+/).includes('fuzzy')
      const target = msgstr === '' ? undefined : poTokens(msgstr)
      result.units.push({ id: context, source: poTokens(entry.msgid), target, translated: target !== undefined && !fuzzy, line: places.get(context) ?? 1, column: 1 })
    }
  }
  return result
}
