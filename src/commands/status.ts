// `handbook status`: for every chapter and locale, whether it is translated, and how many words.
import type { Book } from '../model/types.js'
import { exitCodeFor, printDiagnostics, printJson } from '../report/report.js'
import type { CommonOptions } from './options.js'
import { loadRequested } from './shared.js'

export type ChapterState = 'source' | 'translated' | 'draft' | 'missing'

export interface StatusCell {
  chapter: string
  state: ChapterState
  /** Words of the chapter in this locale (0 when missing). */
  words: number
  /** Words of the source chapter. */
  sourceWords: number
}

export interface LocaleStatus {
  locale: string
  label: string
  chapters: StatusCell[]
  /** Share of source words whose chapters are translated and not draft, in percent (one decimal). */
  coverage: number
  words: number
  translated: number
  draft: number
  missing: number
}

/** Translation status of every edition of `book`. */
export function translationStatus(book: Book): LocaleStatus[] {
  const source = book.editions.find((edition) => edition.isSource)
  return book.editions.map((edition) => {
    const chapters: StatusCell[] = edition.chapters.map((chapter) => {
      const state: ChapterState = edition.isSource ? 'source' : chapter.isFallback ? 'missing' : chapter.draft ? 'draft' : 'translated'
      const sourceWords = source?.chapters.find((entry) => entry.id === chapter.id)?.words ?? (chapter.isFallback ? chapter.words : 0)
      return { chapter: chapter.id, state, words: chapter.isFallback ? 0 : chapter.words, sourceWords: edition.isSource ? chapter.words : sourceWords }
    })
    const total = chapters.reduce((sum, cell) => sum + cell.sourceWords, 0)
    const done = chapters.filter((cell) => cell.state === 'source' || cell.state === 'translated').reduce((sum, cell) => sum + cell.sourceWords, 0)
    return {
      locale: edition.locale.tag,
      label: edition.locale.label,
      chapters,
      coverage: total === 0 ? 100 : Math.round((1000 * done) / total) / 10,
      words: chapters.reduce((sum, cell) => sum + cell.words, 0),
      translated: chapters.filter((cell) => cell.state === 'translated' || cell.state === 'source').length,
      draft: chapters.filter((cell) => cell.state === 'draft').length,
      missing: chapters.filter((cell) => cell.state === 'missing').length
    }
  })
}

const marks: Record<ChapterState, string> = { source: 'source', translated: 'done', draft: 'draft', missing: '-' }

/** The status as a text table: chapters down, locales across. */
export function formatStatus(status: readonly LocaleStatus[]): string {
  const first = status[0]
  if (!first) return ''
  const rows: string[][] = [['chapter', ...status.map((locale) => locale.locale)]]
  first.chapters.forEach((cell, index) => {
    rows.push([cell.chapter, ...status.map((locale) => {
      const entry = locale.chapters[index]!
      return entry.state === 'missing' ? '-' : `${marks[entry.state]} ${entry.words}`
    })])
  })
  rows.push(['words', ...status.map((locale) => String(locale.words))])
  rows.push(['coverage', ...status.map((locale) => `${locale.coverage.toFixed(1)}%`)])
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  const line = (row: string[]) => row.map((value, column) => (column === 0 ? value.padEnd(widths[column]!) : value.padStart(widths[column]!))).join('  ')
  return [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1, -2).map(line), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(-2).map(line)].join('\n') + '\n'
}

/** Print the status; returns the exit code (1 under --strict when a locale has missing or draft chapters). */
export async function runStatus(options: CommonOptions): Promise<number> {
  const result = await loadRequested(options)
  let exitCode = exitCodeFor(result.files.filter((file) => file.messages.some((message) => message.fatal)), { strict: false, configFailed: result.configFailed })
  if (!result.book) {
    printDiagnostics(result.files, options)
    return exitCode
  }
  // Content errors matter here only as far as they make the numbers unreliable.
  printDiagnostics(result.files, { ...options, quiet: true })
  const status = translationStatus(result.book)
  const incomplete = status.filter((locale) => locale.missing + locale.draft > 0)
  if (options.strict && incomplete.length > 0 && exitCode === 0) exitCode = 1
  if (options.json) printJson({ command: 'status', ok: exitCode === 0, exitCode, locales: status })
  else {
    process.stdout.write(formatStatus(status))
    if (options.strict && incomplete.length > 0) {
      process.stderr.write(`incomplete: ${incomplete.map((locale) => `${locale.locale} (${locale.missing} missing, ${locale.draft} draft)`).join(', ')}\n`)
    }
  }
  return exitCode
}
