// Loading interface strings per locale, with fallback to the source locale and the built-in defaults.
import path from 'node:path'
import type { Point } from 'unist'
import { VFile } from 'vfile'
import { LineCounter, parseDocument, isMap, isScalar } from 'yaml'
import { builtInStrings } from './builtin/index.js'
import { defaultStrings, stringKeys, type StringForms, type StringKey, type Strings } from './defaults.js'
import { readUtf8File } from '../content/utf8.js'
import { fail, warn } from '../report/messages.js'

/** Where a locale is declared (its `tag` in handbook.yaml). */
export interface Declaration {
  file: VFile
  point: Point | undefined
}

export interface LoadedStrings {
  strings: Strings
  file: VFile
}

interface RawStrings {
  values: Partial<Record<StringKey, string>>
  /** `key@case` texts and `case-after@case` word lists. */
  cases: Partial<Record<StringKey, Record<string, string>>>
  after: Record<string, string[]>
  file: VFile
  exists: boolean
}

async function readStrings(root: string, locale: string): Promise<RawStrings> {
  const filePath = path.join(root, 'strings', `${locale}.yaml`)
  const file = new VFile({ path: path.relative(process.cwd(), filePath) || filePath })
  const read = await readUtf8File(filePath, file, 'strings-encoding')
  const cases: RawStrings['cases'] = {}
  const after: RawStrings['after'] = {}
  if (read.text === undefined) return { values: {}, cases, after, file, exists: read.exists }
  const text = read.text
  file.value = text
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false })
  const pointAt = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  for (const error of document.errors) fail(file, `Cannot parse YAML: ${error.message.split('\n')[0]}`, pointAt(error.pos[0]), 'strings-yaml')
  const values: Partial<Record<StringKey, string>> = {}
  if (document.errors.length > 0) return { values, cases, after, file, exists: true }
  if (!isMap(document.contents)) {
    if (document.contents) fail(file, 'Expected a map of string keys to texts', pointAt(0), 'strings-invalid')
    return { values, cases, after, file, exists: true }
  }
  for (const pair of document.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    const place = isScalar(pair.key) && pair.key.range ? pointAt(pair.key.range[0]) : undefined
    const form = /^([a-z][a-z0-9.-]*)@([a-z]+)$/.exec(key)
    if (form && (form[1] === 'case-after' || form[1]! in defaultStrings)) {
      // `xref.figure@accusative: "{number}. attēlu"`, `case-after@accusative: "sk., skatīt"`.
      if (!isScalar(pair.value) || typeof pair.value.value !== 'string') {
        fail(file, `Expected a text for \`${key}\``, place, 'strings-invalid')
      } else if (form[1] === 'case-after') {
        after[form[2]!] = pair.value.value.split(',').map((word) => word.trim()).filter((word) => word !== '')
      } else {
        ;(cases[form[1] as StringKey] ??= {})[form[2]!] = pair.value.value
      }
      continue
    }
    if (!(key in defaultStrings)) {
      warn(file, `Unexpected string key \`${key}\`: remove it or check its spelling`, place, 'strings-unknown-key')
      continue
    }
    if (!isScalar(pair.value) || typeof pair.value.value !== 'string') {
      fail(file, `Expected a text for \`${key}\``, place, 'strings-invalid')
      continue
    }
    values[key as StringKey] = pair.value.value
  }
  return { values, cases, after, file, exists: true }
}

/**
 * The grammatical forms of a locale: a key's cases come from the layer its text comes from (the
 * file's own, else the built-in ones while the file keeps the built-in text), the words that
 * choose a case from the built-in strings, overridden by the file.
 */
function mergeForms(own: RawStrings, builtIn: Strings | undefined): StringForms | undefined {
  const cases: Partial<Record<StringKey, Readonly<Record<string, string>>>> = {}
  for (const key of stringKeys) {
    const fromBuiltIn = builtIn?.forms?.cases[key]
    if (own.cases[key]) cases[key] = { ...(own.values[key] === undefined || own.values[key] === builtIn?.[key] ? fromBuiltIn : {}), ...own.cases[key] }
    else if (fromBuiltIn && (own.values[key] === undefined || own.values[key] === builtIn![key])) cases[key] = fromBuiltIn
  }
  const after = { ...builtIn?.forms?.after, ...own.after }
  if (Object.keys(cases).length === 0 && Object.keys(after).length === 0) return undefined
  return { cases, after }
}

/**
 * Load the strings of `locale`: its file, then the tool's built-in strings of its language, then
 * the source locale's file, then the built-in English. Missing keys in a translation without
 * built-in strings are warnings on its file, so partners see what to translate.
 */
export async function loadStrings(root: string, locale: string, sourceLocale: string, declared?: Declaration): Promise<LoadedStrings> {
  const own = await readStrings(root, locale)
  const source = locale === sourceLocale ? own : await readStrings(root, sourceLocale)
  // Every key has a text in the built-in languages (English among them), so their file is optional.
  const builtIn = builtInStrings(locale)
  if (!own.exists && !builtIn) {
    // A file that is not there has no line to point at: the message goes where the locale is declared.
    warn(
      declared?.file ?? own.file,
      `Cannot find interface strings for \`${locale}\`: create \`strings/${locale}.yaml\` (\`handbook translate init ${locale}\` starts one from \`strings/${sourceLocale}.yaml\`)`,
      declared?.point,
      'strings-missing-file'
    )
  } else if (locale !== sourceLocale && !builtIn && !own.file.messages.some((message) => message.fatal)) {
    // (A file that could not be read is one error, not one warning per key.)
    const missing = stringKeys.filter((key) => own.values[key] === undefined)
    for (const key of missing) {
      warn(own.file, `Missing string \`${key}\`: it falls back to the ${sourceLocale} text`, undefined, 'strings-missing-key')
    }
  }
  const forms = mergeForms(own, builtIn)
  const { forms: _builtInForms, ...builtInTexts } = builtIn ?? {}
  const strings: Strings = { ...defaultStrings, ...source.values, ...builtInTexts, ...own.values, ...(forms ? { forms } : {}) }
  return { strings, file: own.file }
}

/** Where the interface strings of a locale come from, key by key: what `status` reports. */
export interface StringsCoverage {
  /** Every key the tool knows. */
  total: number
  /** Keys with a text in the locale's language: from its file or built in. */
  translated: number
  /** Keys set in `strings/<locale>.yaml`. */
  fromFile: number
  /** Keys taken from the tool's built-in strings of the language. */
  builtIn: number
  /** Keys that fall back to the source locale's text. */
  missing: StringKey[]
  /** The strings file, relative to the working folder, when it exists. */
  file: string | null
}

/** How completely `locale` has its interface strings, reading only its strings file. */
export async function stringsCoverage(root: string, locale: string, sourceLocale: string): Promise<StringsCoverage> {
  const own = await readStrings(root, locale)
  const builtIn = builtInStrings(locale)
  const fromFile = stringKeys.filter((key) => own.values[key] !== undefined)
  const fromBuiltIn = builtIn ? stringKeys.filter((key) => own.values[key] === undefined) : []
  // The source locale's own language is never "missing": its text is the fallback of the others.
  const missing = locale === sourceLocale || builtIn ? [] : stringKeys.filter((key) => own.values[key] === undefined)
  return {
    total: stringKeys.length,
    translated: stringKeys.length - missing.length,
    fromFile: fromFile.length,
    builtIn: fromBuiltIn.length,
    missing,
    file: own.exists ? own.file.path : null
  }
}

/**
 * Fill `{name}` placeholders of the string `key`, in the grammatical case `grammaticalCase` when
 * the locale has that form of it (else its own text, the nominative).
 */
export function format(strings: Strings, key: StringKey, values: Record<string, string | number> = {}, grammaticalCase?: string): string {
  const text = (grammaticalCase !== undefined ? strings.forms?.cases[key]?.[grammaticalCase] : undefined) ?? strings[key]
  return text.replace(/\{([a-z]+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match))
}
