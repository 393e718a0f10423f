// Registering the `translate` subcommands. Each loads its module only when it runs, so `--help` and
// the other commands do not load the content and exchange code (translate.ts, export.ts, ...).
import { Option, type Command } from 'commander'
import { addRootOption } from '../commands/options.js'

/** Register `translate` and its subcommands on the program. */
export function addTranslateCommand(program: Command, setExitCode: (code: number) => void): void {
  const translate = program.command('translate').description('start translations from the source and record which source version they match')
  const init = translate
    .command('init')
    .description('create draft translations of chapters (all missing ones by default) from the source, recording the source version; a new locale also gets its folder, a strings file and a config suggestion')
    .argument('<locale>', 'the locale to translate into, e.g. `lv`')
    .argument('[chapter...]', 'chapter ids (file names without `.md`); default: every chapter the locale lacks')
    .option('--label <name>', 'for a new locale: the name of the language in that language (default: from the Unicode CLDR)')
    .option('--write-config', 'add the locale to `locales` in handbook.yaml (comments and layout kept) and copy no chapters: they fall back to the source with a notice until translated', false)
  addRootOption(init).action(async (locale: string, chapters: string[], options: { root: string; label?: string; writeConfig: boolean }) => {
    const { runInit } = await import('../commands/translate.js')
    setExitCode(await runInit({ root: options.root, locale, chapters, label: options.label, writeConfig: options.writeConfig }))
  })
  const done = translate
    .command('done')
    .description('record that translations now match the current source: clears `draft`, and status no longer calls them stale')
    .argument('<locale>', 'the locale, e.g. `lv`')
    .argument('[chapter...]', 'chapter ids (file names without `.md`)')
    .option('--all', 'every chapter that has a translation file in the locale', false)
    .option('--identical-ok', 'also record sections whose text is the same as the source (names, lists of references)', false)
  addRootOption(done).action(async (locale: string, chapters: string[], options: { root: string; all: boolean; identicalOk: boolean }) => {
    const { runDone } = await import('../commands/translate.js')
    setExitCode(await runDone({ root: options.root, locale, chapters, all: options.all, identicalOk: options.identicalOk }))
  })
  const terms = translate
    .command('terms')
    .description('export the glossary and the agreed terms of a locale as a termbase: TBX (TBX-Basic, for CAT tools) or CSV (source, target, definition)')
    .argument('<locale>', 'the target locale, e.g. `lv`')
    .option('--format <format>', 'tbx or csv', 'tbx')
    .option('--out <file>', 'the file to write (default: standard output)')
  addRootOption(terms).action(async (locale: string, options: { root: string; format: string; out?: string }) => {
    const { runTerms } = await import('../commands/translate-terms.js')
    setExitCode(await runTerms({ root: options.root, locale, format: options.format, out: options.out }))
  })
  // Exchange with CAT tools and the confirmation of source changes.
  const exportCommand = translate
    .command('export')
    .description('write the translatable segments of a locale as XLIFF 1.2 or PO for CAT tools and translation platforms, with the existing translations and their states')
    .argument('<locale>', 'the locale to translate into, e.g. `lv`')
    .argument('[chapter...]', 'chapter ids; default: every chapter and the interface strings')
    .addOption(new Option('--format <format>', 'the file format (`pot`: a PO template without translations)').choices(['xliff', 'po', 'pot']).default('xliff'))
    .requiredOption('--out <file-or-dir>', 'a file (.xlf, .xliff, .po, .pot) for everything, or a folder for one file per chapter')
  addRootOption(exportCommand).action(async (locale: string, chapters: string[], options: { root: string; format: 'xliff' | 'po' | 'pot'; out: string }) => {
    const { runExport } = await import('./export.js')
    setExitCode(await runExport({ root: options.root, locale, chapters, format: options.format, out: options.out }))
  })
  const importCommand = translate
    .command('import')
    .description('write translated XLIFF or PO files back into the chapters and strings, after checking every segment; records sections whose segments are all translated')
    .argument('<file...>', 'exchange files written by `translate export` and translated')
    .option('--check', 'only check the files and say what would change; write nothing (for CI)', false)
    .option('--identical-ok', 'also record sections whose translation is the same as the source', false)
  addRootOption(importCommand).action(async (files: string[], options: { root: string; check: boolean; identicalOk: boolean }) => {
    const { runImport } = await import('./import.js')
    setExitCode(await runImport({ root: options.root, files, check: options.check, identicalOk: options.identicalOk }))
  })
  const confirm = translate
    .command('confirm')
    .description('confirm that a source change needs no re-translation (a typo fix): every locale whose section matched the previous source is recorded as matching the new one')
    .argument('<chapter>', 'the chapter id')
    .argument('[section...]', 'section ids; default: every section that changed')
  addRootOption(confirm).action(async (chapter: string, sections: string[], options: { root: string }) => {
    const { runConfirm } = await import('./confirm.js')
    setExitCode(await runConfirm({ root: options.root, chapter, sections }))
  })
  for (const command of [translate, init, done, terms, exportCommand, importCommand, confirm]) command.exitOverride()
}
