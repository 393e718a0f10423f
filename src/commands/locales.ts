// `handbook locales`: the configured locales and partner editions, as a table or as the JSON a CI matrix reads.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { loadConfig } from '../config/load.js'
import { overlayFolder, loadOverlay } from '../content/edition-overlay.js'
import { collectTranslationState, translationProblems } from '../content/translation-state.js'
import { ExitCode, printDiagnostics, printJson, toJsonMessages } from '../report/report.js'

export interface LocalesOptions {
  root: string
  json: boolean
}

/** One locale of the book, as the workflows see it. */
export interface LocaleEntry {
  locale: string
  label: string
  source: boolean
  /** Percent of the source's words translated and finished. */
  coverage: number
  /** Nothing missing, stale, draft or untracked: `build --strict` and `check --strict` pass for it. */
  complete: boolean
}

/** One job of a CI matrix: a locale, or a partner edition (its overlay name; its locale from the overlay). */
export interface MatrixEntry {
  locale: string
  /** The overlay name for `--edition`, or '' for the locale's own edition. */
  edition: string
  /** `--strict` for complete locales, '' for those still being translated. */
  strict: '--strict' | ''
}

/**
 * Read the locales and the partner editions (`editions/*.yaml`) from the config, so that a locale
 * added to handbook.yaml is built and checked without touching the workflows.
 */
export async function runLocales(options: LocalesOptions): Promise<number> {
  const root = path.resolve(options.root)
  const loaded = await loadConfig(root)
  const config = loaded.config
  if (!config) {
    printDiagnostics([loaded.file], { json: options.json, quiet: false, strict: false })
    if (options.json) printJson({ command: 'locales', ok: false, exitCode: ExitCode.usage, locales: [], editions: [], matrix: { include: [] }, messages: toJsonMessages([loaded.file]) })
    return ExitCode.usage
  }
  const state = await collectTranslationState({ root, config })
  const locales: LocaleEntry[] = config.locales.map((entry) => {
    const status = state.locales.find((candidate) => candidate.locale === entry.tag)
    return {
      locale: entry.tag,
      label: entry.label,
      source: entry.tag === config['source-locale'],
      coverage: status?.coverage ?? 0,
      complete: status ? translationProblems(root, config['source-locale'], status).length === 0 : false
    }
  })
  const names = (await readdir(path.join(root, overlayFolder)).catch(() => [] as string[])).filter((name) => name.endsWith('.yaml')).sort()
  const editions: { name: string; locale: string }[] = []
  const files = []
  for (const name of names.map((file) => file.slice(0, -'.yaml'.length))) {
    const { overlay, file } = await loadOverlay(root, name, config)
    if (file.messages.length > 0) files.push(file)
    if (overlay) editions.push({ name, locale: overlay.locale })
  }
  const strictFor = (locale: string): MatrixEntry['strict'] => (locales.find((entry) => entry.locale === locale)?.complete ? '--strict' : '')
  const matrix: { include: MatrixEntry[] } = {
    include: [
      ...locales.map((entry) => ({ locale: entry.locale, edition: '', strict: strictFor(entry.locale) })),
      ...editions.map((edition) => ({ locale: edition.locale, edition: edition.name, strict: strictFor(edition.locale) }))
    ]
  }
  const broken = files.some((file) => file.messages.some((message) => message.fatal))
  const exitCode = broken ? ExitCode.usage : ExitCode.ok
  if (options.json) {
    // One line: a workflow step writes it to $GITHUB_OUTPUT, which takes `name=value` lines.
    process.stdout.write(JSON.stringify({ command: 'locales', ok: !broken, exitCode, locales, editions, matrix, messages: toJsonMessages(files) }) + '\n')
    return exitCode
  }
  printDiagnostics(files, { json: false, quiet: false, strict: false })
  for (const entry of locales) {
    process.stdout.write(`${entry.locale.padEnd(6)} ${entry.label.padEnd(14)} ${`${entry.coverage}%`.padStart(6)}  ${entry.source ? 'source' : entry.complete ? 'complete' : 'in translation'}\n`)
  }
  for (const edition of editions) process.stdout.write(`${edition.name} (partner edition, ${edition.locale})\n`)
  return exitCode
}
