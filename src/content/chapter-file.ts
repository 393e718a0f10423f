// Reading one chapter file: encoding, front matter (gray-matter) and its schema, with file:line:col messages.
import { readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import matter from 'gray-matter'
import { VFile } from 'vfile'
import { LineCounter, parseDocument, isMap, isScalar, type Document } from 'yaml'
import { z } from 'zod'
import { closest } from '../config/load.js'
import { fail, warn } from '../report/messages.js'
import { removeForbiddenCharacters } from './xml-chars.js'
import { decodeUtf8 } from './utf8.js'

export const frontMatterSchema = z
  .object({
    title: z.string().min(1).describe('the chapter title'),
    'short-title': z.string().min(1).optional().describe('a shorter title for running heads and narrow menus'),
    kind: z.enum(['chapter', 'part', 'glossary']).optional().describe('`chapter` (default), `part` (a part opener) or `glossary`'),
    description: z.string().min(1).optional().describe('one sentence for search results and metadata'),
    draft: z.boolean().optional().describe('`true` while a translation is unfinished')
  })
  .strict()

export type FrontMatter = z.infer<typeof frontMatterSchema>

export interface ChapterFile {
  /** The chapter's vfile; its value is the Markdown body, front matter blanked so lines stay true. */
  file: VFile
  /** The validated front matter, or `undefined` when it has errors. */
  data: FrontMatter | undefined
}

/**
 * The largest chapter file read: 1 MiB, some 170,000 words, about 80 times the longest chapter of
 * the handbook. The Markdown parser needs about 1 GB of memory and 10-30 s per MB, so a 5 MB file
 * would exhaust Node's heap; it is reported instead.
 */
export const maxChapterBytes = 1024 * 1024

/** A chapter file's bytes, or why they were not read. */
export type ChapterBytes = { bytes: Buffer } | { problem: { reason: string; ruleId: 'chapter-outside-root' | 'chapter-unreadable' | 'chapter-too-large' } }

/**
 * Read a chapter file's bytes, refusing what must not or cannot be read: with `root`, a file that
 * resolves outside it (a symbolic link pointing out); a folder, pipe or device (a pipe would block
 * the read for ever); a file over `maxChapterBytes`. Never throws.
 */
export async function readChapterBytes(filePath: string, root?: string): Promise<ChapterBytes> {
  try {
    if (root !== undefined) {
      const real = await realpath(filePath)
      const relative = path.relative(await realpath(root), real)
      if (relative.startsWith('..') || path.isAbsolute(relative)) {
        return { problem: { reason: `Unexpected chapter outside the handbook folder: \`${path.relative(process.cwd(), filePath)}\` links to \`${real}\`; copy the file into the handbook`, ruleId: 'chapter-outside-root' } }
      }
    }
    const info = await stat(filePath)
    if (!info.isFile()) return { problem: { reason: 'Cannot read chapter: it is not a regular file', ruleId: 'chapter-unreadable' } }
    if (info.size > maxChapterBytes) {
      return { problem: { reason: `Cannot build chapter: it has ${info.size} bytes, more than the ${maxChapterBytes} (1 MiB) a chapter may have; split it into several chapters`, ruleId: 'chapter-too-large' } }
    }
    return { bytes: await readFile(filePath) }
  } catch (error) {
    return { problem: { reason: `Cannot read chapter: ${(error as Error).message}`, ruleId: 'chapter-unreadable' } }
  }
}

/**
 * Read a chapter. Problems are messages on the returned file; nothing here throws for bad content.
 * With `root`, a file that resolves outside it (a symbolic link pointing out) is an error and is not read.
 */
export async function readChapterFile(filePath: string, root?: string): Promise<ChapterFile> {
  const file = new VFile({ path: path.relative(process.cwd(), filePath) || filePath })
  const read = await readChapterBytes(filePath, root)
  if ('problem' in read) {
    fail(file, read.problem.reason, { line: 1, column: 1 }, read.problem.ruleId)
    file.value = ''
    return { file, data: undefined }
  }
  const bytes = read.bytes
  const decoded = decodeUtf8(bytes)
  if (!decoded.ok) {
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      fail(file, 'Cannot decode the chapter: it is saved as UTF-16; save it as UTF-8', { line: 1, column: 1 }, 'encoding-invalid')
    } else {
      fail(file, `Cannot decode byte ${decoded.offset} as UTF-8: save the file as UTF-8`, decoded.point, 'encoding-invalid')
    }
    file.value = ''
    return { file, data: undefined }
  }
  // A byte order mark is gone already: the decoder drops it.
  return parseChapterText(removeForbiddenCharacters(decoded.text, file), file)
}

/** Split front matter from body and validate it. Exported for tests. */
export function parseChapterText(text: string, file: VFile): ChapterFile {
  if (text.trim() === '') {
    fail(file, 'Unexpected empty chapter: write its front matter (`title: ...`) and text, or remove it from `contents` in handbook.yaml', { line: 1, column: 1 }, 'chapter-empty')
    file.value = text
    return { file, data: undefined }
  }
  // gray-matter picks an engine from the opening fence (`---js` would run JavaScript): only YAML is read.
  const language = /^---[ \t]*([^\s-][^\r\n]*)?\r?\n/.exec(text)?.[1]?.trim()
  const badLanguage = language !== undefined && language !== '' && language.toLowerCase() !== 'yaml' ? language : undefined
  const source = badLanguage === undefined ? text : text.replace(/^---[^\r\n]*/, '---')
  let document: Document | undefined
  let lineCounter = new LineCounter()
  let toJsError: string | undefined
  const yaml = (input: string) => {
    lineCounter = new LineCounter()
    // `logLevel: 'error'`: YAML's own warnings would go to stderr, past the report.
    document = parseDocument(input, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' })
    if (document.errors.length > 0) return {}
    try {
      return (document.toJS({ maxAliasCount: 100 }) as object | null) ?? {}
    } catch (error) {
      // An alias bomb ("billion laughs") stops here instead of exhausting memory.
      toJsError = (error as Error).message
      return {}
    }
  }
  const refuse = () => {
    throw new Error('only YAML front matter is read')
  }
  // An opening fence without a closing one makes the whole chapter YAML: one message, not the
  // parser's cascade about the Markdown it then tries to read.
  const opening = /^---[^\r\n]*\r?\n/.exec(source)
  if (opening && !/^(---|\.\.\.)[ \t]*\r?$/m.test(source.slice(opening[0].length))) {
    const keys = source.slice(opening[0].length).split(/\r?\n/)
    // The front matter ends before the first line that is not `key: value`, a list item or indented.
    let last = 0
    while (last < keys.length && /^([\w-]+:|[ \t]+\S|-\s|#)/.test(keys[last]!)) last++
    fail(
      file,
      `Unclosed front matter: the \`---\` on line 1 has no closing \`---\`; add a line \`---\` after the front matter${last > 0 ? ` (after line ${last + 1})` : ''}`,
      { line: 1, column: 1 },
      'front-matter-unclosed'
    )
    file.value = ''
    return { file, data: undefined }
  }
  let parsed: { data: unknown; content: string; matter: string }
  try {
    parsed = matter(source, { language: 'yaml', engines: { yaml, js: refuse, javascript: refuse, json: refuse } })
  } catch (error) {
    fail(file, `Cannot parse front matter: ${(error as Error).message}`, { line: 1, column: 1 }, 'front-matter-yaml')
    file.value = ''
    return { file, data: undefined }
  }
  const hasFrontMatter = document !== undefined || parsed.matter !== ''
  // Lines before the body: the opening fence, the YAML, the closing fence.
  const bodyStart = hasFrontMatter ? source.length - parsed.content.length : 0
  const headLines = source.slice(0, bodyStart).split('\n').length - 1
  file.value = '\n'.repeat(headLines) + parsed.content

  // The YAML text starts right after the opening `---`, with that line's newline: its line 1 is the fence's.
  const pointAt = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  if (!hasFrontMatter) {
    fail(file, 'Missing front matter: start the chapter with `---`, a line `title: ...`, and `---`', { line: 1, column: 1 }, 'front-matter-missing')
    return { file, data: undefined }
  }
  if (badLanguage !== undefined) {
    fail(file, `Unexpected front matter language \`${badLanguage}\`: only YAML is read; start the chapter with a plain \`---\` line`, { line: 1, column: 4 }, 'front-matter-language')
    return { file, data: undefined }
  }
  if (toJsError !== undefined) {
    fail(file, `Cannot parse front matter: ${toJsError}`, { line: 2, column: 1 }, 'front-matter-yaml')
    return { file, data: undefined }
  }
  if (document && document.errors.length > 0) {
    // One message for one broken file: the parser's later errors follow from its first.
    const { reason, place } = plainYamlError(source, document.errors[0]!, pointAt)
    fail(file, reason, place, 'front-matter-yaml')
    return { file, data: undefined }
  }
  // A tag such as `!!js/function` asks for something YAML here never does (run code, build objects): the value is read as plain text.
  for (const warning of document?.warnings ?? []) {
    warn(file, `Unexpected YAML in front matter: ${warning.message.split('\n')[0]}; remove the tag, the value is read as plain text`, pointAt(warning.pos[0]), 'front-matter-yaml')
  }
  // Keys for other tools (Jekyll's `layout`, `permalink`, `nav_order`, ...) are common in chapters
  // brought from elsewhere: each is a warning, with the nearest valid key when it looks like a typo.
  // A typo of a key the chapter then lacks (`titel:` for `title:`) is the one error of the file:
  // the missing key it meant is not reported as well.
  const valid = Object.keys(frontMatterSchema.shape)
  const meant = new Set<string>()
  const data = parsed.data as Record<string, unknown> | null
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const key of Object.keys(data)) {
      if (valid.includes(key)) continue
      const suggestion = closest(key, valid)
      const place = keyPlace(document, key, pointAt) ?? { line: 2, column: 1 }
      const validKeys = valid.map((name) => `\`${name}\``).join(', ')
      if (suggestion && !(suggestion in data)) {
        meant.add(suggestion)
        fail(file, `Unexpected front matter key \`${key}\`: did you mean \`${suggestion}\`? Valid keys are ${validKeys}`, place, 'front-matter-unknown-key')
      } else {
        warn(file, `Unexpected front matter key \`${key}\`: ${suggestion ? `did you mean \`${suggestion}\`? It is ignored` : `valid keys are ${validKeys}; it is ignored`}`, place, 'front-matter-unknown-key')
      }
      delete data[key]
    }
  }
  const result = frontMatterSchema.safeParse(parsed.data)
  if (result.success) return { file, data: meant.size > 0 ? undefined : result.data }
  for (const issue of result.error.issues) {
    if (issue.code === 'invalid_type' && issue.received === 'undefined' && meant.has(String(issue.path[0]))) continue
    if (issue.code === 'unrecognized_keys') continue
    const key = String(issue.path[0] ?? '')
    const place = keyPlace(document, key, pointAt) ?? { line: 1, column: 1 }
    const reason =
      issue.code === 'invalid_type' && issue.received === 'undefined'
        ? `Missing front matter key \`${key}\``
        : `Invalid front matter \`${key}\`: ${issue.code === 'invalid_type' ? `expected ${issue.expected}, got ${issue.received}` : issue.message}`
    fail(file, reason, place, 'front-matter-invalid')
  }
  return { file, data: undefined }
}

/** Where `key` is written; a key that is itself a list or map is found by its text. */
function keyPlace(document: Document | undefined, key: string, pointAt: (offset: number) => { line: number; column: number }) {
  if (!document || !isMap(document.contents)) return undefined
  const pair = document.contents.items.find((item) => (isScalar(item.key) ? item.key.value === key : String(item.key) === key))
  const range = (pair?.key as { range?: [number, number, number] } | null | undefined)?.range
  return range ? pointAt(range[0]) : undefined
}

/**
 * A YAML error of the front matter in words an author acts on. A `: ` inside an unquoted value is the
 * usual cause ("Nested mappings are not allowed in compact mappings" for `title: Erasmus+: a guide`):
 * it is named with the fix, wherever the parser noticed it.
 */
function plainYamlError(source: string, error: { code: string; message: string; pos: [number, number] }, pointAt: (offset: number) => { line: number; column: number }) {
  const lines = source.split('\n')
  const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line))
  for (let index = 1; index < (end < 0 ? lines.length : end); index++) {
    const match = /^([\w-]+):[ \t]+([^'"\s|>[{&*!].*?:(\s.*)?)\s*$/.exec(lines[index]!)
    if (!match) continue
    const [, key, value] = match
    return {
      reason: `Cannot read \`${key}\`: its value has a colon, which YAML reads as the start of another key; put the value in quotes: \`${key}: "${value!.replace(/"/g, '\\"')}"\``,
      place: { line: index + 1, column: key!.length + 3 }
    }
  }
  const place = pointAt(error.pos[0])
  const first = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '')
  const advice: Record<string, string> = {
    DUPLICATE_KEY: 'a key is given twice; keep one of them',
    TAB_AS_INDENT: 'a tab indents this line; indent with spaces',
    BAD_INDENT: 'this line is indented differently from the lines around it; indent the keys alike',
    MISSING_CHAR: 'a quote or bracket is not closed on this line; close it',
    BLOCK_AS_IMPLICIT_KEY: 'this line is not `key: value`; write one key and its value a line, and quote values with `:` or `#`',
    MULTILINE_IMPLICIT_KEY: 'a key runs over several lines; write `key: value` on one line, and quote values with `:` or `#`'
  }
  return {
    reason: `Cannot read the front matter: ${advice[error.code] ?? `${first.charAt(0).toLowerCase()}${first.slice(1)}; write one \`key: value\` a line and quote values with \`:\` or \`#\``}`,
    place
  }
}
