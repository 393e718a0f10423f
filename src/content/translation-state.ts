// Translation state: for every (locale, chapter, section), up to date, stale, missing, draft or untracked, from the files and the record alone.
import { lstat } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import { loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { readChapterBytes } from './chapter-file.js'
import { decodeUtf8 } from './utf8.js'
import { planContents } from './contents-plan.js'
import { fail, warn } from '../report/messages.js'
import { chapterFromRaw, matchSections, type ChapterText, type Section } from './sections.js'
import { readRecord, type ChapterRecord, type LoadedRecord } from './translation-lock.js'

/**
 * The state of one section of a translation:
 * `current` (translated from the source version it has now), `stale` (the source section changed
 * since), `missing` (not in the translation: readers get the source), `draft` (the chapter is
 * marked unfinished), `untracked` (translated, but no record says from which source version).
 * `source` marks the source locale itself.
 */
export type SectionState = 'source' | 'current' | 'stale' | 'missing' | 'draft' | 'untracked'
export type ChapterState = SectionState

/** Every state, in the order tables and totals show them. */
export const sectionStates = ['source', 'current', 'stale', 'draft', 'untracked', 'missing'] as const satisfies readonly SectionState[]

export interface SectionStatus {
  /** The section id (the chapter id for the opening: title and text before the first `##`). */
  id: string
  /** The source section's heading text. */
  title: string
  state: SectionState
  /** Words of the translated section (0 when missing). */
  words: number
  /** Words of the source section. */
  sourceWords: number
  /** Line of the section in the translation file, or `null` when it is missing. */
  line: number | null
}

export interface ChapterStatus {
  chapter: string
  /** The source chapter's title. */
  title: string
  state: ChapterState
  words: number
  sourceWords: number
  /** The chapter file of this locale (relative to the working directory), or `null` when missing. */
  file: string | null
  /** Source sections in source order. */
  sections: SectionStatus[]
  /** Sections the translation has but the source no longer has. */
  removed: string[]
  /** The source version the record says the translation matches, or `null`. */
  recorded: string | null
  /** The current source version. */
  source: string
}

export type StateCounts = Record<SectionState, number>

export interface LocaleStatus {
  locale: string
  label: string
  isSource: boolean
  /** Share of source words whose sections are translated and finished (up to date, stale or untracked), in percent, one decimal. */
  coverage: number
  /** Share of source words whose sections are translated from the current source, in percent, one decimal. */
  upToDate: number
  /** Words of the translation. */
  words: number
  /** Words of the source. */
  sourceWords: number
  chapterCounts: StateCounts
  sectionCounts: StateCounts
  chapters: ChapterStatus[]
}

/** A chapter file read for tracking: its sections, its raw text, its file with messages. */
export interface TrackedChapter {
  text: ChapterText
  raw: string
  file: VFile
  /** The file is there but may not be read (not a regular file, outside the handbook, too large): it counts as missing. */
  unreadable?: true
}

export interface TranslationState {
  sourceLocale: string
  locales: LocaleStatus[]
  /** The source chapters by id. */
  sources: Map<string, TrackedChapter>
  /** Translations by locale, then chapter id. */
  translations: Map<string, Map<string, TrackedChapter>>
  records: Map<string, LoadedRecord>
  /** Files with messages (chapter files with front matter problems, broken records). */
  files: VFile[]
}


/** Read one chapter file and cut it into sections; `undefined` when the file does not exist. */
export async function readTrackedChapter(filePath: string, chapterId: string, root: string): Promise<TrackedChapter | undefined> {
  const file = new VFile({ path: path.relative(process.cwd(), filePath) || filePath })
  // The same checks as a build: inside the handbook, a regular file, not too large.
  const read = await readChapterBytes(filePath, root)
  if ('problem' in read) {
    if (!(await lstat(filePath).catch(() => undefined))) return undefined
    fail(file, read.problem.reason, { line: 1, column: 1 }, read.problem.ruleId)
    return { text: chapterFromRaw(chapterId, '').text, raw: '', file, unreadable: true }
  }
  const decoded = decodeUtf8(read.bytes)
  if (!decoded.ok) {
    // Counted as missing: its words cannot be trusted, and the build reports the same file too.
    fail(file, `Cannot decode byte ${decoded.offset} as UTF-8: save the file as UTF-8`, decoded.point, 'encoding-invalid')
    return { text: chapterFromRaw(chapterId, '').text, raw: '', file, unreadable: true }
  }
  const raw = decoded.text
  const { text, problem } = chapterFromRaw(chapterId, raw)
  if (problem) warn(file, `${problem}; its title counts as missing until \`handbook check\` is clean`, { line: 1, column: 1 }, 'front-matter-yaml')
  return { text, raw, file }
}

/** Compare a translation with its source and its record: the state of every section and of the chapter. */
export function compareChapter(
  source: ChapterText,
  translation: ChapterText | undefined,
  record: ChapterRecord | undefined,
  file: string | null
): ChapterStatus {
  const base = {
    chapter: source.id,
    title: source.sections[0]?.title ?? source.id,
    file,
    recorded: record?.source ?? null,
    source: source.hash,
    sourceWords: sum(source.sections.map((section) => section.words))
  }
  if (!translation) {
    return {
      ...base,
      state: 'missing',
      words: 0,
      sections: source.sections.map((section) => ({ id: section.id, title: section.title, state: 'missing', words: 0, sourceWords: section.words, line: null })),
      removed: []
    }
  }
  const matched = matchSections(source.sections, translation.sections, (section) => section)
  const sections: SectionStatus[] = source.sections.map((section, index) => {
    const own = matched[index]
    const state: SectionState = !own
      ? 'missing'
      : translation.draft
        ? 'draft'
        : !record
          ? 'untracked'
          : record.sections[section.id] === undefined
            ? 'untracked'
            : record.sections[section.id] === section.hash
              ? 'current'
              : 'stale'
    return { id: section.id, title: section.title, state, words: own?.words ?? 0, sourceWords: section.words, line: own?.line ?? null }
  })
  const used = new Set(matched.filter((entry): entry is Section => entry !== undefined))
  const removed = translation.sections.filter((section) => !used.has(section)).map((section) => section.id)
  // The chapter is stale when its source changed in any way since the record: a section changed, came or went.
  const state: ChapterState = translation.draft ? 'draft' : !record ? 'untracked' : record.source !== source.hash ? 'stale' : 'current'
  return { ...base, state, words: sum(translation.sections.map((section) => section.words)), sections, removed }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.floor((1000 * part) / whole) / 10
}

function emptyCounts(): StateCounts {
  return { source: 0, current: 0, stale: 0, draft: 0, untracked: 0, missing: 0 }
}

/** Totals of a locale from its chapters. Coverage is rounded down, so 100% means every word. */
export function localeStatus(locale: string, label: string, isSource: boolean, chapters: ChapterStatus[]): LocaleStatus {
  const chapterCounts = emptyCounts()
  const sectionCounts = emptyCounts()
  let translated = 0
  let current = 0
  let sourceWords = 0
  for (const chapter of chapters) {
    chapterCounts[chapter.state]++
    for (const section of chapter.sections) {
      sectionCounts[section.state]++
      sourceWords += section.sourceWords
      if (section.state === 'source' || section.state === 'current') current += section.sourceWords
      if (section.state === 'source' || section.state === 'current' || section.state === 'stale' || section.state === 'untracked') translated += section.sourceWords
    }
  }
  return {
    locale,
    label,
    isSource,
    coverage: percent(translated, sourceWords),
    upToDate: percent(current, sourceWords),
    words: sum(chapters.map((chapter) => chapter.words)),
    sourceWords,
    chapterCounts,
    sectionCounts,
    chapters
  }
}

/** The status of the source locale: every chapter and section is `source`. */
function sourceStatus(text: ChapterText, file: string): ChapterStatus {
  const words = sum(text.sections.map((section) => section.words))
  return {
    chapter: text.id,
    title: text.sections[0]?.title ?? text.id,
    state: 'source',
    words,
    sourceWords: words,
    file,
    sections: text.sections.map((section) => ({ id: section.id, title: section.title, state: 'source', words: section.words, sourceWords: section.words, line: section.line })),
    removed: [],
    recorded: null,
    source: text.hash
  }
}

export interface CollectOptions {
  root: string
  config: Config
  /** Locales to report; every configured one when absent. The source locale is always read and reported. */
  locales?: readonly string[]
  /** Chapters to read and report, by id; every one of `contents` when absent (the preview asks about the chapter just saved). */
  chapters?: readonly string[]
}

/**
 * Read every chapter of the requested locales and their records, and compute the state. Reads
 * files and hashes text only (no Markdown pipeline), so it stays fast on a whole book.
 */
export async function collectTranslationState(options: CollectOptions): Promise<TranslationState> {
  const { root, config } = options
  const sourceLocale = config['source-locale']
  const wanted = options.locales ?? config.locales.map((locale) => locale.tag)
  const plan = planContents(config).filter((entry) => options.chapters === undefined || options.chapters.includes(entry.id))
  const files: VFile[] = []
  const readLocale = async (locale: string): Promise<Map<string, TrackedChapter>> => {
    const entries = await Promise.all(plan.map(async (entry) => [entry.id, await readTrackedChapter(path.join(root, locale, `${entry.id}.md`), entry.id, root)] as const))
    const chapters = new Map<string, TrackedChapter>()
    for (const [id, chapter] of entries) {
      if (!chapter) continue
      files.push(chapter.file)
      if (!chapter.unreadable) chapters.set(id, chapter)
    }
    return chapters
  }
  const sources = await readLocale(sourceLocale)
  const translations = new Map<string, Map<string, TrackedChapter>>()
  const records = new Map<string, LoadedRecord>()
  const locales: LocaleStatus[] = []
  for (const locale of config.locales) {
    const isSource = locale.tag === sourceLocale
    if (!wanted.includes(locale.tag) && !isSource) continue
        const chapters: ChapterStatus[] = []
    if (isSource) {
      for (const entry of plan) {
        const source = sources.get(entry.id)
        if (source) chapters.push(sourceStatus(source.text, source.file.path))
      }
      locales.push(localeStatus(locale.tag, locale.label, true, chapters))
      continue
    }
    const [own, record] = await Promise.all([readLocale(locale.tag), readRecord(root, locale.tag, sourceLocale)])
    translations.set(locale.tag, own)
    records.set(locale.tag, record)
    files.push(record.file)
    for (const entry of plan) {
      const source = sources.get(entry.id)
      if (!source) continue
      const translation = own.get(entry.id)
      chapters.push(compareChapter(source.text, translation?.text, record.record.chapters[entry.id], translation?.file.path ?? null))
    }
    locales.push(localeStatus(locale.tag, locale.label, false, chapters))
  }
  return { sourceLocale, locales, sources, translations, records, files }
}

/** Load the config and collect the state; `undefined` state when the config is unusable. */
export async function loadTranslationState(root: string, locales?: readonly string[]): Promise<{ state: TranslationState | undefined; config: Config | undefined; files: VFile[] }> {
  const loaded = await loadConfig(path.resolve(root))
  if (!loaded.config) return { state: undefined, config: undefined, files: [loaded.file] }
  const state = await collectTranslationState({ root: path.resolve(root), config: loaded.config, locales })
  return { state, config: loaded.config, files: [loaded.file, ...state.files] }
}

/** A piece of a translation that cannot be released: missing, stale, draft or untracked. */
export interface TranslationProblem {
  locale: string
  chapter: string
  /** `null` when the whole chapter is concerned. */
  section: string | null
  state: SectionState
  /** The translation file (the one to create, for a missing chapter). */
  file: string | null
  line: number | null
  message: string
}

/**
 * Everything that keeps a locale from a release (`--strict`): each missing, draft or untracked
 * chapter, and each stale, removed or missing section of the other chapters.
 */
export function translationProblems(root: string, sourceLocale: string, status: LocaleStatus): TranslationProblem[] {
  if (status.isSource) return []
  const { locale } = status
  const problems: TranslationProblem[] = []
  for (const chapter of status.chapters) {
    const file = chapter.file ?? path.relative(process.cwd(), path.join(root, locale, `${chapter.chapter}.md`))
    const done = `\`handbook translate done ${locale} ${chapter.chapter}\``
    const whole = (state: SectionState, message: string) => problems.push({ locale, chapter: chapter.chapter, section: null, state, file, line: chapter.file ? 1 : null, message })
    if (chapter.state === 'missing') {
      whole('missing', `Chapter \`${chapter.chapter}\` is not translated into \`${locale}\`: create \`${file}\` (\`handbook translate init ${locale} ${chapter.chapter}\` starts it)`)
      continue
    }
    if (chapter.state === 'draft') {
      whole('draft', `Chapter \`${chapter.chapter}\` in \`${locale}\` is a draft: finish it, then run ${done}`)
      continue
    }
    if (chapter.state === 'untracked') {
      whole('untracked', `Chapter \`${chapter.chapter}\` in \`${locale}\` has no translation record, so it cannot be known to match the ${sourceLocale} source: check it, then run ${done}`)
      continue
    }
    for (const section of chapter.sections) {
      const where = { locale, chapter: chapter.chapter, section: section.id, file, line: section.line }
      if (section.state === 'stale') {
        problems.push({ ...where, state: 'stale', message: `Section \`${section.id}\` of chapter \`${chapter.chapter}\` in \`${locale}\` is stale: its ${sourceLocale} source changed since it was translated; see \`handbook status --diff ${locale} ${chapter.chapter}\`, update it, then run ${done}` })
      } else if (section.state === 'missing') {
        problems.push({ ...where, state: 'missing', message: `Section \`${section.id}\` of chapter \`${chapter.chapter}\` is missing in \`${locale}\`: translate it (keep its \`{#${section.id}}\`), then run ${done}` })
      } else if (section.state === 'untracked') {
        problems.push({ ...where, state: 'untracked', message: `Section \`${section.id}\` of chapter \`${chapter.chapter}\` in \`${locale}\` is newer than its translation record: check it, then run ${done}` })
      }
    }
    for (const id of chapter.removed) {
      problems.push({ locale, chapter: chapter.chapter, section: id, state: 'stale', file, line: null, message: `Section \`${id}\` of chapter \`${chapter.chapter}\` in \`${locale}\` is no longer in the ${sourceLocale} source: remove it, then run ${done}` })
    }
  }
  return problems
}
