// `handbook status`: the translation state of every chapter and section per locale, with words and coverage; `--diff` shows what changed in the source.
import path from 'node:path'
import type { Config } from '../config/schema.js'
import { chapterDiff, type ChapterDiff } from '../content/source-diff.js'
import type { StatusDiffReport, StatusReport } from '../content/status-schema.js'
import {
  loadTranslationState,
  sectionStates,
  translationProblems,
  type ChapterStatus,
  type LocaleStatus,
  type SectionState,
  type TranslationState
} from '../content/translation-state.js'
import { stringsCoverage, type StringsCoverage } from '../i18n/strings.js'
import { ExitCode, exitCodeFor, printDiagnostics, printJson, toJsonMessages } from '../report/report.js'
import { UsageError, type CommonOptions } from './options.js'

/** Kept in step with `statusSchemaVersion` in content/status-schema.ts (not imported: zod stays out of this fast command). */
const schemaVersion = 1

export interface StatusOptions extends CommonOptions {
  /** Show what changed in the source of this locale's stale chapters. */
  diff?: string
  /** Only this chapter (by id). */
  chapter?: string
}

export type { ChapterStatus, LocaleStatus, SectionState }

/** One cell of the overview: the state in a word, then words or sections. */
function cell(chapter: ChapterStatus): string {
  switch (chapter.state) {
    case 'source':
      return String(chapter.words)
    case 'missing':
      return '-'
    case 'stale': {
      const changed = chapter.sections.filter((section) => section.state !== 'current').length + chapter.removed.length
      return `stale ${changed}/${chapter.sections.length}`
    }
    case 'current': {
      const missing = chapter.sections.filter((section) => section.state === 'missing').length
      return missing > 0 ? `ok ${chapter.words} -${missing}` : `ok ${chapter.words}`
    }
    case 'draft':
      return `draft ${chapter.words}`
    case 'untracked':
      return `? ${chapter.words}`
  }
}

function table(rows: readonly (readonly string[])[], rules: readonly number[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)))
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  const lines: string[] = []
  rows.forEach((row, index) => {
    if (rules.includes(index)) lines.push(rule)
    lines.push(row.map((value, column) => (column === 0 ? value.padEnd(widths[column]!) : value.padStart(widths[column]!))).join('  ').trimEnd())
  })
  return lines.join('\n') + '\n'
}

const legend =
  'ok: up to date · stale n/m: n of m sections changed in the source since the translation (see --diff) · draft: marked unfinished · ' +
  '?: no translation record (handbook translate done) · -: missing, readers get the source · -n: n sections missing · ' +
  'ui strings: interface texts in the language (its strings file or built in) of all keys\n'

/** A locale's status with the coverage of its interface strings. */
export type LocaleReport = LocaleStatus & { strings: StringsCoverage }

/** "55/55", and where the texts come from. */
function stringsCell(strings: StringsCoverage): string {
  return `${strings.translated}/${strings.total}`
}

/** The overview: chapters down, locales across, with words, coverage and the share that is up to date. */
export function formatStatus(locales: readonly LocaleReport[]): string {
  const first = locales[0]
  if (!first) return ''
  const rows: string[][] = [['chapter', ...locales.map((locale) => locale.locale)]]
  first.chapters.forEach((chapter, index) => rows.push([chapter.chapter, ...locales.map((locale) => cell(locale.chapters[index]!))]))
  const totalsAt = rows.length
  rows.push(['words', ...locales.map((locale) => String(locale.words))])
  rows.push(['coverage', ...locales.map((locale) => `${locale.coverage.toFixed(1)}%`)])
  rows.push(['up to date', ...locales.map((locale) => `${locale.upToDate.toFixed(1)}%`)])
  rows.push(['ui strings', ...locales.map((locale) => stringsCell(locale.strings))])
  return table(rows, [1, totalsAt]) + legend
}

const stateLabel: Record<SectionState, string> = { source: 'source', current: 'ok', stale: 'stale', draft: 'draft', untracked: '?', missing: '-' }

/** One locale in detail: every chapter with its sections. */
export function formatLocale(locale: LocaleReport): string {
  const counts = sectionStates.filter((state) => state !== 'source' && locale.sectionCounts[state] > 0).map((state) => `${locale.sectionCounts[state]} ${state}`)
  const { strings } = locale
  const origin = [strings.fromFile > 0 ? `${strings.fromFile} from ${strings.file}` : '', strings.builtIn > 0 ? `${strings.builtIn} built in` : ''].filter(Boolean).join(', ')
  const missing = strings.missing.length > 0 ? `; in the source language: ${strings.missing.join(', ')}` : ''
  const head =
    `${locale.locale} (${locale.label}): ${locale.coverage.toFixed(1)}% translated, ${locale.upToDate.toFixed(1)}% up to date, ${locale.words} words; sections: ${counts.join(', ') || 'none'}\n` +
    `interface strings: ${stringsCell(strings)}${origin ? ` (${origin})` : ''}${missing}\n\n`
  const rows: string[][] = [['chapter / section', 'state', 'words', 'source words']]
  for (const chapter of locale.chapters) {
    rows.push([chapter.chapter, stateLabel[chapter.state], String(chapter.words), String(chapter.sourceWords)])
    if (chapter.state === 'missing') continue
    for (const section of chapter.sections) rows.push([`  ${section.id}`, stateLabel[section.state], String(section.words), String(section.sourceWords)])
    for (const id of chapter.removed) rows.push([`  ${id}`, 'removed in source', '', ''])
  }
  return head + table(rows, [1])
}

/** Terminal colours for removed and added text, only on a terminal and without NO_COLOR. */
function painter(): { removed: (text: string) => string; added: (text: string) => string } {
  const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined
  return {
    removed: (text) => (color ? `\x1b[31m[-${text}-]\x1b[39m` : `[-${text}-]`),
    added: (text) => (color ? `\x1b[32m{+${text}+}\x1b[39m` : `{+${text}+}`)
  }
}

/** The diff as text: per chapter, where the old source came from; per section, the changes in context. */
export function formatDiff(locale: string, diffs: readonly ChapterDiff[]): string {
  if (diffs.length === 0) return `${locale}: nothing is stale\n`
  const paint = painter()
  const out: string[] = []
  for (const diff of diffs) {
    const origin =
      diff.origin.kind === 'snapshot'
        ? `old source: ${diff.origin.file}`
        : diff.origin.kind === 'git'
          ? `old source from git commit ${diff.origin.commit.slice(0, 12)} (${diff.origin.file}): no snapshot kept`
          : `old source unavailable: ${diff.origin.reason}`
    out.push(`${locale} ${diff.chapter} (“${diff.title}”): stale; ${origin}`)
    if (diff.origin.kind !== 'unavailable' && diff.sections.length === 0) out.push('  the sections were reordered; their texts did not change')
    for (const section of diff.sections) {
      out.push('', `  § ${section.id} (“${section.title}”): ${section.change === 'changed' ? 'changed' : section.change === 'added' ? 'added to the source' : 'removed from the source'}; in ${locale}: ${section.state}`)
      if (section.change !== 'changed') {
        const text = (section.new ?? section.old ?? '').split('\n').map((line) => `    ${line}`).join('\n')
        out.push(section.change === 'added' ? paint.added(`\n${text}\n`) : paint.removed(`\n${text}\n`))
        continue
      }
      for (const hunk of section.hunks) {
        const parts = [hunk.before ? `…${hunk.before} ` : '…', hunk.removed ? paint.removed(hunk.removed) : '', hunk.added ? paint.added(hunk.added) : '', hunk.after ? ` ${hunk.after}…` : '…']
        out.push(`    ${parts.join('').replace(/\n/g, '\n    ')}`)
      }
    }
    out.push('')
  }
  return out.join('\n') + '\n'
}

function knownLocales(config: Config, requested: readonly string[]): void {
  const known = config.locales.map((locale) => locale.tag)
  const unknown = requested.filter((tag) => !known.includes(tag))
  if (unknown.length > 0) {
    throw new UsageError(`Unknown locale ${unknown.map((tag) => `\`${tag}\``).join(', ')}: add it to \`locales\` in handbook.yaml or pick one of ${known.map((tag) => `\`${tag}\``).join(', ')}`)
  }
}

function knownChapter(state: TranslationState, chapter: string | undefined): void {
  if (chapter !== undefined && !state.sources.has(chapter)) {
    throw new UsageError(`Unknown chapter \`${chapter}\`: give a chapter id (a file name in \`${state.sourceLocale}/\` without \`.md\`), such as ${[...state.sources.keys()].slice(0, 3).map((id) => `\`${id}\``).join(', ')}`)
  }
}

/** Print the status (or a diff); returns the exit code. */
export async function runStatus(options: StatusOptions): Promise<number> {
  const root = path.resolve(options.root)
  if (options.diff !== undefined) return runDiff(root, options.diff, options)
  const { state, config, files } = await loadTranslationState(root, options.locale)
  if (!state || !config) {
    printDiagnostics(files, options)
    return ExitCode.usage
  }
  const requested = options.locale ?? config.locales.map((locale) => locale.tag)
  knownLocales(config, requested)
  knownChapter(state, options.chapter)
  const wanted = new Set([...requested, state.sourceLocale])
  const locales: LocaleReport[] = []
  for (const locale of state.locales) {
    if (!wanted.has(locale.locale)) continue
    const chapters = options.chapter === undefined ? locale.chapters : locale.chapters.filter((chapter) => chapter.chapter === options.chapter)
    locales.push({ ...locale, chapters, strings: await stringsCoverage(root, locale.locale, state.sourceLocale) })
  }
  const problems = state.locales.filter((locale) => requested.includes(locale.locale)).flatMap((locale) => translationProblems(root, state.sourceLocale, locale))
  const shownProblems = options.chapter === undefined ? problems : problems.filter((problem) => problem.chapter === options.chapter)
  let exitCode = exitCodeFor(files.filter((file) => file.messages.some((message) => message.fatal)), { strict: false, configFailed: false })
  if (options.strict && shownProblems.length > 0 && exitCode === ExitCode.ok) exitCode = ExitCode.content

  if (options.json) {
    const report: StatusReport = {
      command: 'status',
      schemaVersion,
      ok: exitCode === ExitCode.ok,
      exitCode,
      sourceLocale: state.sourceLocale,
      messages: toJsonMessages(files),
      strict: options.strict,
      locales,
      problems: shownProblems
    }
    printJson(report)
    return exitCode
  }
  printDiagnostics(files, { ...options, quiet: true })
  const translations = locales.filter((locale) => !locale.isSource)
  process.stdout.write(translations.length === 1 && options.locale !== undefined ? formatLocale(translations[0]!) : formatStatus(locales))
  if (options.strict && shownProblems.length > 0) {
    const summary = [...new Set(shownProblems.map((problem) => problem.locale))].map((tag) => {
      const own = shownProblems.filter((problem) => problem.locale === tag)
      const count = (state: SectionState) => own.filter((problem) => problem.state === state).length
      return `${tag} (${sectionStates.filter((state) => count(state) > 0).map((state) => `${count(state)} ${state}`).join(', ')})`
    })
    process.stderr.write(`not ready for release: ${summary.join(', ')}\n${shownProblems.map((problem) => `  ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`).join('\n')}\n`)
  }
  return exitCode
}

async function runDiff(root: string, locale: string, options: StatusOptions): Promise<number> {
  const { state, config, files } = await loadTranslationState(root, [locale])
  if (!state || !config) {
    printDiagnostics(files, options)
    return ExitCode.usage
  }
  knownLocales(config, [locale])
  if (locale === state.sourceLocale) throw new UsageError(`Cannot diff \`${locale}\`: it is the source locale; give a translation's locale`)
  knownChapter(state, options.chapter)
  const status = state.locales.find((entry) => entry.locale === locale)!
  const diffs: ChapterDiff[] = []
  for (const chapter of status.chapters) {
    if (options.chapter !== undefined && chapter.chapter !== options.chapter) continue
    const diff = await chapterDiff(root, state.sources.get(chapter.chapter)!, chapter)
    if (diff) diffs.push(diff)
  }
  const exitCode = exitCodeFor(files.filter((file) => file.messages.some((message) => message.fatal)), { strict: false, configFailed: false })
  if (options.json) {
    const report: StatusDiffReport = { command: 'status', schemaVersion, ok: exitCode === ExitCode.ok, exitCode, sourceLocale: state.sourceLocale, messages: toJsonMessages(files), locale, chapters: diffs }
    printJson(report)
    return exitCode
  }
  printDiagnostics(files, { ...options, quiet: true })
  if (options.chapter !== undefined && diffs.length === 0) {
    const chapter = status.chapters.find((entry) => entry.chapter === options.chapter)!
    process.stdout.write(`${locale} ${chapter.chapter}: ${chapter.state === 'current' ? 'up to date' : chapter.state === 'untracked' ? 'no translation record, so nothing to compare with' : chapter.state}\n`)
  } else process.stdout.write(formatDiff(locale, diffs))
  return exitCode
}
