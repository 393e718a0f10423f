// `handbook translate export`: a locale's translatable segments as XLIFF 1.2 or PO, one file or one per chapter, with existing translations and their states.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { configOrReport } from '../commands/shared.js'
import { planContents } from '../content/contents-plan.js'
import { buildDate } from '../output/build-date.js'
import { writeFileAtomic } from '../output/write.js'
import { ExitCode } from '../report/report.js'
import { UsageError } from '../commands/options.js'
import { writePo } from './po.js'
import { localeUnits, type LocaleUnits, type Unit } from './units.js'
import { writeXliff } from './xliff.js'

export type ExchangeFormat = 'xliff' | 'po' | 'pot'

export interface ExportOptions {
  root: string
  locale: string
  chapters: string[]
  format: ExchangeFormat
  /** A file (`.xlf`, `.xliff`, `.po`, `.pot`) or a folder for one file per chapter. */
  out: string
  /** Where the report goes (default: stdout and stderr). */
  print?: Printer
}

export interface Printer {
  out(text: string): void
  err(text: string): void
}

const extensions: Record<ExchangeFormat, string> = { xliff: 'xlf', po: 'po', pot: 'pot' }

/** The exchange document of a model in a format. */
export function serialize(model: LocaleUnits, format: ExchangeFormat, date?: Date): string {
  return format === 'xliff' ? writeXliff(model) : writePo(model, { template: format === 'pot', date })
}

function counts(units: readonly Unit[]): string {
  const by = (state: Unit['state']) => units.filter((unit) => unit.state === state).length
  return `${units.length} segments: ${by('final')} final, ${by('translated')} translated, ${by('needs-review-translation')} to review, ${by('new')} untranslated`
}

/** `translate export`: returns the exit code. */
export async function runExport(options: ExportOptions): Promise<number> {
  const out = options.print?.out ?? ((text: string) => void process.stdout.write(text))
  const root = path.resolve(options.root)
  const config = await configOrReport(root)
  if (!config) return ExitCode.usage
  const sourceLocale = config['source-locale']
  const { locale, format } = options
  if (!config.locales.some((entry) => entry.tag === locale) || (locale === sourceLocale && format !== 'pot')) {
    throw new UsageError(`Unknown translation locale \`${locale}\`: pick one of ${config.locales.filter((entry) => entry.tag !== sourceLocale).map((entry) => `\`${entry.tag}\``).join(', ')}`)
  }
  const known = planContents(config).map((entry) => entry.id)
  const unknown = options.chapters.filter((id) => !known.includes(id))
  if (unknown.length > 0) throw new UsageError(`Unknown chapter ${unknown.map((id) => `\`${id}\``).join(', ')}: give chapter ids from \`contents\` of handbook.yaml`)
  const model = await localeUnits(root, config, locale, options.chapters)
  const all = model.groups.flatMap((group) => group.units)
  const single = /\.(xlf|xliff|po|pot)$/i.test(options.out)
  if (single) {
    await mkdir(path.dirname(path.resolve(options.out)), { recursive: true })
    await writeFileAtomic(path.resolve(options.out), serialize(model, format, buildDate(root)))
    out(`wrote ${options.out} (${locale}, ${format}): ${counts(all)}\n`)
    return ExitCode.ok
  }
  await mkdir(path.resolve(options.out), { recursive: true })
  for (const group of model.groups) {
    const target = path.join(options.out, `${group.id}.${extensions[format]}`)
    await writeFileAtomic(path.resolve(target), serialize({ ...model, groups: [group] }, format, buildDate(root)))
    out(`wrote ${target}: ${counts(group.units)}\n`)
  }
  out(`${locale}: ${counts(all)}\n`)
  return ExitCode.ok
}
