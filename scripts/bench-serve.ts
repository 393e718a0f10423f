// `npm run bench:serve`: time from saving a chapter to the rebuilt page being served by `handbook serve`,
// median over several edits, beside a full `handbook build --format html` of the same book.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { get } from 'node:http'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const bin = path.join(repo, 'bin', 'handbook')
const edits = Number(process.env.BENCH_EDITS ?? 9)
/** Quiet time between edits, so that each edit meets an idle preview (search indexes written). */
const pause = 1500

interface Scenario {
  name: string
  /** The chapter file saved, relative to the handbook. */
  file: string
  /** The page waited for, relative to the HTML folder. */
  page: string
  /** Change the file's text so that `marker` shows on the page. */
  edit: (text: string, marker: string) => string
}

const appendSentence = (text: string, marker: string) => `${text.trimEnd()}\n\n${marker}.\n`

const scenarios: Scenario[] = [
  { name: 'translated chapter (lv, 1 page)', file: 'lv/intercultural-encounters.md', page: 'lv/intercultural-encounters.html', edit: appendSentence },
  { name: 'source chapter (en, then its fallbacks)', file: 'en/project-life-cycle.md', page: 'en/project-life-cycle.html', edit: appendSentence },
  {
    name: 'front matter: lv title (lv reloaded)',
    file: 'lv/assessing-skills.md',
    page: 'lv/introduction.html',
    edit: (text, marker) => text.replace(/^title: .*$/m, `title: ${marker}`)
  },
  {
    // The source's title shows in its locale's navigation and in translations lacking the chapter.
    name: 'front matter: en title (en + fallbacks)',
    file: 'en/assessing-skills.md',
    page: 'en/introduction.html',
    edit: (text, marker) => text.replace(/^title: .*$/m, `title: ${marker}`)
  }
]

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function fetchText(port: number, page: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: `/${page}` }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve(body))
    }).on('error', reject)
  })
}

/** Resolves with each `reload` event's pages, in order. */
function reloads(port: number): { next: () => Promise<string[]>; pending: () => number; close: () => void } {
  const queue: string[][] = []
  const waiting: ((pages: string[]) => void)[] = []
  let buffer = ''
  const request = get({ host: '127.0.0.1', port, path: '/__handbook/events' }, (response) => {
    response.setEncoding('utf8')
    response.on('data', (chunk: string) => {
      buffer += chunk
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (!block.startsWith('event: reload')) continue
        const pages = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as string[]
        const waiter = waiting.shift()
        if (waiter) waiter(pages)
        else queue.push(pages)
      }
    })
  })
  return {
    next: () => new Promise((resolve) => (queue.length > 0 ? resolve(queue.shift()!) : waiting.push(resolve))),
    pending: () => queue.length,
    close: () => request.destroy()
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!
  const work = mkdtempSync(path.join(tmpdir(), 'handbook-bench-serve-'))
  cpSync(path.join(repo, 'handbook'), path.join(work, 'handbook'), { recursive: true })

  const builds: number[] = []
  for (let run = 0; run < 3; run++) {
    const started = performance.now()
    const result = spawnSync(process.execPath, [bin, 'build', '--root', 'handbook', '--format', 'html', '--out', 'build-out', '--quiet'], { cwd: work, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`)
    builds.push(performance.now() - started)
  }

  const child = spawn(process.execPath, [bin, 'serve', '--root', 'handbook', '--out', 'out', '--port', '0'], { cwd: work })
  // The server's own account of each rebuild: "rebuilt <pages> in 42 ms", "reloaded lv, rewrote 19 pages in 900 ms".
  const rebuilds: { ms: number; pages: number }[] = []
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    let end: number
    while ((end = stderr.indexOf('\n')) >= 0) {
      const line = stderr.slice(0, end)
      stderr = stderr.slice(end + 1)
      const rebuilt = /^rebuilt (.*) in (\d+) ms$/.exec(line)
      const reloaded = /^reloaded .*, rewrote (\d+) pages in (\d+) ms$/.exec(line)
      if (rebuilt) rebuilds.push({ ms: Number(rebuilt[2]), pages: rebuilt[1]!.split(', ').length })
      else if (reloaded) rebuilds.push({ ms: Number(reloaded[2]), pages: Number(reloaded[1]) })
    }
  })
  const startedServe = performance.now()
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const match = /127\.0\.0\.1:(\d+)/.exec(stdout)
      if (match) resolve(Number(match[1]))
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)))
  })
  const startup = performance.now() - startedServe
  const events = reloads(port)
  await sleep(pause)

  const rows: { name: string; times: number[]; server: number[]; pages: number }[] = []
  try {
    for (const scenario of scenarios) {
      const file = path.join(work, 'handbook', scenario.file)
      const original = readFileSync(file, 'utf8')
      const times: number[] = []
      const server: number[] = []
      let pages = 0
      for (let edit = 0; edit < edits; edit++) {
        const marker = `Benchmark marker ${scenario.name.length}-${edit}`
        const reported = rebuilds.length
        const started = performance.now()
        writeFileSync(file, scenario.edit(original, marker))
        // The browser's path: the reload event, then the page.
        while (!(await events.next()).includes(scenario.page));
        const body = await fetchText(port, scenario.page)
        times.push(performance.now() - started)
        if (!body.includes(marker)) throw new Error(`${scenario.page} does not show the edit`)
        await sleep(pause)
        const report = rebuilds[reported]
        if (report) {
          server.push(report.ms)
          pages = report.pages
        }
      }
      writeFileSync(file, original)
      await sleep(3 * pause)
      while (events.pending() > 0) await events.next()
      rows.push({ name: scenario.name, times, server, pages })
    }
  } finally {
    events.close()
    child.kill('SIGTERM')
    rmSync(work, { recursive: true, force: true })
  }

  const format = (ms: number) => `${Math.round(ms)} ms`.padStart(9)
  const dash = '-'.padStart(9)
  console.log(`handbook serve: saving a chapter -> rebuilt page served (${edits} edits each; load average ${loadBefore.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores, Node ${process.version})`)
  console.log(`${'scenario'.padEnd(40)}${'median'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}${'server'.padStart(9)}  pages rebuilt`)
  for (const row of rows) {
    const server = row.server.length > 0 ? format(median(row.server)) : dash
    console.log(`${row.name.padEnd(40)}${format(median(row.times))}${format(Math.min(...row.times))}${format(Math.max(...row.times))}${server}  ${row.pages}`)
  }
  console.log(`${'full build --format html (3 runs)'.padEnd(40)}${format(median(builds))}${format(Math.min(...builds))}${format(Math.max(...builds))}${dash}  all`)
  console.log(`${'serve start-up (first build + listen)'.padEnd(40)}${format(startup)}`)
  console.log('median/min/max: save -> reload event -> page fetched, for the page named in each scenario')
  console.log('server: the whole rebuild as `serve` reports it (parse, render, write every page rebuilt)')
  console.log('target: under 200 ms for one chapter body, under 1 s for a front-matter edit (numbers need a quiet machine)')
}

await main()
