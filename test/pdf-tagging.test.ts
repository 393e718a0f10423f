// Tagged PDF towards PDF/UA, on real builds: figures carry their alt text, decorative images and
// blank pages paint only artifacts, the title bar shows the title (info dictionary and XMP), a
// fallback chapter's structure is in its own language, and print-ready crop marks are artifacts.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { before, test } from 'node:test'
import { DOMParser } from '@xmldom/xmldom'
import { PDFArray, PDFBool, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFStream, PDFString, decodePDFRawStream, PDFRawStream, type PDFObject } from 'pdf-lib'
import { namedDestinations } from '../src/render/pdf-breaks.js'
import { untaggedPainting } from '../src/render/pdf-tagging.js'
import { fixtures, runCli } from './helpers.js'
import { copyFixture, edit, temporaryFolder } from './translation-support.js'

/** The alt texts of the images the German edition shows; the decorative image has none. */
const altTexts = ['Ein graues Quadrat', 'A grey square in the follow-up']

let reading = ''
let bleed = ''

before(() => {
  // translation-basic's German edition translates `meetings` and shows `preface` and `follow-up`
  // in English; each gets images: one with alt text, one decorative (empty alt text).
  const root = copyFixture()
  mkdirSync(path.join(root, 'assets'))
  copyFileSync(path.join(fixtures, 'books', 'print-options', 'assets', 'square.svg'), path.join(root, 'assets', 'square.svg'))
  edit(path.join(root, 'de', 'meetings.md'), (text) => text + `\n![${altTexts[0]}](../assets/square.svg)\n\nEin Schmuckbild: ![](../assets/square.svg)\n`)
  edit(path.join(root, 'en', 'follow-up.md'), (text) => text + `\nA decorative image: ![](../assets/square.svg)\n\n:::figure[A square]{#fig-square}\n![${altTexts[1]}](../assets/square.svg)\n:::\n`)
  const out = temporaryFolder('handbook-tagging-')
  for (const extra of [[], ['--print-ready']]) {
    const result = runCli(['build', '--root', root, '--locale', 'de', '--format', 'pdf', '--out', path.join(out, extra.length ? 'shop' : 'read'), '--json', ...extra], { timeout: 600_000 })
    assert.equal(result.code, 0, result.stderr + result.stdout)
  }
  reading = path.join(out, 'read', 'pdf', 'translation-basic-0.1.0-de.pdf')
  bleed = path.join(out, 'shop', 'pdf', 'translation-basic-0.1.0-de-bleed.pdf')
})

/** A structure element with what the tests ask of it. */
interface Element {
  type: string
  lang?: string
  alt?: string
  parent?: Element
  /** Pages (1-based) of the marked content it holds directly. */
  pages: number[]
}

function text(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined
}

/** Every structure element of the PDF, parents linked. */
function structure(document: PDFDocument): Element[] {
  const pageOf = new Map(document.getPages().map((page, index) => [page.ref.toString(), index + 1]))
  const root = document.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict)
  const elements: Element[] = []
  const walk = (node: PDFObject | undefined, parent: Element | undefined, page: number | undefined): void => {
    const value = node instanceof PDFRef ? document.context.lookup(node) : node
    if (value instanceof PDFArray) {
      for (const kid of value.asArray()) walk(kid, parent, page)
      return
    }
    if (value instanceof PDFNumber) {
      if (parent && page !== undefined) parent.pages.push(page)
      return
    }
    if (!(value instanceof PDFDict)) return
    const own = value.get(PDFName.of('Pg'))
    const here = own ? pageOf.get(own.toString()) : page
    const type = value.get(PDFName.of('Type'))
    if (type === PDFName.of('MCR')) {
      if (parent && here !== undefined) parent.pages.push(here)
      return
    }
    if (type === PDFName.of('OBJR') || !value.has(PDFName.of('S'))) return
    const element: Element = { type: value.get(PDFName.of('S'))!.toString().slice(1), lang: text(value.get(PDFName.of('Lang'))), alt: text(value.get(PDFName.of('Alt'))), parent, pages: [] }
    elements.push(element)
    walk(value.get(PDFName.of('K')), element, here)
  }
  walk(root.get(PDFName.of('K')), undefined, undefined)
  return elements
}

function effectiveLang(element: Element | undefined, fallback: string): string {
  for (let current = element; current; current = current.parent) if (current.lang) return current.lang
  return fallback
}

/**
 * The content streams of each page (qpdf writes them uncompressed, operators one a line as Chromium
 * and pdf-lib write them), with what they paint outside marked content and inside artifacts.
 */
function pageContents(file: string): { page: number; untagged: string[]; artifacts: string[]; tagged: boolean }[] {
  const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('latin1')
  const pages = new Map<number, { page: number; untagged: string[]; artifacts: string[]; tagged: boolean }>()
  for (const [, number, body] of qdf.matchAll(/%% Contents for page (\d+)\n[\s\S]*?stream\n([\s\S]*?)endstream/g)) {
    const page = Number(number)
    const entry = pages.get(page) ?? { page, untagged: [], artifacts: [], tagged: false }
    pages.set(page, entry)
    // The kind of each open marked-content sequence: artifact or not.
    const open: boolean[] = []
    for (const raw of body!.split('\n')) {
      const line = raw.trim()
      if (/(^|\s|>)(BDC|BMC)$/.test(line)) {
        open.push(/^\/Artifact\b/.test(line))
        if (/\/MCID\b/.test(line)) entry.tagged = true
      } else if (line === 'EMC') open.pop()
      else if (/(^|\s)(f\*?|F|S|s|B\*?|b\*?|sh|Do|BT)$/.test(line)) {
        if (open.length === 0) entry.untagged.push(line)
        else if (open.includes(true)) entry.artifacts.push(line)
      }
    }
  }
  return [...pages.values()].sort((a, b) => a.page - b.page)
}

test('every image with alt text is a /Figure with that /Alt; no Figure lacks one, and decorative images are no Figure', async () => {
  const document = await PDFDocument.load(readFileSync(reading), { updateMetadata: false })
  const figures = structure(document).filter((element) => element.type === 'Figure')
  for (const figure of figures) assert.ok(figure.alt && figure.alt.trim() !== '', `a /Figure on page ${figure.pages.join(', ') || '?'} without /Alt`)
  assert.deepEqual(figures.map((figure) => figure.alt).sort(), [...altTexts].sort())
  // Each Figure holds the image's own marked content, not only other elements.
  for (const figure of figures) assert.ok(figure.pages.length > 0, `the Figure "${figure.alt}" holds no content`)
})

test('decorative images, box backgrounds and blank pages paint nothing outside marked content', () => {
  for (const file of [reading, bleed]) {
    const pages = pageContents(file)
    assert.ok(pages.length >= 8, `${pages.length} pages in ${file}`)
    for (const page of pages) assert.deepEqual(page.untagged, [], `${path.basename(file)} page ${page.page} paints outside marked content`)
    // Pages that hold no tagged content: the blank pages before right-hand chapter openings.
    const blank = pages.filter((page) => !page.tagged)
    assert.ok(blank.length >= 3, `${blank.length} blank pages in ${path.basename(file)}`)
    if (file === bleed) for (const page of blank) assert.ok(page.artifacts.length > 0, `blank page ${page.page} of the print-ready PDF shows its crop marks as artifacts`)
  }
})

test('crop marks of print-ready output are /Page artifacts on every page', async () => {
  const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', bleed, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('latin1')
  const pageCount = (await PDFDocument.load(readFileSync(bleed), { updateMetadata: false })).getPageCount()
  const marks = [...qdf.matchAll(/\/Artifact <<\/Type \/Page>> BDC\n([\s\S]*?)\nEMC/g)].filter(([, body]) => (body!.match(/^S$/gm) ?? []).length === 8)
  assert.ok(pageCount > 0)
  assert.equal(marks.length, pageCount, 'one sequence of eight crop-mark strokes per page, marked as a /Page artifact')
})

test('the title bar shows the title: DisplayDocTitle, and the same title in Info and XMP', async () => {
  const document = await PDFDocument.load(readFileSync(reading), { updateMetadata: false })
  const preferences = document.catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict)
  assert.equal(preferences.get(PDFName.of('DisplayDocTitle')), PDFBool.True)
  assert.equal(document.getTitle(), 'Zusammenarbeiten')
  const metadata = document.catalog.lookup(PDFName.of('Metadata'), PDFStream)
  const xml = Buffer.from(metadata instanceof PDFRawStream ? decodePDFRawStream(metadata).decode() : metadata.getContents()).toString('utf8')
  const xmp = new DOMParser().parseFromString(xml.replace(/^<\?xpacket[^>]*\?>\s*/, '').replace(/\s*<\?xpacket[^>]*\?>$/, ''), 'text/xml')
  const titles = xmp.getElementsByTagNameNS('http://purl.org/dc/elements/1.1/', 'title')
  assert.equal(titles.length, 1)
  assert.equal(titles[0]!.textContent, 'Zusammenarbeiten')
  const languages = xmp.getElementsByTagNameNS('http://purl.org/dc/elements/1.1/', 'language')
  assert.equal(languages[0]?.textContent, 'de')
})

test('a fallback chapter is tagged in its own language inside an edition tagged in the edition\'s', async () => {
  const document = await PDFDocument.load(readFileSync(reading), { updateMetadata: false })
  assert.equal(text(document.catalog.get(PDFName.of('Lang'))), 'de')
  const landed = new Map(namedDestinations(document).map(({ name, page }) => [name, page]))
  const range = (id: string, next: string | undefined) => {
    const first = landed.get(id)!
    const end = next ? landed.get(next)! : document.getPageCount() + 1
    return (element: Element) => element.pages.some((page) => page >= first && page < end)
  }
  const elements = structure(document).filter((element) => element.pages.length > 0)
  // `follow-up` is English in the German edition; only its notice (in German, its own /Lang) is not.
  const fallback = elements.filter(range('follow-up', undefined))
  assert.ok(fallback.length >= 5, `${fallback.length} elements on the pages of follow-up`)
  const german = fallback.filter((element) => effectiveLang(element, 'de') === 'de')
  const notices = new Set(german.map((element) => { let top = element; while (top.parent && effectiveLang(top.parent, 'de') === 'de') top = top.parent; return top }))
  assert.equal(notices.size, 1, 'one element (the fallback notice) of follow-up is German')
  assert.ok([...notices][0]!.lang === 'de')
  for (const type of ['H1', 'H2', 'Figure']) {
    const found = fallback.filter((element) => element.type === type || (element.parent?.type === type))
    assert.ok(found.length > 0, `a ${type} in follow-up`)
    for (const element of found) assert.equal(effectiveLang(element, 'de'), 'en', `${type} of follow-up`)
  }
  // The translated chapter stays German.
  const translated = elements.filter(range('meetings', 'follow-up'))
  assert.ok(translated.length >= 5)
  for (const element of translated) assert.equal(effectiveLang(element, 'de'), 'de', `${element.type} of meetings`)
})

test('the tagged PDFs stay valid: qpdf --check is clean', () => {
  for (const file of [reading, bleed]) {
    // qpdf exits non-zero on errors and on warnings: execFileSync throws then.
    const report = execFileSync('qpdf', ['--check', file]).toString()
    assert.match(report, /No syntax or stream encoding errors found/)
  }
})

test('untagged painting is found by operators, not by text that looks like them', () => {
  const spans = (stream: string) => untaggedPainting(stream).map(({ start, end }) => stream.slice(start, end))
  // A string that reads like marked-content operators is no operator; the path after it is untagged.
  assert.deepEqual(spans('/P <</MCID 0 >>BDC\nBT\n/F1 9 Tf\n(a EMC b BDC) Tj\nET\nEMC\n0 0 10 10 re\nf\n'), ['0 0 10 10 re\nf'])
  assert.deepEqual(spans('/P <</MCID 0 >>BDC\nBT\n(a EMC b) Tj\nET\n0 0 1 1 re\nf\nEMC\n'), [])
  // Clipping paints nothing; consecutive painting with no marked content between is one span; an image too.
  assert.deepEqual(spans('q\n0 0 5 5 re\nW* n\n1 1 2 2 re\nf\n3 3 m\n4 4 l\nS\nQ\n/X1 Do\n/Artifact BMC\nEMC\n/X2 Do\n'), ['1 1 2 2 re\nf\n3 3 m\n4 4 l\nS\nQ\n/X1 Do', '/X2 Do'])
  // Tagged and artifact content, nested, stays as it is; so does an object that marked content begins in.
  assert.deepEqual(spans('/Figure <</MCID 1 >>BDC\n/Span <</ActualText (\\) EMC) >>BDC\n0 0 1 1 re f\nEMC\nEMC\n/Artifact BMC\n/X1 Do\nEMC\nBT\n/P <</MCID 2 >>BDC\n(a) Tj\nEMC\nET\n'), [])
  // Inline image data (outside marked content) may hold any bytes, "EMC" among them.
  assert.deepEqual(spans('BI /W 1 /H 1 /BPC 8 /CS /G ID EMC\u0000 EI\n'), ['BI /W 1 /H 1 /BPC 8 /CS /G ID EMC\u0000 EI'])
})
