// The `handbook` command line: commander program, one subcommand per file in commands/.
import { Command, CommanderError } from 'commander'
import { runDoctor, toolVersion } from './commands/doctor.js'
import { addBuildOptions, addLocaleOption, addOutputOptions, addRootOption, UsageError, type BuildOptions, type CommonOptions } from './commands/options.js'
import type { ServeOptions } from './commands/serve.js'
import { addStatusOptions, runStatus, type StatusOptions } from './commands/status.js'
import { addTranslateCommand } from './commands/translate.js'
import { ExitCode } from './report/report.js'

// Commands that render import the pipeline, the renderers and puppeteer (over a second of loading):
// they are loaded when run, so `status` and `translate` start fast.
const commands = {
  build: () => import('./commands/build.js'),
  check: () => import('./commands/check.js'),
  clean: () => import('./commands/clean.js'),
  manifest: () => import('./commands/manifest.js'),
  serve: () => import('./commands/serve.js')
}

/** Build the program; `run` receives each command's exit code. */
export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('handbook')
    .description('Publish a multilingual Markdown handbook as print PDF, EPUB 3 and HTML')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()

  const build = program.command('build').description('build the editions of the handbook into the output folder')
  addBuildOptions(addOutputOptions(addLocaleOption(addRootOption(build)))).action(async (options: BuildOptions) => setExitCode(await (await commands.build()).runBuild(options)))

  const check = program.command('check').description('run every check of a build without rendering: config, front matter, links, images, ids')
  addOutputOptions(addLocaleOption(addRootOption(check))).action(async (options: CommonOptions) => setExitCode(await (await commands.check()).runCheck(options)))

  const status = program.command('status').description('show the translation state of every chapter and section per locale (up to date, stale, draft, missing), with words and coverage')
  addStatusOptions(addOutputOptions(addLocaleOption(addRootOption(status)))).action(async (chapter: string | undefined, options: StatusOptions) => setExitCode(await runStatus({ ...options, chapter })))

  addTranslateCommand(program, setExitCode)

  const serve = program.command('serve').description('preview the HTML edition on 127.0.0.1: rebuild on save, reload open pages, show errors over the page')
  addLocaleOption(addRootOption(serve))
  // Its own options come with its module, added just before commander parses the subcommand's arguments.
  program.hook('preSubcommand', async (_program, subcommand) => {
    if (subcommand !== serve) return
    const module = await commands.serve()
    module.addServeOptions(serve).action(async (options: ServeOptions) => setExitCode(await module.runServe(options)))
  })

  program
    .command('clean')
    .description('remove the build results (editions, manifest, cache) from the output folder')
    .option('--out <dir>', 'the output folder', './output')
    .option('--quiet', 'print nothing', false)
    .action(async (options: { out: string; quiet: boolean }) => setExitCode(await (await commands.clean()).runClean(options)))

  const manifest = program.command('manifest').description('work with the manifests of builds')
  manifest
    .command('merge')
    .description('merge the manifest.json files of several builds (a CI matrix, one locale each) into one, with SHA256SUMS')
    .argument('<manifests...>', 'manifest.json files to merge')
    .option('--out <dir>', 'where to write manifest.json and SHA256SUMS', './output')
    .option('--quiet', 'print nothing', false)
    .action(async (files: string[], options: { out: string; quiet: boolean }) => setExitCode(await (await commands.manifest()).runManifestMerge(files, options)))
  manifest.exitOverride()

  program
    .command('doctor')
    .description('check that Node, a browser, Java, EPUBCheck and fonts are installed, and say how to fix what is missing')
    .option('--json', 'print the checks as JSON on stdout', false)
    .option('--root <dir>', 'the handbook folder: fonts are checked for its locales', './handbook')
    .action((options: { json: boolean; root: string }) => setExitCode(runDoctor(options)))

  for (const command of program.commands) command.exitOverride()
  return program
}

/** Entry point of bin/handbook. Sets `process.exitCode`; never calls `process.exit`. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = createProgram((code) => {
    process.exitCode = code
  })
  try {
    await program.parseAsync([...argv])
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error.
      process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? ExitCode.ok : ExitCode.usage
      return
    }
    if (error instanceof UsageError) {
      process.stderr.write(`handbook: ${error.message}\n`)
      process.exitCode = ExitCode.usage
      return
    }
    throw error
  }
}
