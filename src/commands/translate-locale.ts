// `translate init --write-config`: the new locale goes into handbook.yaml, with what its editions get out of the box.
import path from 'node:path'
import { addLocaleToConfig } from '../config/add-locale.js'
import { configFileName } from '../config/load.js'
import { builtInStrings } from '../i18n/builtin/index.js'
import { hasHyphenation } from '../render/hyphenate.js'
import { ExitCode } from '../report/report.js'

/** Add `locale` to handbook.yaml and say so; returns the exit code. */
export async function writeLocaleConfig(root: string, locale: string, label: string): Promise<number> {
  const configPath = path.join(root, configFileName)
  const shown = path.relative(process.cwd(), configPath)
  const result = await addLocaleToConfig(configPath, locale, label)
  if (!result.added) {
    process.stderr.write(`cannot add \`${locale}\` to ${shown}: ${result.reason}\n`)
    return ExitCode.content
  }
  const builtIn = builtInStrings(locale) !== undefined
  process.stdout.write(
    [
      `added \`${locale}\` (${label}) to \`locales\` in ${shown}`,
      builtIn ? `interface strings: built in (strings/${locale}.yaml overrides any of them)` : `interface strings: none built in for \`${locale}\`; translate strings/${locale}.yaml, or the editions show the source locale's`,
      hasHyphenation(locale) ? 'hyphenation: built in' : `hyphenation: no patterns for \`${locale}\`, so its lines break between words only`,
      `chapters: none copied; until a chapter is translated (\`handbook translate init ${locale} <chapter>\`), readers get the source with a notice`,
      `title: the source title is used; add \`${locale}: ...\` under \`book.title\` to translate it`,
      ''
    ].join('\n')
  )
  return ExitCode.ok
}
