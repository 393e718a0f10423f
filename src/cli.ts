// The `handbook` command line: commander program, one subcommand per file in commands/.
import { Command, CommanderError, Option } from 'commander'
import { addBuildOptions, addLocaleOption, addOutputOptions, addRootOption, UsageError, type BuildOptions, type CommonOptions } from './commands/options.js'
import type { ServeOptions } from './commands/serve.js'
import type { StatusOptions } from './commands/status.js'
import { ExitCode } from './report/exit-code.js'
import { toolVersion } from './tool-root.js'
import { addTranslateCommand } from './translate/commands.js'

// Each command's module is loaded when it runs: those that render import the pipeline, the renderers
// and puppeteer, and loading every command's code made `--help` take twice as long.
const commands = {
  build: () => import('./commands/build.js'),
  check: () => import('./commands/check.js'),
  clean: () => import('./commands/clean.js'),
  doctor: () => import('./commands/doctor.js'),
  locales: () => import('./commands/locales.js'),
  manifest: () => import('./commands/manifest.js'),
  serve: () => import('./commands/serve.js'),
  status: () => import('./commands/status.js')
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
  addOutputOptions(addLocaleOption(addRootOption(check)))
    .addOption(new Option('--reporter <name>', 'how to print the messages: `text` (default) or `github` (workflow annotations on stdout, shown on the lines of a pull request)').choices(['text', 'github']).default('text'))
    .option('--hyphenation', 'also list every word the print edition hyphenates, per locale, with its breaks (fix one in `hyphenation/<locale>.txt`)', false)
    .option('--out <dir>', 'the output folder of your builds: chapters a build kept parsed there are not parsed again', './output')
    .action(async (options: CommonOptions & { reporter: 'text' | 'github'; hyphenation: boolean; out: string }) => setExitCode(await (await commands.check()).runCheck(options)))

  addRootOption(program.command('locales').description('list the locales (with coverage and whether they are complete) and the partner editions; --json gives the matrix CI builds'))
    .option('--json', 'print them as one line of JSON on stdout, with a `matrix` for GitHub Actions', false)
    .action(async (options: { root: string; json: boolean }) => setExitCode(await (await commands.locales()).runLocales(options)))

  const status = program.command('status').description('show the translation state of every chapter and section per locale (up to date, stale, draft, missing), with words and coverage')
  addOutputOptions(addLocaleOption(addRootOption(status)))
    .argument('[chapter]', 'only this chapter: its id, the file name without `.md`')
    .option('--diff <locale>', 'for each stale section of the locale, show what changed in the source since it was translated')
    .action(async (chapter: string | undefined, options: StatusOptions) => setExitCode(await (await commands.status()).runStatus({ ...options, chapter })))

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
    .action(async (options: { json: boolean; root: string }) => setExitCode((await commands.doctor()).runDoctor(options)))

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
      const success = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
      process.exitCode = success ? ExitCode.ok : ExitCode.usage
      if (!success) printUsageJson(program, argv, error.message.replace(/^error: /, ''))
      return
    }
    if (error instanceof UsageError) {
      process.stderr.write(`handbook: ${error.message}\n`)
      process.exitCode = ExitCode.usage
      printUsageJson(program, argv, error.message)
      return
    }
    const systemProblem = fileSystemProblem(error)
    if (systemProblem) {
      // A full disk or a read-only folder is the machine's state, not a bug: say so without a stack trace.
      process.stderr.write(`handbook: ${systemProblem}\n`)
      process.exitCode = ExitCode.usage
      return
    }
    throw error
  }
}

/**
 * With `--json`, a usage error (unknown option, locale or format) still prints one JSON object on
 * stdout, so a script that parses the output gets the reason instead of nothing.
 */
function printUsageJson(program: Command, argv: readonly string[], reason: string): void {
  const args = argv.slice(2)
  if (!args.includes('--json')) return
  const command = args.find((arg) => program.commands.some((candidate) => candidate.name() === arg)) ?? null
  const message = { file: null, line: null, column: null, severity: 'error', ruleId: 'usage', message: reason }
  process.stdout.write(JSON.stringify({ command, ok: false, exitCode: ExitCode.usage, errors: 1, warnings: 0, messages: [message] }, null, 2) + '\n')
}

/** A one-line message for errors of the file system that a user fixes on the machine (disk full, no permission). */
export function fileSystemProblem(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const where = (error as NodeJS.ErrnoException | undefined)?.path
  const place = where ? ` \`${where}\`` : ''
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `Cannot write${place}: the disk is full (${code}); free some space or pass another --out, then build again (earlier outputs are unchanged)`
    case 'EROFS':
      return `Cannot write${place}: the file system is read-only (EROFS); pass another --out`
    case 'EACCES':
    case 'EPERM':
      return `Cannot access${place}: permission denied (${code}); check the folder's owner and permissions`
    default:
      return undefined
  }
}
