// The print edition of the bundled handbook, checked with poppler as a print shop would: page size,
// fonts, tagging, outline, and that every printed page number is where its heading really is.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { before, test } from 'node:test'
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib'
import { bundledEditionsBuild, bundledHandbook, runCli, temporaryFolder } from './helpers.js'
import { countWord, sampleWords } from './text-sample.js'
import { namedDestinations } from '../src/render/pdf-breaks.js'
import { hyphenRuns, printedLines, sourceHyphenated, strandedLines } from './pdf-lines.js'

const locales = ['en', 'lv', 'de', 'da', 'hu', 'it']
let out: string
const pdfs = new Map<string, string>()
/** The build's warnings with rule `hyphenation`, by locale (the last segment of the PDF message's file). */
const hyphenationWarnings = new Map<string, string[]>()

before(async () => {
  // Six books, each printed until its page breaks and numbers hold: minutes on a shared machine.
  const shared = await bundledEditionsBuild()
  out = shared.out
  for (const artifact of shared.summary.artifacts.filter((entry) => entry.format === 'pdf')) pdfs.set(artifact.locale!, path.join(out, artifact.path))
  for (const message of shared.summary.messages.filter((entry) => entry.ruleId === 'hyphenation')) {
    const locale = path.basename(message.file)
    hyphenationWarnings.set(locale, [...(hyphenationWarnings.get(locale) ?? []), message.message])
  }
  assert.deepEqual([...pdfs.keys()].sort(), [...locales].sort())
})

/** The text of every page, as `pdftotext -layout` gives it, soft hyphens removed. */
function pageTexts(file: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
  return text.split('\f').slice(0, -1).map((page) => page.replace(/\u00ad/g, ''))
}

function normalize(text: string): string {
  // Undo hyphenation at line ends, then compare words only.
  return text.replace(/[\u2010-]\n\s*/g, '').replace(/\s+/g, ' ').trim()
}

function info(file: string): Record<string, string> {
  const output = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  return Object.fromEntries(output.split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]))
}

/** Outline titles in document order. */
async function outlineTitles(file: string): Promise<string[]> {
  const document = await PDFDocument.load(readFileSync(file))
  const titles: string[] = []
  const walk = (item: PDFDict | undefined) => {
    for (let current = item; current; current = current.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      const title = current.lookup(PDFName.of('Title'))
      titles.push(title instanceof PDFHexString || title instanceof PDFString ? title.decodeText() : '')
      walk(current.lookupMaybe(PDFName.of('First'), PDFDict))
    }
  }
  walk(document.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)?.lookupMaybe(PDFName.of('First'), PDFDict))
  return titles
}

interface ContentsEntry {
  title: string
  page: number
  /** Indentation relative to the least indented entry of its page: sections sit deeper than chapters. */
  indent: number
}

/** The contents as printed: lines ending in a page number; a line without one continues the entry above. */
function contentsEntries(pages: readonly string[], contentsTitle: string): { entries: ContentsEntry[]; lastPage: number } {
  const start = pages.findIndex((page) => page.trimStart().startsWith(contentsTitle))
  assert.ok(start >= 0, `contents page titled ${contentsTitle}`)
  const entries: ContentsEntry[] = []
  let index = start
  for (; index < pages.length; index++) {
    const lines = pages[index]!.split('\n').filter((line) => line.trim() !== '')
    // The folio (last line) and, on the first page, the heading are not entries.
    const body = lines.slice(index === start ? 1 : 0, -1)
    if (index > start && !/\s\d+\s*$/.test(body[0] ?? '')) break
    const base = Math.min(...body.map((line) => line.length - line.trimStart().length))
    for (const line of body) {
      const match = /^(.*?)\s+(\d+)\s*$/.exec(line)
      if (match) entries.push({ title: match[1]!.trim(), page: Number(match[2]), indent: line.length - line.trimStart().length - base })
      else if (entries.length > 0) entries.at(-1)!.title += ' ' + line.trim()
    }
  }
  return { entries, lastPage: index }
}

for (const locale of locales) {
  test(`PDF ${locale}: A5, tagged, outline, fonts embedded, metadata`, async () => {
    const file = pdfs.get(locale)!
    const meta = info(file)
    assert.equal(meta.Tagged, 'yes')
    assert.match(meta['Page size']!, /^4(19|20)(\.\d+)? x 59[45](\.\d+)? pts \(A5\)$/)
    assert.ok(meta.Title && meta.Author && meta.Subject && meta.Keywords, 'Title, Author, Subject, Keywords')
    assert.equal(meta.CreationDate, 'Thu Jul 31 00:00:00 2014 UTC')
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
    assert.ok(fonts.length > 0)
    for (const line of fonts) assert.match(line, /\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$/, `embedded: ${line}`)
    const catalog = execFileSync('qpdf', ['--show-object=trailer', file], { encoding: 'utf8' })
    assert.ok(catalog.length > 0)
    const titles = await outlineTitles(file)
    assert.ok(titles.length > 30, `outline has ${titles.length} entries`)
    for (const title of titles) assert.doesNotMatch(title, /\u00ad/, 'no soft hyphens in the outline')
  })

  test(`PDF ${locale}: every contents entry shows the page its heading is on`, () => {
    const pages = pageTexts(pdfs.get(locale)!)
    const contentsTitle = normalize(pages.find((page) => /\S/.test(page) && page === pages[6])!.split('\n').find((line) => line.trim())!)
    const { entries, lastPage } = contentsEntries(pages, contentsTitle)
    assert.ok(entries.length > 40, `${entries.length} contents entries`)
    let from = lastPage
    for (const entry of entries) {
      // "2.3 Title" in the contents is "2.3 Title" in the heading; chapter numbers stand apart in the contents.
      const title = normalize(entry.title.replace(/^\d+\s+(?!\d)/, ''))
      let found = -1
      for (let index = from; index < pages.length && found < 0; index++) {
        const lines = pages[index]!.split('\n').filter((line) => line.trim() !== '')
        // A heading is one to three lines of its own; running text that merely mentions it does not count.
        for (let line = 0; line < lines.length && found < 0; line++) {
          for (let count = 1; count <= 3; count++) {
            if (normalize(lines.slice(line, line + count).join('\n')) === title) found = index
          }
        }
      }
      assert.ok(found >= 0, `heading "${title}" found after page ${from + 1}`)
      assert.equal(entry.page, found + 1, `"${title}" is printed as page ${entry.page} and found on page ${found + 1}`)
      from = found
    }
  })

  test(`PDF ${locale}: chapters open on right-hand pages, with running heads only where they belong`, async () => {
    const file = pdfs.get(locale)!
    const pages = pageTexts(file)
    const document = await PDFDocument.load(readFileSync(file))
    const bookTitle = document.getTitle()!.split(':')[0]!.trim()
    const contentsTitle = pages[6]!.split('\n').find((line) => line.trim())!.trim()
    const { entries, lastPage } = contentsEntries(pages, contentsTitle)
    // Chapters and parts are the entries that are neither numbered ("2.3 ...") nor indented as sections.
    const openings = new Map(entries.filter((entry) => !/^\d+\.\d+\s/.test(entry.title) && entry.indent < 6).map((entry) => [entry.page, entry.title]))
    assert.ok(openings.size >= 14)
    for (let index = lastPage; index < pages.length; index++) {
      const number = index + 1
      const lines = pages[index]!.split('\n').filter((line) => line.trim() !== '')
      const opening = openings.get(number)
      if (lines.length === 0) {
        assert.equal(number % 2, 0, `blank page ${number} is a left-hand page before a chapter`)
        assert.ok(openings.has(number + 1), `blank page ${number} precedes a chapter opening`)
        continue
      }
      const first = lines[0]!
      if (opening !== undefined) {
        assert.equal(number % 2, 1, `"${opening}" opens on a right-hand page (page ${number})`)
        assert.notEqual(first.trim(), bookTitle, `no running head on the opening page ${number}`)
        assert.ok(!/^\s{12,}\S/.test(first), `no right-hand running head on the opening page ${number}: "${first.trim()}"`)
      } else if (number % 2 === 0) {
        assert.ok(first.trimStart().startsWith(bookTitle), `page ${number} (left) starts with the book title: "${first.trim()}"`)
      } else {
        assert.match(first, /^\s{12,}\S/, `page ${number} (right) starts with a right-aligned chapter title`)
        assert.notEqual(first.trim(), bookTitle, `page ${number} (right) carries the chapter title, not the book title`)
      }
    }
  })
}

test('hyphenation happens in the German and Latvian PDFs', () => {
  for (const locale of ['de', 'lv']) {
    const text = pageTexts(pdfs.get(locale)!).join('\n')
    // A word broken by hyphenation: letters, then the hyphen drawn at the break (extracting as U+002D).
    const hyphenated = text.split('\n').filter((line) => /\p{L}{2}-$/u.test(line.trimEnd()))
    assert.ok(hyphenated.length > 50, `${locale}: ${hyphenated.length} lines end in a hyphenated word`)
  }
})

test('PDF outline titles keep every space of headings that wrap', async () => {
  const titles = await outlineTitles(pdfs.get('lv')!)
  assert.ok(titles.includes('Kāpēc internacionalizācija ir svarīga pašvaldībām'), titles.slice(0, 12).join(' | '))
  for (const title of titles) assert.doesNotMatch(title, /\p{Ll}\p{Lu}/u, `no words run together: ${title}`)
})

test('the output folder holds exactly the six PDFs', () => {
  assert.deepEqual(readdirSync(path.join(out, 'pdf')).sort(), locales.map((locale) => `ready-for-europe-1.0.0-${locale}.pdf`).sort())
})

test('print-ready B5 with roman front matter: bleed boxes, crop marks, folios as labelled in the contents', async () => {
  const root = path.join(bundledHandbook, '..', 'test', 'fixtures', 'books', 'print-options')
  const target = temporaryFolder('handbook-print-ready-')
  const result = runCli(['build', '--root', root, '--print-ready', '--out', target, '--json'], { env: { SOURCE_DATE_EPOCH: '1406764800' }, timeout: 600_000 })
  assert.equal(result.code, 0, result.stderr + result.stdout)
  // The tagged PDF with bleed and marks; the PDF/X block and cover for the shop are checked below.
  const file = path.join(target, 'pdf', 'sample-book-0.0.1-en-bleed.pdf')
  assert.ok(!existsSync(path.join(target, 'pdf', 'sample-book-0.0.1-en.pdf')), 'a print-ready build leaves the reading PDF alone')
  const mm = 72 / 25.4
  const boxesOf = (pdf: string) => {
    const output = execFileSync('pdfinfo', ['-box', pdf], { encoding: 'utf8' })
    const box = (name: string) => new RegExp(`${name}:\\s+(-?[\\d.]+)\\s+(-?[\\d.]+)\\s+(-?[\\d.]+)\\s+(-?[\\d.]+)`).exec(output)!.slice(1).map(Number)
    return { media: box('MediaBox'), bleed: box('BleedBox'), trim: box('TrimBox'), pages: Number(/Pages:\s+(\d+)/.exec(output)![1]) }
  }
  const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 0.05 * mm, `${what}: ${actual} pt, expected ${expected.toFixed(2)} pt`)
  const sized = (box: number[], width: number, height: number, what: string) => {
    near(box[2]! - box[0]!, width, `${what} width`)
    near(box[3]! - box[1]!, height, `${what} height`)
  }
  // B5 is 176 x 250 mm: the trim box exactly that, the bleed box 3 mm larger on every side.
  for (const pdf of [file, path.join(target, 'pdf', 'sample-book-0.0.1-en-print.pdf')]) {
    const boxes = boxesOf(pdf)
    sized(boxes.trim, 176 * mm, 250 * mm, 'trim box')
    sized(boxes.bleed, 182 * mm, 256 * mm, 'bleed box')
    near(boxes.bleed[0]!, boxes.trim[0]! - 3 * mm, 'bleed left')
    near(boxes.bleed[1]!, boxes.trim[1]! - 3 * mm, 'bleed bottom')
    assert.ok(boxes.media[0]! < boxes.bleed[0]! && boxes.media[2]! > boxes.bleed[2]!, 'room for crop marks outside the bleed')
  }
  // Crop marks: every stroke of the artifact block lies wholly outside the bleed box.
  const { bleed } = boxesOf(file)
  const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { maxBuffer: 512 * 1024 * 1024 }).toString('latin1')
  const marks = [...qdf.matchAll(/\/Artifact <<\/Type \/Page>> BDC([\s\S]*?)EMC/g)].map((match) => match[1]!).filter((block) => / l\s/.test(block))
  assert.ok(marks.length > 0, 'crop marks drawn')
  for (const block of marks) {
    const segments = [...block.matchAll(/(-?[\d.]+) (-?[\d.]+) m\s+(-?[\d.]+) (-?[\d.]+) l/g)].map((match) => match.slice(1).map(Number))
    assert.equal(segments.length, 8)
    for (const [x1, y1, x2, y2] of segments) {
      const [low, high] = x1 === x2 ? [bleed[1]!, bleed[3]!] : [bleed[0]!, bleed[2]!]
      const [a, b] = x1 === x2 ? [y1!, y2!] : [x1!, x2!]
      assert.ok((a < low && b < low) || (a > high && b > high), `mark ${x1},${y1} - ${x2},${y2} outside the bleed box ${bleed.join(' ')}`)
    }
  }
  // The press files: PDF/X with an output intent; a cover of back, spine and front.
  const block = path.join(target, 'pdf', 'sample-book-0.0.1-en-print.pdf')
  const cover = path.join(target, 'pdf', 'sample-book-0.0.1-en-cover.pdf')
  for (const pdf of [block, cover]) {
    const raw = execFileSync('qpdf', ['--qdf', '--object-streams=disable', pdf, '-'], { maxBuffer: 512 * 1024 * 1024 }).toString('latin1')
    assert.match(raw, /\/S \/GTS_PDFX/, `${pdf}: an output intent`)
    assert.match(raw, /\/GTS_PDFXVersion \(PDF\/X-3:2002\)/, `${pdf}: PDF/X`)
    // Ghostscript opens it without a word.
    const opened = spawnSync('gs', ['-q', '-dNODISPLAY', '-dBATCH', '-dNOPAUSE', pdf], { encoding: 'utf8' })
    assert.equal(opened.status, 0)
    assert.equal((opened.stdout + opened.stderr).trim(), '', `${pdf}: Ghostscript's messages`)
  }
  const blockPages = boxesOf(block).pages
  const spine = Math.ceil(blockPages / 2) * 0.1
  const coverBoxes = boxesOf(cover)
  sized(coverBoxes.trim, (2 * 176 + spine) * mm, 250 * mm, 'cover trim box')
  sized(coverBoxes.bleed, (2 * 176 + spine + 6) * mm, 256 * mm, 'cover bleed box')

  const document = await PDFDocument.load(readFileSync(file))
  const labels = document.catalog.lookup(PDFName.of('PageLabels'))
  assert.ok(labels, 'the PDF declares page labels')
  const pages = pageTexts(file)
  const lines = (index: number) => pages[index]!.split('\n').filter((line) => line.trim() !== '')
  const folio = (index: number) => lines(index).at(-1)!.trim()
  // Every contents entry, roman or arabic, names the folio printed on the page where its heading stands.
  const entries = lines(6)
    .slice(1, -1)
    .map((line) => /^\s*(?:\d+\s+)?(.*?)\s+([ivxlc]+|\d+)\s*$/.exec(line)!)
    .map((match) => ({ title: match[1]!, label: match[2]! }))
  assert.equal(entries.length, 6)
  for (const entry of entries) {
    const index = pages.findIndex((_, at) => at > 6 && lines(at).some((line) => line.trim() === entry.title))
    assert.ok(index > 6, `heading ${entry.title}`)
    assert.equal(folio(index), entry.label, `${entry.title}: the contents say ${entry.label}, the page says ${folio(index)}`)
  }
  assert.match(entries[0]!.label, /^[ivxlc]+$/, 'the preface is numbered in roman')
  assert.equal(entries[1]!.label, '1', 'arabic numbering starts at 1 with the body')
  assert.match(pages[6]!, /Preface\s+ix\s/)
})

for (const locale of locales) {
  test(`PDF ${locale}: a clean text layer, where every sampled word of the running text is found as often as the source has it`, () => {
    const file = pdfs.get(locale)!
    // Reading order (what pdfgrep and copy-paste get) and physical layout.
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
    const layout = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
    for (const [name, extracted] of [['reading order', text], ['layout', layout]] as const) {
      // Soft hyphen, zero-width space, word joiner, zero-width (non-)joiner, byte order mark.
      const invisible = extracted.match(/[\u00ad\u200b\u2060\u200c\u200d\ufeff]/g) ?? []
      assert.equal(invisible.length, 0, `${locale} (${name}): ${invisible.length} invisible break characters`)
    }
    const sample = sampleWords(bundledHandbook, locale)
    assert.equal(sample.length, 20)
    const missed = sample.filter(({ word, count }) => countWord(text, word) !== count).map(({ word, count }) => `${word}: ${countWord(text, word)} of ${count}`)
    assert.deepEqual(missed, [], `${locale}: words the text layer does not give as often as the source`)
  })
}

test('no heading, glossary term or table caption stands in the last lines of a page, apart from what follows it', async () => {
  // A5: 18 mm top and 20 mm bottom margin, 9.5 pt type on 1.5 lines. Chromium measures destinations
  // from the top of the page area, so the top margin comes off.
  const mm = 72 / 25.4
  const line = 9.5 * 1.5
  const needed: [RegExp, number][] = [[/^term-/, 3], [/^tab-/, 5]]
  for (const locale of locales) {
    const document = await PDFDocument.load(readFileSync(pdfs.get(locale)!), { updateMetadata: false })
    const low: string[] = []
    for (const { name: id, page, top } of namedDestinations(document)) {
      if (top === undefined || /fn/.test(id)) continue
      const lines = needed.find(([pattern]) => pattern.test(id))?.[1] ?? 3
      if (top - 18 * mm - 20 * mm < lines * line) low.push(`${id} on page ${page}`)
    }
    assert.deepEqual(low, [], `${locale}: targets at a page bottom`)
  }
})

/** The A5 text block in points from the page top: 18 mm top margin, 20 mm bottom margin. */
const textBlock = { top: (18 * 72) / 25.4, bottom: ((210 - 20) * 72) / 25.4 }

test('no three lines in a row end in a hyphenation hyphen, unless a hyphenation warning names the run', () => {
  for (const locale of locales) {
    const runs = hyphenRuns(printedLines(pdfs.get(locale)!, textBlock), sourceHyphenated(bundledHandbook, locale))
    const warned = hyphenationWarnings.get(locale) ?? []
    // A run the build could not shorten is a warning that lists the run's line-end words.
    const unreported = runs.filter((run) => !warned.some((message) => run.words.every((word) => message.includes(word))))
    assert.deepEqual(unreported, [], `${locale}: runs of 3+ hyphenated lines no warning reports`)
    assert.ok(runs.length <= warned.length, `${locale}: ${runs.length} runs, ${warned.length} hyphenation warnings`)
  }
})

test('no single line of a paragraph alone at a page top or bottom', () => {
  // Chromium 156 left 11 with `widows: 2` and `orphans: 2` (en 2, de 4, da 3, hu 1, it 1); the measuring print finds them.
  const found = locales.flatMap((locale) => strandedLines(printedLines(pdfs.get(locale)!, textBlock)).map((line) => `${locale} page ${line.page} ${line.where}: ${line.text}`))
  assert.deepEqual(found, [])
})
