// `handbook serve` as a real process: files of the output folder only, rebuild on save, live reload, errors over the page.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { get, request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { startServer } from '../src/serve/server.js'
import { classify } from '../src/serve/site.js'
import { fixtures, repoRoot, temporaryFolder } from './helpers.js'
import { changeOneSection } from './translation-support.js'
import { startBrowser, type TestBrowser } from './html-support.js'

interface Response {
  status: number
  body: string
  headers: Record<string, string | string[] | undefined>
}

/** A GET with the request target sent exactly as given (no URL normalization on the way). */
function fetchRaw(port: number, target: string, host = `127.0.0.1:${port}`): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, method: 'GET', headers: { host } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

interface ServerEvent {
  name: string
  data: unknown
}

/** The preview's event stream, with a way to wait for the next event that matches. */
class EventStream {
  private readonly events: ServerEvent[] = []
  private waiters: (() => void)[] = []
  private buffer = ''
  private readonly request: ReturnType<typeof get>

  constructor(port: number) {
    this.request = get({ host: '127.0.0.1', port, path: '/__handbook/events' }, (res) => {
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        this.buffer += chunk
        let end: number
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end)
          this.buffer = this.buffer.slice(end + 2)
          const name = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (name && data) this.events.push({ name, data: JSON.parse(data) })
        }
        for (const wake of this.waiters.splice(0)) wake()
      })
    })
  }

  /** The first event from now on (or already received after `since`) that matches. */
  async next(match: (event: ServerEvent) => boolean, since: number, what: string): Promise<ServerEvent> {
    const deadline = Date.now() + 30_000
    for (;;) {
      const found = this.events.slice(since).find(match)
      if (found) return found
      if (Date.now() > deadline) throw new Error(`No ${what} event; got ${JSON.stringify(this.events.slice(since))}`)
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve)
        setTimeout(resolve, 500)
      })
    }
  }

  get count(): number {
    return this.events.length
  }

  close(): void {
    this.request.destroy()
  }
}

let work: string
let child: ChildProcess
let port: number
let stderr = ''
let events: EventStream
let browser: TestBrowser

/** `handbook serve` of `<work>/book` into `<work>/out` on a free port; its stderr goes to `onError`. */
async function startServe(work: string, onError: (chunk: string) => void): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'handbook'), 'serve', '--root', 'book', '--out', 'out', '--port', '0'], { cwd: work })
  let errors = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk
    onError(chunk)
  })
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)
      if (match) resolve(Number(match[1]))
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${errors}`)))
  })
  return { child, port }
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'handbook-serve-'))
  cpSync(path.join(fixtures, 'books', 'html-site'), path.join(work, 'book'), { recursive: true })
  writeFileSync(path.join(work, 'secret.txt'), 'SECRET-OUTSIDE-THE-OUTPUT')
  ;({ child, port } = await startServe(work, (chunk) => (stderr += chunk)))
  events = new EventStream(port)
  browser = await startBrowser()
})

after(async () => {
  events?.close()
  await browser?.close()
  if (child && child.exitCode === null) child.kill('SIGKILL')
  rmSync(work, { recursive: true, force: true })
})

test('serves the built site on 127.0.0.1 with the live script injected into pages, not into the files', async () => {
  const root = await fetchRaw(port, '/')
  assert.equal(root.status, 200)
  assert.match(root.body, /<li lang="lv"><a href="lv\/index\.html"/)
  const page = await fetchRaw(port, '/lv/first.html')
  assert.equal(page.status, 200)
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  assert.match(page.body, /new EventSource\('\/__handbook\/events'\)/)
  assert.doesNotMatch(readFileSync(path.join(work, 'out', 'html', 'lv', 'first.html'), 'utf8'), /EventSource/)
  assert.equal((await fetchRaw(port, '/static/handbook.css')).headers['content-type'], 'text/css; charset=utf-8')
  const folder = await fetchRaw(port, '/lv')
  assert.deepEqual([folder.status, folder.headers.location], [301, '/lv/'])
  assert.equal((await fetchRaw(port, '/lv/')).status, 200)
  assert.equal((await fetchRaw(port, '/lv/nothing.html')).status, 404)
  assert.equal((await fetchRaw(port, '/', 'evil.example:80')).status, 403, 'other host names are refused (DNS rebinding)')
})

test('never serves a file outside the output folder: dot segments, encoded slashes and symbolic links get 403 or 404', async () => {
  mkdirSync(path.join(work, 'out', 'html', 'links'), { recursive: true })
  symlinkSync(path.join(work, 'secret.txt'), path.join(work, 'out', 'html', 'links', 'secret.txt'))
  symlinkSync(work, path.join(work, 'out', 'html', 'links', 'work'))
  const attempts = [
    '/../secret.txt',
    '/../../secret.txt',
    '/lv/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2E%2E/secret.txt',
    '/lv/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/lv%2f..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/%252e%252e/secret.txt',
    '/.%2e/secret.txt',
    '/lv/./../../secret.txt',
    '/links/secret.txt',
    '/links/work/secret.txt',
    '/links/work/book/handbook.yaml',
    '/%00/../secret.txt',
    '//secret.txt',
    'http://127.0.0.1/../secret.txt'
  ]
  for (const target of attempts) {
    const response = await fetchRaw(port, target)
    assert.ok([403, 404].includes(response.status), `${target} -> ${response.status}`)
    assert.doesNotMatch(response.body, /SECRET-OUTSIDE|source-locale/, target)
  }
  assert.equal((await fetchRaw(port, '/%zz')).status, 400)
})

test('saving a chapter rebuilds its page and the pages showing it as a fallback, and reloads them', async () => {
  const since = events.count
  appendFileSync(path.join(work, 'book', 'lv', 'first.md'), '\nPavisam jauns teikums par Latviju.\n')
  const reload = await events.next((event) => event.name === 'reload', since, 'reload')
  assert.deepEqual(reload.data, ['lv/first.html'])
  assert.match((await fetchRaw(port, '/lv/first.html')).body, /Pavisam jauns teikums par Latviju\./)

  const sourceSince = events.count
  appendFileSync(path.join(work, 'book', 'en', 'second.md'), '\nA brand new English sentence.\n')
  // The edited page reloads first, then each translation's fallback copy.
  const sourceReloads: unknown[] = []
  for (const page of ['en/second.html', 'lv/second.html', 'de/second.html']) {
    const event = await events.next((candidate) => candidate.name === 'reload' && (candidate.data as string[]).includes(page), sourceSince, page)
    sourceReloads.push(...(event.data as string[]))
  }
  assert.deepEqual(sourceReloads, ['en/second.html', 'lv/second.html', 'de/second.html'])
  assert.match((await fetchRaw(port, '/de/second.html')).body, /A brand new English sentence\./)

  // A new title shows in every page's contents: the locale's pages follow the edited one, which reloads first.
  const titleSince = events.count
  const file = path.join(work, 'book', 'lv', 'intro.md')
  writeFileSync(file, readFileSync(file, 'utf8').replace('title: Ievads', 'title: Jauns ievads'))
  const edited = await events.next((event) => event.name === 'reload', titleSince, 'reload')
  assert.deepEqual(edited.data, ['lv/intro.html'])
  const titleReload = await events.next((event) => event.name === 'reload' && (event.data as string[]).includes('lv/first.html'), titleSince, 'the other Latvian pages')
  assert.ok((titleReload.data as string[]).every((page) => page.startsWith('lv/')), `only Latvian pages: ${JSON.stringify(titleReload.data)}`)
  assert.match((await fetchRaw(port, '/lv/first.html')).body, /<a href="intro\.html">1\. Jauns ievads<\/a>/)
})

test('a page learns, when its events connect, of a rebuild announced while it was loading', async () => {
  const folder = temporaryFolder('handbook-serve-generation-')
  writeFileSync(path.join(folder, 'index.html'), '<!doctype html><html><body><p>Page</p></body></html>')
  const preview = await startServer({ folder, port: 0, problems: () => [] })
  try {
    assert.match((await fetchRaw(preview.port, '/index.html')).body, /<script data-generation="0">/)
    // The page above was served; its events are not open yet when a rebuild is announced.
    preview.broadcast('reload', ['index.html'])
    const stream = new EventStream(preview.port)
    try {
      const generation = await stream.next((event) => event.name === 'generation', 0, 'generation')
      // Later than the page's 0: the client reloads (src/serve/client/live.js).
      assert.equal(generation.data, 1)
    } finally {
      stream.close()
    }
    assert.match((await fetchRaw(preview.port, '/index.html')).body, /<script data-generation="1">/)
  } finally {
    await preview.close()
  }
})

test('a Markdown error shows over the open page with file:line:col, the server keeps running, and the fix clears it', async () => {
  const { page } = await browser.open()
  await page.goto(`http://127.0.0.1:${port}/lv/first.html`, { waitUntil: 'load' })
  await page.waitForFunction('document.querySelector("#handbook-overlay") === null')
  const file = path.join(work, 'book', 'lv', 'first.md')
  const good = readFileSync(file, 'utf8')
  const since = events.count
  writeFileSync(file, good.replace('Tālāk: [](#second)', 'Tālāk: [](#nekur)'))
  const problems = await events.next((event) => event.name === 'problems' && (event.data as unknown[]).length > 0, since, 'problems')
  const [problem] = problems.data as { file: string; line: number; column: number; ruleId: string; reason: string }[]
  assert.deepEqual([problem!.file, problem!.line, problem!.column, problem!.ruleId], [path.join('book', 'lv', 'first.md'), 7, 31, 'xref-unresolved'])
  // Waited for, not read once: the page may still reload (a CI run read it as a reload began, and
  // the read failed with "Execution context was destroyed"); a wait starts again in the new page.
  const overlay = await page.waitForFunction('document.querySelector("#handbook-overlay")?.shadowRoot?.textContent', { timeout: 30_000 })
  assert.match(String(await overlay.jsonValue()), /book\/lv\/first\.md:7:31 Cannot resolve cross-reference `#nekur`/)
  assert.equal((await fetchRaw(port, '/lv/index.html')).status, 200, 'the server keeps running')
  assert.match(stderr, /book\/lv\/first\.md\n\s*7:31-7:41\s+error/)

  const fixedSince = events.count
  writeFileSync(file, good.replace('Teksts ar piezīmi.', 'Labots teksts ar piezīmi.'))
  await events.next((event) => event.name === 'problems' && (event.data as unknown[]).length === 0, fixedSince, 'cleared problems')
  // The open page reloads by itself and shows the fix.
  await page.waitForFunction('document.body.textContent.includes("Labots teksts") && document.querySelector("#handbook-overlay") === null', { timeout: 30_000 })
  await page.close()
})

test('saving a changed source section makes the translation stale in the preview, without a restart', async () => {
  const folder = temporaryFolder('handbook-serve-translation-')
  cpSync(path.join(fixtures, 'books', 'translation-basic'), path.join(folder, 'book'), { recursive: true })
  // Not published by the config: the preview still shows editors the translation report.
  const config = path.join(folder, 'book', 'handbook.yaml')
  writeFileSync(config, readFileSync(config, 'utf8').replace('translation-report: true', 'translation-report: false'))
  const server = await startServe(folder, () => undefined)
  const stream = new EventStream(server.port)
  try {
    const page = async () => (await fetchRaw(server.port, '/lv/meetings.html')).body
    assert.match(await page(), /<a href="translation.html">/)
    assert.match((await fetchRaw(server.port, '/lv/translation.html')).body, /class="translation-report"/)
    assert.doesNotMatch(await page(), /notice-stale/, 'current before the change')
    const since = stream.count
    const source = path.join(folder, 'book', 'en', 'meetings.md')
    writeFileSync(source, changeOneSection(readFileSync(source, 'utf8')))
    await stream.next((event) => event.name === 'reload' && (event.data as string[]).includes('lv/meetings.html'), since, 'lv/meetings.html reload')
    assert.match(await page(), /class="notice notice-stale"/)
  } finally {
    stream.close()
    server.child.kill('SIGKILL')
  }
})

test('stops cleanly on SIGTERM', async () => {
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  assert.equal(await exit, 0)
  assert.match(stderr, /handbook serve: stopped/)
})

test('only files the build reads trigger a rebuild; editor backups and temporary files do not', () => {
  const root = path.join(work, 'book')
  const styles = path.join(work, 'styles')
  const locales = ['en', 'lv', 'de']
  const at = (...parts: string[]) => path.join(root, ...parts)
  assert.deepEqual(classify(at('lv', 'first.md'), root, locales, styles), { kind: 'chapter', locale: 'lv', id: 'first' })
  assert.deepEqual(classify(at('handbook.yaml'), root, locales, styles), { kind: 'book' })
  assert.deepEqual(classify(at('strings', 'lv.yaml'), root, locales, styles), { kind: 'book' })
  assert.deepEqual(classify(at('assets', 'lv', 'map.svg'), root, locales, styles), { kind: 'asset', ref: 'assets/lv/map.svg' })
  assert.deepEqual(classify(path.join(styles, 'web.css'), root, locales, styles), { kind: 'styles' })
  for (const ignored of [at('lv', '.first.md.swp'), at('lv', 'first.md~'), at('lv', 'first.md.tmp-12-1'), at('xx', 'first.md'), at('notes.txt'), path.join(work, 'secret.txt')]) {
    assert.deepEqual(classify(ignored, root, locales, styles), { kind: 'ignore' }, ignored)
  }
})
