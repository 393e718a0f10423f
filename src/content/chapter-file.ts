// Reading one chapter file: encoding, front matter (gray-matter) and its schema, with file:line:col messages.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import matter from 'gray-matter'
import { VFile } from 'vfile'
import { LineCounter, parseDocument, isMap, isScalar, type Document } from 'yaml'
import { z } from 'zod'
import { fail } from '../report/messages.js'

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

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Read a chapter. Problems are messages on the returned file; nothing here throws for bad content. */
export async function readChapterFile(filePath: string): Promise<ChapterFile> {
  const file = new VFile({ path: path.relative(process.cwd(), filePath) || filePath })
  let bytes: Buffer
  try {
    bytes = await readFile(filePath)
  } catch (error) {
    fail(file, `Cannot read chapter: ${(error as Error).message}`, undefined, 'chapter-unreadable')
    file.value = ''
    return { file, data: undefined }
  }
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    const offset = firstInvalidUtf8(bytes)
    const before = bytes.subarray(0, offset).toString('utf8')
    const line = before.split('\n').length
    const column = (before.split('\n').at(-1)?.length ?? 0) + 1
    fail(file, `Cannot decode byte ${offset} as UTF-8: save the file as UTF-8`, { line, column }, 'encoding-invalid')
    file.value = ''
    return { file, data: undefined }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  return parseChapterText(text, file)
}

/** Split front matter from body and validate it. Exported for tests. */
export function parseChapterText(text: string, file: VFile): ChapterFile {
  let document: Document | undefined
  let lineCounter = new LineCounter()
  const parsed = matter(text, {
    engines: {
      yaml: (source: string) => {
        lineCounter = new LineCounter()
        document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true })
        return document.errors.length > 0 ? {} : ((document.toJS() as object | null) ?? {})
      }
    }
  })
  const hasFrontMatter = document !== undefined || parsed.matter !== ''
  // Lines before the body: the opening fence, the YAML, the closing fence.
  const bodyStart = hasFrontMatter ? text.length - parsed.content.length : 0
  const headLines = text.slice(0, bodyStart).split('\n').length - 1
  file.value = '\n'.repeat(headLines) + parsed.content

  const pointAt = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line: line + 1, column: col }
  }
  if (!hasFrontMatter) {
    fail(file, 'Missing front matter: start the chapter with `---`, a line `title: ...`, and `---`', { line: 1, column: 1 }, 'front-matter-missing')
    return { file, data: undefined }
  }
  if (document && document.errors.length > 0) {
    for (const error of document.errors) {
      fail(file, `Cannot parse front matter: ${error.message.split('\n')[0]}`, pointAt(error.pos[0]), 'front-matter-yaml')
    }
    return { file, data: undefined }
  }
  const result = frontMatterSchema.safeParse(parsed.data)
  if (result.success) return { file, data: result.data }
  for (const issue of result.error.issues) {
    const valid = Object.keys(frontMatterSchema.shape)
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        fail(
          file,
          `Unexpected front matter key \`${key}\`: valid keys are ${valid.map((name) => `\`${name}\``).join(', ')}`,
          keyPlace(document, key, pointAt),
          'front-matter-unknown-key'
        )
      }
    } else {
      const key = String(issue.path[0] ?? '')
      const place = keyPlace(document, key, pointAt) ?? { line: 1, column: 1 }
      const reason =
        issue.code === 'invalid_type' && issue.received === 'undefined'
          ? `Missing front matter key \`${key}\``
          : `Invalid front matter \`${key}\`: ${issue.code === 'invalid_type' ? `expected ${issue.expected}, got ${issue.received}` : issue.message}`
      fail(file, reason, place, 'front-matter-invalid')
    }
  }
  return { file, data: undefined }
}

function keyPlace(document: Document | undefined, key: string, pointAt: (offset: number) => { line: number; column: number }) {
  if (!document || !isMap(document.contents)) return undefined
  const pair = document.contents.items.find((item) => isScalar(item.key) && item.key.value === key)
  return pair && isScalar(pair.key) && pair.key.range ? pointAt(pair.key.range[0]) : undefined
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let index = 0
  while (index < bytes.length) {
    const byte = bytes[index]!
    const extra = byte < 0x80 ? 0 : byte >= 0xc2 && byte <= 0xdf ? 1 : byte >= 0xe0 && byte <= 0xef ? 2 : byte >= 0xf0 && byte <= 0xf4 ? 3 : -1
    if (extra < 0) return index
    for (let next = 1; next <= extra; next++) if (((bytes[index + next] ?? 0) & 0xc0) !== 0x80) return index
    index += extra + 1
  }
  return index
}
