// Registering `translate export`, `translate import` and `translate confirm`; each loads its module only when it runs.
import { Option, type Command } from 'commander'
import { addRootOption } from '../commands/options.js'

/** Add the exchange and confirmation subcommands to `translate`; returns them. */
export function addExchangeCommands(translate: Command, setExitCode: (code: number) => void): Command[] {
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
  return [exportCommand, importCommand, confirm]
}
