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
const plan = planContents((await loadConfig(root)).config!)
function editionFiles(locale: string): string[] {
  return plan.map((entry) => {
    const translated = path.join(root, locale, `${entry.id}.md`)
    return existsSync(translated) ? translated : path.join(root, 'en', `${entry.id}.md`)
  })
}

const locales = ['en', 'lv', 'de', 'da', 'hu', 'it']
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`
const s = (seconds: number | undefined) => (seconds === undefined ? 'n/a' : `${seconds.toFixed(2)} s`)
const ratio = (ours: number, theirs: number | undefined) => (theirs === undefined ? 'n/a' : `${(ours / theirs).toFixed(2)}x`)

const out = path.join(work, 'out')
const cold = await build(['--out', out])
const unchanged = await build(['--out', out])
const chapter = path.join(root, 'lv', 'foreword.md')
writeFileSync(chapter, readFileSync(chapter, 'utf8') + '\nŠī rindkopa pievienota, lai izmērītu vienas nodaļas pārbūvi.\n')
const oneChapter = await build(['--out', out])
const htmlEpub = await build(['--out', path.join(work, 'out-html-epub'), '--format', 'html,epub', '--no-cache'])
const pdf = await build(['--out', path.join(work, 'out-pdf'), '--format', 'pdf', '--no-cache'])

// Peers on the same Markdown, every locale.
const peerOut = path.join(work, 'peers')
spawnSync('mkdir', ['-p', peerOut])
const peer = { html: 0 as number | undefined, epub: 0 as number | undefined, pdf: 0 as number | undefined }
for (const locale of locales) {
  const files = editionFiles(locale)
  const add = (key: keyof typeof peer, seconds: number | undefined) => (peer[key] = seconds === undefined || peer[key] === undefined ? undefined : peer[key]! + seconds)
  add('html', timed('pandoc', ['-s', '--toc', '--metadata', `lang=${locale}`, '-o', path.join(peerOut, `${locale}.html`), ...files], root))
  add('epub', timed('pandoc', ['--toc', '--metadata', `lang=${locale}`, '-o', path.join(peerOut, `${locale}.epub`), ...files], root))
  add('pdf', timed('pandoc', ['-s', '--toc', '--metadata', `lang=${locale}`, '--pdf-engine=weasyprint', '-o', path.join(peerOut, `${locale}.pdf`), ...files], root))
}

const rows: string[][] = [
  ['measure', 'time', 'compared with'],
  ['cold build, 6 locales x html+epub+pdf', s(cold.wall), ''],
  ['no-change rebuild', s(unchanged.wall), `${((100 * unchanged.wall) / cold.wall).toFixed(1)}% of cold`],
  ['one chapter of lv changed', s(oneChapter.wall), `${oneChapter.summary.editions.filter((edition) => edition.status === 'written').length} editions re-rendered`],
  ['ours: html+epub, all locales', s(htmlEpub.wall), ''],
  ['pandoc: html+epub, all locales', s(peer.html === undefined || peer.epub === undefined ? undefined : peer.html + peer.epub), `ours = ${ratio(htmlEpub.wall, peer.html === undefined || peer.epub === undefined ? undefined : peer.html + peer.epub)}`],
  ['ours: pdf, all locales', s(pdf.wall), ''],
  ['pandoc + WeasyPrint: pdf, all locales', s(peer.pdf), `ours = ${ratio(pdf.wall, peer.pdf)}`],
  ['peak memory (Node + Chromium), cold build', mib(cold.peak), '']
]
const perEdition: string[][] = [['locale', ...['html', 'epub', 'pdf']]]
for (const locale of locales) {
  perEdition.push([locale, ...['html', 'epub', 'pdf'].map((format) => s(cold.summary.editions.find((edition) => edition.locale === locale && edition.format === format)?.seconds))])
}
const table = (data: string[][]) => {
  const widths = data[0]!.map((_, column) => Math.max(...data.map((row) => row[column]!.length)))
  return data.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')).join('\n')
}
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.versions.node}, ${spawnSync('chromium', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'Chromium'}, ${spawnSync('pandoc', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'pandoc n/a'}`
const report = `${table(rows)}\n\nper edition in the cold build (editions render in parallel, up to the core count):\n${table(perEdition)}\n\nmachine: ${machine}\n`
process.stdout.write(report)
if (process.argv.includes('--write')) {
  const doc = path.join(repo, 'docs', 'benchmarks.md')
  writeFileSync(
    doc,
    `# Benchmarks\n\nMeasured by \`npm run bench\` (scripts/bench.ts) on the bundled handbook: the release build, then the peers on the same Markdown files. Times are wall-clock, one run each, side by side in the same run.\n\n\`\`\`\n${report}\`\`\`\n`
  )
}
rmSync(work, { recursive: true, force: true })
