// The HTML site's links beyond itself: the locale's PDF and EPUB with their sizes, and "edit this page" from editions.edit-url.
import assert from 'node:assert/strict'
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { VFile } from 'vfile'
import { parseConfig } from '../src/config/load.js'
import { PreviewSite } from '../src/serve/site.js'
import { fixtures, runCli, temporaryFolder } from './helpers.js'
import { fileUrl, startBrowser, walk, type TestBrowser } from './html-support.js'

const editUrl = 'https://example.org/edit/main/handbook/{path}'

/** The html-site fixture (lv lacks `second`, de has only `first`) with an edit-url in its config. */
function bookWithEditUrl(): string {
  const root = path.join(temporaryFolder('handbook-links-book-'), 'book')
  cpSync(path.join(fixtures, 'books', 'html-site'), root, { recursive: true })
  const config = path.join(root, 'handbook.yaml')
  writeFileSync(config, `${readFileSync(config, 'utf8').trimEnd()}\neditions:\n  edit-url: "${editUrl}"\n`)
  return root
}

/** A size as the test expects it, worked out apart from the code under test: decimal units, one decimal below 10. */
function expectedSize(bytes: number, tag: string): string {
  const [value, unit] = bytes >= 1e6 ? [bytes / 1e6, 'MB'] : [bytes / 1e3, 'kB']
  const number = new Intl.NumberFormat(tag, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)
  return `${number} ${unit}`
}

/** The links of the `downloads` paragraph of a page: [href, text]. */
function downloadsOf(html: string): [string, string][] {
  const paragraph = /<p class="downloads[^"]*">(.*?)<\/p>/.exec(html)?.[1]
  if (!paragraph) return []
  return [...paragraph.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((match) => [match[1]!, match[2]!])
}

function onlyFile(folder: string, extension: string, tag: string): string {
  const name = readdirSync(folder).find((entry) => entry.endsWith(`-${tag}.${extension}`))
  assert.ok(name, `no ${extension} of ${tag} in ${folder}`)
  return path.join(folder, name)
}

describe('site links to the PDF and EPUB of its locale, and to the file to edit', () => {
  let root: string
  let out: string

  before(() => {
    root = bookWithEditUrl()
    out = temporaryFolder('handbook-links-out-')
    const result = runCli(['build', '--root', root, '--locale', 'lv,de', '--format', 'html,epub,pdf', '--out', out, '--quiet'])
    assert.equal(result.code, 0, result.stderr)
  })

  test('every page of lv and de links the PDF and EPUB this build wrote, with their size on disk in the locale\'s number format', () => {
    for (const [tag, label] of [
      ['lv', 'Lejupielādēt:'],
      ['de', 'Herunterladen:']
    ] as const) {
      const pdf = onlyFile(path.join(out, 'pdf'), 'pdf', tag)
      const epub = onlyFile(path.join(out, 'epub'), 'epub', tag)
      const expected: [string, string][] = [
        [`../../pdf/${path.basename(pdf)}`, `PDF, ${expectedSize(statSync(pdf).size, tag)}`],
        [`../../epub/${path.basename(epub)}`, `EPUB, ${expectedSize(statSync(epub).size, tag)}`]
      ]
      const pages = walk(path.join(out, 'html', tag)).filter((file) => file.endsWith('.html'))
      assert.ok(pages.length >= 6, `${tag}: ${pages.length} pages`)
      for (const page of pages) {
        const html = readFileSync(page, 'utf8')
        assert.deepEqual(downloadsOf(html), expected, page)
        assert.ok(html.includes(`<span class="downloads-label">${label}</span>`), page)
      }
      // The contents page has them under the cover, the other pages in the footer.
      assert.match(readFileSync(path.join(out, 'html', tag, 'index.html'), 'utf8'), /<\/header><p class="downloads downloads-cover">/)
      assert.match(readFileSync(path.join(out, 'html', tag, 'first.html'), 'utf8'), /<footer class="site-footer">.*<p class="downloads">/s)
      // A decimal comma in both languages: "1,3 MB", never "1.3 MB".
      assert.ok(!expected.some(([, text]) => /\d\.\d/.test(text)), JSON.stringify(expected))
    }
  })

  test('edit links: a translated page names its translation, a page shown from the source names the source file', () => {
    const editOf = (page: string) => /<p class="edit-page"><a href="([^"]+)"(?: hreflang="([^"]+)")?/.exec(readFileSync(path.join(out, 'html', page), 'utf8'))
    assert.equal(editOf('lv/first.html')?.[1], 'https://example.org/edit/main/handbook/lv/first.md')
    assert.equal(editOf('lv/first.html')?.[2], undefined)
    assert.equal(editOf('lv/second.html')?.[1], 'https://example.org/edit/main/handbook/en/second.md')
    assert.equal(editOf('lv/second.html')?.[2], 'en')
    assert.equal(editOf('de/intro.html')?.[1], 'https://example.org/edit/main/handbook/en/intro.md')
    assert.equal(editOf('de/first.html')?.[1], 'https://example.org/edit/main/handbook/de/first.md')
    assert.match(readFileSync(path.join(out, 'html', 'de', 'first.html'), 'utf8'), />Diese Seite bearbeiten<\/a>/)
    // Not on the contents page: it is no file of the book.
    assert.doesNotMatch(readFileSync(path.join(out, 'html', 'lv', 'index.html'), 'utf8'), /edit-page/)
  })

  test('an HTML-only build links the files an earlier build left in --out, byte for byte the same pages; into an empty folder it links none', () => {
    const before = new Map(walk(path.join(out, 'html')).map((file) => [file, readFileSync(file)]))
    const again = runCli(['build', '--root', root, '--locale', 'lv,de', '--format', 'html', '--out', out, '--quiet', '--no-cache'])
    assert.equal(again.code, 0, again.stderr)
    for (const [file, data] of before) assert.ok(readFileSync(file).equals(data), `${file} changed`)

    const fresh = temporaryFolder('handbook-links-fresh-')
    const alone = runCli(['build', '--root', root, '--locale', 'lv', '--format', 'html', '--out', fresh, '--quiet'])
    assert.equal(alone.code, 0, alone.stderr)
    for (const page of walk(path.join(fresh, 'html', 'lv')).filter((file) => file.endsWith('.html'))) {
      assert.deepEqual(downloadsOf(readFileSync(page, 'utf8')), [], page)
    }
  })

  test('the preview links the PDF and EPUB it makes on request', async () => {
    const site = new PreviewSite({ root, out: temporaryFolder('handbook-links-serve-'), locales: ['lv'] })
    const started = await site.start()
    assert.equal(started.configFailed, false)
    const html = readFileSync(path.join(site.folder, 'lv', 'first.html'), 'utf8')
    assert.deepEqual(downloadsOf(html), [
      ['/__handbook/editions/lv.pdf', 'PDF'],
      ['/__handbook/editions/lv.epub', 'EPUB']
    ])
  })

  describe('in a browser', () => {
    let browser: TestBrowser
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
    before(async () => {
      browser = await startBrowser()
    })
    after(async () => {
      await browser?.close()
    })

    test('links have their format and size as accessible name, a visible focus, and no sideways scroll at 320 px; axe finds nothing serious', async () => {
      const { page } = await browser.open()
      const shots = process.env.HANDBOOK_SHOTS
      for (const name of ['lv/index.html', 'lv/second.html', 'de/first.html']) {
        for (const width of [1280, 320]) {
          await page.setViewport({ width, height: 900 })
          await page.goto(fileUrl(path.join(out, 'html'), name), { waitUntil: 'load' })
          await page.waitForFunction('document.fonts.status === "loaded"')
          const names = (await page.$$eval('.downloads a', (links) =>
            links.map((link) => (link as unknown as { innerText: string }).innerText.trim())
          )) as string[]
          assert.equal(names.length, 2, name)
          assert.match(names[0]!, /^PDF, [\d,]+\s(MB|kB)$/, name)
          assert.match(names[1]!, /^EPUB, [\d,]+\s(MB|kB)$/, name)
          // The file each link leads to is there.
          for (const href of (await page.$$eval('.downloads a', (links) => links.map((link) => (link as unknown as { href: string }).href))) as string[]) {
            assert.ok(statSync(new URL(href)).size > 0, href)
          }
          const sideways = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number
          assert.equal(sideways, 0, `${name} at ${width} px scrolls sideways by ${sideways} px`)
          await page.focus('.downloads a')
          await page.keyboard.press('Tab')
          await page.keyboard.down('Shift')
          await page.keyboard.press('Tab')
          await page.keyboard.up('Shift')
          const outline = (await page.evaluate(
            "(() => { const style = getComputedStyle(document.activeElement); return [document.activeElement.className + document.activeElement.textContent, style.outlineStyle, style.outlineWidth] })()"
          )) as string[]
          assert.match(outline[0]!, /^PDF/, name)
          assert.notEqual(outline[1], 'none', `${name}: no focus outline`)
          await page.evaluate(axeSource)
          const result = (await page.evaluate(
            "axe.run(document, { preload: false, runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] })"
          )) as { violations: { id: string; impact: string | null }[] }
          const grave = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          assert.deepEqual(grave.map((violation) => violation.id), [], `${name} at ${width} px`)
          if (shots) await page.screenshot({ path: path.join(shots, `${name.replace('/', '-')}-${width}.png`) as `${string}.png`, fullPage: true })
        }
      }
      await page.close()
    })
  })
})

describe('editions.edit-url is checked', () => {
  const check = (template: string) => {
    const file = new VFile({ path: 'handbook.yaml' })
    const text = [
      'book:',
      '  id: t',
      '  title: T',
      '  authors: [{ name: A }]',
      '  license: { name: CC0-1.0 }',
      'source-locale: en',
      'locales: [{ tag: en, label: English }]',
      'contents: { body: [a] }',
      'editions:',
      `  edit-url: "${template}"`,
      ''
    ].join('\n')
    const { config } = parseConfig(text, file)
    return { config, messages: file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.reason}`) }
  }

  test('an unknown placeholder is an error at its line and column, with a did-you-mean', () => {
    const { config, messages } = check('https://example.org/edit/{pth}/x/{branch}')
    assert.equal(config, undefined)
    assert.equal(messages.length, 2, messages.join('\n'))
    // Line 10 is `  edit-url: "https://example.org/edit/{pth}/x/{branch}"`; `{pth}` starts at column 39.
    assert.match(messages[0]!, /^10:39 config-edit-url-placeholder Unknown placeholder `\{pth\}`.*did you mean `\{path\}`/)
    assert.match(messages[1]!, /^10:47 config-edit-url-placeholder Unknown placeholder `\{branch\}`/)
    assert.doesNotMatch(messages[1]!, /did you mean/)
  })

  test('a URL that is not http or https is an error; a valid template loads', () => {
    const ftp = check('ftp://example.org/{path}')
    assert.equal(ftp.config, undefined)
    assert.ok(ftp.messages.some((message) => /^10:\d+ .*http or https/.test(message)), ftp.messages.join('\n'))
    const good = check(editUrl)
    assert.deepEqual(good.messages, [])
    assert.equal(good.config?.editions['edit-url'], editUrl)
  })
})
