// The translation record in `translations/`: per locale, which version of each source chapter its translation matches, and the old source texts.
import { existsSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import { z } from 'zod'
import { writeFileAtomic } from '../output/write.js'
import { fail } from '../report/messages.js'
import { readUtf8File } from './utf8.js'
import type { ChapterText } from './sections.js'

/** The folder of the record, inside the handbook folder. */
export const recordFolder = 'translations'
/** The old source texts, named `<chapter>.<hash>.md`, kept so `status --diff` works without git. */
export const snapshotFolder = 'sources'

const hash = z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 hexadecimal digits')

const chapterRecord = z
  .object({
    source: hash.describe('hash of the whole source chapter the translation matches'),
    sections: z.record(z.string(), hash).describe('hash of each source section, by section id, at that version')
  })
  .strict()

const recordSchema = z
  .object({
    about: z.string().optional().describe('what the file is, for people who open it'),
    'source-locale': z.string().min(1).describe('the locale the hashes were taken of'),
    chapters: z.record(z.string(), chapterRecord).default({}).describe('by chapter id')
  })
  .strict()

export type ChapterRecord = z.infer<typeof chapterRecord>
export type TranslationRecord = z.infer<typeof recordSchema>

export interface LoadedRecord {
  record: TranslationRecord
  /** The record file, carrying its messages. */
  file: VFile
  exists: boolean
}

/** Path of a locale's record file. */
export function recordPath(root: string, locale: string): string {
  return path.join(root, recordFolder, `${locale}.json`)
}

/** Path of the snapshot of a source chapter version. */
export function snapshotPath(root: string, chapterId: string, sourceHash: string): string {
  return path.join(root, recordFolder, snapshotFolder, `${chapterId}.${sourceHash}.md`)
}

/** Read a locale's record; a missing file is an empty record, a broken one an error on its file. */
export async function readRecord(root: string, locale: string, sourceLocale: string): Promise<LoadedRecord> {
  const filePath = recordPath(root, locale)
  const file = new VFile({ path: path.relative(process.cwd(), filePath) || filePath })
  const empty: TranslationRecord = { 'source-locale': sourceLocale, chapters: {} }
  const read = await readUtf8File(filePath, file, 'translation-record')
  if (read.text === undefined) return { record: empty, file, exists: read.exists }
  const text = read.text
  file.value = text
  const restore = `restore it with \`handbook translate done ${locale} --all\` once the translations match the source`
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    fail(file, `Cannot parse the translation record: ${(error as Error).message}; ${restore}`, { line: 1, column: 1 }, 'translation-record')
    return { record: empty, file, exists: true }
  }
  const result = recordSchema.safeParse(data)
  if (!result.success) {
    for (const issue of result.error.issues) {
      fail(file, `Invalid translation record at \`${issue.path.join('.')}\`: ${issue.message}; ${restore}`, { line: 1, column: 1 }, 'translation-record')
    }
    return { record: empty, file, exists: true }
  }
  if (result.data['source-locale'] !== sourceLocale) {
    fail(file, `Unexpected \`source-locale\` \`${result.data['source-locale']}\`: the book's source locale is \`${sourceLocale}\`; ${restore}`, { line: 1, column: 1 }, 'translation-record')
    return { record: empty, file, exists: true }
  }
  return { record: result.data, file, exists: true }
}

/** The record entry of a source chapter at its current version. */
export function recordOf(source: ChapterText): ChapterRecord {
  return { source: source.hash, sections: Object.fromEntries(source.sections.map((section) => [section.id, section.hash])) }
}

/**
 * Write a locale's record: JSON (it is read on every `status`, and JSON parses a hundred times
 * faster than YAML), chapters sorted by id, one key per line so it diffs well.
 */
export async function writeRecord(root: string, locale: string, record: TranslationRecord): Promise<void> {
  const chapters = Object.fromEntries(Object.keys(record.chapters).sort().map((id) => [id, record.chapters[id]!]))
  const about =
    `The translation record of ${locale}: for each chapter, the version of the ${record['source-locale']} source it translates (hashes of the whole chapter and of each section). ` +
    `Written by \`handbook translate\`; do not edit. The source texts of those versions are in ${snapshotFolder}/, for \`handbook status --diff\`.`
  await writeFileAtomic(recordPath(root, locale), JSON.stringify({ about, 'source-locale': record['source-locale'], chapters }, null, 2) + '\n')
}

/** Keep the source text of a chapter version, unless it is kept already. */
export async function writeSnapshot(root: string, chapterId: string, sourceHash: string, rawSource: string): Promise<void> {
  const target = snapshotPath(root, chapterId, sourceHash)
  if (!existsSync(target)) await writeFileAtomic(target, rawSource)
}

/** The kept source text of a chapter version, or `undefined` when it is not kept. */
export async function readSnapshot(root: string, chapterId: string, sourceHash: string): Promise<string | undefined> {
  try {
    return await readFile(snapshotPath(root, chapterId, sourceHash), 'utf8')
  } catch {
    return undefined
  }
}

/** Remove snapshots that no record refers to any more; returns their file names. */
export async function pruneSnapshots(root: string, records: readonly TranslationRecord[]): Promise<string[]> {
  const folder = path.join(root, recordFolder, snapshotFolder)
  const used = new Set(records.flatMap((record) => Object.entries(record.chapters).map(([id, entry]) => `${id}.${entry.source}.md`)))
  let names: string[] = []
  try {
    names = await readdir(folder)
  } catch {
    return []
  }
  const unused = names.filter((name) => /^[a-z0-9-]+\.[0-9a-f]{16}\.md$/.test(name) && !used.has(name)).sort()
  for (const name of unused) await rm(path.join(folder, name))
  return unused
}
