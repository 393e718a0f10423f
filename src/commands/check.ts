// `handbook check`: every check of a build (config, front matter, links, images, ids), without rendering.
import { checkTerminology } from '../content/term-check.js'
import { counts, exitCodeFor, printDiagnostics, printJson, toGithubAnnotations, toJsonMessages } from '../report/report.js'
import type { CommonOptions } from './options.js'
import { loadRequested } from './shared.js'

/** Run the checks; returns the exit code. */
export async function runCheck(options: CommonOptions & { reporter?: 'text' | 'github' }): Promise<number> {
  const result = await loadRequested(options)
  // The agreed terminology is checked on the files alone, after the build's own checks.
  if (result.book) await checkTerminology(result.book, result.files)
  const exitCode = exitCodeFor(result.files, { strict: options.strict, configFailed: result.configFailed })
  // Annotations go to stdout, where the runner reads workflow commands; the summary stays on stderr.
  if (options.reporter === 'github' && !options.json) process.stdout.write(toGithubAnnotations(toJsonMessages(result.files)))
  else printDiagnostics(result.files, options)
  const { errors, warnings } = counts(result.files)
  if (options.json) {
    printJson({ command: 'check', ok: exitCode === 0, exitCode, errors, warnings, files: result.files.length, messages: toJsonMessages(result.files) })
  } else if (!options.quiet) {
    process.stderr.write(`checked ${result.files.length} files: ${errors} errors, ${warnings} warnings\n`)
  }
  return exitCode
}
