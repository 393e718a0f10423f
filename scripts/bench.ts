// `npm run bench`: the release build on the bundled handbook, measured side by side with pandoc
// (HTML, EPUB) and pandoc + WeasyPrint (PDF) on the same Markdown. `--write` also records the table
// in docs/benchmarks.md.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { cpus, totalmem, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../src/config/load.js'
import { planContents } from '../src/model/build.js'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const bin = path.join(repo, 'bin', 'handbook')
const work = mkdtempSync(path.join(tmpdir(), 'handbook-bench-'))
const root = path.join(work, 'handbook')
cpSync(path.join(repo, 'handbook'), root, { recursive: true })
const env = { ...process.env, SOURCE_DATE_EPOCH: '1406764800', CI: 'true' }

interface Summary {
  seconds: number
  peakMemoryBytes: number
  editions: { locale: string; format: string; status: string; seconds: number }[]
}

/** Sum of the resident memory of the tool's Chromium processes, in bytes. */
function chromiumMemory(): number {
  let total = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('handbook-chromium-')) continue
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))
      if (rss) total += Number(rss[1]) * 1024
    } catch {
      // Gone while we looked.
    }
  }
  return total
}

/** Run a build; wall time, its JSON summary, and the peak memory of Node plus Chromium. */
async function build(args: string[]): Promise<{ wall: number; summary: Summary; peak: number }> {
  const start = performance.now()
  let peakChromium = 0
  const sampler = setInterval(() => (peakChromium = Math.max(peakChromium, chromiumMemory())), 100)
  const child = spawn(process.execPath, [bin, 'build', '--root', root, '--json', ...args], { env, stdio: ['ignore', 'pipe', 'ignore'] })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  clearInterval(sampler)
  const wall = (performance.now() - start) / 1000
  if (code !== 0) throw new Error(`build ${args.join(' ')} failed with ${code}: ${stdout.slice(0, 500)}`)
  const summary = JSON.parse(stdout) as Summary
  return { wall, summary, peak: summary.peakMemoryBytes + peakChromium }
}

/** Seconds taken by a command; undefined when the program is missing. */
function timed(command: string, args: string[], cwd: string): number | undefined {
  const start = performance.now()
  const result = spawnSync(command, args, { cwd, stdio: 'ignore' })
  if (result.error) return undefined
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`)
  return (performance.now() - start) / 1000
}

/** The Markdown each locale's edition is made of, in reading order, as pandoc would be given it. */
const config = (await loadConfig(root)).config!
const plan = planContents(config)
function editionFiles(locale: string): string[] {
  return plan.map((entry) => {
    const translated = path.join(root, locale, `${entry.id}.md`)
    return existsSync(translated) ? translated : path.join(root, 'en', `${entry.id}.md`)
  })
}

const locales = config.locales.map((locale) => locale.tag)
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`
const s = (seconds: number | undefined) => (seconds === undefined ? 'n/a' : `${seconds.toFixed(2)} s`)
const ratio = (ours: number, theirs: number | undefined) => (theirs === undefined ? 'n/a' : `${(ours / theirs).toFixed(2)}x`)

/** The middle value: one slow or fast outlier on a shared machine does not decide a ratio. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Pandoc on every locale's Markdown: seconds for HTML, EPUB and PDF (undefined when a program is missing). */
function peers(peerOut: string): { html?: number; epub?: number; pdf?: number } {
  const total = { html: 0 as number | undefined, epub: 0 as number | undefined, pdf: 0 as number | undefined }
  for (const locale of locales) {
    const files = editionFiles(locale)
    // Images are found next to the chapters, as our build finds them: the locale's folder first, then the source's.
    const common = ['--toc', '--metadata', `lang=${locale}`, `--resource-path=${path.join(root, locale)}:${path.join(root, 'en')}`]
    const add = (key: keyof typeof total, seconds: number | undefined) => (total[key] = seconds === undefined || total[key] === undefined ? undefined : total[key]! + seconds)
    add('html', timed('pandoc', ['-s', ...common, '-o', path.join(peerOut, `${locale}.html`), ...files], root))
    add('epub', timed('pandoc', [...common, '-o', path.join(peerOut, `${locale}.epub`), ...files], root))
    add('pdf', timed('pandoc', ['-s', ...common, '--pdf-engine=weasyprint', '-o', path.join(peerOut, `${locale}.pdf`), ...files], root))
  }
  return total
}

// Every measurement `runs` times, in turns, so that the machine's changing speed falls on ours
// and the peers alike; the table shows medians.
const runsOption = process.argv.indexOf('--runs')
const runs = runsOption > 0 ? Math.max(1, Number(process.argv[runsOption + 1]) || 1) : 3
const chapter = path.join(root, 'lv', 'foreword.md')
const original = readFileSync(chapter, 'utf8')
const measured = { cold: [] as number[], unchanged: [] as number[], oneChapter: [] as number[], htmlEpub: [] as number[], pdf: [] as number[], peerHtmlEpub: [] as number[], peerPdf: [] as number[] }
let cold: Awaited<ReturnType<typeof build>> | undefined
let oneChapterWritten = 0
let peak = 0
let peersMissing = false
for (let run = 0; run < runs; run++) {
  const out = path.join(work, `out-${run}`)
  writeFileSync(chapter, original)
  const coldRun = await build(['--out', out])
  cold ??= coldRun
  peak = Math.max(peak, coldRun.peak)
  measured.cold.push(coldRun.wall)
  measured.unchanged.push((await build(['--out', out])).wall)
  writeFileSync(chapter, original + '\nŠī rindkopa pievienota, lai izmērītu vienas nodaļas pārbūvi.\n')
  const oneChapter = await build(['--out', out])
  measured.oneChapter.push(oneChapter.wall)
  oneChapterWritten = oneChapter.summary.editions.filter((edition) => edition.status === 'written').length
  measured.htmlEpub.push((await build(['--out', path.join(work, `out-html-epub-${run}`), '--format', 'html,epub', '--no-cache'])).wall)
  measured.pdf.push((await build(['--out', path.join(work, `out-pdf-${run}`), '--format', 'pdf', '--no-cache'])).wall)
  const peerOut = path.join(work, `peers-${run}`)
  spawnSync('mkdir', ['-p', peerOut])
  const peer = peers(peerOut)
  if (peer.html === undefined || peer.epub === undefined || peer.pdf === undefined) peersMissing = true
  else {
    measured.peerHtmlEpub.push(peer.html + peer.epub)
    measured.peerPdf.push(peer.pdf)
  }
}
writeFileSync(chapter, original)

const m = (values: readonly number[]) => (values.length === 0 ? undefined : median(values))
const coldTime = median(measured.cold)
const rows: string[][] = [
  ['measure', 'time', 'compared with'],
  ['cold build, 6 locales x html+epub+pdf', s(coldTime), ''],
  ['no-change rebuild', s(m(measured.unchanged)), `${((100 * median(measured.unchanged)) / coldTime).toFixed(1)}% of cold`],
  ['one chapter of lv changed', s(m(measured.oneChapter)), `${oneChapterWritten} editions re-rendered`],
  ['ours: html+epub, all locales', s(m(measured.htmlEpub)), ''],
  ['pandoc: html+epub, all locales', s(peersMissing ? undefined : m(measured.peerHtmlEpub)), `ours = ${ratio(median(measured.htmlEpub), peersMissing ? undefined : m(measured.peerHtmlEpub))}`],
  ['ours: pdf, all locales', s(m(measured.pdf)), ''],
  ['pandoc + WeasyPrint: pdf, all locales', s(peersMissing ? undefined : m(measured.peerPdf)), `ours = ${ratio(median(measured.pdf), peersMissing ? undefined : m(measured.peerPdf))}`],
  ['peak memory (Node + Chromium), cold build', mib(peak), '']
]
const perEdition: string[][] = [['locale', ...['html', 'epub', 'pdf']]]
for (const locale of locales) {
  perEdition.push([locale, ...['html', 'epub', 'pdf'].map((format) => s(cold!.summary.editions.find((edition) => edition.locale === locale && edition.format === format)?.seconds))])
}
const table = (data: string[][]) => {
  const widths = data[0]!.map((_, column) => Math.max(...data.map((row) => row[column]!.length)))
  return data.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')).join('\n')
}
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.versions.node}, ${spawnSync('chromium', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'Chromium'}, ${spawnSync('pandoc', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'pandoc n/a'}`
const report = `median of ${runs} run(s), ours and the peers in turns\n${table(rows)}\n\nper edition in the first cold build (editions render in parallel, up to the core count):\n${table(perEdition)}\n\nmachine: ${machine}\n`
process.stdout.write(report)
if (process.argv.includes('--write')) {
  const doc = path.join(repo, 'docs', 'benchmarks.md')
  writeFileSync(
    doc,
    `# Benchmarks\n\nMeasured by \`npm run bench\` (scripts/bench.ts) on the bundled handbook: the release build and the peers on the same Markdown files, measured in turns in the same run. Times are wall-clock medians.\n\n\`\`\`\n${report}\`\`\`\n`
  )
}
rmSync(work, { recursive: true, force: true })
