// Shared by the tests: paths, running the CLI, and rendering one Markdown file through the chain.
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { parse as parseYaml } from 'yaml'
import { epubcheckJar } from '../src/commands/doctor.js'
import type { RawHtmlConfig } from '../src/config/schema.js'
import { defaultStrings, type Strings } from '../src/i18n/defaults.js'
import { loadStrings } from '../src/i18n/strings.js'
import type { Target } from '../src/model/types.js'
import { termAnchor, type ChapterKind } from '../src/pipeline/data.js'
import rehypeXref from '../src/pipeline/plugins/rehype-xref.js'
import { createProcessor, processChapter } from '../src/pipeline/processor.js'

/** The repository root (tests run from dist/test). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const fixtures = path.join(repoRoot, 'test', 'fixtures')
export const bundledHandbook = path.join(repoRoot, 'handbook')
const bin = path.join(repoRoot, 'bin', 'handbook')

const temporary: string[] = []
// When the test file's process ends, however it ends: builds and fixtures leave nothing in /tmp.
process.on('exit', () => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true })
})

/** A new empty folder under the system's temporary folder, removed when the test process ends. */
export function temporaryFolder(prefix = 'handbook-test-'): string {
  const folder = mkdtempSync(path.join(tmpdir(), prefix))
  temporary.push(folder)
  return folder
}

/** What every shared build writes beside its folder once it has run: its exit code and output. */
interface SharedOutcome {
  code: number | null
  stdout: string
  stderr: string
}

/** A shared build: its --out folder and its `--json` summary. */
export interface SharedBuild {
  out: string
  summary: { artifacts: { locale: string | null; format: string; path: string; sha256: string; bytes: number }[]; messages: { file: string; ruleId?: string; severity: string; message: string }[] }
}

/**
 * The bundled handbook built once (with `args` and `sharedEpoch`) into a folder that test files only
 * read, under `HANDBOOK_TEST_SHARED` (set by `scripts/run-tests.ts` for one run of the suite). The
 * first file that asks builds it while holding a lock (a folder, made atomically); the others wait for
 * its outcome. A file run on its own, without the variable, builds into a temporary folder of its own.
 */
export async function sharedBuild(name: string, args: readonly string[]): Promise<SharedBuild> {
  const shared = process.env.HANDBOOK_TEST_SHARED
  const build = (out: string): SharedOutcome => {
    const result = runCli(['build', '--root', bundledHandbook, '--out', out, '--json', ...args], { env: { SOURCE_DATE_EPOCH: sharedEpoch }, timeout: 900_000 })
    return { code: result.code, stdout: result.stdout, stderr: result.stderr }
  }
  const check = (outcome: SharedOutcome, out: string): SharedBuild => {
    if (outcome.code !== 0) throw new Error(`the shared build ${name} failed (exit ${outcome.code}): ${outcome.stderr}${outcome.stdout.slice(0, 4000)}`)
    return { out, summary: JSON.parse(outcome.stdout) as SharedBuild['summary'] }
  }
  if (!shared) {
    const out = temporaryFolder(`handbook-${name}-`)
    return check(build(out), out)
  }
  const out = path.join(shared, name)
  const lock = `${out}.lock`
  const done = `${out}.json`
  try {
    mkdirSync(lock)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    // Another test file builds it: wait for its outcome, or fail when that file died before writing one.
    const holder = path.join(lock, 'pid')
    for (;;) {
      if (existsSync(done)) return check(JSON.parse(readFileSync(done, 'utf8')) as SharedOutcome, out)
      const pid = existsSync(holder) ? Number(readFileSync(holder, 'utf8')) : 0
      if (pid && !alive(pid)) throw new Error(`the test process ${pid} that built ${name} ended before it finished`)
      await sleep(200)
    }
  }
  writeFileSync(path.join(lock, 'pid'), String(process.pid))
  const outcome = build(out)
  writeFileSync(`${done}.part`, JSON.stringify(outcome))
  // Renamed into place, so a waiter never reads half of it.
  renameSync(`${done}.part`, done)
  return check(outcome, out)
}

/** The `SOURCE_DATE_EPOCH` of shared builds: the end of the project (31 July 2014). */
export const sharedEpoch = '1406764800'

/** Every edition (HTML, EPUB, PDF) of every locale of the bundled handbook, built once and shared by the files that only read them. */
export function bundledEditionsBuild(): Promise<SharedBuild> {
  return sharedBuild('bundled', ['--format', 'html,epub,pdf'])
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Run `bin/handbook` with `args` in `cwd` (the repository by default). */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
    // The --json summary of a whole book passes spawnSync's 1 MiB default.
    maxBuffer: 64 << 20
  })
  if (result.error) return { code: result.status, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}\n${result.error.message}` }
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Run `task` on every item, at most `limit` at a time, keeping the order of the results. */
export async function inPool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export interface FixtureOptions {
  /** Content language. Default `en`. */
  locale?: string
  /** Take interface strings from the bundled handbook's `strings/<locale>.yaml`. */
  bundledStrings?: boolean
  kind?: ChapterKind
  /** Chapter number. Default 2. */
  number?: number | null
  /** The raw HTML allow-list (`raw-html` in handbook.yaml). Default: the schema's default. */
  rawHtml?: RawHtmlConfig
}

/**
 * Render one Markdown file as a one-chapter book: the whole chain, then cross-references
 * resolved against that chapter. Returns the HTML and the messages as `line:col rule reason`.
 */
export async function renderFixture(inputPath: string, options: FixtureOptions = {}): Promise<{ html: string; messages: string }> {
  const locale = options.locale ?? 'en'
  const strings: Strings = options.bundledStrings ? (await loadStrings(bundledHandbook, locale, 'en')).strings : defaultStrings
  const file = new VFile({ path: inputPath, value: await readFile(inputPath, 'utf8') })
  const chapterId = 'sample'
  file.data.chapter = { id: chapterId, locale, kind: options.kind ?? 'chapter', number: options.number === undefined ? 2 : options.number, root: path.dirname(inputPath), sourcePath: inputPath }
  const tree: Root = await processChapter(createProcessor({ locale, strings, rawHtml: options.rawHtml }), file)
  const targets = new Map<string, Target>()
  const base = { chapterId, sourceFile: file.path }
  targets.set(chapterId, { ...base, id: chapterId, kind: 'chapter', number: '2', title: 'Sample chapter' })
  for (const heading of file.data.headings ?? []) targets.set(heading.id, { ...base, id: heading.id, kind: 'section', number: heading.number, title: heading.text })
  for (const float of file.data.floats ?? []) targets.set(float.id, { ...base, id: float.id, kind: float.kind, number: float.number, title: float.caption })
  for (const term of file.data.terms ?? []) targets.set(termAnchor(term.id), { ...base, id: termAnchor(term.id), kind: 'term', number: null, title: term.term })
  unified().use(rehypeXref, { targets, strings }).runSync(tree, file)
  const messages = file.messages
    .map((message) => `${message.line ?? 0}:${message.column ?? 0} ${message.fatal ? 'error' : 'warning'} ${message.ruleId} ${message.reason}`)
    .join('\n')
  return { html: toHtml(tree) + '\n', messages: messages ? messages + '\n' : '' }
}

/** The bundled handbook's config as the translation tests read it, with its source locale and every chapter id in book order. */
export function bundledBook() {
  const config = parseYaml(readFileSync(path.join(bundledHandbook, 'handbook.yaml'), 'utf8')) as {
    'source-locale': string
    locales: { tag: string }[]
    contents: { front?: string[]; body: (string | { part: string; chapters: string[] })[]; back?: string[] }
  }
  const chapterIds = [
    ...(config.contents.front ?? []),
    ...config.contents.body.flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry.part, ...entry.chapters])),
    ...(config.contents.back ?? [])
  ]
  return { config, sourceLocale: config['source-locale'], chapterIds }
}

export interface EpubcheckResult {
  fatals: number
  errors: number
  warnings: number
  /** Every message as `SEVERITY ID text path:line, ...`. */
  messages: string[]
}

/**
 * EPUBCheck on `files`, all in one Java process (test/EpubcheckFiles.java): most of a run is its
 * start-up. The JIT flags only make a short run start faster.
 */
export async function epubcheck(...files: string[]): Promise<EpubcheckResult[]> {
  const folder = temporaryFolder('handbook-epubcheck-')
  const reports = files.map((_, index) => path.join(folder, `${index}.json`))
  const args = files.flatMap((file, index) => [file, reports[index]!])
  await promisify(execFile)('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', epubcheckJar, path.join(repoRoot, 'test', 'EpubcheckFiles.java'), ...args], { maxBuffer: 16 << 20 }).catch((error: Error & { stderr?: string }) => {
    // A Java runtime without the JDK cannot run a source file.
    throw new Error(`EPUBCheck did not run: ${error.stderr || error.message}\nIt runs from a Java source file, which needs a JDK: install default-jdk-headless (\`npm run setup\` does it as root)`)
  })
  return reports.map((report) => {
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      checker: { nFatal: number; nError: number; nWarning: number }
      messages: { ID: string; severity: string; message: string; locations: { path: string; line: number }[] }[]
    }
    return {
      fatals: json.checker.nFatal,
      errors: json.checker.nError,
      warnings: json.checker.nWarning,
      messages: json.messages.map((message) => `${message.severity} ${message.ID} ${message.message} ${message.locations.map((place) => `${place.path}:${place.line}`).join(', ')}`)
    }
  })
}
