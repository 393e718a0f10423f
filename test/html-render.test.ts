// The HTML edition's files: layout per locale, alternates and switcher, fallbacks, links that resolve, fonts, search data.
import assert from 'node:assert/strict'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { runInNewContext } from 'node:vm'
import { coverColors } from '../src/render/cover-design.js'
import { normalizeTerm } from '../src/render/html/normalize.js'
import { tokenize, type SearchData } from '../src/render/html/search.js'
import { bundledEditionsBuild, fixtures, runCli } from './helpers.js'
import { buildSite, pagesOf, walk } from './html-support.js'

const siteBook = path.join(fixtures, 'books', 'html-site')
const site = buildSite(siteBook)
const read = (page: string) => readFileSync(path.join(site, page), 'utf8')
const locales = ['en', 'lv', 'de']
const chapters = ['preface', 'intro', 'basics', 'first', 'second', 'glossary']

/** Attribute values of `name` on the tags `tag` of an HTML text (the renderer always double-quotes). */
function attributes(html: string, tag: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*?\\s${name}="([^"]*)"`, 'g'))].map((match) => decodeEntities(match[1]!))
}

function decodeEntities(value: string): string {
  return value.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/&amp;/g, '&').replace(/&quot;/g, '"')
}

test('the site has a language index, a folder per locale with every chapter, a search index, and shared assets once', () => {
  const files = walk(site).map((file) => path.relative(site, file).split(path.sep).join('/'))
  assert.ok(files.includes('index.html'))
  for (const locale of locales) {
    for (const chapter of [...chapters, 'index']) assert.ok(files.includes(`${locale}/${chapter}.html`), `${locale}/${chapter}.html`)
    assert.ok(files.includes(`${locale}/search-index.js`))
  }
  assert.deepEqual(
    files.filter((file) => !/^(en|lv|de)\//.test(file) && file !== 'index.html'),
    [
      'media/assets/square.svg',
      'static/favicon.svg',
      'static/fonts/noto-sans-LICENSE.txt',
      ...['400-normal', '700-normal'].flatMap((style) => ['latin', 'latin-ext'].map((subset) => `static/fonts/noto-sans-${subset}-${style}.woff2`)),
      'static/fonts/noto-serif-LICENSE.txt',
      ...['400-italic', '400-normal', '700-italic', '700-normal'].flatMap((style) => ['latin', 'latin-ext'].map((subset) => `static/fonts/noto-serif-${subset}-${style}.woff2`)),
      'static/handbook.css',
      'static/handbook.js',
      'static/search-engine.js'
    ].sort()
  )
  const root = read('index.html')
  for (const locale of locales) assert.match(root, new RegExp(`<li lang="${locale}"><a href="${locale}/index.html" hreflang="${locale}">`))
  // The icon is the cover's: its background and its rings, in the cover's colours.
  const icon = read('static/favicon.svg')
  assert.match(icon, new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect [^>]*fill="${coverColors.background}"`))
  for (const color of coverColors.rings) assert.ok(icon.includes(`stroke="${color}"`), color)
  assert.match(root, /<link rel="icon" type="image\/svg\+xml" href="static\/favicon.svg">/)
  for (const locale of locales) assert.match(read(`${locale}/index.html`), /<link rel="icon" type="image\/svg\+xml" href="..\/static\/favicon.svg">/)
})

test('every page declares its alternates and its language switcher leads to the same chapter in every locale', () => {
  for (const locale of locales) {
    for (const chapter of [...chapters, 'index']) {
      const html = read(`${locale}/${chapter}.html`)
      assert.match(html, new RegExp(`^<!doctype html><html lang="${locale}" dir="ltr">`))
      const alternates = [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/g)].map((match) => [match[1], match[2]])
      assert.deepEqual(alternates, locales.map((tag) => [tag, `../${tag}/${chapter}.html`]), `${locale}/${chapter}`)
      const switcher = /<nav class="language-switcher"[^>]*>(.*?)<\/nav>/.exec(html)![1]!
      const links = [...switcher.matchAll(/<a href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)"/g)].map((match) => [match[1], match[2], match[3]])
      assert.deepEqual(links, locales.map((tag) => [tag === locale ? `${chapter}.html` : `../${tag}/${chapter}.html`, tag, tag]))
      assert.match(switcher, new RegExp(`hreflang="${locale}" lang="${locale}" aria-current="true"`))
    }
  }
  // Ids the other locale lacks are listed, so the switcher falls back to the chapter for them.
  const lvFirst = read('lv/first.html')
  // Judged from the lv page alone (issue 13: a page's bytes do not depend on the other locales built): a translated heading's slug differs, an author's id is shared.
  assert.match(lvFirst, /<a href="\.\.\/de\/first\.html" hreflang="de" lang="de" data-missing="first--sīkāk">/)
  assert.match(lvFirst, /<a href="\.\.\/en\/first\.html" hreflang="en" lang="en" data-missing="first--sīkāk">/)
})

test('a fallback chapter shows the localized notice and marks its content, its title in the contents and pager as English', () => {
  const deIntro = read('de/intro.html')
  assert.match(deIntro, /<p class="notice notice-fallback" role="note">Dieses Kapitel ist noch nicht übersetzt \(Deutsch\); es wird im Original \(Englisch\) angezeigt\.<\/p>/)
  assert.match(deIntro, /<article class="chapter chapter-chapter" lang="en"><header class="chapter-header"><p class="chapter-label" lang="de">Kapitel 1<\/p><h1>Introduction<\/h1>/)
  assert.match(deIntro, /<body class="page-chapter page-fallback">/)
  assert.match(deIntro, /<a class="heading-anchor" href="#why-a-book" aria-label="Link zu diesem Abschnitt" lang="de">#<\/a>/)
  const deFirst = read('de/first.html')
  assert.match(deFirst, /<a href="intro\.html" lang="en">1\. Introduction<\/a>/)
  assert.match(deFirst, /<a href="first\.html" aria-current="page">2\. Das erste Kapitel<\/a>/)
  assert.match(deFirst, /<span class="pager-title" lang="en">3\. The second chapter<\/span>/)
  assert.doesNotMatch(deFirst, /notice-fallback/)
  const lvIntro = read('lv/intro.html')
  assert.doesNotMatch(/<main.*<\/main>/s.exec(lvIntro)![0], /lang="en"/, 'a translated chapter and its neighbours in the pager are Latvian')
  assert.match(lvIntro, /<a href="second\.html" lang="en">3\. The second chapter<\/a>/, 'the contents mark the fallback chapter')
  // A fallback chapter's link to an id the translation lacks leads to the source edition.
  assert.match(read('de/second.html'), /<a href="\.\.\/en\/first\.html#tab-roles" class="xref xref-table" hreflang="en">Table 2\.1<\/a>/)
})

test('section headings carry a visible link to themselves; glossary and contents pages use their templates', () => {
  const lvFirst = read('lv/first.html')
  for (const id of attributes(lvFirst, 'h2', 'id').filter((id) => !id.endsWith('footnote-label'))) {
    assert.ok(lvFirst.includes(`<a class="heading-anchor" href="#${id}" aria-label="Saite uz šo sadaļu">#</a></h2>`), id)
  }
  // A table that scrolls sideways on a narrow screen can be reached and scrolled with the keyboard.
  assert.match(lvFirst, /<div class="table-float" tabindex="0" role="region" aria-label="2\.1\. tabula Lomas un vajadzības">/)
  const glossary = read('lv/glossary.html')
  assert.match(glossary, /<body class="page-chapter page-glossary">/)
  assert.match(glossary, /<dl class="glossary"><dt id="term-stakeholder">Ieinteresētā puse<\/dt>/)
  const contents = read('lv/index.html')
  assert.match(contents, /<body class="page-contents">/)
  assert.match(contents, /<h1 class="cover-title">Vietnes paraugs<\/h1><p class="cover-subtitle">Grāmata HTML izdevuma pārbaudei<\/p>/)
  assert.match(contents, /<p class="funding" lang="en">Funded by nobody in particular\.<\/p>/)
  assert.doesNotMatch(contents, /<nav class="toc"/, 'the contents page lists the contents in its main part, not twice')
})

test('every local link and image of the bundled handbook and the fixture resolves to a file, and every #fragment to an id', async () => {
  for (const folder of [site, path.join((await bundledEditionsBuild()).out, 'html')]) {
    const ids = new Map<string, Set<string>>()
    const idsOf = (file: string) => {
      let set = ids.get(file)
      if (!set) ids.set(file, (set = new Set(attributes(readFileSync(file, 'utf8'), '[a-z0-9]+', 'id'))))
      return set
    }
    let checked = 0
    for (const page of pagesOf(folder)) {
      const html = readFileSync(page, 'utf8')
      for (const link of [...attributes(html, '[a-z]+', 'href'), ...attributes(html, '(?:img|script)', 'src')]) {
        assert.doesNotMatch(link, /^(\/|file:|\/\/)/, `${page}: ${link} is relative`)
        if (/^(https?|mailto|tel):/.test(link)) continue
        const [file, fragment] = link.split('#') as [string, string | undefined]
        const target = file === '' ? page : path.resolve(path.dirname(page), decodeURIComponent(file))
        // The download links reach the PDF and EPUB beside the site, in the same --out (and release zip).
        const editions = ['pdf', 'epub'].map((format) => path.join(path.dirname(folder), format) + path.sep)
        assert.ok(target.startsWith(folder + path.sep) || editions.some((edition) => target.startsWith(edition)), `${page}: ${link} stays inside the site or its editions`)
        assert.ok(existsSync(target), `${path.relative(folder, page)}: ${link} exists`)
        if (fragment) assert.ok(idsOf(target).has(decodeURIComponent(fragment)), `${path.relative(folder, page)}: ${link} has its id`)
        checked++
      }
    }
    assert.ok(checked > 100, `checked ${checked} links`)
  }
})

test('the stylesheet ships its fonts: every url() is a file next to it, none is remote', () => {
  const css = read('static/handbook.css')
  const urls = [...css.matchAll(/url\("?([^")]+)"?\)/g)].map((match) => match[1]!)
  assert.equal(urls.length, 12)
  for (const url of urls) {
    assert.doesNotMatch(url, /^(https?:)?\/\//)
    assert.ok(existsSync(path.join(site, 'static', url)), url)
  }
  assert.match(css, /@media \(prefers-color-scheme: dark\)/)
  assert.match(css, /@media print/)
  assert.doesNotMatch(css, /@import/)
})

interface SearchEngine {
  normalize(term: string): string
  tokenize(text: string): string[]
  search(data: SearchData, query: string, limit?: number): { id: number; score: number; terms: string[] }[]
}

/** The browser's search engine, run in Node: it sets `HandbookSearch` on the global object it is given. */
function browserEngine(): SearchEngine {
  const context: { HandbookSearch?: SearchEngine } = {}
  runInNewContext(readFileSync(path.join(site, 'static', 'search-engine.js'), 'utf8'), context)
  return context.HandbookSearch!
}

/** A locale's search data, from its script. */
function searchDataOf(locale: string): SearchData {
  const context: { window: { handbookSearch?: SearchData } } = { window: {} }
  runInNewContext(read(`${locale}/search-index.js`), context)
  return JSON.parse(JSON.stringify(context.window.handbookSearch)) as SearchData
}

test('the browser folds and splits search words exactly as the build does', () => {
  const engine = browserEngine()
  const samples = ['Latvijā', 'LATVIJA', 'Mūžizglītības', 'Straße', 'Ærø', 'Øresund', 'Ő és ű', 'Perché', 'città', 'Ģirts Ķiploks', 'ıstanbul', 'Œuvre', 'Łódź', 'don’t', '2012–2014', '„divas”']
  for (const sample of samples) {
    assert.equal(engine.normalize(sample), normalizeTerm(sample), sample)
    assert.deepEqual([...engine.tokenize(sample)], tokenize(sample), sample)
  }
  assert.equal(normalizeTerm('Latvijā'), 'latvija')
  assert.equal(normalizeTerm('Straße'), 'strasse')
})

test('search finds sections without diacritics, by the start of a word or with a typo, and names their chapter', () => {
  const engine = browserEngine()
  const data = searchDataOf('lv')
  const find = (query: string) => [...engine.search(data, query)].map((hit) => ({ document: data.documents[hit.id]!, terms: [...hit.terms] }))
  const latvija = find('latvija')
  assert.ok(latvija.some(({ document: [chapter, anchor, , text] }) => chapter === 'intro' && anchor === 'why-a-book' && text.includes('Latvijā')), JSON.stringify(latvija))
  assert.ok(latvija.every(({ terms }) => terms.every((term) => term.startsWith('latvij'))))
  assert.equal(data.chapters.intro!.label, '1. Ievads')
  assert.ok(find('PAŠVALDĪBA').some(({ document: [chapter, anchor] }) => chapter === 'glossary' && anchor === 'term-municipality'))
  assert.ok(find('pasvaldiba').some(({ document: [chapter, anchor] }) => chapter === 'glossary' && anchor === 'term-municipality'))
  assert.ok(find('Latvjias').length > 0, 'one swapped pair of letters is forgiven in long words')
  assert.deepEqual(find('latvija ungarijas').map(({ document: [chapter, anchor] }) => `${chapter}#${anchor}`), ['intro#why-a-book'], 'every word must match')
  assert.deepEqual(find('zzzz'), [])
  // Fallback chapters are searched in the language they are shown in, and say so.
  assert.deepEqual(searchDataOf('de').chapters.intro, { label: '1. Introduction', lang: 'en' })
  assert.ok(engine.search(searchDataOf('de'), 'riga').length > 0)
})

test('a missing alt text is a check warning, and the image is rendered as decorative', (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'handbook-alt-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  cpSync(siteBook, root, { recursive: true })
  writeFileSync(path.join(root, 'en', 'second.md'), '---\ntitle: The second chapter\n---\n\n## Going further {#going-further}\n\n![](../assets/square.svg)\n')
  const check = runCli(['check', '--root', root, '--json'])
  assert.equal(check.code, 0, check.stderr)
  const messages = (JSON.parse(check.stdout) as { messages: { file: string; line: number; column: number; ruleId: string; severity: string }[] }).messages
  const alt = messages.find((message) => message.ruleId === 'image-alt-missing')
  assert.ok(alt, check.stdout)
  assert.deepEqual([alt.severity, alt.line, alt.column], ['warning', 7, 1])
  assert.match(alt.file, /en\/second\.md$/)
  const built = buildSite(root)
  assert.match(readFileSync(path.join(built, 'en', 'second.html'), 'utf8'), /<img src="\.\.\/media\/assets\/square\.svg" alt="" loading="lazy">/)
})

test('two builds of the same book give the same bytes', () => {
  const again = buildSite(siteBook)
  const files = walk(site).map((file) => path.relative(site, file))
  assert.deepEqual(walk(again).map((file) => path.relative(again, file)), files)
  for (const file of files) assert.ok(readFileSync(path.join(site, file)).equals(readFileSync(path.join(again, file))), file)
})
