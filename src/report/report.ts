// Printing diagnostics (vfile-reporter or JSON) and deciding the exit code from them.
import { reporter } from 'vfile-reporter'
import type { VFile } from 'vfile'
import { ExitCode } from './exit-code.js'
import { hasProblems } from './messages.js'

export interface ReportOptions {
  json: boolean
  quiet: boolean
  strict: boolean
}

/** One diagnostic as printed by `--json`. */
export interface JsonMessage {
  file: string
  line: number | null
  column: number | null
  severity: 'error' | 'warning'
  ruleId: string | null
  message: string
}

/** Exit codes: 0 success, 1 content errors (warnings too under --strict), 2 usage or config errors. */
export { ExitCode }

export function toJsonMessages(files: readonly VFile[]): JsonMessage[] {
  return files.flatMap((file) =>
    file.messages.map((message) => ({
      file: file.path,
      line: message.line ?? null,
      column: message.column ?? null,
      severity: message.fatal ? ('error' as const) : ('warning' as const),
      ruleId: message.ruleId ?? null,
      message: message.reason
    }))
  )
}

export function counts(files: readonly VFile[]): { errors: number; warnings: number } {
  let errors = 0
  let warnings = 0
  for (const file of files) for (const message of file.messages) message.fatal ? errors++ : warnings++
  return { errors, warnings }
}

/** Print the messages of `files` on stderr, unless `--json` will carry them. */
export function printDiagnostics(files: readonly VFile[], options: ReportOptions): void {
  if (options.json) return
  const withMessages = files.filter((file) => file.messages.length > 0)
  if (withMessages.length === 0) return
  const text = reporter(withMessages, { quiet: true, silent: options.quiet })
  if (text) process.stderr.write(text + '\n')
}

/** The exit code of a run that produced these messages. */
export function exitCodeFor(files: readonly VFile[], options: { strict: boolean; configFailed: boolean }): number {
  if (options.configFailed) return ExitCode.usage
  return hasProblems(files, options.strict) ? ExitCode.content : ExitCode.ok
}

/** Print a JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
}

/** Escape a workflow command's message (GitHub: `%`, CR and LF). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escape a workflow command's property value (also `:` and `,`, which separate properties). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/**
 * The messages as GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::text`),
 * one a line: printed in a workflow step, each shows on its line of the pull request's diff.
 * Paths are relative to the working directory, as the repository's checkout root expects.
 */
export function toGithubAnnotations(messages: readonly JsonMessage[]): string {
  return messages
    .map((message) => {
      const properties = [`file=${escapeProperty(message.file)}`]
      if (message.line !== null) properties.push(`line=${message.line}`)
      if (message.column !== null) properties.push(`col=${message.column}`)
      if (message.ruleId) properties.push(`title=${escapeProperty(message.ruleId)}`)
      return `::${message.severity === 'error' ? 'error' : 'warning'} ${properties.join(',')}::${escapeData(message.message)}\n`
    })
    .join('')
}
