// `npm run bench`: what editors, partners and releases wait for, measured side by side with the peers
// in turns (medians of `--runs`, default 3): one locale's HTML, EPUB and PDF against pandoc and
// pandoc + WeasyPrint on the same chapters; the PDF against one raw Chromium print of the same
// document and Paged.js; the cold full build; the book load in words per second; and the growth of
// time and memory to 8 times the book. Every process tree is sampled from /proc, so CPU and memory
// include Chromium's processes; memory is the proportional set size. `--write` records the report
// in docs/benchmarks.md.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, cpus, totalmem, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../src/config/load.js'
import { loadBook, planContents } from '../src/model/build.js'
import { findBrowser } from '../src/render/browser.js'
import { closeSharedBrowser } from '../src/render/chromium.js'
import { renderPdf } from '../src/render/pdf.js'
import { inTurns, median, pagedJs, printsOf, rawPrint, time } from './bench-peers.js'
import { measureTree, type TreeCost } from './process-tree.js'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const bin = path.join(repo, 'bin', 'handbook')
const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name)
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback
}
const runs = Math.max(1, Number(option('--runs', '3')) || 1)
const locale = option('--locale', 'lv')
const growthSteps = option('--growth', '1,2,4,8').split(',').map(Number).filter((step) => step >= 1)
const work = mkdtempSync(path.join(tmpdir(), 'handbook-bench-'))
const root = path.join(work, 'handbook')
cpSync(path.join(repo, 'handbook'), root, { recursive: true })
const env = { ...process.env, SOURCE_DATE_EPOCH: '1406764800', CI: 'true' }
let outputs = 0
const freshOut = () => path.join(work, `out-${outputs++}`)

/** One `handbook build` in a new process; fails the benchmark when the build fails. */
async function ours(args: readonly string[], bookRoot = root): Promise<TreeCost> {
  const cost = await measureTree(process.execPath, [bin, 'build', '--root', bookRoot, '--quiet', ...args], { env })
  if (cost.code !== 0) throw new Error(`handbook build ${args.join(' ')} exited with ${cost.code}: ${cost.stderr.slice(0, 800)}`)
  return cost
}

/** A peer command; `undefined` when the program is not installed. */
async function peer(command: string, args: readonly string[]): Promise<TreeCost | undefined> {
  if (spawnSync('which', [command]).status !== 0) return undefined
  const cost = await measureTree(command, args, { cwd: root, env })
  if (cost.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${cost.code}: ${cost.stderr.slice(0, 800)}`)
  return cost
}

/** The Markdown of `tag`'s edition in reading order, as pandoc is given it: the translation, else the source chapter. */
const config = (await loadConfig(root)).config!
function editionFiles(tag: string, bookRoot = root): string[] {
  return planContents(config).map((entry) => {
    const translated = path.join(bookRoot, tag, `${entry.id}.md`)
    return existsSync(translated) ? translated : path.join(bookRoot, config['source-locale'], `${entry.id}.md`)
  })
}
const pandocCommon = (tag: string) => ['--toc', '--metadata', `lang=${tag}`, `--resource-path=${path.join(root, tag)}:${path.join(root, config['source-locale'])}`]

interface Samples {
  wall: number[]
  cpu: number[]
  pss: number[]
}
const samples = new Map<string, Samples>()
function record(name: string, cost: TreeCost | undefined): void {
  if (!cost) return
  const entry = samples.get(name) ?? { wall: [], cpu: [], pss: [] }
  entry.wall.push(cost.wall)
  entry.cpu.push(cost.cpu)
  entry.pss.push(cost.pss)
  samples.set(name, entry)
}

// A warm-up build, not counted: the first run after a compile pays for the disk cache and the JIT.
await ours(['--locale', locale, '--format', 'html', '--no-cache', '--out', freshOut()])
// The editor's folder as after an earlier build of all three formats: the edition cache, the parsed
// chapters and the EPUB cover are there from the first timed rebuild on.
const warmOut = freshOut()
await ours(['--locale', locale, '--out', warmOut])
const edited = path.join(root, locale, 'foreword.md')
const original = readFileSync(edited, 'utf8')
const loadaverages: number[] = []
for (let run = 0; run < runs; run++) {
  loadaverages.push(loadavg()[0]!)
  for (const format of ['html', 'epub', 'pdf'] as const) {
    record(`ours ${format}`, await ours(['--locale', locale, '--format', format, '--no-cache', '--out', freshOut()]))
    const output = path.join(work, `peer-${run}.${format}`)
    if (format === 'html') record('pandoc html', await peer('pandoc', ['-s', ...pandocCommon(locale), '-o', output, ...editionFiles(locale)]))
    if (format === 'epub') record('pandoc epub', await peer('pandoc', [...pandocCommon(locale), '-o', output, ...editionFiles(locale)]))
    if (format === 'pdf') record('pandoc + WeasyPrint pdf', await peer('pandoc', ['-s', ...pandocCommon(locale), '--pdf-engine=weasyprint', '-o', output, ...editionFiles(locale)]))
  }
  // An editor's rebuild: one paragraph added to one chapter, the caches of the last build kept.
  writeFileSync(edited, original + `\nRindkopa ${run}, pievienota, lai izmērītu pārbūvi pēc viena labojuma.\n`)
  record('ours html after one edit', await ours(['--locale', locale, '--format', 'html', '--out', warmOut]))
  writeFileSync(edited, original + `\nRindkopa ${run}, pievienota vēlreiz.\n`)
  record('ours epub after one edit', await ours(['--locale', locale, '--format', 'epub', '--out', warmOut]))
  record('ours pdf after one edit', await ours(['--locale', locale, '--format', 'pdf', '--out', warmOut]))
  writeFileSync(edited, original)
  record('ours cold full build (6 locales x 3 formats)', await ours(['--no-cache', '--out', freshOut()]))
}

/** The book load alone, in fresh processes: parsed cold, then with the parse cache of a previous run. */
function loadOnce(cacheFolder?: string): { seconds: number; cpu: number; words: number } {
  const result = spawnSync(process.execPath, [path.join(repo, 'dist', 'scripts', 'bench-load.js'), root, locale, ...(cacheFolder ? [cacheFolder] : [])], { encoding: 'utf8', env })
  if (result.status !== 0) throw new Error(`bench-load failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as { seconds: number; cpu: number; words: number }
}
const parseCache = path.join(work, 'parse-cache')
loadOnce(parseCache)
const loads = { cold: [] as ReturnType<typeof loadOnce>[], cached: [] as ReturnType<typeof loadOnce>[] }
for (let run = 0; run < runs; run++) {
  loads.cold.push(loadOnce())
  loads.cached.push(loadOnce(parseCache))
}

// The PDF against its floor, in one browser: our render of the book model, one raw print of the
// same final document, and Paged.js paginating it.
const pdfFloor = { ours: [] as number[], raw: [] as number[], paged: [] as number[], prints: '' }
{
  const { book } = await loadBook({ root, locales: [locale] })
  const edition = book!.editions[0]!
  const directory = mkdtempSync(path.join(work, 'floor-'))
  try {
    const { html } = await renderPdf({ book: book!, edition })
    const paged = async () => {
      // Paged.js runs in the page's own thread: on a loaded machine it can outlast the protocol timeout.
      const result = await pagedJs(html, directory).catch((error: Error) => {
        process.stderr.write(`Paged.js failed: ${error.message.split('\n')[0]}\n`)
        return undefined
      })
      return result?.seconds
    }
    const render = async () => {
      const [result, seconds] = await time(() => renderPdf({ book: book!, edition }))
      pdfFloor.prints = printsOf(result)
      return seconds
    }
    Object.assign(pdfFloor, await inTurns(runs, { ours: render, raw: () => rawPrint(html, directory), paged }))
  } finally {
    await closeSharedBrowser()
  }
}

/**
 * The bundled book made `factor` times longer: every chapter of the body copied `factor - 1` times
 * under new ids (its `{#ids}` suffixed, so they stay unique; its links and glossary terms, `:term[…]{#id}`,
 * still lead to the originals).
 */
function grownBook(factor: number): string {
  const grown = path.join(work, `grown-${factor}`)
  cpSync(root, grown, { recursive: true })
  if (factor === 1) return grown
  const source = config['source-locale']
  const body = planContents(config).filter((entry) => entry.matter === 'body' && entry.kind === 'chapter')
  const added: string[] = []
  for (let copy = 2; copy <= factor; copy++) {
    for (const entry of body) {
      const id = `${entry.id}-x${copy}`
      const text = readFileSync(path.join(root, source, `${entry.id}.md`), 'utf8').replace(/(:term\[[^\]\n]*\])?(\{[^{}\n]*?#)([^\s{}#.]+)/g, (whole, term: string | undefined, open: string, id: string) => (term ? whole : `${open}${id}-x${copy}`))
      writeFileSync(path.join(grown, source, `${id}.md`), text)
      added.push(id)
    }
  }
  const yaml = readFileSync(path.join(grown, 'handbook.yaml'), 'utf8')
  if (!/\n {2}back:/.test(yaml)) throw new Error('Cannot grow the book: handbook.yaml has no `back:` list in `contents`')
  writeFileSync(path.join(grown, 'handbook.yaml'), yaml.replace(/\n {2}back:/, `\n${added.map((id) => `    - ${id}`).join('\n')}\n  back:`))
  return grown
}
const growth: { factor: number; words: number; cost: TreeCost }[] = []
for (const factor of growthSteps) {
  const bookRoot = grownBook(factor)
  const cost = await ours(['--locale', config['source-locale'], '--no-cache', '--out', freshOut()], bookRoot)
  const words = readdirSync(path.join(bookRoot, config['source-locale'])).reduce((sum, name) => sum + (readFileSync(path.join(bookRoot, config['source-locale'], name), 'utf8').match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0)
  growth.push({ factor, words, cost })
}

// The report.
const s = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)} s`)
const mib = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`)
const m = (name: string, key: keyof Samples) => {
  const values = samples.get(name)?.[key]
  return values && values.length > 0 ? median(values) : undefined
}
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}x`)
const table = (data: string[][]) => {
  const widths = data[0]!.map((_, column) => Math.max(...data.map((row) => row[column]!.length)))
  return data.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')).join('\n')
}
const row = (name: string, against?: string) => [name, s(m(name, 'wall')), s(m(name, 'cpu')), mib(m(name, 'pss')), against ? `${ratio(m(name, 'wall'), m(against, 'wall'))} wall, ${ratio(m(name, 'cpu'), m(against, 'cpu'))} CPU` : '']
const words = loads.cold[0]!.words
const comparison = table([
  ['measure', 'wall', 'CPU (tree)', 'peak PSS', 'ours / peer'],
  row('ours html', 'pandoc html'),
  row('pandoc html'),
  row('ours epub', 'pandoc epub'),
  row('pandoc epub'),
  row('ours pdf', 'pandoc + WeasyPrint pdf'),
  row('pandoc + WeasyPrint pdf'),
  row('ours html after one edit', 'pandoc html'),
  row('ours epub after one edit', 'pandoc epub'),
  row('ours pdf after one edit', 'pandoc + WeasyPrint pdf'),
  row('ours cold full build (6 locales x 3 formats)')
])
const floor = table([
  ['in one browser, book model loaded', 'time', 'ours / it'],
  [`ours: render the ${locale} PDF (prints: ${pdfFloor.prints})`, s(median(pdfFloor.ours)), ''],
  ['one raw page.pdf of the same document', s(median(pdfFloor.raw)), ratio(median(pdfFloor.ours), median(pdfFloor.raw))],
  ['Paged.js on the same document', pdfFloor.paged.length ? s(median(pdfFloor.paged)) : 'n/a', pdfFloor.paged.length ? ratio(median(pdfFloor.ours), median(pdfFloor.paged)) : 'n/a']
])
const loadTable = table([
  ['book load (one process each)', 'wall', 'CPU', 'words/s (CPU)'],
  ...(['cold', 'cached'] as const).map((kind) => {
    const cpu = median(loads[kind].map((entry) => entry.cpu))
    return [kind === 'cold' ? `${locale}, parsed` : `${locale}, parse cache of an earlier run`, s(median(loads[kind].map((entry) => entry.seconds))), s(cpu), `${Math.round(words / cpu)}`]
  })
])
const base = growth[0]
const growthTable = table([
  ['book', 'words', 'wall', 'CPU (tree)', 'peak PSS', 'CPU per 10k words', 'CPU vs 1x per word'],
  ...growth.map(({ factor, words: count, cost }) => [
    `${factor}x`,
    String(count),
    s(cost.wall),
    s(cost.cpu),
    mib(cost.pss),
    s((cost.cpu / count) * 10_000),
    base ? `${(cost.cpu / count / (base.cost.cpu / base.words)).toFixed(2)}` : ''
  ])
])
/** The browser the build starts, as `--version` names it, and which one it is. */
function browserLine(): string {
  const found = findBrowser().found?.path
  const version = found ? spawnSync(found, ['--version'], { encoding: 'utf8' }).stdout?.trim() : undefined
  return found ? `${version || 'Chromium'} (${path.basename(found)})` : 'no browser found'
}
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.versions.node}, ${browserLine()}, ${spawnSync('pandoc', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'pandoc n/a'}`
const report = `one locale (${locale}, ${words} words): median of ${runs} run(s), ours and the peers in turns; CPU and PSS of each whole process tree
${comparison}

the PDF against its floor (median of ${runs})
${floor}

${loadTable}

growth (the ${config['source-locale']} edition, html + epub + pdf, body chapters copied; one run each)
${growthTable}

load average at the start of each run: ${loadaverages.map((value) => value.toFixed(1)).join(', ')}
machine: ${machine}
`
process.stdout.write(report)
if (process.argv.includes('--write')) {
  writeFileSync(
    path.join(repo, 'docs', 'benchmarks.md'),
    `# Benchmarks\n\nMeasured by \`npm run bench\` (scripts/bench.ts) on the bundled handbook. Ours and the peers run in turns in one run; every process tree (Chromium's processes included) is sampled from /proc for CPU seconds and peak proportional set size (PSS: shared pages divided among the processes sharing them). Times are medians.\n\n\`\`\`\n${report}\`\`\`\n`
  )
}
rmSync(work, { recursive: true, force: true })
