// `handbook build`: every requested edition, rendered in parallel, reused from the cache when nothing
// it is made from changed, written atomically, and listed in manifest.json and SHA256SUMS.
import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { VFile } from 'vfile'
import { loadConfig } from '../config/load.js'
import type { Format } from '../config/schema.js'
import { loadOverlay, overlayDigest } from '../content/edition-overlay.js'
import { blocksEdition } from '../report/recoverable.js'
import { recordFolder } from '../content/translation-lock.js'
import { loadTranslationState, translationProblems, type LocaleStatus } from '../content/translation-state.js'
import type { Book, Edition, EditionDownload } from '../model/types.js'
import { buildDateWithSource, epochProblem } from '../output/build-date.js'
import { ParseCache, parseCacheFolder } from '../pipeline/parse-cache.js'
import { cacheFileName, hashTool, editionInputs, editionKey, inputsUnchanged, readCache, slot, stillThere, writeCache, type CacheEntry, type CacheIndex } from '../output/cache.js'
import { lockOutput } from '../output/lock.js'
import { removeLeftovers } from '../output/leftovers.js'
import { ManifestLedger, sourceCommit } from '../output/manifest.js'
import { describe, replaceDirectory, writeFileAtomic, type Artifact } from '../output/write.js'
import { browserConnected, closeSharedBrowser, openPageAhead, withOwnBrowser } from '../render/chromium.js'
import { renderers } from '../render/index.js'
import type { OutputUnit, Renderer } from '../render/types.js'
import { fail, warn } from '../report/messages.js'
import { sampleMemory } from '../report/memory.js'
import { createProgress, type Progress } from '../report/progress.js'
import { counts, exitCodeFor, ExitCode, printDiagnostics, printJson, toJsonMessages, type JsonMessage } from '../report/report.js'
import { toolVersion } from '../tool-root.js'
import { UsageError, type BuildOptions } from './options.js'

export interface EditionResult {
  locale: string
  format: Format
  /** `cached`: nothing it is made from changed, so its files were kept as they were. */
  status: 'written' | 'cached' | 'failed'
  files: number
  /** Time spent on this edition, in seconds (0 when cached). */
  seconds: number
  /** Where it is, relative to the working directory: the file (PDF, EPUB) or the folder (HTML); absent when failed. */
  output?: string
}

interface Job {
  locale: string
  format: Format
  /** Its cache slot: a print-ready PDF has its own, beside the screen PDF. */
  slot: string
  key: string
  cached?: CacheEntry
}

/** The cache slot of print-ready PDFs (`pdf-print/<locale>`), beside the reading PDF's: the PDF renderer names their files. */
export const printReadySuffix = '-print'

/** Run a build; returns the exit code. */
export async function runBuild(options: BuildOptions): Promise<number> {
  const started = performance.now()
  // An invalid value would silently give another build date: reproducible builds must not drift.
  const epochError = process.env.SOURCE_DATE_EPOCH === undefined ? undefined : epochProblem(process.env.SOURCE_DATE_EPOCH)
  if (epochError) throw new UsageError(epochError)
  const root = path.resolve(options.root)
  const loaded = await loadConfig(root)
  const config = loaded.config
  // A partner edition: its overlay picks the locale; it builds into its own folder, in every format by default.
  const partner = config && options.edition !== undefined ? await loadOverlay(root, options.edition, config) : undefined
  if (!config || (partner && !partner.overlay)) {
    const broken = partner ? [loaded.file, partner.file] : [loaded.file]
    printDiagnostics(broken, options)
    if (options.json) printJson({ command: 'build', ok: false, exitCode: ExitCode.usage, ...counts(broken), editions: [], artifacts: [], messages: toJsonMessages(broken) })
    return ExitCode.usage
  }
  const outDir = path.resolve(options.out, ...(options.edition !== undefined ? ['editions', options.edition] : []))
  const locked = lockOutput(outDir)
  if (locked) throw new UsageError(locked)
  // From here on an interrupt is the build's own: it stops the work, and the cleanup below runs
  // (Chromium closed, temporaries removed, the summary printed) before the process exits.
  const controller = new AbortController()
  let received: NodeJS.Signals | undefined
  const onInterrupt = (signal: NodeJS.Signals) => {
    received ??= signal
    // Stop now: abort the remaining work and close Chromium, which ends any print in progress.
    controller.abort()
    void closeSharedBrowser()
  }
  process.once('SIGINT', onInterrupt)
  process.once('SIGTERM', onInterrupt)
  try {
    return await buildLocked(options, { root, config, loaded, partner, outDir, started, controller, signal: () => received })
  } finally {
    process.off('SIGINT', onInterrupt)
    process.off('SIGTERM', onInterrupt)
    // The build is over and reported; a signal before the process ends only ends it sooner, with
    // the exit handlers (lock, temporary images) still run.
    const late = (signal: NodeJS.Signals) => {
      process.stderr.write(`handbook: interrupted (${signal}) after the build had finished\n`)
      process.exit(signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted)
    }
    process.once('SIGINT', late)
    process.once('SIGTERM', late)
  }
}

interface LockedBuild {
  root: string
  config: NonNullable<Awaited<ReturnType<typeof loadConfig>>['config']>
  loaded: Awaited<ReturnType<typeof loadConfig>>
  partner: Awaited<ReturnType<typeof loadOverlay>> | undefined
  outDir: string
  started: number
  controller: AbortController
  /** The signal that interrupted the build, if one did. */
  signal: () => NodeJS.Signals | undefined
}

/** The build once it holds the lock of its output folder. */
async function buildLocked(options: BuildOptions, context: LockedBuild): Promise<number> {
  const { root, config, loaded, partner, outDir, started, controller } = context
  // What killed builds before this one left behind: their temporary files here, their Chromium profiles.
  removeLeftovers(outDir)
  const known = config.locales.map((locale) => locale.tag)
  const unknown = (options.locale ?? []).filter((tag) => !known.includes(tag))
  if (unknown.length > 0) throw new UsageError(`Unknown locale ${unknown.map((tag) => `\`${tag}\``).join(', ')}: configured locales are ${known.join(', ')}`)
  const locales = partner?.overlay ? [partner.overlay.locale] : (options.locale ?? known)
  const formats = options.format ?? (partner ? [...renderers.keys()] : config.editions.formats)
  const missing = formats.filter((format) => !renderers.has(format))
  if (missing.length > 0) {
    throw new UsageError(`Cannot build ${missing.join(', ')}: this version of handbook renders ${[...renderers.keys()].join(', ')}`)
  }

  const cacheWarnings: VFile[] = []
  // Which editions changed since the last build: decided from the files, before parsing anything.
  const { date, source: dateSource } = buildDateWithSource(root)
  // Only what changes the bytes is in the key: `--print-ready` for PDFs alone, never `--strict`,
  // which decides whether an edition may be written, not what it contains (checked below).
  const edition = partner?.overlay ? await overlayDigest(root, partner.overlay) : undefined
  const settingsFor = (format: Format) => ({ buildDate: date.toISOString(), printReady: format === 'pdf' && options.printReady ? true : undefined, edition })
  const read = options.cache ? await readCache(outDir) : { index: { version: 1 as const, editions: {} } }
  const cache: CacheIndex = read.index
  if (read.problem) {
    const cacheFile = new VFile({ path: path.relative(process.cwd(), path.join(outDir, cacheFileName)) })
    warn(cacheFile, `Ignoring the build cache: ${read.problem}; every edition is rendered again`, undefined, 'cache-invalid')
    cacheWarnings.push(cacheFile)
  }
  // A release (--strict) may reuse an edition only if its translation is complete now: else it is
  // rendered, and loading the book reports what keeps it from the release.
  const incomplete = options.strict ? await incompleteLocales(root, locales) : new Set<string>()
  const jobs: Job[] = []
  for (const format of formats) {
    for (const locale of locales) {
      if (controller.signal.aborted) break
      const key = await editionKey({ root, config, locale, format, settings: settingsFor(format) })
      const jobSlot = format === 'pdf' && options.printReady ? slot(locale, format).replace(/^pdf\//, `pdf${printReadySuffix}/`) : slot(locale, format)
      jobs.push({ locale, format, slot: jobSlot, key })
    }
  }
  // The HTML pages link the locale's PDF and EPUB with their sizes: what decides those files is part
  // of the HTML's key (their job's key, whose bytes it fixes, or the files a previous build left).
  const previous = options.cache ? cache : (await readCache(outDir)).index
  for (const job of jobs.filter((entry) => entry.format === 'html')) {
    const parts: string[] = []
    for (const format of companionFormats) {
      const other = jobs.find((entry) => entry.locale === job.locale && entry.slot === slot(job.locale, format))
      const entry = previous.editions[slot(job.locale, format)]
      if (other) parts.push(`${format}:${other.key}`)
      else if (entry && (await stillThere(outDir, entry))) parts.push(`${format}:${entry.artifacts.map((artifact) => artifact.sha256).join(',')}`)
    }
    if (parts.length > 0) job.key = createHash('sha256').update(job.key).update(parts.join('\n')).digest('hex')
  }
  for (const job of jobs) {
    const entry = cache.editions[job.slot]
    job.cached = entry && entry.key === job.key && !incomplete.has(job.locale) && (await inputsUnchanged(root, entry)) && (await stillThere(outDir, entry)) ? entry : undefined
  }
  // Locale by locale, a PDF before an EPUB, so that Chromium prints while this process makes
  // EPUBs. HTML last: a locale's pages wait for its PDF and EPUB, whose sizes they show; the pool
  // starts jobs in this order, so every PDF and EPUB has started before an HTML job waits for it.
  const formatOrder: Record<Format, number> = { pdf: 0, epub: 1, html: 2 }
  const toRender = (controller.signal.aborted ? [] : jobs.filter((job) => !job.cached)).sort(
    (a, b) => Number(a.format === 'html') - Number(b.format === 'html') || known.indexOf(a.locale) - known.indexOf(b.locale) || formatOrder[a.format] - formatOrder[b.format]
  )
  // manifest.json and SHA256SUMS: the earlier build's entries whose files are still there, unchanged,
  // and the cached editions'; every edition written below updates them as it lands.
  const ledger = new ManifestLedger(outDir, {
    book: partner?.overlay?.outputName ?? config.book.id,
    version: config.book.version,
    sourceCommit: sourceCommit(root),
    toolVersion: toolVersion(),
    buildDate: date.toISOString()
  })
  await ledger.load(jobs.flatMap((job) => job.cached?.artifacts ?? []))

  const progress = createProgress(process.stderr, { quiet: options.quiet || (options.json && !process.stderr.isTTY), ci: process.env.CI === 'true' })
  const files: VFile[] = [loaded.file, ...cacheWarnings]
  const results: EditionResult[] = []
  const artifacts: Artifact[] = []
  const replayed: JsonMessage[] = []
  const memory = sampleMemory()
  // Known from the book when one was loaded; read from the files when every edition came from the cache.
  let translationStatus: readonly LocaleStatus[] | undefined
  let parseCache: ParseCache | undefined
  try {
    for (const job of jobs) {
      if (!job.cached) continue
      results.push({ locale: job.locale, format: job.format, status: 'cached', files: job.cached.artifacts.length, seconds: 0, output: locationOf(outDir, job.cached.artifacts) })
      artifacts.push(...job.cached.artifacts)
      replayed.push(...job.cached.messages)
      progress.update(job.locale, job.format, 'cached', 0)
    }
    if (toRender.length > 0) {
      // Chromium starts, and opens the first PDF's page, in its own processes while this one parses
      // the book; a launch that fails is reported by the first edition that needs it.
      if (toRender.some((job) => renderers.get(job.format)!.usesBrowser)) openPageAhead()
      const { loadBook } = await import('../model/build.js')
      const loaded = new Map<Format, Renderer>()
      for (const format of new Set(toRender.map((job) => job.format))) loaded.set(format, await renderers.get(format)!.load())
      parseCache = options.cache ? new ParseCache(path.join(outDir, parseCacheFolder), await hashTool()) : undefined
      const result = await loadBook({ root, locales: [...new Set(toRender.map((job) => job.locale))], requireComplete: options.strict, edition: options.edition, signal: controller.signal, parseCache, loadedConfig: context.loaded }).catch((error: unknown) => {
        if (controller.signal.aborted) return { book: undefined, files }
        throw error
      })
      files.splice(0, files.length, ...result.files, ...cacheWarnings)
      if (result.book) {
        const book = result.book
        translationStatus = book.translationStatus
        for (const job of toRender) progress.update(job.locale, job.format, 'queued')
        const finished = new Map<string, Promise<void>>()
        const done = new Map<string, () => void>()
        for (const job of toRender) finished.set(job.slot, new Promise<void>((resolve) => done.set(job.slot, resolve)))
        await runPool(toRender, availableParallelism(), async (job) => {
          let edition = book.editions.find((entry) => entry.locale.tag === job.locale)!
          let complete = true
          if (job.format === 'html') {
            const companions = companionFormats.map((format) => slot(job.locale, format))
            await Promise.all(companions.map((name) => finished.get(name)))
            const linked = await editionDownloads(outDir, job.locale, companions, { jobs, results, artifacts, known: previous })
            // A PDF or EPUB that failed is not linked; the pages are not cached, so the next build links it.
            complete = linked.complete
            edition = { ...edition, downloads: linked.downloads }
          }
          const outcome = await renderOne(book, edition, loaded.get(job.format)!, job, { outDir, cache: parseCache, options, files, progress, signal: controller.signal, ledger }).catch((error: unknown) => {
            done.get(job.slot)!()
            throw error
          })
          results.push(outcome.result)
          artifacts.push(...outcome.artifacts)
          // Only now: the HTML waiting for this file reads its result and artifacts.
          done.get(job.slot)!()
          if (!complete) delete cache.editions[job.slot]
          else if (outcome.result.status === 'written') {
            const inputs = await editionInputs(root, edition.chapters.flatMap((chapter) => chapter.assets.map((asset) => asset.ref)))
            cache.editions[job.slot] = { key: job.key, artifacts: outcome.artifacts, messages: toJsonMessages(editionFiles(book, edition, files)), inputs }
          }
        })
        // Files shared by the editions of a format (the HTML site's assets and language index).
        for (const format of formats) {
          const renderer = loaded.get(format)
          const written = book.editions.filter((edition) => results.some((entry) => entry.format === format && entry.locale === edition.locale.tag && entry.status === 'written'))
          if (renderer?.renderShared && written.length > 0) {
            const shared = await writeUnits(await renderer.renderShared(book, written), outDir, format, ledger)
            artifacts.push(...shared)
            // Shared files accumulate: a build of one locale adds its images to those of the others.
            const previous = cache.editions[`${format}/shared`]?.artifacts ?? []
            cache.editions[`${format}/shared`] = { key: '', artifacts: dedupe([...previous, ...shared]), messages: [] }
          }
        }
      }
    }
    // Shared files that this run did not rewrite still belong to the build.
    for (const format of formats) {
      const shared = cache.editions[`${format}/shared`]
      if (shared && !artifacts.some((artifact) => shared.artifacts.some((entry) => entry.path === artifact.path))) artifacts.push(...shared.artifacts)
    }
  } finally {
    progress.close()
    memory.sample()
    await closeSharedBrowser()
  }
  const peak = memory.stop()
  const interrupted = () => {
    // 128 + the signal's number, as a shell reports a process the signal ended.
    const signal = context.signal() ?? 'SIGINT'
    const exitCode = signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted
    const written = results.filter((entry) => entry.status === 'written').length
    process.stderr.write(
      `handbook: interrupted (${signal}): ${written} of ${jobs.length} editions written; ` +
        `manifest.json and SHA256SUMS list the files in ${path.relative(process.cwd(), outDir) || '.'} as they are now\n`
    )
    if (options.json) {
      printJson({ command: 'build', ok: false, exitCode, interrupted: true, signal, ...counts(files), editions: results, artifacts: ledger.artifacts(), messages: toJsonMessages(files) })
    }
    return exitCode
  }
  if (controller.signal.aborted) return interrupted()

  const allFiles = [...files, ...replay(replayed, files)]
  const exitCode = exitCodeFor(allFiles, { strict: options.strict, configFailed: false })
  const unique = dedupe(artifacts)
  if (results.some((entry) => entry.status !== 'failed') && options.cache) await writeCache(outDir, cache)
  parseCache?.prune()
  if (results.length > 0) {
    // The files are listed already (as each landed); the coverage of this build's locales completes it.
    translationStatus ??= (await loadTranslationState(root, locales)).state?.locales
    const coverage = (translationStatus ?? []).filter((entry) => entry.isSource || locales.includes(entry.locale)).map((entry) => ({ locale: entry.locale, coverage: entry.coverage }))
    await ledger.setCoverage(coverage)
  }
  // A signal while the cache and manifest were finished: everything is written, but say so.
  if (controller.signal.aborted) return interrupted()
  results.sort((a, b) => (a.format + a.locale < b.format + b.locale ? -1 : 1))
  printDiagnostics(allFiles, options)
  const seconds = (performance.now() - started) / 1000
  if (options.json) {
    printJson({
      command: 'build',
      ok: exitCode === 0,
      exitCode,
      ...counts(allFiles),
      seconds: round(seconds),
      // Node and the processes it started (Chromium) together; `peakMemory` gives the parts.
      peakMemoryBytes: peak.totalBytes,
      peakMemory: { nodeBytes: peak.nodeBytes, browserBytes: peak.childBytes, totalBytes: peak.totalBytes },
      // Outside git and without SOURCE_DATE_EPOCH the date is the newest source file's: say which.
      buildDate: { date: date.toISOString(), source: dateSource },
      editions: results,
      artifacts: unique,
      messages: toJsonMessages(allFiles)
    })
  } else if (!options.quiet) {
    const rendered = results.filter((entry) => entry.status === 'written').length
    const reused = results.filter((entry) => entry.status === 'cached').length
    const failed = results.filter((entry) => entry.status === 'failed').length
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`
    const where = results.filter((entry) => entry.output).map((entry) => `  ${entry.format.padEnd(4)} ${entry.locale.padEnd(6)} ${entry.output}\n`)
    process.stderr.write(
      where.join('') +
        `${rendered} editions rendered, ${reused} unchanged, ${failed} failed; ${unique.length} files in ${path.relative(process.cwd(), outDir) || '.'} ` +
        `(${seconds.toFixed(1)} s, peak memory ${mib(peak.totalBytes)} PSS: Node ${mib(peak.nodeBytes)}, Chromium ${mib(peak.childBytes)})\n`
    )
  }
  return exitCode
}

interface RenderEnvironment {
  outDir: string
  cache: ParseCache | undefined
  options: BuildOptions
  files: VFile[]
  progress: Progress
  signal: AbortSignal
  ledger: ManifestLedger
}

/** Render and write one edition; a browser failure gets one retry with a fresh browser. */
async function renderOne(book: Book, edition: Edition, renderer: Renderer, job: Job, environment: RenderEnvironment) {
  const { outDir, options, files, progress, signal, ledger, cache } = environment
  const start = performance.now()
  const elapsed = () => round((performance.now() - start) / 1000)
  const failed = (result: Partial<EditionResult> = {}) => ({
    result: { locale: job.locale, format: job.format, status: 'failed' as const, files: 0, seconds: elapsed(), ...result },
    artifacts: [] as Artifact[]
  })
  if (hasErrors(book, edition, files, options.strict)) {
    progress.update(job.locale, job.format, 'failed', 0)
    return failed()
  }
  progress.update(job.locale, job.format, 'rendering')
  const file = new VFile({ path: `${path.relative(process.cwd(), outDir) || '.'}/${job.format}/${job.locale}` })
  files.push(file)
  const render = async () => {
    signal.throwIfAborted()
    const units = await renderer.renderEdition({ book, edition, file, printReady: options.printReady, signal, cache })
    return writeUnits(units, outDir, job.format, ledger)
  }
  for (let attempt = 1; ; attempt++) {
    try {
      // The retry gets a browser of its own: the shared one may still be printing other editions,
      // which a restart would break (and their retries would break this one's).
      const written = attempt === 1 ? await render() : await withOwnBrowser(render)
      progress.update(job.locale, job.format, 'written', elapsed())
      return {
        result: { locale: job.locale, format: job.format, status: 'written' as const, files: written.length, seconds: elapsed(), output: locationOf(outDir, written) },
        artifacts: written
      }
    } catch (error) {
      if (signal.aborted) return failed()
      const message = (error as Error).message
      if (attempt === 1 && renderers.get(job.format)!.usesBrowser && (isBrowserFault(error) || !(await browserConnected()))) {
        warn(file, `Chromium failed (${message}); retrying once with a browser of its own`, undefined, 'browser-retry')
        continue
      }
      fail(file, `Cannot render the ${job.format} edition of \`${job.locale}\`: ${message}`, undefined, 'render-failed')
      progress.update(job.locale, job.format, 'failed', elapsed())
      return failed()
    }
  }
}

/** Whether any file the edition is made of has an error: such an edition is not rendered. */
function hasErrors(book: Book, edition: Edition, files: readonly VFile[], strict = false): boolean {
  // Errors the edition marks in place (a broken link, a missing image) block it only in a strict run.
  return editionFiles(book, edition, files).some((file) => file.messages.some((message) => message.fatal === true && blocksEdition(message, strict)))
}

/** Whether an error means the browser crashed or hung, as opposed to a problem of the book. */
function isBrowserFault(error: unknown): boolean {
  const text = `${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? ''}`
  // "Requesting main frame too early" and "Navigating frame was detached": a page opened on, or
  // loading in, a browser that just went away.
  return /TimeoutError|timed? ?out|Target closed|Session closed|Protocol error|browser has disconnected|Connection closed|detached|crash|main frame too early|ECONNRESET|EPIPE/i.test(text)
}

/** The files an edition is made of: its chapters (the source ones where it falls back), its strings, the config. */
function editionFiles(book: Book, edition: Edition, files: readonly VFile[]): VFile[] {
  const relative = (...parts: string[]) => path.relative(process.cwd(), path.join(book.root, ...parts))
  // A chapter's own translation path too: translation problems (a missing or stale chapter under --strict) are reported there.
  const own = new Set(edition.chapters.flatMap((chapter) => [chapter.sourceFile, relative(edition.locale.tag, `${chapter.id}.md`)]))
  const strings = relative('strings', `${edition.locale.tag}.yaml`)
  const config = relative('handbook.yaml')
  const record = relative(recordFolder, `${edition.locale.tag}.json`)
  return files.filter((file) => own.has(file.path) || file.path === strings || file.path === config || file.path === record)
}

/** The translated locales among `locales` that a release cannot ship yet: anything missing, stale, draft or untracked. */
async function incompleteLocales(root: string, locales: readonly string[]): Promise<Set<string>> {
  const { state } = await loadTranslationState(root, locales)
  if (!state) return new Set(locales)
  return new Set(state.locales.filter((status) => locales.includes(status.locale) && translationProblems(root, state.sourceLocale, status).length > 0).map((status) => status.locale))
}

/**
 * Where an edition's files are, relative to the working directory: the one file, the folder they
 * share (an HTML edition's `html/<locale>`), or the first of files side by side in the format's folder.
 */
function locationOf(outDir: string, artifacts: readonly Artifact[]): string | undefined {
  if (artifacts.length === 0) return undefined
  const paths = artifacts.map((artifact) => artifact.path.split('/'))
  let common = artifacts.length === 1 ? paths[0]! : paths[0]!.slice(0, -1)
  for (const parts of paths.slice(1)) {
    let same = 0
    while (same < common.length && same < parts.length - 1 && common[same] === parts[same]) same++
    common = common.slice(0, same)
  }
  // Files that share only the format's folder (a print-ready PDF with its cover and proof): the first is the edition.
  if (common.length < 2) common = paths[0]!
  return path.relative(process.cwd(), path.join(outDir, ...common)) || '.'
}

/** The formats whose file an HTML edition links (the reading PDF, not a print-ready one). */
const companionFormats = ['pdf', 'epub'] as const

/**
 * The PDF and EPUB of `locale` for its HTML pages: written or kept by this run, or left in the output
 * folder by an earlier build (the cache index says which files and their hashes), with their size
 * read from the disk. `complete` is false when one that this run was to write failed.
 */
async function editionDownloads(
  outDir: string,
  locale: string,
  slots: readonly string[],
  run: { jobs: readonly Job[]; results: readonly EditionResult[]; artifacts: readonly Artifact[]; known: CacheIndex }
): Promise<{ downloads: EditionDownload[]; complete: boolean }> {
  const downloads: EditionDownload[] = []
  let complete = true
  for (const [index, name] of slots.entries()) {
    const format = companionFormats[index]!
    const job = run.jobs.find((entry) => entry.slot === name)
    let files: readonly Artifact[] = []
    if (job?.cached) files = job.cached.artifacts
    else if (job) {
      const result = run.results.find((entry) => entry.locale === locale && entry.format === format)
      if (result?.status !== 'written') complete = false
      else files = run.artifacts.filter((artifact) => artifact.locale === locale && artifact.format === format)
    } else {
      const entry = run.known.editions[name]
      if (entry && (await stillThere(outDir, entry))) files = entry.artifacts
    }
    const file = files.find((artifact) => artifact.path.endsWith(`.${format}`))
    if (!file) continue
    const bytes = (await stat(path.join(outDir, file.path)).catch(() => undefined))?.size
    if (bytes === undefined) continue
    downloads.push({ format, href: path.posix.relative(`html/${locale}`, file.path), bytes })
  }
  return { downloads, complete }
}

/** Run `work` over `items`, at most `limit` at a time. */
async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]!)
  })
  await Promise.all(lanes)
}

/**
 * Write an edition's units. The manifest forgets each unit's old files before they are replaced and
 * lists the new ones once they landed: at no moment does it name a file with another content.
 */
async function writeUnits(units: readonly OutputUnit[], outDir: string, format: Format, ledger: ManifestLedger): Promise<Artifact[]> {
  const artifacts: Artifact[] = []
  for (const unit of units) {
    const described = unit.files.map((file) => describe(file, unit.locale, format))
    await ledger.forget(unit.isDirectory ? [`${unit.path.split(path.sep).join('/')}/`] : described.map((artifact) => artifact.path))
    if (unit.isDirectory) await replaceDirectory(path.join(outDir, unit.path), unit.files, outDir)
    else for (const file of unit.files) await writeFileAtomic(path.join(outDir, file.path), file.data)
    await ledger.add(described)
    artifacts.push(...described)
  }
  return artifacts
}

/** Messages remembered from the build that rendered a cached edition, as files for the reporter. */
function replay(messages: readonly JsonMessage[], current: readonly VFile[]): VFile[] {
  const seen = new Set(current.flatMap((file) => file.messages.map((message) => `${file.path}|${message.line}|${message.column}|${message.ruleId}|${message.reason}`)))
  const byPath = new Map<string, VFile>()
  for (const message of messages) {
    const id = `${message.file}|${message.line ?? undefined}|${message.column ?? undefined}|${message.ruleId}|${message.message}`
    if (seen.has(id)) continue
    seen.add(id)
    let file = byPath.get(message.file)
    if (!file) byPath.set(message.file, (file = new VFile({ path: message.file })))
    const place = message.line === null ? undefined : { line: message.line, column: message.column ?? 1 }
    if (message.severity === 'error') fail(file, message.message, place, message.ruleId ?? 'unknown')
    else warn(file, message.message, place, message.ruleId ?? 'unknown')
  }
  return [...byPath.values()]
}

function dedupe(artifacts: readonly Artifact[]): Artifact[] {
  const byPath = new Map(artifacts.map((artifact) => [artifact.path, artifact]))
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
