// `handbook check`: every check of a build (config, front matter, links, images, ids), without rendering.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'
import { checkTerminology } from '../content/term-check.js'
import type { Book } from '../model/types.js'
import { hashTool } from '../output/cache.js'
import { ParseCache, parseCacheFolder } from '../pipeline/parse-cache.js'
import { hyphenatedWords, hyphenateTree, hyphenationFolder, hyphenationFor, parseExceptions } from '../render/hyphenate.js'
import { counts, exitCodeFor, printDiagnostics, printJson, toGithubAnnotations, toJsonMessages } from '../report/report.js'
import type { CommonOptions } from './options.js'
import { loadRequested } from './shared.js'

export interface CheckOptions extends CommonOptions {
  /** `github`: print the messages as workflow annotations on stdout. */
  reporter?: 'text' | 'github'
  /** List the words the print edition hyphenates, per locale, with their breaks. */
  hyphenation?: boolean
  /** The output folder of builds, whose parsed chapters are reused when a build kept them there. */
  out?: string
}

/** Run the checks; returns the exit code. */
export async function runCheck(options: CheckOptions): Promise<number> {
  const result = await loadRequested({ ...options, parseCache: await buildsParseCache(options.out) })
  if (result.book) result.files.push(...exceptionListFiles(result.book))
  // The agreed terminology is checked on the files alone, after the build's own checks.
  if (result.book) await checkTerminology(result.book, result.files)
  const exitCode = exitCodeFor(result.files, { strict: options.strict, configFailed: result.configFailed })
  // Annotations go to stdout, where the runner reads workflow commands; the summary stays on stderr.
  if (options.reporter === 'github' && !options.json) process.stdout.write(toGithubAnnotations(toJsonMessages(result.files)))
  else printDiagnostics(result.files, options)
  const { errors, warnings } = counts(result.files)
  const hyphenation = options.hyphenation && result.book ? hyphenationReport(result.book) : undefined
  if (options.json) {
    printJson({ command: 'check', ok: exitCode === 0, exitCode, errors, warnings, files: result.files.length, messages: toJsonMessages(result.files), ...(hyphenation ? { hyphenation } : {}) })
  } else {
    if (hyphenation) {
      for (const [locale, words] of Object.entries(hyphenation)) {
        process.stdout.write(`# ${locale}: ${words.length} hyphenated words (breaks shown as -)\n`)
        for (const { word, count } of words) process.stdout.write(`${word}\t${count}\n`)
      }
    }
    if (!options.quiet) process.stderr.write(`checked ${result.files.length} files: ${errors} errors, ${warnings} warnings\n`)
  }
  return exitCode
}

/**
 * The parsed chapters a build kept in `out`, when there are any, read only: the trees are a pure
 * function of a chapter's text and the tool, so reusing them changes no message, and `check` writes nothing.
 */
async function buildsParseCache(out: string | undefined): Promise<ParseCache | undefined> {
  const folder = out === undefined ? undefined : path.join(path.resolve(out), parseCacheFolder)
  return folder && existsSync(folder) ? new ParseCache(folder, await hashTool(), true) : undefined
}

/** The exception lists of the loaded locales, read for their messages (a line that is not a word). */
function exceptionListFiles(book: Book): VFile[] {
  const files: VFile[] = []
  for (const edition of book.editions) {
    const listPath = path.join(book.root, hyphenationFolder, `${edition.locale.tag}.txt`)
    let text: string
    try {
      text = readFileSync(listPath, 'utf8')
    } catch {
      continue
    }
    const file = new VFile({ path: path.relative(process.cwd(), listPath) })
    parseExceptions(text, file)
    files.push(file)
  }
  return files
}

/** Per locale, every word its print edition hyphenates, alphabetically, as an editor reviews them. */
function hyphenationReport(book: Book): Record<string, { word: string; count: number }[]> {
  const report: Record<string, { word: string; count: number }[]> = {}
  const rules = hyphenationFor(book)
  for (const edition of book.editions) {
    const words = new Map<string, number>()
    for (const chapter of edition.chapters) {
      // Only the chapter's own language: a fallback chapter's words belong to the source's list.
      if (chapter.lang !== edition.locale.tag) continue
      const tree = structuredClone(chapter.hast)
      hyphenateTree(tree, chapter.lang, rules)
      for (const [word, count] of hyphenatedWords(tree)) words.set(word, (words.get(word) ?? 0) + count)
    }
    report[edition.locale.tag] = [...words].sort(([a], [b]) => a.localeCompare(b, edition.locale.tag)).map(([word, count]) => ({ word, count }))
  }
  return report
}
