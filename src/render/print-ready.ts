// Files for a print shop: exact trim and bleed boxes, crop marks outside the bleed, PDF/X made by
// Ghostscript with an output intent, and a separate cover (back, spine, front) sized from the page count.
import { temporaryPrefix } from '../output/leftovers.js'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import {
  lineTo,
  moveTo,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  popGraphicsState,
  pushGraphicsState,
  setLineWidth,
  setStrokingCmykColor,
  stroke,
  PDFDocument
} from 'pdf-lib'

const run = promisify(execFile)
export const pointsPerMillimetre = 72 / 25.4

/** Room around the bleed for the crop marks, in millimetres: a gap, then the 5 mm mark. */
export const slugMillimetres = 8
const markGap = 1
const markLength = 5

/**
 * Give every page the boxes a print shop's tools read, in exact millimetres: the trim box the trim
 * size (Chromium rounds the sheet to CSS pixels, so the boxes are centred on the sheet rather than
 * taken from it), the bleed box 3 mm larger, and a media box with room outside the bleed for crop
 * marks at the trim lines, drawn as artifacts so they stay out of the tagged content.
 */
export function markPrintBoxes(document: PDFDocument, trim: { width: number; height: number }, bleed: number): void {
  const mm = pointsPerMillimetre
  for (const page of document.getPages()) {
    const { width, height } = page.getSize()
    const trimWidth = trim.width * mm
    const trimHeight = trim.height * mm
    const x0 = (width - trimWidth) / 2
    const y0 = (height - trimHeight) / 2
    const x1 = x0 + trimWidth
    const y1 = y0 + trimHeight
    const b = bleed * mm
    const slug = slugMillimetres * mm
    page.setTrimBox(x0, y0, trimWidth, trimHeight)
    page.setBleedBox(x0 - b, y0 - b, trimWidth + 2 * b, trimHeight + 2 * b)
    page.setMediaBox(x0 - b - slug, y0 - b - slug, trimWidth + 2 * (b + slug), trimHeight + 2 * (b + slug))
    page.node.delete(PDFName.of('CropBox'))
    const start = b + markGap * mm
    const end = start + markLength * mm
    const marks: [number, number, number, number][] = []
    for (const x of [x0, x1]) {
      for (const y of [y0, y1]) {
        const outX = x === x0 ? -1 : 1
        const outY = y === y0 ? -1 : 1
        // One mark continues the vertical trim line, one the horizontal, both beyond the bleed.
        marks.push([x, y + outY * start, x, y + outY * end])
        marks.push([x + outX * start, y, x + outX * end, y])
      }
    }
    // Chromium's content leaves its own transformation in force; fence it in before drawing.
    page.node.normalize()
    const { context } = document
    page.node.wrapContentStreams(context.register(context.contentStream([pushGraphicsState()])), context.register(context.contentStream([popGraphicsState()])))
    page.pushOperators(
      pushGraphicsState(),
      // Crop marks are a production aid, not part of the book: an artifact of type /Page.
      PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of('Artifact'), '<</Type /Page>>']),
      setLineWidth(0.25),
      // Registration colour: the marks print on every plate.
      setStrokingCmykColor(1, 1, 1, 1),
      ...marks.flatMap(([xa, ya, xb, yb]) => [moveTo(xa, ya), lineTo(xb, yb), stroke()]),
      PDFOperator.of(PDFOperatorNames.EndMarkedContent),
      popGraphicsState()
    )
  }
}

/** The spine of a book of `pages` pages printed on paper `thickness` mm per leaf, in millimetres. */
export function spineWidth(pages: number, thickness: number): number {
  return Math.ceil(pages / 2) * thickness
}

/** Sheet size of the cover (back, spine, front and the bleed around them), in millimetres. */
export function coverSize(trim: { width: number; height: number }, spine: number, bleed: number): { width: number; height: number } {
  return { width: 2 * trim.width + spine + 2 * bleed, height: trim.height + 2 * bleed }
}

/** Where Ghostscript is, or `undefined`. */
export function ghostscript(): string | undefined {
  const candidates = [process.env.HANDBOOK_GHOSTSCRIPT, '/usr/bin/gs', '/usr/local/bin/gs'].filter((file): file is string => Boolean(file))
  return candidates.find((file) => existsSync(file))
}

/** A CMYK ICC profile to declare as the output intent: Ghostscript's own default CMYK profile. */
function cmykProfile(): string | undefined {
  return ['/usr/share/color/icc/ghostscript/default_cmyk.icc', '/usr/share/ghostscript/iccprofiles/default_cmyk.icc'].find((file) => existsSync(file))
}

function postscriptText(value: string): string {
  // UTF-16BE with a byte order mark, as a hex string: any title, no escaping questions.
  return '<FEFF' + Buffer.from(value, 'utf16le').swap16().toString('hex').toUpperCase() + '>'
}

/** What a PDF/X conversion did, for the report and the README. */
export interface PdfxResult {
  data: Buffer
  /** Ghostscript's standard output and error: empty when it had nothing to complain about. */
  messages: string
  seconds: number
}

/**
 * Convert `input` to PDF/X-3 (the newest PDF/X the installed Ghostscript 10.0 writes) in CMYK,
 * with an output intent that embeds Ghostscript's CMYK profile (`GTS_PDFX`). Page boxes, fonts
 * and the text layer carry over; the structure tree and outline do not (see README).
 */
export async function toPdfx(input: Buffer, title: string, date: Date): Promise<PdfxResult> {
  const gs = ghostscript()
  if (!gs) throw new Error('Ghostscript is needed for --print-ready: install it (Debian/Ubuntu: apt-get install -y ghostscript)')
  const profile = cmykProfile()
  if (!profile) throw new Error('Ghostscript\'s CMYK profile default_cmyk.icc is missing: reinstall the ghostscript package')
  const folder = await mkdtemp(temporaryPrefix('pdfx'))
  try {
    const source = path.join(folder, 'in.pdf')
    const target = path.join(folder, 'out.pdf')
    const definition = path.join(folder, 'pdfx.ps')
    await writeFile(source, input)
    await writeFile(
      definition,
      [
        '%!PS',
        `[ /GTS_PDFXVersion (PDF/X-3:2002) /Title ${postscriptText(title)} /Trapped /False /DOCINFO pdfmark`,
        '[ /_objdef {icc_PDFX} /type /stream /OBJ pdfmark',
        '[ {icc_PDFX} << /N 4 >> /PUT pdfmark',
        `[ {icc_PDFX} (${profile.replace(/[()\\]/g, '\\$&')}) (r) file /PUT pdfmark`,
        '[ /_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark',
        '[ {OutputIntent_PDFX} << /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (Custom) /OutputCondition (Ghostscript default CMYK) /Info (Ghostscript default_cmyk.icc) /RegistryName (http://www.color.org) /DestOutputProfile {icc_PDFX} >> /PUT pdfmark',
        '[ {Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark',
        ''
      ].join('\n')
    )
    const started = performance.now()
    const { stdout, stderr } = await run(
      gs,
      [
        '-q',
        '-dSAFER',
        `--permit-file-read=${profile}`,
        '-dBATCH',
        '-dNOPAUSE',
        '-dPDFX',
        '-sDEVICE=pdfwrite',
        '-sColorConversionStrategy=CMYK',
        '-sProcessColorModel=DeviceCMYK',
        '-dEmbedAllFonts=true',
        '-dSubsetFonts=true',
        // No clock in the output: the same book gives the same file (PDF/X requires a CreationDate:
        // Ghostscript takes it from SOURCE_DATE_EPOCH).
        '-dOmitID',
        '-dOmitXMP',
        `-sOutputFile=${target}`,
        definition,
        source
      ],
      { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, SOURCE_DATE_EPOCH: String(Math.floor(date.getTime() / 1000)) } }
    )
    return { data: await readFile(target), messages: (stdout + stderr).trim(), seconds: (performance.now() - started) / 1000 }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}

/** The colour of the cover, as on the book's first page. */
const coverColour = '#1f4e8c'

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * The cover sheet as one HTML page: back (the description), spine (the title, read top to bottom,
 * when the spine is wide enough to carry it), front (title, subtitle, publisher), with the bleed
 * on every side. Sizes in millimetres.
 */
export function coverHtml(options: {
  css: string
  lang: string
  trim: { width: number; height: number }
  spine: number
  bleed: number
  title: string
  subtitle?: string
  publisher: string
  description?: string
}): string {
  const { trim, spine, bleed } = options
  const size = coverSize(trim, spine, bleed)
  const panel = (left: number, width: number) => `position: absolute; top: ${bleed}mm; left: ${left}mm; width: ${width}mm; height: ${trim.height}mm; box-sizing: border-box;`
  // The spine carries its title only from 6 mm: thinner, it would run off the fold.
  const spineTitle = spine >= 6 ? `<p class="spine-title">${escapeHtml(options.title)}</p>` : ''
  return `<!doctype html><html lang="${escapeHtml(options.lang)}"><head><meta charset="utf-8"><title>${escapeHtml(options.title)}</title><style>
${options.css}
@page { size: ${size.width}mm ${size.height}mm; margin: 0; }
html, body { margin: 0; padding: 0; }
body { width: ${size.width}mm; height: ${size.height}mm; background: ${coverColour}; color: #fff; position: relative; overflow: hidden; font-family: "Noto Sans", "DejaVu Sans", sans-serif; }
.back { padding: 30mm 15mm 0; font-family: "Noto Serif", "DejaVu Serif", serif; font-size: 10pt; line-height: 1.5; }
.spine { display: flex; align-items: center; justify-content: center; }
.spine-title { writing-mode: vertical-rl; margin: 0; font-size: ${Math.min(11, spine * 1.6).toFixed(1)}pt; font-weight: bold; white-space: nowrap; }
.front { padding: 30mm 15mm 0; }
.cover-title { font-size: 24pt; font-weight: bold; line-height: 1.1; margin: 0 0 0.4em; }
.cover-subtitle { font-size: 12pt; line-height: 1.3; margin: 0; }
.cover-publisher { font-size: 9pt; margin-top: 3em; }
</style></head><body>
<section class="back" style="${panel(bleed, trim.width)}">${options.description ? `<p>${escapeHtml(options.description)}</p>` : ''}</section>
<section class="spine" style="${panel(bleed + trim.width, spine)}">${spineTitle}</section>
<section class="front" style="${panel(bleed + trim.width + spine, trim.width)}"><p class="cover-title">${escapeHtml(options.title)}</p>${options.subtitle ? `<p class="cover-subtitle">${escapeHtml(options.subtitle)}</p>` : ''}<p class="cover-publisher">${escapeHtml(options.publisher)}</p></section>
</body></html>`
}

/** The print shop's two files of one edition. */
export interface PrintShopFiles {
  /** The book block as PDF/X. */
  block: PdfxResult
  /** The cover (back, spine, front) as PDF/X. */
  cover: PdfxResult
  spine: number
  pageCount: number
}

/**
 * From the final print-ready book (boxes and marks set), the PDF/X book block and the cover, printed
 * in `page` (the print's browser page, which may load files from `workDirectory`).
 */
export async function printShopFiles(options: {
  page: import('puppeteer').Page
  book: import('../model/types.js').Book
  edition: import('../model/types.js').Edition
  css: string
  data: Buffer
  pageCount: number
  trim: { width: number; height: number }
  bleed: number
  workDirectory: string
  title: string
  publisher: string
  description?: string
  timeout: number
  /** The build date: the files' creation date. */
  date: Date
}): Promise<PrintShopFiles> {
  const { trim, bleed } = options
  const spine = spineWidth(options.pageCount, options.book.config.editions['paper-thickness'])
  const html = coverHtml({ css: options.css, lang: options.edition.locale.tag, trim, spine, bleed, title: options.title, subtitle: options.edition.subtitle, publisher: options.publisher, description: options.description })
  const coverPath = path.join(options.workDirectory, 'cover.html')
  await writeFile(coverPath, html)
  await options.page.goto(pathToFileURL(coverPath).href, { waitUntil: 'load', timeout: options.timeout })
  await options.page.evaluate('document.fonts.ready')
  const printed = Buffer.from(await options.page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: options.timeout }))
  const cover = await PDFDocument.load(printed, { updateMetadata: false })
  markPrintBoxes(cover, { width: 2 * trim.width + spine, height: trim.height }, bleed)
  cover.setTitle(options.title)
  cover.setCreationDate(options.date)
  cover.setModificationDate(options.date)
  const coverData = Buffer.from(await cover.save({ useObjectStreams: false }))
  // PDF/X allows no interactive annotations: the block for the press keeps no links.
  const bookBlock = await PDFDocument.load(options.data, { updateMetadata: false })
  for (const page of bookBlock.getPages()) page.node.delete(PDFName.of('Annots'))
  const blockData = Buffer.from(await bookBlock.save({ useObjectStreams: false }))
  return { block: await toPdfx(blockData, options.title, options.date), cover: await toPdfx(coverData, options.title, options.date), spine, pageCount: options.pageCount }
}
