// The `handbook` command line: commander program, one subcommand per file in commands/.
import { Command, CommanderError } from 'commander'
import { runBuild } from './commands/build.js'
import { runCheck } from './commands/check.js'
import { runDoctor, toolVersion } from './commands/doctor.js'
import { addBuildOptions, addLocaleOption, addOutputOptions, addRootOption, UsageError, type BuildOptions, type CommonOptions } from './commands/options.js'
import { runStatus } from './commands/status.js'
import { ExitCode } from './report/report.js'

/** Build the program; `run` receives each command's exit code. */
export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('handbook')
    .description('Publish a multilingual Markdown handbook as print PDF, EPUB 3 and HTML')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()

  const build = program.command('build').description('build the editions of the handbook into the output folder')
  addBuildOptions(addOutputOptions(addLocaleOption(addRootOption(build)))).action(async (options: BuildOptions) => setExitCode(await runBuild(options)))

  const check = program.command('check').description('run every check of a build without rendering: config, front matter, links, images, ids')
  addOutputOptions(addLocaleOption(addRootOption(check))).action(async (options: CommonOptions) => setExitCode(await runCheck(options)))

  const status = program.command('status').description('show which chapters are translated in each locale, with word counts and coverage')
  addOutputOptions(addLocaleOption(addRootOption(status))).action(async (options: CommonOptions) => setExitCode(await runStatus(options)))

  program
    .command('doctor')
    .description('check that Node, a browser, Java, EPUBCheck and fonts are installed, and say how to fix what is missing')
    .option('--json', 'print the checks as JSON on stdout', false)
    .action((options: { json: boolean }) => setExitCode(runDoctor(options)))

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
