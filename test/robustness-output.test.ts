// The editions built from hostile content (issue #9): the clean locale is written in every format, the
// broken one is not; no output runs code, loads a remote resource or carries a file from outside the handbook.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Element, Nodes, Root } from 'hast'
import JSZip from 'jszip'
import rehypeRaw from 'rehype-raw'
import { VFile } from 'vfile'
import { epubcheck, runCli } from './helpers.js'
import { prepareHostileBook, secret } from './robustness-support.js'


interface JsonMessage {
  file: string
  severity: 'error' | 'warning'
  ruleId: string
  message: string
}

interface BuildReport {
  exitCode: number
  editions: { locale: string; format: string; status: string }[]
  artifacts: { locale: string | null; format: string; path: string }[]
  messages: JsonMessage[]
}

let book: { root: string; outside: string }
let out: string
let report: BuildReport
/** Every output file by its path in the output folder; EPUB entries as `<epub>!<entry>`. */
const outputs = new Map<string, Buffer>()

before(async () => {
  book = prepareHostileBook()
  out = mkdtempSync(path.join(tmpdir(), 'handbook-hostile-out-'))
  const result = runCli(['build', '--root', book.root, '--format', 'html,epub,pdf', '--out', out, '--json'], { env: { SOURCE_DATE_EPOCH: '1700000000' } })
  assert.ok(result.stdout, result.stderr)
  report = JSON.parse(result.stdout) as BuildReport
  for (const file of walk(out)) {
    const relative = path.relative(out, file).split(path.sep).join('/')
    // The parsed chapters the next build reuses hold the source as written: a cache, never published.
    if (relative.startsWith('.handbook-parsed/')) continue
    const data = readFileSync(file)
    outputs.set(relative, data)
    if (file.endsWith('.epub')) {
      const zip = await JSZip.loadAsync(data)
      for (const entry of Object.values(zip.files)) if (!entry.dir) outputs.set(`${relative}!${entry.name}`, await entry.async('nodebuffer'))
    }
  }
})

after(() => {
  rmSync(book.outside, { recursive: true, force: true })
  rmSync(out, { recursive: true, force: true })
})

function walk(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(directory, entry.name)) : [path.join(directory, entry.name)]
  )
}

test('the English edition is written in every format, the broken Latvian one in none, and nothing crashed', () => {
  assert.equal(report.exitCode, 1)
  const status = (locale: string) => report.editions.filter((edition) => edition.locale === locale).map((edition) => `${edition.format}:${edition.status}`).sort()
  assert.deepEqual(status('en'), ['epub:written', 'html:written', 'pdf:written'])
  assert.deepEqual(status('lv'), ['epub:failed', 'html:failed', 'pdf:failed'])
  assert.ok(report.artifacts.some((artifact) => artifact.path === 'html/en/good.html'))
  assert.ok(!report.artifacts.some((artifact) => artifact.locale === 'lv'))
  const rendering = report.messages.filter((message) => /^(render|pdf|epub|html|browser)-/.test(message.ruleId) && !message.ruleId.startsWith('html-element') && !message.ruleId.startsWith('html-attribute'))
  assert.deepEqual(rendering, [], 'no render failure, blocked request, page error or retry')
})

test('no output carries a file from outside the handbook or names the hostile hosts', () => {
  const pdfText = [...outputs].filter(([name]) => name.endsWith('.pdf')).map(([, data]) => pdfToText(data)).join('\n')
  assert.match(pdfText, /A good chapter/)
  assert.match(pdfText, /The EU funds it/)
  for (const [name, data] of [...outputs, ['pdf text', Buffer.from(pdfText)] as const]) {
    const text = data.toString('latin1')
    assert.ok(!text.includes(secret), `${name} carries the file outside the handbook`)
    assert.ok(!text.includes('evil.example'), `${name} names a hostile host`)
    assert.ok(!/root:x:0:0/.test(text), `${name} carries /etc/passwd`)
  }
})

test('the page scanner itself finds every kind of problem it looks for', () => {
  const bad = '<p onclick="x()"><a href="javascript:x()">a</a><img src="https://evil.example/x.png"></p><iframe></iframe>' +
    '<script>alert(1)</script><link rel="stylesheet" href="//evil.example/a.css"><span style="background:url(https://e.example/x)">s</span>'
  assert.deepEqual(pageProblems(parseHtml(bad)).sort(), [
    '<iframe>',
    '<script src="">',
    'href="javascript:x()" on <a>',
    'onClick on <p>',
    'remote <link href="//evil.example/a.css">',
    'remote src on <img>',
    'remote style on <span>'
  ])
})

test('no HTML or XHTML page has a script of the content, an event handler, an embedded document or a remote resource', () => {
  const pages = [...outputs].filter(([name]) => /\.(x?html)$/.test(name))
  assert.ok(pages.length > 40, `${pages.length} pages`)
  for (const [name, data] of pages) {
    const problems = pageProblems(parseHtml(data.toString('utf8')))
    assert.deepEqual(problems, [], name)
  }
  const raw = outputs.get('html/en/raw-html.html')!.toString('utf8')
  assert.match(raw, /<abbr title="European Union">EU<\/abbr>/)
  const epubRaw = [...outputs].find(([name]) => name.endsWith('!OEBPS/raw-html.xhtml'))![1].toString('utf8')
  assert.match(epubRaw, /<abbr title="European Union">EU<\/abbr>/)
})

test('no style sheet imports or loads anything remote', () => {
  for (const [name, data] of outputs) {
    if (!name.endsWith('.css')) continue
    const css = data.toString('utf8')
    for (const match of css.matchAll(/(?:url\(\s*["']?|@import\s+["'])([^"')]*)/g)) {
      assert.ok(!isRemote(match[1]!), `${name} loads ${match[1]}`)
    }
  }
})

test('the hostile config values are text in every format: titles and authors never become markup', () => {
  for (const [name, data] of outputs) {
    if (!/\.(x?html|opf|ncx)$/.test(name)) continue
    const text = data.toString('utf8')
    assert.doesNotMatch(text, /<script>alert\("title"\)/, name)
    assert.doesNotMatch(text, /<img src=x onerror/, name)
  }
})

test('EPUBCheck accepts the English EPUB built from hostile content', async () => {
  const epub = report.artifacts.find((artifact) => artifact.format === 'epub' && artifact.locale === 'en')!
  const [result] = await epubcheck(path.join(out, epub.path))
  assert.deepEqual(result!.messages.filter((message) => /^(ERROR|FATAL) /.test(message)), [])
})

/** Parse an HTML or XHTML page the way a browser would. */
function parseHtml(html: string): Root {
  return rehypeRaw()({ type: 'root', children: [{ type: 'raw', value: html }] }, new VFile())
}

const embedding = new Set(['iframe', 'object', 'embed', 'applet', 'frame', 'frameset', 'base', 'portal'])
const resourceProperties = ['src', 'srcSet', 'poster', 'data', 'xLinkHref', 'background']

/** What a page must not contain: content scripts, handlers, script URLs, embedded documents, remote resources. */
function pageProblems(tree: Root): string[] {
  const problems: string[] = []
  const stack: Nodes[] = [tree]
  while (stack.length > 0) {
    const node = stack.pop()!
    if ('children' in node) stack.push(...node.children)
    if (node.type !== 'element') continue
    const element = node as Element
    const name = element.tagName
    const properties = element.properties
    if (embedding.has(name)) problems.push(`<${name}>`)
    if (name === 'meta' && properties.httpEquiv !== undefined) problems.push('<meta http-equiv>')
    if (name === 'script') {
      // The HTML edition's own scripts are files next to the pages; content never adds one.
      const src = String(properties.src ?? '')
      if (src === '' || isRemote(src)) problems.push(`<script src="${src}">`)
    }
    if (name === 'style') {
      const css = element.children.map((child) => ('value' in child ? child.value : '')).join('')
      if (/@import|url\(\s*["']?(?:https?:)?\/\//i.test(css)) problems.push('<style> loading a resource')
    }
    for (const [key, value] of Object.entries(properties)) {
      const text = Array.isArray(value) ? value.join(' ') : String(value)
      if (/^on/i.test(key)) problems.push(`${key} on <${name}>`)
      if (/^\s*(?:javascript|vbscript):|^\s*data:text\/html/i.test(text)) problems.push(`${key}="${text}" on <${name}>`)
      if (resourceProperties.includes(key) && text.split(/[\s,]+/).some(isRemote)) problems.push(`remote ${key} on <${name}>`)
      if (name === 'link' && key === 'href' && isRemote(text) && !/alternate|license|canonical/.test(String(properties.rel ?? ''))) problems.push(`remote <link href="${text}">`)
      if (key === 'style' && /url\(\s*["']?(?:https?:)?\/\//i.test(text)) problems.push(`remote style on <${name}>`)
    }
  }
  return problems
}

function isRemote(url: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url.trim()) && !/^file:/i.test(url.trim())
}

function pdfToText(data: Buffer): string {
  return execFileSync('pdftotext', ['-', '-'], { input: data, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
}
