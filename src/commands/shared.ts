// Steps several commands share: loading the config, or the book for the requested locales.
import { loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { loadBook, type LoadResult } from '../model/build.js'
import type { ParseCache } from '../pipeline/parse-cache.js'
import { printDiagnostics } from '../report/report.js'
import { UsageError, type CommonOptions } from './options.js'

/** Load the book; an unknown `--locale` is a usage error naming the configured ones. `--strict` also checks that translations are complete. */
export async function loadRequested(options: Pick<CommonOptions, 'root' | 'locale'> & { strict?: boolean; parseCache?: ParseCache }): Promise<LoadResult> {
  const result = await loadBook({ root: options.root, locales: options.locale, requireComplete: options.strict === true, parseCache: options.parseCache })
  if (result.unknownLocales.length > 0) {
    throw new UsageError(`Unknown locale ${result.unknownLocales.map((tag) => `\`${tag}\``).join(', ')}: add it to \`locales\` in handbook.yaml or pick a configured one`)
  }
  return result
}

/** The config of the handbook in `root`; `undefined` after printing why it cannot be read (the command then exits with `ExitCode.usage`). */
export async function configOrReport(root: string): Promise<Config | undefined> {
  const loaded = await loadConfig(root)
  if (!loaded.config) printDiagnostics([loaded.file], { json: false, quiet: false, strict: false })
  return loaded.config
}
