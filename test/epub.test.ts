// The EPUB edition with the real tools: EPUBCheck on every locale of the bundled handbook (DAISY Ace: a11y-ace.test.ts),
// byte-identical rebuilds, and the Latvian EPUB opened and followed link by link.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import JSZip from 'jszip'
import { loadBook } from '../src/model/build.js'
import { closeSharedBrowser } from '../src/render/chromium.js'
import { epubPath, renderEpub } from '../src/render/epub.js'
import { chapterFile } from '../src/render/epub/chapter.js'
import { editionIdentifier } from '../src/render/epub/metadata.js'
import { bundledEditionsBuild, bundledHandbook, epubcheck, fixtures, runCli, sharedEpoch } from './helpers.js'

const epoch = '1700000000'
const edges = path.join(fixtures, 'books', 'epub-edges')

interface Artifact {
  locale: string
  format: string
  path: string
  sha256: string
}

interface Message {
  ruleId: string
  message: string
}

/** Build the EPUBs of `root` into a new folder; returns the folder, the artifacts and the messages. */
function buildEpubs(root: string, extra: string[] = [], sourceDate = epoch): { out: string; artifacts: Artifact[]; messages: Message[] } {
  const out = mkdtempSync(path.join(tmpdir(), 'handbook-epub-'))
  const result = runCli(['build', '--root', root, '--format', 'epub', '--out', out, '--json', ...extra], { env: { SOURCE_DATE_EPOCH: sourceDate } })
  assert.equal(result.code, 0, result.stderr + result.stdout)
  const report = JSON.parse(result.stdout) as { artifacts: Artifact[]; messages: Message[] }
  return { out, artifacts: report.artifacts, messages: report.messages }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

function decode(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

function idsOf(xhtml: string): Set<string> {
  return new Set([...xhtml.matchAll(/\sid="([^"]+)"/g)].map((match) => decode(match[1]!)))
}

/** The content documents of an EPUB, by path relative to the package document. */
async function openEpub(file: string): Promise<{ zip: JSZip; opf: string; documents: Map<string, string> }> {
  const zip = await JSZip.loadAsync(readFileSync(file))
  const container = await zip.file('META-INF/container.xml')!.async('string')
  const opfPath = /full-path="([^"]+)"/.exec(container)![1]!
  const opf = await zip.file(opfPath)!.async('string')
  const base = path.posix.dirname(opfPath)
  const documents = new Map<string, string>()
  for (const match of opf.matchAll(/<item [^>]*href="([^"]+)"[^>]*media-type="application\/xhtml\+xml"/g)) {
    documents.set(match[1]!, await zip.file(`${base}/${match[1]}`)!.async('string'))
  }
  return { zip, opf, documents }
}

/** Every in-book link of every content document that does not land on an existing file and id. */
function brokenLinks(documents: ReadonlyMap<string, string>): string[] {
  const ids = new Map([...documents].map(([name, xhtml]) => [name, idsOf(xhtml)]))
  const broken: string[] = []
  for (const [name, xhtml] of documents) {
    for (const match of xhtml.matchAll(/<a [^>]*href="([^"]+)"/g)) {
      const href = decode(match[1]!)
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue
      const [file, fragment] = href.split('#') as [string, string | undefined]
      const target = file === '' ? name : file
      if (!ids.has(target)) broken.push(`${name}: ${href} (no file ${target})`)
      else if (fragment !== undefined && !ids.get(target)!.has(fragment)) broken.push(`${name}: ${href} (no id ${fragment})`)
    }
  }
  return broken
}

describe('the EPUB edition of the bundled handbook', () => {
  let first: { out: string; artifacts: Artifact[] }
  const folders: string[] = []

  before(async () => {
    // The shared build of every format: its EPUBs must be the bytes an EPUB-only build gives.
    const shared = await bundledEditionsBuild()
    first = { out: shared.out, artifacts: shared.summary.artifacts.filter((artifact) => artifact.format === 'epub') as Artifact[] }
  })
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true })
  })

  // A second whole build is byte-identical, EPUBs included: release.test.ts compares one from a copy of the book with the shared build.
  test('one EPUB per locale, and an EPUB-only build of one locale is byte-identical to it', () => {
    const config = readFileSync(path.join(bundledHandbook, 'handbook.yaml'), 'utf8')
    const version = /^ {2}version: (\S+)$/m.exec(config)![1]
    const locales = [...config.matchAll(/^ {2}- tag: (\S+)$/gm)].map((match) => match[1]!)
    assert.equal(locales.length, 6)
    assert.deepEqual(
      first.artifacts.map((artifact) => artifact.path).sort(),
      locales.map((locale) => `epub/ready-for-europe-${version}-${locale}.epub`).sort()
    )
    // A CI matrix builds one locale per runner: the result must not depend on the other locales or formats.
    const alone = buildEpubs(bundledHandbook, ['--locale', 'lv'], sharedEpoch)
    folders.push(alone.out)
    assert.deepEqual(alone.artifacts.map((artifact) => [artifact.path, artifact.sha256]), first.artifacts.filter((artifact) => artifact.locale === 'lv').map((artifact) => [artifact.path, artifact.sha256]))
    const [lv] = alone.artifacts
    assert.equal(sha256(path.join(alone.out, lv!.path)), sha256(path.join(first.out, lv!.path)))
  })

  test('EPUBCheck: 0 fatal errors, 0 errors and 0 warnings in every locale', async (t) => {
    const results = await epubcheck(...first.artifacts.map((artifact) => path.join(first.out, artifact.path)))
    first.artifacts.forEach((artifact, index) => {
      const result = results[index]!
      t.diagnostic(`${artifact.locale}: ${result.fatals} fatal / ${result.errors} errors / ${result.warnings} warnings`)
      assert.deepEqual(
        { locale: artifact.locale, fatals: result.fatals, errors: result.errors, warnings: result.warnings },
        { locale: artifact.locale, fatals: 0, errors: 0, warnings: 0 },
        result.messages.join('\n')
      )
    })
  })

  test('the Latvian EPUB: language, cover image, every chapter in the nav in order, notes and cross-references that resolve', async () => {
    const lv = first.artifacts.find((artifact) => artifact.locale === 'lv')!
    const { zip, opf, documents } = await openEpub(path.join(first.out, lv.path))
    assert.match(opf, /<dc:language>lv<\/dc:language>/)
    assert.match(opf, new RegExp(`<dc:identifier id="book-id">${editionIdentifier('urn:ready-for-europe:age-handbook', 'lv')}</dc:identifier>`))
    assert.match(opf, /<meta property="dcterms:modified">2014-07-31T00:00:00Z<\/meta>/)

    const cover = /<item id="([^"]+)" href="([^"]+)" media-type="image\/png" properties="cover-image" \/>/.exec(opf)
    assert.ok(cover, 'a manifest item with properties="cover-image"')
    assert.match(opf, new RegExp(`<meta name="cover" content="${cover[1]}" />`))
    const png = await zip.file(`OEBPS/${cover[2]}`)!.async('nodebuffer')
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')])

    const { book } = await loadBook({ root: bundledHandbook, locales: ['lv'] })
    const edition = book!.editions.find((candidate) => candidate.locale.tag === 'lv')!
    const nav = documents.get('toc.xhtml')!
    const toc = /<nav epub:type="toc"[\s\S]*?<\/nav>/.exec(nav)![0]
    const entries = [...toc.matchAll(/<a href="([^"#]+)"[^>]*>([^<]*)<\/a>/g)].map((match) => ({ href: match[1], label: decode(match[2]!) }))
    assert.deepEqual(
      entries.map((entry) => entry.href),
      edition.chapters.map((chapter) => chapterFile(chapter.id)),
      'every chapter, in reading order'
    )
    edition.chapters.forEach((chapter, index) => {
      assert.ok(!chapter.isFallback, `${chapter.id} is translated into Latvian`)
      assert.ok(entries[index]!.label.endsWith(chapter.title), `${entries[index]!.label} ends with ${chapter.title}`)
    })
    assert.match(nav, /<nav epub:type="landmarks"/)

    // A footnote reference leads to an EPUB 3 footnote, whose back-link leads back.
    const [noteFile, noteXhtml] = [...documents].find(([, xhtml]) => xhtml.includes('epub:type="noteref"'))!
    const noteref = /<a href="#([^"]+)" id="([^"]+)"[^>]*epub:type="noteref"/.exec(noteXhtml)!
    const note = new RegExp(`<aside [^>]*id="${noteref[1]}" epub:type="footnote" role="doc-footnote">([\\s\\S]*?)</aside>`).exec(noteXhtml)
    assert.ok(note, `${noteFile}: the footnote ${noteref[1]}`)
    assert.match(note[1]!, new RegExp(`<a href="#${noteref[2]}"[^>]*role="doc-backlink"`))

    // A cross-reference into another chapter file lands on an existing id there.
    const crossing = [...documents].flatMap(([name, xhtml]) =>
      [...xhtml.matchAll(/<a href="([^"#]+\.xhtml)#([^"]+)" class="xref[^"]*"/g)].filter((match) => match[1] !== name).map((match) => ({ from: name, file: match[1]!, id: match[2]! }))
    )
    assert.ok(crossing.length > 0, 'a cross-reference into another chapter file')
    for (const link of crossing) assert.ok(idsOf(documents.get(link.file) ?? '').has(link.id), `${link.from} -> ${link.file}#${link.id}`)
    assert.deepEqual(brokenLinks(documents), [])
  })
})

describe('the EPUB edition of a book of edge cases', () => {
  let build: ReturnType<typeof buildEpubs>
  before(() => {
    build = buildEpubs(edges)
  })
  after(async () => {
    rmSync(build.out, { recursive: true, force: true })
    await closeSharedBrowser()
  })

  test('EPUBCheck passes the translation, with its fallback chapter, without a warning', async () => {
    const lv = build.artifacts.find((artifact) => artifact.locale === 'lv')!
    const [result] = await epubcheck(path.join(build.out, lv.path))
    assert.deepEqual([result!.fatals, result!.errors, result!.warnings], [0, 0, 0], result!.messages.join('\n'))
  })

  test('fallback chapters keep their language, and links to terms the translation lacks keep only their words', async () => {
    const lv = build.artifacts.find((artifact) => artifact.locale === 'lv')!
    const { opf, documents } = await openEpub(path.join(build.out, lv.path))
    // The chapter id `toc` must not overwrite the navigation document.
    const fallback = documents.get('toc_.xhtml')!
    assert.match(fallback, /<html [^>]*lang="en" xml:lang="en"/)
    assert.match(fallback, /<p class="notice notice-fallback" lang="lv" xml:lang="lv" role="note">Šī nodaļa vēl nav iztulkota latviski/)
    assert.match(fallback, /<a href="glossary\.xhtml#term-alpha" class="glossary-term" epub:type="glossref" role="doc-glossref">alpha<\/a> and beta are/)
    assert.deepEqual(
      build.messages.filter((message) => message.ruleId === 'epub-link-dropped').map((message) => message.message),
      ['Cannot link `#term-beta` in `toc` (shown from en): the lv edition has no such target, so the EPUB keeps the words without the link; add it to the lv translation']
    )
    assert.match(documents.get('toc.xhtml')!, /<a href="toc_\.xhtml" lang="en" xml:lang="en">A chapter called toc<\/a>/)
    assert.deepEqual(brokenLinks(documents), [])

    const lists = documents.get('lists.xhtml')!
    assert.match(lists, /<ol start="3">/)
    assert.doesNotMatch(lists, /<input/)
    // A number cell reads left to right in any table (rehype-wide-tables).
    assert.match(lists, /<td class="num align-right" dir="auto">22<\/td>/)
    const notes = documents.get('notes.xhtml')!
    assert.equal([...notes.matchAll(/role="doc-backlink"/g)].length, 3, 'two back-links for the note cited twice, one for the other')

    assert.deepEqual([...opf.matchAll(/<dc:creator id="creator-\d">([^<]+)<\/dc:creator>/g)].map((match) => match[1]), ['Ada Author', 'Otrā organizācija'])
    assert.match(opf, /<dc:rights xml:lang="en">© 2024 The authors\. Licensed under CC BY 4\.0\.<\/dc:rights>/)
    assert.match(opf, /<dc:description>Robežgadījumu grāmata EPUB izdevumam\.<\/dc:description>/)
    assert.match(opf, /<item id="image-lv-shape" href="images\/lv-shape\.svg" media-type="image\/svg\+xml" \/>/)
    const imprint = documents.get('imprint_page.xhtml')!
    assert.match(imprint, /<p class="imprint-funding" lang="en" xml:lang="en">Funded by nobody in particular\.<\/p>/)
    assert.match(imprint, /14\. novembris/)
  })

  test('the identifier is stable per book and locale, and the renderer leaves the shared model as it was', async () => {
    const identifier = editionIdentifier('urn:test:epub-edges', 'lv')
    assert.match(identifier, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(editionIdentifier('urn:test:epub-edges', 'lv'), identifier)
    assert.notEqual(editionIdentifier('urn:test:epub-edges', 'en'), identifier)

    const { book } = await loadBook({ root: edges })
    const before = JSON.stringify(book!.editions.map((edition) => edition.chapters.map((chapter) => chapter.hast)))
    const previous = process.env.SOURCE_DATE_EPOCH
    process.env.SOURCE_DATE_EPOCH = epoch
    try {
      for (const edition of book!.editions) {
        const data = await renderEpub({ book: book!, edition })
        const built = build.artifacts.find((artifact) => artifact.path === epubPath(book!, edition))!
        assert.equal(createHash('sha256').update(data).digest('hex'), built.sha256, 'the same bytes in process as from the CLI')
      }
    } finally {
      if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH
      else process.env.SOURCE_DATE_EPOCH = previous
    }
    assert.equal(JSON.stringify(book!.editions.map((edition) => edition.chapters.map((chapter) => chapter.hast))), before)
  })
})
