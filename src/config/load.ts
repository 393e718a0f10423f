// Loading handbook.yaml: YAML parsing, schema validation and cross-checks, with file:line:col messages.
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import { LineCounter, parseDocument, isMap, isScalar, type Document, type Node as YamlNode } from 'yaml'
import type { Point } from 'unist'
import { z } from 'zod'
import { decodeUtf8, maxTextFileBytes } from '../content/utf8.js'
import { configSchema, withBookDefaults, type Config, type LocalizedText } from './schema.js'
import { fail, warn } from '../report/messages.js'

export const configFileName = 'handbook.yaml'

export interface LoadedConfig {
  /** The validated config, or `undefined` when it has errors. */
  config: Config | undefined
  /** The config file, carrying its messages. */
  file: VFile
  /** Where the value at `keys` is written in the file, for messages about it. */
  locate: (keys: readonly (string | number)[]) => Point | undefined
}

type Path = readonly (string | number)[]

/** Read and validate `<root>/handbook.yaml`. Never throws for bad content: problems are messages on `file`. */
export async function loadConfig(root: string): Promise<LoadedConfig> {
  const filePath = path.join(root, configFileName)
  const file = new VFile({ path: path.relative(process.cwd(), filePath) || filePath })
  let text: string
  try {
    const info = await stat(filePath)
    if (info.isFile() && info.size > maxTextFileBytes) {
      fail(file, `Cannot read \`${configFileName}\` of ${info.size} bytes: a config stays under ${maxTextFileBytes / 1024 / 1024} MiB`, undefined, 'file-too-large')
      return { config: undefined, file, locate: () => undefined }
    }
    const bytes = await readFile(filePath)
    const decoded = decodeUtf8(bytes)
    if (!decoded.ok) {
      // Invalid UTF-8 is reported, not silently replaced with U+FFFD.
      fail(file, `Cannot decode byte ${decoded.offset} of \`${configFileName}\` as UTF-8: save it as UTF-8`, decoded.point, 'config-encoding')
      return { config: undefined, file, locate: () => undefined }
    }
    text = decoded.text
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    fail(
      file,
      code === 'ENOENT'
        ? `Cannot find \`${configFileName}\` in \`${root}\`: pass the handbook folder with \`--root <dir>\``
        : `Cannot read \`${configFileName}\`: ${(error as Error).message}`,
      undefined,
      'config-unreadable'
    )
    return { config: undefined, file, locate: () => undefined }
  }
  file.value = text
  return parseConfig(text, file)
}

/** Validate config text; messages go to `file`. Exported for tests. */
export function parseConfig(text: string, file: VFile): LoadedConfig {
  // Checks that point inside a value (`editions.edit-url`) read the text from the file.
  if (file.value === undefined || String(file.value) === '') file.value = text
  const lineCounter = new LineCounter()
  // `logLevel: 'error'`: YAML's own warnings would go to stderr, past the report.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' })
  const pointAt = (offset: number): Point => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col, offset }
  }
  const locate = (keys: Path) => {
    const node = nodeAt(document, keys)
    return node?.range ? pointAt(node.range[0]) : undefined
  }
  return { config: validate(document, file, pointAt), file, locate }
}

function validate(document: Document, file: VFile, pointAt: (offset: number) => Point): Config | undefined {
  for (const error of document.errors) {
    fail(file, `Cannot parse YAML: ${firstLine(error.message)}`, pointAt(error.pos[0]), 'config-yaml')
  }
  for (const warning of document.warnings) {
    warn(file, `Unexpected YAML: ${firstLine(warning.message)}`, pointAt(warning.pos[0]), 'config-yaml')
  }
  if (document.errors.length > 0) return undefined
  if (document.contents === null) {
    fail(file, `Unexpected empty \`${configFileName}\`: it needs at least \`book\`, \`source-locale\`, \`locales\` and \`contents\` (see the README)`, { line: 1, column: 1 }, 'config-empty')
    return undefined
  }
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: 100 })
  } catch (error) {
    // An alias bomb ("billion laughs") stops here instead of exhausting memory.
    fail(file, `Cannot parse YAML: ${firstLine((error as Error).message)}`, pointAt(0), 'config-yaml')
    return undefined
  }
  const result = configSchema.safeParse(value)
  if (!result.success) {
    for (const issue of result.error.issues) reportIssue(issue, document, file, pointAt)
    return undefined
  }
  const config = withBookDefaults(result.data)
  return crossCheck(config, document, file, pointAt) ? config : undefined
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

/** The YAML node at `keys`, or its closest existing ancestor. */
function nodeAt(document: Document, keys: Path): YamlNode | undefined {
  for (let length = keys.length; length >= 0; length--) {
    const node = document.getIn(keys.slice(0, length), true)
    if (node && typeof node === 'object') return node as YamlNode
  }
  return undefined
}

function keyNodeAt(document: Document, keys: Path, key: string): YamlNode | undefined {
  const map = keys.length === 0 ? document.contents : document.getIn(keys, true)
  if (!isMap(map)) return undefined
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key)
  return pair && isScalar(pair.key) ? pair.key : undefined
}

function describePath(keys: Path): string {
  return keys.length === 0 ? 'the top level' : '`' + keys.map((key) => (typeof key === 'number' ? `[${key}]` : key)).join('.').replace(/\.\[/g, '[') + '`'
}

/** Valid keys of the object schema at `keys`, for "did you mean" lists. */
function validKeysAt(keys: Path): string[] {
  let schema: z.ZodTypeAny = configSchema
  for (const key of keys) {
    schema = unwrap(schema)
    if (schema instanceof z.ZodObject && typeof key === 'string') schema = schema.shape[key]
    else if (schema instanceof z.ZodArray) schema = schema.element
    else return []
    if (!schema) return []
  }
  schema = unwrap(schema)
  if (schema instanceof z.ZodUnion) {
    const object = (schema.options as z.ZodTypeAny[]).map(unwrap).find((option) => option instanceof z.ZodObject)
    if (object) schema = object
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : []
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let current = schema
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
    current = current instanceof z.ZodDefault ? current._def.innerType : current.unwrap()
  }
  return current
}

function reportIssue(issue: z.ZodIssue, document: Document, file: VFile, pointAt: (offset: number) => Point): void {
  const place = (node: YamlNode | undefined) => (node?.range ? pointAt(node.range[0]) : undefined)
  if (issue.code === 'unrecognized_keys') {
    const valid = validKeysAt(issue.path)
    for (const key of issue.keys) {
      const suggestion = closest(key, valid)
      fail(
        file,
        `Unexpected key \`${key}\` in ${describePath(issue.path)}` +
          (suggestion ? `: did you mean \`${suggestion}\`?` : '') +
          ` Valid keys: ${valid.map((name) => `\`${name}\``).join(', ')}`,
        place(keyNodeAt(document, issue.path, key) ?? nodeAt(document, issue.path)),
        'config-unknown-key'
      )
    }
    return
  }
  if (!document.hasIn(issue.path)) {
    const parent = issue.path.slice(0, -1)
    fail(
      file,
      `Missing required key \`${String(issue.path.at(-1))}\` in ${describePath(parent)} (expected ${describeIssue(issue).replace(/^expected /, '').replace(/, got undefined$/, '')})`,
      place(nodeAt(document, parent)),
      'config-missing-key'
    )
    return
  }
  fail(file, `Invalid value at ${describePath(issue.path)}: ${describeIssue(issue)}`, place(nodeAt(document, issue.path)), 'config-invalid')
}

function describeIssue(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${issue.received}`
    case 'invalid_enum_value':
      return `expected one of ${issue.options.map((option) => `\`${String(option)}\``).join(', ')}, got \`${String(issue.received)}\``
    case 'invalid_union':
      return 'expected ' + unionExpectations(issue)
    default:
      return issue.message
  }
}

function unionExpectations(issue: z.ZodInvalidUnionIssue): string {
  const expected = new Set<string>()
  for (const error of issue.unionErrors) {
    for (const inner of error.issues) expected.add(inner.code === 'invalid_type' ? inner.expected : inner.message)
  }
  return [...expected].join(' or ')
}

/** The valid name nearest to `name`, when it looks like a typo (a few edits away), for "did you mean". */
export function closest(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1
  for (const candidate of valid) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** Chapter ids whose HTML page would overwrite a page the tool writes itself, with what that page is. */
const generatedPages: Readonly<Record<string, string>> = {
  index: 'the generated `index.html`, the edition\'s home page with the contents',
  translation: 'the generated `translation.html`, the translation report'
}

/** Checks that need the whole config: known locales, unique chapter ids. */
function crossCheck(config: Config, document: Document, file: VFile, pointAt: (offset: number) => Point): boolean {
  const before = file.messages.filter((message) => message.fatal).length
  const place = (keys: Path) => {
    const node = nodeAt(document, keys)
    return node?.range ? pointAt(node.range[0]) : undefined
  }
  const tags = config.locales.map((locale) => locale.tag)
  tags.forEach((tag, index) => {
    if (tags.indexOf(tag) !== index) fail(file, `Duplicate locale \`${tag}\`: list each locale once`, place(['locales', index, 'tag']), 'config-duplicate-locale')
  })
  if (!tags.includes(config['source-locale'])) {
    fail(
      file,
      `Unknown source locale \`${config['source-locale']}\`: add it to \`locales\` or use one of ${tags.map((tag) => `\`${tag}\``).join(', ')}`,
      place(['source-locale']),
      'config-unknown-locale'
    )
  }
  // Localized texts may only name configured locales.
  const book = config.book
  const localized: [unknown, Path][] = [
    [book.title, ['book', 'title']],
    [book.subtitle, ['book', 'subtitle']],
    [book.publisher, ['book', 'publisher']],
    [book.funding, ['book', 'funding']],
    [book.description, ['book', 'description']],
    [book.license.notice, ['book', 'license', 'notice']],
    ...book.authors.flatMap((entry, index): [unknown, Path][] => [
      [entry.name, ['book', 'authors', index, 'name']],
      [entry.role, ['book', 'authors', index, 'role']]
    ]),
    ...(book.keywords ?? []).map((keyword, index): [unknown, Path] => [keyword, ['book', 'keywords', index]])
  ]
  for (const [value, keys] of localized) {
    if (typeof value !== 'object' || value === null) continue
    // A text given per locale is meant to be translated: a locale without it prints another language's.
    const missing = tags.filter((tag) => !(tag in value))
    if (missing.length > 0 && tags.includes(config['source-locale'])) {
      warn(
        file,
        `Missing ${missing.map((tag) => `\`${tag}\``).join(', ')} in ${describePath(keys)}: ${missing.length === 1 ? 'that edition shows' : 'those editions show'} the \`${config['source-locale']}\` text; add ${missing.map((tag) => `\`${tag}: ...\``).join(', ')}, or give one text for every locale`,
        place(keys),
        'book-text-untranslated'
      )
    }
    for (const tag of Object.keys(value)) {
      if (tags.includes(tag)) continue
      const keyNode = keyNodeAt(document, keys, tag)
      fail(
        file,
        `Unknown locale \`${tag}\` in ${describePath(keys)}: configured locales are ${tags.map((t) => `\`${t}\``).join(', ')}`,
        keyNode?.range ? pointAt(keyNode.range[0]) : place(keys),
        'config-unknown-locale'
      )
    }
  }

  checkEditUrl(config, document, file, pointAt)

  const seen = new Map<string, Path>()
  const claim = (chapterId: string, keys: Path) => {
    const generated = generatedPages[chapterId]
    if (generated) {
      fail(
        file,
        `Unexpected chapter id \`${chapterId}\`: its page \`<locale>/${chapterId}.html\` would overwrite ${generated}; rename the chapter file and its entry in \`contents\``,
        place(keys),
        'config-reserved-chapter'
      )
    }
    if (seen.has(chapterId)) {
      fail(file, `Duplicate chapter \`${chapterId}\` in \`contents\`: a chapter can appear only once`, place(keys), 'config-duplicate-chapter')
    } else seen.set(chapterId, keys)
  }
  config.contents.front.forEach((chapterId, index) => claim(chapterId, ['contents', 'front', index]))
  config.contents.body.forEach((entry, index) => {
    if (typeof entry === 'string') claim(entry, ['contents', 'body', index])
    else {
      claim(entry.part, ['contents', 'body', index, 'part'])
      entry.chapters.forEach((chapterId, inner) => claim(chapterId, ['contents', 'body', index, 'chapters', inner]))
    }
  })
  config.contents.back.forEach((chapterId, index) => claim(chapterId, ['contents', 'back', index]))
  return file.messages.filter((message) => message.fatal).length === before
}

/** The placeholders an `editions.edit-url` template may use. */
export const editUrlPlaceholders = ['path'] as const

/**
 * Each `{name}` in `editions.edit-url` must be one the tool fills in: a misspelt `{file}` would reach
 * every page as it is. Pointed at the placeholder itself, found in the YAML source of the value.
 */
function checkEditUrl(config: Config, document: Document, file: VFile, pointAt: (offset: number) => Point): void {
  const template = config.editions['edit-url']
  if (template === undefined) return
  const node = nodeAt(document, ['editions', 'edit-url'])
  const range = node?.range
  const source = typeof file.value === 'string' ? file.value : String(file.value ?? '')
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1]!
    if ((editUrlPlaceholders as readonly string[]).includes(name)) continue
    // The placeholder as written in the file (a quoted scalar has the same text, escapes aside).
    const at = range ? source.indexOf(match[0], range[0]) : -1
    const suggestion = closest(name, editUrlPlaceholders)
    fail(
      file,
      `Unknown placeholder \`${match[0]}\` in \`editions.edit-url\`: the tool fills in only ${editUrlPlaceholders.map((entry) => `\`{${entry}}\``).join(', ')} (the chapter's file relative to the handbook folder)${suggestion ? `; did you mean \`{${suggestion}}\`?` : ''}`,
      at >= 0 && range && at < range[1] ? pointAt(at) : range ? pointAt(range[0]) : undefined,
      'config-edit-url-placeholder'
    )
  }
}

/** The text of `value` for `locale`, falling back to `fallback` and then to any given text. */
export function localize(value: LocalizedText, locale: string, fallback: string): string
export function localize(value: LocalizedText | undefined, locale: string, fallback: string): string | undefined
export function localize(value: LocalizedText | undefined, locale: string, fallback: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value
  return value[locale] ?? value[fallback] ?? Object.values(value)[0]
}

