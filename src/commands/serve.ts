// `handbook serve`: build the HTML edition, serve it on 127.0.0.1, rebuild what changed on save, reload open pages.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { ExitCode, printDiagnostics } from '../report/report.js'
import { closeSharedBrowser } from '../render/chromium.js'
import { stylesDirectory } from '../render/styles.js'
import { PreviewSite } from '../serve/site.js'
import { startServer } from '../serve/server.js'
import { watchFolders } from '../serve/watch.js'
import { UsageError } from './options.js'

export interface ServeOptions {
  root: string
  locale?: string[]
  out: string
  port: number
  quiet: boolean
  /** A partner edition to preview: `editions/<name>.yaml`. */
  edition?: string
  /** Open the preview in the default browser once it is served. */
  open: boolean
}

/** The default port of the preview. */
export const defaultPort = 4000

function portNumber(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free one)')
  return port
}

/** The options of `serve` besides `--root` and `--locale`. */
export function addServeOptions(command: Command): Command {
  return command
    .option('--out <dir>', 'the output folder; the preview writes and serves its html/ folder', './output')
    .option('--port <number>', 'the port on 127.0.0.1 (0 picks a free one)', portNumber, defaultPort)
    .option('--quiet', 'print errors only, no warnings or progress', false)
    .option('--edition <name>', 'preview the partner edition `editions/<name>.yaml` (its locale, chapters and texts)')
    .option('--open', 'open the preview in the default browser', false)
}

/** Open `url` in the desktop's browser; a machine without one just keeps the printed address. */
function openInBrowser(url: string): void {
  const [command, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url]
  try {
    const child = spawn(command!, args, { stdio: 'ignore', detached: true })
    child.on('error', () => process.stderr.write(`handbook serve: cannot open a browser (${command} is missing); open ${url}\n`))
    child.unref()
  } catch {
    process.stderr.write(`handbook serve: cannot open a browser; open ${url}\n`)
  }
}

/**
 * Run the preview until SIGINT or SIGTERM; returns the exit code. A content error never stops it:
 * the error shows in the terminal and over the open pages until it is fixed.
 */
export async function runServe(options: ServeOptions): Promise<number> {
  const report = { json: false, quiet: options.quiet, strict: false }
  const site = new PreviewSite({ root: options.root, out: options.out, locales: options.locale, edition: options.edition })
  const started = performance.now()
  const loaded = await site.start()
  if (loaded.unknownLocales.length > 0) {
    throw new UsageError(`Unknown locale ${loaded.unknownLocales.map((tag) => `\`${tag}\``).join(', ')}: add it to \`locales\` in handbook.yaml or pick a configured one`)
  }
  printDiagnostics(loaded.files, report)
  if (loaded.configFailed) return ExitCode.usage

  let server
  try {
    server = await startServer({ folder: site.folder, port: options.port, problems: () => site.problems, edition: (locale, format) => site.edition(locale, format) })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(
      code === 'EADDRINUSE' ? `Cannot listen on 127.0.0.1:${options.port}: the port is in use; pass another with --port` : `Cannot listen on 127.0.0.1:${options.port}: ${(error as Error).message}`
    )
  }
  const preview = server
  if (!options.quiet) process.stderr.write(`built the HTML edition in ${Math.round(performance.now() - started)} ms\n`)

  const watcher = watchFolders([path.resolve(options.root), stylesDirectory], async (files) => {
    try {
      const change = await site.apply(files, (pages) => preview.broadcast('reload', pages))
      if (change.css) preview.broadcast('css', {})
      if (change.summary || change.files.length > 0) preview.broadcast('problems', site.problems)
      printDiagnostics(change.files, report)
      if (change.summary && !options.quiet) process.stderr.write(`${change.summary}\n`)
      await site.refreshDerived()
    } catch (error) {
      // A crash in one rebuild is reported; the preview keeps the last good pages and goes on.
      process.stderr.write(`handbook serve: cannot rebuild: ${(error as Error).stack ?? String(error)}\n`)
    }
  })
  // The address is printed once saves are seen: an editor (or a test) may start saving right away.
  await watcher.ready
  const address = `http://127.0.0.1:${preview.port}/`
  process.stdout.write(`handbook serve: ${address} (Ctrl+C to stop)\n`)
  if (!options.quiet) {
    for (const locale of site.locales) process.stderr.write(`  ${locale}: ${address}${locale}/ - PDF ${address}__handbook/editions/${locale}.pdf, EPUB ${address}__handbook/editions/${locale}.epub\n`)
  }
  if (options.open) openInBrowser(options.edition && site.locales[0] ? `${address}${site.locales[0]}/` : address)

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await watcher.close()
  await preview.close()
  // A PDF or EPUB made on request started Chromium.
  await closeSharedBrowser()
  if (!options.quiet) process.stderr.write('handbook serve: stopped\n')
  return ExitCode.ok
}
