// Building the book model: every chapter of every locale parsed once, then whole-book checks and cross-references.
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { VFile } from 'vfile'
import { unified } from 'unified'
import { loadConfig, configFileName } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { readChapterFile } from '../content/chapter-file.js'
import type { Strings } from '../i18n/defaults.js'
import { loadStrings } from '../i18n/strings.js'
import type { ChapterKind } from '../pipeline/data.js'
import { termAnchor } from '../pipeline/data.js'
import rehypeXref, { relabel } from '../pipeline/plugins/rehype-xref.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'
import type { ParseCache } from '../pipeline/parse-cache.js'
import { createProcessor, processChapter, type ChapterProcessor } from '../pipeline/processor.js'
import { fail, warn } from '../report/messages.js'
import { editionTitles } from './titles.js'
import type { Book, Chapter, ChapterTranslation, Edition, Target } from './types.js'
import { planContents, type PlannedChapter } from '../content/contents-plan.js'
import { applyOverlay, loadOverlay, overlayConfig, partnerEdition, type EditionOverlay } from '../content/edition-overlay.js'
import { checkGlyphs } from '../content/glyph-coverage.js'
import { recordFolder } from '../content/translation-lock.js'
import { collectTranslationState, translationProblems, type ChapterStatus, type TranslationState } from '../content/translation-state.js'

export { planContents, type PlannedChapter }

export interface LoadOptions {
  /** The handbook folder. */
  root: string
  /** Locales to build; all configured ones when absent. */
  locales?: readonly string[]
  /**
   * A release (`--strict`): every missing, stale, draft or untracked chapter or section of a
   * requested translation is an error on that translation's file, so its edition is not written.
   */
  requireComplete?: boolean
  /** A partner edition: the name of its overlay, `editions/<name>.yaml`; only its locale is built. */
  edition?: string
  /** The editors' preview (`handbook serve`): pages meant for editors are shown whatever the config says. */
  preview?: boolean
  /** Stops loading between chapters (an interrupted build), with the signal's reason as the error. */
  signal?: AbortSignal
  /** Parsed chapters of earlier runs, by content (`build` keeps them in the output folder). */
  parseCache?: ParseCache
  /** handbook.yaml as the caller loaded it from `root` already (`build` reads it first); read here when absent. */
  loadedConfig?: Awaited<ReturnType<typeof loadConfig>>
}

export interface LoadResult {
  /** The model, or `undefined` when the config is unusable. */
  book: Book | undefined
  /** Every file that was read, carrying its messages, in a stable order. */
  files: VFile[]
  /** True when the config itself is broken (exit code 2). */
  configFailed: boolean
  /** Requested locales that the config does not list. */
  unknownLocales: string[]
}

/** Load config, strings and chapters, and build the model. Content problems are messages on `files`. */
export async function loadBook(options: LoadOptions): Promise<LoadResult> {
  const root = path.resolve(options.root)
  const loaded = options.loadedConfig ?? (await loadConfig(root))
  const files: VFile[] = [loaded.file]
  const config = loaded.config
  if (!config) return { book: undefined, files, configFailed: true, unknownLocales: [] }

  const sourceLocale = config['source-locale']
  const known = config.locales.map((locale) => locale.tag)
  const unknownLocales = (options.locales ?? []).filter((tag) => !known.includes(tag))
  if (unknownLocales.length > 0) return { book: undefined, files, configFailed: false, unknownLocales }
  let overlay: EditionOverlay | undefined
  if (options.edition !== undefined) {
    const result = await loadOverlay(root, options.edition, config)
    files.push(result.file)
    if (!result.overlay) return { book: undefined, files, configFailed: true, unknownLocales: [] }
    overlay = result.overlay
  }
  const wanted = new Set(overlay ? [overlay.locale] : (options.locales ?? known))
  const plan = planContents(config)
  await checkFolders(root, config, plan, loaded.file, files)
  // Hashes and words from the files alone: cheap, and the editions need it for notices and the report.
  const translation = await collectTranslationState({ root, config, locales: [...wanted] })
  for (const [locale, record] of translation.records) if (wanted.has(locale) && record.file.messages.length > 0) files.push(record.file)
  const bookConfig = overlay ? overlayConfig(config, overlay) : config
  const partner = overlay ? partnerEdition(overlay) : undefined
  const planOf = (locale: string) => (overlay && overlay.locale === locale ? applyOverlay(plan, overlay) : plan)

  const stringsByLocale = new Map<string, Strings>()
  for (const locale of config.locales) {
    if (locale.tag !== sourceLocale && !wanted.has(locale.tag)) continue
    const declared = { file: loaded.file, point: loaded.locate(['locales', config.locales.indexOf(locale), 'tag']) }
    const { strings, file } = await loadStrings(root, locale.tag, sourceLocale, declared)
    stringsByLocale.set(locale.tag, strings)
    files.push(file)
  }

  const sourceStrings = stringsByLocale.get(sourceLocale)!
  const context: TranslationContext = { state: translation, policy: config.translations.stale, requireComplete: options.requireComplete === true, signal: options.signal, parseCache: options.parseCache }
  // The source edition is parsed when it is built or a translation falls back to it (a fallback
  // chapter's links need the whole source book's targets); a complete translation builds without it.
  const translated = config.locales.filter((locale) => locale.tag !== sourceLocale && wanted.has(locale.tag))
  const sourceNeeded = wanted.has(sourceLocale) || translated.some((locale) => planOf(locale.tag).some((entry) => fallsBack(root, locale.tag, entry, context)))
  const editions: Edition[] = []
  let source: Edition | undefined
  if (sourceNeeded) {
    const sourceChapters = await parseLocale(root, sourceLocale, sourceStrings, planOf(sourceLocale), undefined, files, loaded, context)
    source = finishEdition(bookConfig, sourceLocale, true, sourceStrings, sourceChapters)
    if (wanted.has(sourceLocale)) editions.push(partner && overlay?.locale === sourceLocale ? { ...source, partner } : source)
  }
  const sourceSide: SourceSide = { edition: source, ids: (chapterId) => sourceIds(translation, chapterId, source) }
  for (const locale of translated) {
    const strings = stringsByLocale.get(locale.tag)!
    const chapters = await parseLocale(root, locale.tag, strings, planOf(locale.tag), sourceSide, files, loaded, context)
    const edition = finishEdition(bookConfig, locale.tag, false, strings, chapters)
    editions.push(partner ? { ...edition, partner } : edition)
  }
  return { book: { config: bookConfig, root, sourceLocale, editions, translationStatus: translation.locales, ...(options.preview ? { preview: true } : {}) }, files, configFailed: false, unknownLocales }
}

/** What parsing a locale needs to know about its translation state. */
interface TranslationContext {
  state: TranslationState
  policy: Config['translations']['stale']
  requireComplete: boolean
  signal: AbortSignal | undefined
  parseCache: ParseCache | undefined
}

/** What an edition shows of a chapter's translation state (its notice). */
export function translationOf(status: ChapterStatus | undefined, isSource: boolean): ChapterTranslation {
  if (isSource || !status) return { state: 'source', staleSections: [], missingSections: [] }
  return {
    state: status.state,
    staleSections: [...status.sections.filter((section) => section.state === 'stale').map((section) => section.id), ...status.removed],
    missingSections: status.sections.filter((section) => section.state === 'missing').map((section) => section.id)
  }
}

/**
 * Errors for translation content that may not be shown: under `requireComplete` everything that
 * keeps the locale from a release; with `translations.stale: fail` the stale chapters. Each lands
 * on the translation's file (the one to create, for a missing chapter), so only its edition fails.
 */
function reportTranslationProblems(root: string, locale: string, plan: readonly PlannedChapter[], context: TranslationContext, files: VFile[]): void {
  const status = context.state.locales.find((entry) => entry.locale === locale)
  if (!status || status.isSource || (!context.requireComplete && context.policy !== 'fail')) return
  const local = new Set(plan.filter((entry) => entry.local).map((entry) => entry.id))
  const staleChapters = new Set(status.chapters.filter((chapter) => chapter.state === 'stale').map((chapter) => chapter.chapter))
  for (const problem of translationProblems(root, context.state.sourceLocale, status)) {
    if (local.has(problem.chapter)) continue
    if (!context.requireComplete && !staleChapters.has(problem.chapter)) continue
    const filePath = problem.file ?? path.relative(process.cwd(), path.join(root, locale, `${problem.chapter}.md`))
    let file = files.find((candidate) => candidate.path === filePath)
    if (!file) {
      file = new VFile({ path: filePath })
      files.push(file)
    }
    const reason = context.requireComplete ? `Cannot release \`${locale}\`: ${problem.message.charAt(0).toLowerCase()}${problem.message.slice(1)}` : `${problem.message} (\`translations.stale: fail\` in handbook.yaml)`
    fail(file, reason, problem.line ? { line: problem.line, column: 1 } : undefined, `translation-${problem.state}`)
  }
}

/** What a translation needs of its source: the parsed edition where it falls back to it, and the ids each source chapter gives. */
interface SourceSide {
  edition: Edition | undefined
  ids(chapterId: string): ReadonlySet<string> | undefined
}

/**
 * Whether `locale` shows the source chapter in place of its own: the translation is missing, or
 * stale under `translations.stale: fallback`.
 */
function fallsBack(root: string, locale: string, entry: PlannedChapter, context: TranslationContext): boolean {
  if (!existsSync(entry.file ?? path.join(root, locale, `${entry.id}.md`))) return true
  if (entry.local) return false
  const status = context.state.locales.find((candidate) => candidate.locale === locale)
  return context.policy === 'fallback' && status?.chapters.find((chapter) => chapter.chapter === entry.id)?.state === 'stale'
}

/**
 * The ids a source chapter gives its headings, figures and tables: from the parsed chapter where
 * the source was parsed, else every `{#id}` of its Markdown (a superset: one in a code sample counts too).
 */
function sourceIds(state: TranslationState, chapterId: string, source: Edition | undefined): ReadonlySet<string> | undefined {
  const parsed = source?.chapters.find((chapter) => chapter.id === chapterId && !chapter.isFallback)
  // Ids hidden in the source by an unclosed block are reported there, once.
  if (parsed) return new Set([...ownIds(parsed).map((entry) => entry.id), ...(parsed.swallowedIds ?? [])])
  const raw = state.sources.get(chapterId)?.raw
  return raw === undefined ? undefined : new Set([...raw.matchAll(/\{[^{}\n]*?#([^\s{}#.]+)/g)].map((match) => match[1]!))
}

/** The ids a chapter gives in its own file: explicit heading ids, figures and tables. */
function ownIds(chapter: Chapter): { id: string; position: Chapter['headings'][number]['position'] }[] {
  return [
    ...chapter.headings.filter((heading) => heading.explicit).map((heading) => ({ id: heading.id, position: heading.position })),
    ...[...chapter.figures, ...chapter.tables].map((float) => ({ id: float.id, position: float.position }))
  ]
}

export interface ParsedChapter {
  chapter: Chapter
  /** The translation's own file; `undefined` for a fallback chapter. */
  file: VFile | undefined
}

async function parseLocale(
  root: string,
  locale: string,
  strings: Strings,
  plan: readonly PlannedChapter[],
  source: SourceSide | undefined,
  files: VFile[],
  loaded: Awaited<ReturnType<typeof loadConfig>>,
  context: TranslationContext
): Promise<ParsedChapter[]> {
  const processor = createProcessor({ locale, strings, rawHtml: loaded.config?.['raw-html'], siteRoot: loaded.config?.['site-root'] })
  const parsed: ParsedChapter[] = []
  const status = context.state.locales.find((entry) => entry.locale === locale)
  for (const entry of plan) {
    context.signal?.throwIfAborted()
    const sourcePath = entry.file ?? path.join(root, locale, `${entry.id}.md`)
    const chapterStatus = entry.local ? undefined : status?.chapters.find((chapter) => chapter.chapter === entry.id)
    const translation = entry.local ? undefined : translationOf(chapterStatus, source === undefined)
    if (source ? fallsBack(root, locale, entry, context) : !existsSync(sourcePath)) {
      const original = source?.edition?.chapters.find((chapter) => chapter.id === entry.id)
      if (original) parsed.push({ chapter: { ...original, isFallback: true, translation }, file: undefined })
      // A translation without the source chapter: already reported once, for the source.
      else if (!source) {
        fail(
          loaded.file,
          `Cannot find chapter \`${entry.id}\`: create \`${path.relative(process.cwd(), sourcePath)}\` or remove it from \`contents\``,
          loaded.locate(entry.configPath),
          'chapter-missing'
        )
      }
      continue
    }
    const chapter = await parseChapter(processor, root, locale, entry, sourcePath, context.parseCache)
    files.push(chapter.file)
    const known = entry.local ? undefined : source?.ids(entry.id)
    if (known) reportUnknownIds(chapter.chapter, known, path.relative(process.cwd(), path.join(root, context.state.sourceLocale, `${entry.id}.md`)), chapter.file)
    checkGlyphs(chapter.chapter.hast, chapter.file)
    parsed.push({ ...chapter, chapter: { ...chapter.chapter, ...(translation ? { translation } : {}) } })
  }
  if (source) reportTranslationProblems(root, locale, plan, context, files)
  return parsed
}

/**
 * An id a translation gives that its source chapter has not: links written against the source
 * (and the source-language fallback of other translations) cannot reach it. Usually a typo.
 */
function reportUnknownIds(translation: Chapter, known: ReadonlySet<string>, sourceFile: string, file: VFile): void {
  for (const entry of ownIds(translation)) {
    if (known.has(entry.id)) continue
    warn(
      file,
      `Unexpected id \`${entry.id}\`: the source chapter \`${sourceFile}\` has no such id; use the id of the matching source heading, figure or table`,
      entry.position ?? null,
      'id-not-in-source'
    )
  }
}

/** Parse one chapter file at its place in the plan; `handbook serve` re-parses a saved chapter alone with it. */
export async function parseChapter(
  processor: ChapterProcessor,
  root: string,
  locale: string,
  entry: PlannedChapter,
  sourcePath: string,
  parseCache?: ParseCache
): Promise<ParsedChapter & { file: VFile }> {
  // With the root given, a chapter linked in from outside the handbook is refused unread.
  const { file, data } = await readChapterFile(sourcePath, root)
  let kind: ChapterKind = entry.kind
  if (data?.kind === 'part' && entry.kind !== 'part') {
    fail(file, 'Unexpected `kind: part`: list the chapter as `- part: ' + entry.id + '` in `contents` of handbook.yaml', { line: 1, column: 1 }, 'chapter-kind')
  } else if (entry.kind === 'part' && data?.kind !== undefined && data.kind !== 'part') {
    fail(file, `Unexpected \`kind: ${data.kind}\`: \`${entry.id}\` opens a part in handbook.yaml`, { line: 1, column: 1 }, 'chapter-kind')
  } else if (data?.kind === 'glossary') kind = 'glossary'

  file.data.chapter = { id: entry.id, locale, kind, number: entry.number, root, sourcePath }
  let hast: Root = { type: 'root', children: [] }
  try {
    hast = await processChapter(processor, file, parseCache)
  } catch (error) {
    // A crash on one chapter is that chapter's error; the others still build.
    fail(file, `Cannot process chapter: ${(error as Error).message}`, undefined, 'chapter-crash')
  }
  const title = typeset(data?.title ?? entry.id, locale)
  const floats = file.data.floats ?? []
  const chapter: Chapter = {
    id: entry.id,
    kind,
    matter: entry.matter,
    number: entry.number,
    partNumber: entry.partNumber,
    partId: entry.partId,
    title,
    shortTitle: data?.['short-title'] ? typeset(data['short-title'], locale) : title,
    description: data?.description,
    lang: locale,
    isFallback: false,
    draft: data?.draft ?? false,
    headings: file.data.headings ?? [],
    figures: floats.filter((float) => float.kind === 'figure'),
    tables: floats.filter((float) => float.kind === 'table'),
    footnotes: file.data.footnotes ?? [],
    terms: file.data.terms ?? [],
    assets: file.data.assets ?? [],
    words: countWords(hast),
    hast,
    sourceFile: file.path,
    ...(file.data.swallowedIds?.length ? { swallowedIds: file.data.swallowedIds } : {})
  }
  return { chapter, file }
}

/** Words of running text: footnote back-links and generated labels aside, every run of letters or digits. */
export function countWords(tree: Root): number {
  return toString(tree).match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu)?.length ?? 0
}

function finishEdition(config: Config, locale: string, isSource: boolean, strings: Strings, parsed: readonly ParsedChapter[]): Edition {
  const targets = new Map<string, Target>()
  const register = (target: Target, owner: ParsedChapter) => {
    const existing = targets.get(target.id)
    if (existing) {
      // In a translation, duplicates between two fallback chapters are the source's problem, reported there.
      if (owner.file && (isSource || !owner.chapter.isFallback)) {
        fail(
          owner.file,
          `Duplicate id \`${target.id}\`: also used in \`${existing.sourceFile}${existing.position ? `:${existing.position.start.line}:${existing.position.start.column}` : ''}\`; ids must be unique in the whole book`,
          target.position ?? null,
          'id-duplicate'
        )
      }
      return
    }
    targets.set(target.id, target)
  }
  for (const owner of parsed) {
    const { chapter } = owner
    const base = { chapterId: chapter.id, sourceFile: chapter.sourceFile }
    const number = chapter.kind === 'part' ? chapter.partNumber : chapter.number
    register({ ...base, id: chapter.id, kind: chapter.kind === 'part' ? 'part' : 'chapter', number: number === null ? null : String(number), title: chapter.title }, owner)
    for (const heading of chapter.headings) register({ ...base, id: heading.id, kind: 'section', number: heading.number, title: heading.text, position: heading.position }, owner)
    for (const float of [...chapter.figures, ...chapter.tables]) register({ ...base, id: float.id, kind: float.kind, number: float.number, title: float.caption, position: float.position }, owner)
    for (const term of chapter.terms) register({ ...base, id: termAnchor(term.id), kind: 'term', number: null, title: term.term, position: term.position }, owner)
  }
  const swallowed = new Set(parsed.flatMap((owner) => owner.chapter.swallowedIds ?? []))
  for (const owner of parsed) {
    if (!owner.file || owner.chapter.isFallback) continue
    const resolver = unified().use(rehypeXref, { targets, strings, swallowed })
    resolver.runSync(owner.chapter.hast, owner.file)
  }
  const localeConfig = config.locales.find((entry) => entry.tag === locale)!
  return {
    locale: localeConfig,
    isSource,
    ...editionTitles(config, locale),
    strings,
    // A chapter shown from the source gets this edition's cross-reference words and titles.
    chapters: parsed.map(({ chapter }) => (chapter.isFallback && !isSource ? { ...chapter, hast: relabel(chapter.hast, targets, strings, chapter.lang === locale ? undefined : locale) } : chapter)),
    targets
  }
}

/** Warn about locale folders missing from the config and chapter files missing from `contents`. */
async function checkFolders(
  root: string,
  config: Config,
  plan: readonly PlannedChapter[],
  configFile: VFile,
  files: VFile[]
): Promise<void> {
  const tags = new Set(config.locales.map((locale) => locale.tag))
  const listed = new Set(plan.map((entry) => entry.id))
  const reserved = new Set(['assets', 'strings', 'editions', 'terms', 'hyphenation', recordFolder])
  let entries: import('node:fs').Dirent[] = []
  try {
    entries = await readdir(root, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory() || reserved.has(entry.name) || entry.name.startsWith('.')) continue
    if (!tags.has(entry.name)) {
      warn(configFile, `Unexpected folder \`${entry.name}/\` with no locale in \`locales\`: add \`- tag: ${entry.name}\` to \`locales\` in ${configFileName}, or remove the folder`, { line: 1, column: 1 }, 'locale-unlisted')
      continue
    }
    const names = (await readdir(path.join(root, entry.name))).filter((name) => name.endsWith('.md')).sort()
    for (const name of names) {
      if (listed.has(name.slice(0, -3))) continue
      const file = new VFile({ path: path.relative(process.cwd(), path.join(root, entry.name, name)) })
      warn(file, `Unexpected chapter \`${name}\` not listed in \`contents\` of ${configFileName}: add it there or remove the file`, { line: 1, column: 1 }, 'chapter-unlisted')
      files.push(file)
    }
  }
}
