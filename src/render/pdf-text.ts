// The PDF's text layer: what search, copy and screen readers get from the glyphs Chromium drew.
import { promisify } from 'node:util'
import { deflate as deflateCallback, inflateSync } from 'node:zlib'
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFDocument, type PDFObject } from 'pdf-lib'

export interface TextLayerReport {
  /** Invisible soft hyphens whose text was removed from the text layer. */
  softHyphens: number
  /** Glyphs of the line-end hyphen that now extract as a hyphen-minus. */
  lineEndHyphens: number
}

/**
 * Chromium draws every soft hyphen of the HTML, shown or not, as a zero-width glyph wrapped in
 * `/Span <</ActualText <FEFF00AD>>>`, so U+00AD stands inside every hyphenatable word of the
 * extracted text; the hyphen it shows at a line end is a separate glyph that its ToUnicode map
 * calls U+2010. Two edits of what the glyphs *mean*, none of what they draw, give a clean layer:
 * the soft hyphens' replacement text becomes empty, and the line-end hyphen maps to U+002D, the
 * character extraction tools (poppler, MuPDF, pdf.js) treat as a hyphenation point and join across
 * the line end, so "Eiro-" + "pas" extracts as "Eiropas".
 *
 * The handbook's text has no U+2010 of its own (the typography pass writes U+002D and U+2011), so
 * the only U+2010 glyph is the one Chromium adds at breaks.
 */
export function cleanTextLayer(document: PDFDocument, edits: StreamEdits): TextLayerReport {
  const report: TextLayerReport = { softHyphens: 0, lineEndHyphens: 0 }
  for (const [ref, object] of document.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || !isTextBearing(object.dict)) continue
    const text = edits.read(ref)
    if (text === undefined) continue
    let edited = text
    if (edited.includes('/ActualText')) {
      edited = edited.replace(/\/ActualText\s*<feff((?:[0-9a-f]{4})*)>/gi, (whole, units: string) => {
        // A ligature drawn across a soft hyphen ("suf-ficient" as one "ffi" glyph) says "f\u00adfi".
        const kept = units.match(/.{4}/g)?.filter((unit) => unit.toLowerCase() !== '00ad') ?? []
        if (kept.length * 4 === units.length) return whole
        report.softHyphens += units.length / 4 - kept.length
        return kept.length ? `/ActualText <FEFF${kept.join('')}>` : '/ActualText <>'
      })
    }
    if (edited.includes('begincmap')) edited = remapHyphen(edited, () => report.lineEndHyphens++)
    if (edited !== text) edits.write(ref, edited)
  }
  return report
}

/**
 * Edits of the decoded text of streams, written back compressed once at `commit`: the text layer
 * and the artifact marks edit the same page streams, and inflating and deflating each twice took
 * a fifth of a PDF build's own CPU.
 */
export class StreamEdits {
  private readonly texts = new Map<PDFRef, { stream: PDFRawStream; text: string; changed: boolean }>()

  constructor(private readonly document: PDFDocument) {}

  /** The stream's decoded text (Latin-1: every byte one character, so the ASCII edits round-trip); undefined when it cannot hold text. */
  read(ref: PDFObject): string | undefined {
    if (!(ref instanceof PDFRef)) return undefined
    const known = this.texts.get(ref)
    if (known) return known.text
    const stream = this.document.context.lookup(ref)
    if (!(stream instanceof PDFRawStream)) return undefined
    const raw = decode(stream)
    if (!raw) return undefined
    const text = raw.toString('latin1')
    this.texts.set(ref, { stream, text, changed: false })
    return text
  }

  write(ref: PDFRef, text: string): void {
    const entry = this.texts.get(ref)
    if (!entry) throw new Error(`Cannot edit the stream ${ref.toString()}: it was not read`)
    entry.text = text
    entry.changed = true
  }

  /**
   * Compress and store every changed stream. The streams are compressed in libuv's threads, side by
   * side: done here one after the other they held this thread for 60 ms of every PDF.
   */
  async commit(): Promise<void> {
    const { context } = this.document
    const changed = [...this.texts].filter(([, entry]) => entry.changed)
    this.texts.clear()
    const compressed = await Promise.all(changed.map(([, entry]) => deflate(Buffer.from(entry.text, 'latin1'))))
    changed.forEach(([ref, entry], index) => {
      const data = compressed[index]!
      const dict = entry.stream.dict.clone(context)
      dict.delete(PDFName.of('DecodeParms'))
      dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'))
      dict.set(PDFName.of('Length'), PDFNumber.of(data.length))
      context.assign(ref, PDFRawStream.of(dict, data))
    })
  }
}

const deflate = promisify(deflateCallback)

/** Page contents, form XObjects and ToUnicode maps carry text; images and font programs do not. */
function isTextBearing(dict: PDFDict): boolean {
  const subtype = dict.get(PDFName.of('Subtype'))
  if (subtype instanceof PDFName && subtype.asString() !== '/Form') return false
  return !dict.has(PDFName.of('Length1')) && !dict.has(PDFName.of('Length2')) && !dict.has(PDFName.of('Length3'))
}

/** The decoded bytes of a stream, or `undefined` for filters that never hold text here. */
function decode(stream: PDFRawStream): Buffer | undefined {
  const filter = stream.dict.get(PDFName.of('Filter'))
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : []
  if (filters.length === 0) return Buffer.from(stream.contents)
  if (filters.length === 1 && filters[0] instanceof PDFName && filters[0].asString() === '/FlateDecode') {
    return inflateSync(stream.contents)
  }
  return undefined
}

/**
 * In a ToUnicode CMap, the glyph mapped to U+2010 maps to U+002D instead. A `bfrange` that runs
 * through U+2010 is split so only that one code changes.
 */
function remapHyphen(cmap: string, counted: () => void): string {
  const single = cmap.replace(/(<[0-9a-f]+>\s*)<2010>/gi, (_, code: string) => {
    counted()
    return `${code}<002D>`
  })
  return single.replace(/(\d+)\s+beginbfrange([\s\S]*?)endbfrange/g, (block, _count: string, body: string) => {
    const entries = [...body.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)]
    const ranges: string[] = []
    const chars: string[] = []
    let touched = false
    for (const [, low, high, start] of entries) {
      const from = parseInt(low!, 16)
      const to = parseInt(high!, 16)
      const first = parseInt(start!, 16)
      const width = low!.length
      const hex = (value: number, digits = width) => value.toString(16).toUpperCase().padStart(digits, '0')
      if (start!.length === 4 && first <= 0x2010 && 0x2010 <= first + (to - from)) {
        touched = true
        counted()
        const at = from + (0x2010 - first)
        if (at > from) ranges.push(`<${hex(from)}> <${hex(at - 1)}> <${start}>`)
        chars.push(`<${hex(at)}> <002D>`)
        if (at < to) ranges.push(`<${hex(at + 1)}> <${hex(to)}> <${hex(0x2011, 4)}>`)
      } else {
        ranges.push(`<${low}> <${high}> <${start}>`)
      }
    }
    if (!touched) return block
    const rangeBlock = ranges.length ? `${ranges.length} beginbfrange\n${ranges.join('\n')}\nendbfrange` : ''
    return `${rangeBlock}\n${chars.length} beginbfchar\n${chars.join('\n')}\nendbfchar`
  })
}

/**
 * Running heads and folios: Chromium paints the page margin boxes first on every page, in one
 * `q ... Q` block outside any marked content, so assistive technology meets them as untagged
 * text in the middle of the reading order. That block becomes a pagination artifact. Returns how
 * many pages had one.
 */
export function markPaginationArtifacts(document: PDFDocument, edits: StreamEdits): number {
  let marked = 0
  for (const page of document.getPages()) {
    const contents = page.node.get(PDFName.of('Contents'))
    // Print-ready pages hold Chromium's stream between the ones that fence it and draw crop marks.
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : []
    for (const ref of refs) if (markMarginBoxes(edits, ref)) marked++
  }
  return marked
}

/** Mark the margin-box block of one content stream as an artifact; false when it has none. */
function markMarginBoxes(edits: StreamEdits, ref: PDFObject): boolean {
  const text = edits.read(ref)
  if (text === undefined) return false
  const block = firstBlock(text)
  if (!block) return false
  const inner = text.slice(block.start, block.end)
  // Only a block of painted text with no structure of its own: the margin boxes.
  if (/\b(BDC|BMC)\b/.test(inner) || !/\bBT\b/.test(inner)) return false
  edits.write(ref as PDFRef, text.slice(0, block.start) + '/Artifact <</Type /Pagination>> BDC\n' + inner + '\nEMC' + text.slice(block.end))
  return true
}

/** The first balanced `q ... Q` block of a content stream (operators on their own lines, as Chromium writes them). */
function firstBlock(text: string): { start: number; end: number } | undefined {
  const lines = text.split('\n')
  let offset = 0
  let depth = 0
  let start = -1
  for (const line of lines) {
    const trimmed = line.trim()
    if (trimmed === 'q') {
      if (depth === 0) start = offset
      depth++
    } else if (trimmed === 'Q' && depth > 0) {
      depth--
      if (depth === 0) return { start, end: offset + line.length }
    }
    offset += line.length + 1
  }
  return undefined
}
