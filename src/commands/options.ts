// Options shared by the commands, and turning them into typed values.
import { Command, InvalidArgumentError, Option } from 'commander'
import { formats, type Format } from '../config/schema.js'

export interface CommonOptions {
  root: string
  locale?: string[]
  json: boolean
  quiet: boolean
  strict: boolean
}

export interface BuildOptions extends CommonOptions {
  format?: Format[]
  out: string
  printReady: boolean
  /** False with `--no-cache`: render every edition even when nothing changed. */
  cache: boolean
  /** A partner edition: the overlay `editions/<name>.yaml`. */
  edition?: string
}

function list(value: string): string[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean)
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list')
  return items
}

function formatList(value: string): Format[] {
  const items = list(value)
  for (const item of items) {
    if (!(formats as readonly string[]).includes(item)) throw new InvalidArgumentError(`unknown format \`${item}\`; use ${formats.join(', ')}`)
  }
  return items as Format[]
}

export function addRootOption(command: Command): Command {
  return command.option('--root <dir>', 'the handbook folder (with handbook.yaml)', './handbook')
}

export function addLocaleOption(command: Command): Command {
  return command.option('--locale <list>', 'only these locales, comma-separated (default: every configured locale)', list)
}

export function addOutputOptions(command: Command): Command {
  return command
    .option('--json', 'print the result and all messages as JSON on stdout', false)
    .option('--quiet', 'print errors only, no warnings or progress', false)
    .option('--strict', 'treat warnings as errors (exit code 1)', false)
}

export function addBuildOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <list>', `formats to build, comma-separated: ${formats.join(', ')} (default: editions.formats of the config)`).argParser(formatList))
    .option('--out <dir>', 'the output folder', './output')
    .option('--no-cache', 'render every edition, even those whose inputs did not change')
    .option('--print-ready', 'print edition for a print shop: 3 mm bleed and crop marks (the sheet grows by the bleed)', false)
    .option('--edition <name>', 'build the partner edition `editions/<name>.yaml` (its locale, every format unless --format) into <out>/editions/<name>/')
}

/** A usage problem: printed as one line, exit code 2. */
export class UsageError extends Error {}
