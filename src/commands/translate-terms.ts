// `handbook translate terms <locale>`: the termbase of a locale pair as TBX or CSV, for CAT tools and translation platforms.
import path from 'node:path'
import { VFile } from 'vfile'
import { localize } from '../config/load.js'
import { configOrReport } from './shared.js'
import { collectTermbase, toCsv, toTbx } from '../content/termbase.js'
import { writeFileAtomic } from '../output/write.js'
import { warn } from '../report/messages.js'
import { ExitCode, printDiagnostics } from '../report/report.js'
import { UsageError } from './options.js'

export interface TermsOptions {
  root: string
  locale: string
  format: string
  /** The file to write; standard output without it. */
  out?: string
}

const termFormats = ['tbx', 'csv'] as const

/** `translate terms`: returns the exit code. */
export async function runTerms(options: TermsOptions): Promise<number> {
  if (!(termFormats as readonly string[]).includes(options.format)) throw new UsageError(`Unknown format \`${options.format}\`: use \`tbx\` or \`csv\``)
  const root = path.resolve(options.root)
  const config = await configOrReport(root)
  if (!config) return ExitCode.usage
  const sourceLocale = config['source-locale']
  const { locale } = options
  if (!config.locales.some((entry) => entry.tag === locale) || locale === sourceLocale) {
    throw new UsageError(`Unknown translation locale \`${locale}\`: pick one of ${config.locales.filter((entry) => entry.tag !== sourceLocale).map((entry) => `\`${entry.tag}\``).join(', ')}`)
  }
  const termbase = await collectTermbase(root, config, locale)
  if (termbase.problems.length > 0) {
    const files = new Map<string, VFile>()
    for (const { file, problem } of termbase.problems) {
      const vfile = files.get(file) ?? new VFile({ path: path.relative(process.cwd(), file) })
      files.set(file, vfile)
      warn(vfile, problem.message, { line: problem.line, column: problem.column }, 'term-list-invalid')
    }
    printDiagnostics([...files.values()], { json: false, quiet: false, strict: false })
  }
  if (termbase.concepts.length === 0) {
    process.stderr.write(`no terms to export: write terms/${sourceLocale}.yaml or a glossary chapter (\`kind: glossary\`)\n`)
    return ExitCode.content
  }
  const title = `${localize(config.book.title, sourceLocale, sourceLocale)}: terminology ${sourceLocale}-${locale}`
  const text = options.format === 'tbx' ? toTbx(termbase, title) : toCsv(termbase)
  if (options.out === undefined) {
    process.stdout.write(text)
  } else {
    await writeFileAtomic(path.resolve(options.out), text)
    const agreed = termbase.concepts.filter((concept) => concept.target).length
    const defined = termbase.concepts.filter((concept) => concept.source.definition).length
    process.stderr.write(`wrote ${options.out}: ${termbase.concepts.length} concepts, ${agreed} with a ${locale} term, ${defined} with a glossary definition\n`)
  }
  return ExitCode.ok
}
