// `npm run bench:serve`: time from saving a chapter until Chromium, showing the page through `handbook serve`'s
// live reload, has painted the edited text; medians over several edits, beside a full `build --format html`.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'puppeteer'
import { launchBrowser } from '../src/render/chromium.js'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const bin = path.join(repo, 'bin', 'handbook')
const edits = Number(process.env.BENCH_EDITS ?? 7)
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

const retitle = (text: string, marker: string) => text.replace(/^title: .*$/m, `title: ${marker}`)

const scenarios: Scenario[] = [
  { name: 'body: lv chapter', file: 'lv/intercultural-encounters.md', page: 'lv/intercultural-encounters.html', edit: appendSentence },
  { name: 'body: en chapter (+ fallbacks)', file: 'en/project-life-cycle.md', page: 'en/project-life-cycle.html', edit: appendSentence },
  // A title shows on the chapter's page, in its locale's navigation and in fallback copies elsewhere.
  { name: 'title: lv chapter, its page', file: 'lv/assessing-skills.md', page: 'lv/assessing-skills.html', edit: retitle },
  { name: 'title: lv chapter, another page', file: 'lv/assessing-skills.md', page: 'lv/introduction.html', edit: retitle },
  { name: 'title: en chapter, its page', file: 'en/assessing-skills.md', page: 'en/assessing-skills.html', edit: retitle }
]

/**
 * Installed in every document the bench page loads, before the page's own scripts: once the parsed
 * document shows the marker the bench is waiting for (kept in sessionStorage across the reload), the
 * next frame is awaited, and a message posted from its requestAnimationFrame callback runs after that
 * frame was painted. The time is taken there, in the browser, by the same wall clock as the write in
 * Node (Date.now), so neither the DevTools protocol nor this script's polling delays the reading.
 */
const paintProbe = `(() => {
  const check = () => {
    const marker = sessionStorage.getItem('bench-marker')
    if (!marker || !document.body || !document.body.textContent.includes(marker)) return
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => window.benchPainted(marker, Date.now())
      channel.port2.postMessage(0)
    })
  }
  document.addEventListener('DOMContentLoaded', check)
})()`

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
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
      const outline = /^rebuilt (\d+) pages of .* in (\d+) ms$/.exec(line)
      const rebuilt = /^rebuilt (.*) in (\d+) ms$/.exec(line)
      const reloaded = /^reloaded .*, rewrote (\d+) pages in (\d+) ms$/.exec(line)
      if (outline) rebuilds.push({ ms: Number(outline[2]), pages: Number(outline[1]) })
      else if (rebuilt) rebuilds.push({ ms: Number(rebuilt[2]), pages: rebuilt[1]!.split(', ').length })
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
  await sleep(pause)

  const launched = await launchBrowser()
  const page: Page = await launched.browser.newPage()
  const painted = new Map<string, (at: number) => void>()
  await page.exposeFunction('benchPainted', (marker: string, at: number) => painted.get(marker)?.(at))
  await page.evaluateOnNewDocument(paintProbe)
  await page.setViewport({ width: 1280, height: 900 })

  const rows: { name: string; times: number[]; server: number[]; pages: number }[] = []
  try {
    for (const scenario of scenarios) {
      const file = path.join(work, 'handbook', scenario.file)
      const original = readFileSync(file, 'utf8')
      const times: number[] = []
      const server: number[] = []
      let pages = 0
      await page.goto(`http://127.0.0.1:${port}/${scenario.page}`, { waitUntil: 'load' })
      for (let edit = 0; edit < edits; edit++) {
        const marker = `Benchmark marker ${rows.length}-${edit}`
        await page.evaluate(`sessionStorage.setItem('bench-marker', ${JSON.stringify(marker)})`)
        const shown = new Promise<number>((resolve) => painted.set(marker, resolve))
        const reported = rebuilds.length
        const started = Date.now()
        writeFileSync(file, scenario.edit(original, marker))
        const at = await Promise.race([shown, sleep(60_000).then(() => Promise.reject(new Error(`${scenario.page} never showed ${marker}`)))])
        times.push(at - started)
        painted.delete(marker)
        await sleep(pause)
        const report = rebuilds[reported]
        if (report) {
          server.push(report.ms)
          pages = report.pages
        }
      }
      writeFileSync(file, original)
      await sleep(3 * pause)
      rows.push({ name: scenario.name, times, server, pages })
    }
  } finally {
    await launched.close()
    child.kill('SIGTERM')
    rmSync(work, { recursive: true, force: true })
  }

  const format = (ms: number) => `${Math.round(ms)} ms`.padStart(9)
  const dash = '-'.padStart(9)
  console.log(`handbook serve: saving a chapter -> the page open in Chromium has painted the edit (${edits} edits each; load average ${loadBefore.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores, Node ${process.version})`)
  console.log(`${'scenario (page open)'.padEnd(40)}${'median'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}${'server'.padStart(9)}  pages rebuilt`)
  for (const row of rows) {
    const server = row.server.length > 0 ? format(median(row.server)) : dash
    console.log(`${row.name.padEnd(40)}${format(median(row.times))}${format(Math.min(...row.times))}${format(Math.max(...row.times))}${server}  ${row.pages}`)
  }
  console.log(`${'full build --format html (3 runs)'.padEnd(40)}${format(median(builds))}${format(Math.min(...builds))}${format(Math.max(...builds))}${dash}  all`)
  console.log(`${'serve start-up (first build + listen)'.padEnd(40)}${format(startup)}`)
  console.log('median/min/max: file written -> reload event -> page reloaded -> first frame with the edited text painted (Chromium, headless)')
  console.log('server: the whole rebuild as `serve` reports it (parse, render, write every page rebuilt); pages: how many it rewrote')
  console.log('targets: a title edit under 400 ms to painted, a body edit as fast as it goes (numbers need a quiet machine)')
}

await main()
