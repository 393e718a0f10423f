// `handbook translate init|done`: start translations as drafts from the source, and record which source version a translation matches.
import { existsSync } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config/schema.js'
import { planContents } from '../content/contents-plan.js'
import { configSuggestion, isDraft, isLocaleTag, languageLabel, setDraft, stringsScaffold } from '../content/translation-files.js'
import { pruneSnapshots, readRecord, recordFolder, recordOf, recordPath, writeRecord, writeSnapshot, type TranslationRecord } from '../content/translation-lock.js'
import { compareChapter, readTrackedChapter, type TrackedChapter } from '../content/translation-state.js'
import { builtInStrings } from '../i18n/builtin/index.js'
import { loadStrings } from '../i18n/strings.js'
import { writeFileAtomic } from '../output/write.js'
import { ExitCode, printDiagnostics } from '../report/report.js'
import { UsageError } from './options.js'
import { configOrReport } from './shared.js'
import { identicalSections } from '../translate/record.js'
import { writeLocaleConfig } from './translate-locale.js'

export interface InitOptions {
  root: string
  locale: string
  chapters: string[]
  /** The language's name for a new locale's config suggestion (default: from CLDR). */
  label?: string
  /** Add a new locale to handbook.yaml, and copy no chapters unless they are named. */
  writeConfig?: boolean
}

export interface DoneOptions {
  root: string
  locale: string
  chapters: string[]
  all: boolean
  /** Record sections whose text is the same as the source's (names, lists of references). */
  identicalOk?: boolean
}

interface Loaded {
  root: string
  config: Config
  chapterIds: string[]
}

async function load(rootOption: string): Promise<Loaded | undefined> {
  const root = path.resolve(rootOption)
  const config = await configOrReport(root)
  return config && { root, config, chapterIds: planContents(config).map((entry) => entry.id) }
}

function checkChapters(requested: readonly string[], known: readonly string[]): void {
  const unknown = requested.filter((id) => !known.includes(id))
  if (unknown.length > 0) {
    throw new UsageError(`Unknown chapter ${unknown.map((id) => `\`${id}\``).join(', ')}: give chapter ids from \`contents\` of handbook.yaml (file names without \`.md\`)`)
  }
}

async function readSource(root: string, sourceLocale: string, id: string): Promise<TrackedChapter> {
  const source = await readTrackedChapter(path.join(root, sourceLocale, `${id}.md`), id, root)
  if (!source) throw new UsageError(`Cannot find the source chapter \`${path.relative(process.cwd(), path.join(root, sourceLocale, `${id}.md`))}\``)
  const problem = source.file.messages.find((message) => message.fatal)
  if (problem) throw new UsageError(`${source.file.path}:${problem.line ?? 1}:${problem.column ?? 1}: ${problem.reason}`)
  return source
}

/** Every record file in the record folder: snapshots still in use by any locale must stay. */
async function allRecords(root: string, sourceLocale: string, updated: Map<string, TranslationRecord>): Promise<TranslationRecord[]> {
  let names: string[] = []
  try {
    names = (await readdir(path.join(root, recordFolder))).filter((name) => name.endsWith('.json'))
  } catch {
    names = []
  }
  const records: TranslationRecord[] = [...updated.values()]
  for (const name of names) {
    const locale = name.slice(0, -'.json'.length)
    if (updated.has(locale)) continue
    const loaded = await readRecord(root, locale, sourceLocale)
    // A record that cannot be read keeps every snapshot: never delete what it may need.
    if (loaded.file.messages.length > 0) return []
    records.push(loaded.record)
  }
  return records
}

export async function finishRecord(root: string, locale: string, sourceLocale: string, record: TranslationRecord): Promise<void> {
  await writeRecord(root, locale, record)
  const records = await allRecords(root, sourceLocale, new Map([[locale, record]]))
  if (records.length > 0) {
    const removed = await pruneSnapshots(root, records)
    if (removed.length > 0) process.stderr.write(`removed ${removed.length} source snapshot(s) no record uses any more\n`)
  }
}

/** `translate init`: returns the exit code. */
export async function runInit(options: InitOptions): Promise<number> {
  const loaded = await load(options.root)
  if (!loaded) return ExitCode.usage
  const { root, config, chapterIds } = loaded
  const { locale } = options
  const sourceLocale = config['source-locale']
  if (!isLocaleTag(locale)) throw new UsageError(`Invalid locale \`${locale}\`: expected a BCP 47 language tag, like \`lv\` or \`pt-BR\``)
  if (locale === sourceLocale) throw new UsageError(`Cannot translate into \`${locale}\`: it is the source locale`)
  checkChapters(options.chapters, chapterIds)

  const configured = config.locales.find((entry) => entry.tag === locale)
  const label = options.label ?? configured?.label ?? languageLabel(locale)
  const folder = path.join(root, locale)
  await mkdir(folder, { recursive: true })
  const stringsFile = path.join(root, 'strings', `${locale}.yaml`)
  if (!existsSync(stringsFile)) {
    const { strings } = await loadStrings(root, sourceLocale, sourceLocale)
    await writeFileAtomic(stringsFile, stringsScaffold(locale, label, sourceLocale, strings))
    const note = builtInStrings(locale) ? 'the built-in interface strings are listed there; uncomment a key to change its text' : 'translate the interface strings there'
    process.stderr.write(`created ${path.relative(process.cwd(), stringsFile)}: ${note}\n`)
  }

  const { record, file } = await readRecord(root, locale, sourceLocale)
  if (file.messages.some((message) => message.fatal)) {
    printDiagnostics([file], { json: false, quiet: false, strict: false })
    return ExitCode.content
  }
  // With --write-config no English copies are made: readers get the source chapter with a notice instead.
  const wanted = options.chapters.length > 0 ? options.chapters : options.writeConfig ? [] : chapterIds
  let created = 0
  for (const id of wanted) {
    const target = path.join(folder, `${id}.md`)
    if (existsSync(target)) {
      if (options.chapters.length > 0) process.stderr.write(`kept ${path.relative(process.cwd(), target)}: it exists already\n`)
      continue
    }
    const source = await readSource(root, sourceLocale, id)
    await writeFileAtomic(target, setDraft(source.raw, true))
    await writeSnapshot(root, id, source.text.hash, source.raw)
    record.chapters[id] = recordOf(source.text)
    created++
    process.stdout.write(`created ${path.relative(process.cwd(), target)} (draft, from source version ${source.text.hash})\n`)
  }
  if (created > 0) await finishRecord(root, locale, sourceLocale, record)
  if (created === 0 && options.chapters.length === 0 && !options.writeConfig) process.stdout.write(`${locale}: every chapter has a translation file already\n`)
  if (!configured && options.writeConfig) return writeLocaleConfig(root, locale, label)
  if (configured && options.writeConfig) process.stdout.write(`\`${locale}\` is in handbook.yaml already\n`)
  if (!configured) {
    process.stdout.write(`\n\`${locale}\` is not in handbook.yaml yet. ${configSuggestion(locale, label, config.book.subtitle !== undefined)}`)
  }
  return ExitCode.ok
}

/** `translate done`: returns the exit code. */
export async function runDone(options: DoneOptions): Promise<number> {
  const loaded = await load(options.root)
  if (!loaded) return ExitCode.usage
  const { root, config, chapterIds } = loaded
  const { locale } = options
  const sourceLocale = config['source-locale']
  if (!config.locales.some((entry) => entry.tag === locale) || locale === sourceLocale) {
    throw new UsageError(`Unknown translation locale \`${locale}\`: pick one of ${config.locales.filter((entry) => entry.tag !== sourceLocale).map((entry) => `\`${entry.tag}\``).join(', ')} (a new locale starts with \`handbook translate init ${locale}\`)`)
  }
  if (options.all && options.chapters.length > 0) throw new UsageError('Give chapter ids or `--all`, not both')
  if (!options.all && options.chapters.length === 0) throw new UsageError(`Give the chapters to record (\`handbook translate done ${locale} <chapter>...\`) or \`--all\``)
  checkChapters(options.chapters, chapterIds)
  const ids = options.all ? chapterIds.filter((id) => existsSync(path.join(root, locale, `${id}.md`))) : options.chapters

  const { record, file } = await readRecord(root, locale, sourceLocale)
  if (file.messages.some((message) => message.fatal) && existsSync(recordPath(root, locale))) {
    // A broken record is rewritten from scratch: `done` states the truth for the chapters it names.
    process.stderr.write(`${path.relative(process.cwd(), recordPath(root, locale))} could not be read; it is written anew\n`)
  }
  let exitCode: number = ExitCode.ok
  for (const id of ids) {
    const translationPath = path.join(root, locale, `${id}.md`)
    const shown = path.relative(process.cwd(), translationPath)
    if (!existsSync(translationPath)) {
      process.stderr.write(`cannot record ${locale} ${id}: ${shown} does not exist (\`handbook translate init ${locale} ${id}\` starts it)\n`)
      exitCode = ExitCode.content
      continue
    }
    const source = await readSource(root, sourceLocale, id)
    let translation = (await readTrackedChapter(translationPath, id, root))!
    const problem = translation.file.messages.find((message) => message.fatal)
    if (problem) {
      process.stderr.write(`cannot record ${locale} ${id}: ${shown}:${problem.line ?? 1}:${problem.column ?? 1}: ${problem.reason}\n`)
      exitCode = ExitCode.content
      continue
    }
    const notes: string[] = []
    const identical = identicalSections(source.text, translation.text)
    if (identical.length > 0 && !options.identicalOk) {
      process.stderr.write(`cannot record ${locale} ${id}: ${identical.map((section) => `\`${section}\``).join(', ')} ${identical.length === 1 ? 'is' : 'are'} the same as the ${sourceLocale} source: translate ${identical.length === 1 ? 'it' : 'them'}, or run with \`--identical-ok\` when the same text is right (names, lists of references)\n`)
      exitCode = ExitCode.content
      continue
    }
    if (isDraft(translation.raw)) {
      await writeFileAtomic(translationPath, setDraft(translation.raw, false))
      notes.push('draft flag removed')
      translation = (await readTrackedChapter(translationPath, id, root))!
    }
    const before = compareChapter(source.text, translation.text, record.chapters[id], shown)
    const changed = before.sections.filter((section) => section.state === 'stale').map((section) => section.id)
    if (changed.length > 0) notes.push(`was stale in ${changed.join(', ')}`)
    const missing = before.sections.filter((section) => section.state === 'missing').map((section) => section.id)
    if (missing.length > 0) notes.push(`still missing: ${missing.join(', ')}`)
    if (before.removed.length > 0) notes.push(`sections not in the source: ${before.removed.join(', ')}`)
    const unnamed = translation.text.sections.filter((section) => !section.explicit).length
    if (unnamed > 0) notes.push(`${unnamed} heading(s) without {#id}: they line up with the source by position only`)
    await writeSnapshot(root, id, source.text.hash, source.raw)
    record.chapters[id] = recordOf(source.text)
    process.stdout.write(`recorded ${locale} ${id} as matching source version ${source.text.hash}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}\n`)
  }
  record['source-locale'] = sourceLocale
  await finishRecord(root, locale, sourceLocale, record)
  return exitCode
}
