// The EPUB cover image: the cover design laid out as SVG here and rasterized by resvg, so an EPUB build starts no browser.
// Measured on the lv book (Chromium 156, 2 cores): Chromium took 1.5 s to start and 1.3 s for the
// six covers, and an EPUB-only build peaked at 1.2 GB with it; resvg draws one cover in about 0.15 s.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Resvg } from '@resvg/resvg-js'
import { toHtml } from 'hast-util-to-html'
import { parseCharset } from '../content/glyph-coverage.js'
import { coverColors, motif } from './cover-design.js'
import type { CoverText } from './cover.js'
import { escapeHtml } from './escape.js'
import { fontFiles, type FontFile } from './fonts.js'

/** The cover's size in pixels. */
export interface CoverSize {
  width: number
  height: number
}

/** The EPUB cover: 1600 × 2400 pixels, the 2:3 shape reading systems and shops expect. */
export const epubCoverSize: CoverSize = { width: 1600, height: 2400 }

/** A face of the cover's type. */
interface Face {
  family: 'Noto Sans' | 'Noto Serif'
  weight: 400 | 700
}

/** Ascent and descent of a TrueType face in em, from its `hhea` table, as Chromium places lines with them. */
function verticalMetrics(source: string): { ascent: number; descent: number } {
  const data = readFileSync(source)
  const tables = data.readUInt16BE(4)
  const offsets = new Map<string, number>()
  for (let index = 0; index < tables; index++) {
    const record = 12 + index * 16
    offsets.set(data.toString('latin1', record, record + 4), data.readUInt32BE(record + 8))
  }
  const head = offsets.get('head')
  const hhea = offsets.get('hhea')
  if (head === undefined || hhea === undefined) throw new Error(`Cannot read the metrics of ${source}: no head or hhea table`)
  const unitsPerEm = data.readUInt16BE(head + 18)
  return { ascent: data.readInt16BE(hhea + 4) / unitsPerEm, descent: -data.readInt16BE(hhea + 6) / unitsPerEm }
}

function bundled(face: Face): FontFile {
  const file = fontFiles.find((font) => font.family === face.family && font.weight === face.weight && font.style === 'normal')
  if (!file) throw new Error(`Cannot find the bundled font ${face.family} ${face.weight}`)
  return file
}

const coverageOf = new Map<string, (codePoint: number) => boolean>()

/** Whether the bundled face draws `character` (fontconfig reads its character set once). */
function bundledDraws(face: Face, character: string): boolean {
  const source = bundled(face).source
  let covers = coverageOf.get(source)
  if (!covers) {
    const charset = execFileSync('fc-query', ['--format=%{charset}', source], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    covers = parseCharset(charset)
    coverageOf.set(source, covers)
  }
  return covers(character.codePointAt(0)!)
}

/** CJK families by language: the same Han character has a different shape in each. */
const cjkFamily: Record<string, string> = { ja: 'Noto Sans CJK JP', zh: 'Noto Sans CJK SC', ko: 'Noto Sans CJK KR' }

/** Installed faces found per query: asking fontconfig takes about 50 ms. */
const fallbacks = new Map<string, { family: string; file: string } | undefined>()

/**
 * An installed sans-serif face that draws all of `characters` (which the bundled Noto Sans lacks:
 * Arabic, Hebrew, CJK), found through fontconfig: the CJK face of the text's language, else the
 * shortest-named Noto Sans family ("Noto Sans Arabic" before "Noto Sans Indic Siyaq Numbers").
 */
function fallbackFace(characters: readonly string[], lang: string, weight: 400 | 700): { family: string; file: string } | undefined {
  const charset = characters.map((character) => character.codePointAt(0)!.toString(16)).join(' ')
  const key = `${charset}|${lang}|${weight}`
  if (fallbacks.has(key)) return fallbacks.get(key)
  let listing = ''
  try {
    listing = execFileSync('fc-list', [`:charset=${charset}`, '--format=%{family[0]}|%{weight}|%{file}\\n'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    // No fontconfig: the characters stay undrawn, as `doctor` reports.
  }
  const candidates = listing
    .split('\n')
    .map((row) => row.split('|'))
    .filter((row): row is [string, string, string] => row.length === 3 && row[0]!.startsWith('Noto Sans') && !row[0]!.includes('Mono'))
    .map(([family, fcWeight, file]) => ({ family, file, bold: Number(fcWeight) >= 200 }))
  const wanted = cjkFamily[lang.split('-')[0]!.toLowerCase()]
  const rank = (candidate: (typeof candidates)[number]) => [candidate.family === wanted ? 0 : 1, candidate.bold === (weight === 700) ? 0 : 1, candidate.family.length, candidate.family, candidate.file] as const
  candidates.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)]
    for (let index = 0; index < x.length; index++) if (x[index] !== y[index]) return x[index]! < y[index]! ? -1 : 1
    return 0
  })
  fallbacks.set(key, candidates[0])
  return candidates[0]
}

/** How a block of cover text is set: its families in CSS order and the font files they come from. */
interface TextStyle {
  face: Face
  families: string
  files: string[]
  size: number
}

/** The style of text in `face`, with installed faces for the characters the bundled one lacks. */
function styleFor(text: string, face: Face, size: number, lang: string): TextStyle {
  const files = [bundled(face).source]
  const families: string[] = [face.family]
  const add = (found: { family: string; file: string } | undefined) => {
    if (!found || families.includes(found.family)) return
    families.push(found.family)
    files.push(found.file)
  }
  const missing = [...new Set(text)].filter((character) => !/\s/u.test(character) && !bundledDraws(face, character))
  // One face for all of them where there is one (a Japanese title); else one per character.
  const common = missing.length > 0 ? fallbackFace(missing, lang, face.weight) : undefined
  if (common) add(common)
  else for (const character of missing) add(fallbackFace([character], lang, face.weight))
  return { face, families: families.map((family) => `'${family}'`).join(', '), files, size }
}

/** A `<text>` element of one line. */
function textElement(line: string, x: number, y: number, style: TextStyle, fill: string, rtl = false): string {
  const anchor = rtl ? ' direction="rtl" text-anchor="end"' : ''
  return `<text x="${x.toFixed(2)}" y="${y.toFixed(2)}" font-family="${escapeHtml(style.families)}" font-weight="${style.face.weight}" font-size="${style.size.toFixed(2)}" fill="${fill}" xml:space="preserve"${anchor}>${escapeHtml(line)}</text>`
}

/** Places a line may break: after a space or a hyphen, and between CJK characters. */
function breakUnits(text: string, lang: string): string[] {
  const units: string[] = []
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u
  // Punctuation that may not start a line stays with what comes before it.
  const closing = /^[\p{Pe}\p{Pf}\p{Po}]/u
  for (const { segment } of new Intl.Segmenter(lang, { granularity: 'word' }).segment(text)) {
    const last = units.at(-1)
    const joins = last !== undefined && !/[\s\-‐–]$/u.test(last) && !(cjk.test(last.at(-1)!) || cjk.test(segment[0]!))
    if (last !== undefined && (joins || closing.test(segment) || /^\s+$/u.test(segment))) units[units.length - 1] = last + segment
    else if (cjk.test(segment)) units.push(...Array.from(segment))
    else units.push(segment)
  }
  return units
}

/** Han, kana and other full-width characters: one em wide in the CJK faces, so not measured. */
const fullWidth = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF01-\uFF60]$/u

/**
 * The advance widths of `pieces`, each in its style, as resvg shapes them: every distinct piece is
 * drawn between two bars on a row of its own in one picture, and the ink of "|piece|" less that of
 * "||" is the piece's width, spaces included. One picture for all, because resvg reads the fonts
 * anew for every SVG (a Japanese cover measured line by line took 7.4 s), and every CJK glyph run
 * costs it about 0.1 s, so full-width characters are taken as one em instead.
 */
function advances(pieces: readonly { text: string; style: TextStyle }[]): number[] {
  const rows: { text: string; style: TextStyle }[] = []
  const rowOf = new Map<string, number>()
  const row = (text: string, style: TextStyle) => {
    const key = `${style.families}|${style.face.weight}|${style.size}|${text}`
    if (!rowOf.has(key)) rowOf.set(key, rows.push({ text, style }) - 1)
    return rowOf.get(key)!
  }
  const measured = pieces.map(({ text, style }) => (fullWidth.test(text) ? undefined : { bars: row('||', style), piece: row(`|${text}|`, style) }))
  const ink = inkWidths(rows)
  return pieces.map((piece, index) => {
    const at = measured[index]
    return at ? Math.max(0, ink[at.piece]! - ink[at.bars]!) : piece.style.size
  })
}

/** How much the rows of `inkWidths` are squeezed upright: widths are all it reads, and pixels cost. */
const squeeze = 16

/**
 * The width of the ink of each row, drawn one row under the other in one picture, squeezed to a
 * sixteenth of its height: the ink keeps its width, and the picture has a sixteenth of the pixels to
 * draw, copy and read (a cover's 4 million pixels took about 0.2 s of its 0.45 s), so the same
 * budget measures four times finer.
 */
function inkWidths(rows: readonly { text: string; style: TextStyle }[]): number[] {
  if (rows.length === 0) return []
  const rowHeight = (style: TextStyle) => Math.ceil(style.size * 2)
  const tops: number[] = []
  let height = 0
  for (const row of rows) {
    tops.push(height)
    height += rowHeight(row.style)
  }
  const width = Math.ceil(Math.max(...rows.map((row) => row.style.size * (2 + 1.5 * Array.from(row.text).length))))
  // A quarter of a cover pixel is precision enough; the picture stays under a million pixels.
  const zoom = Math.min(4, Math.sqrt((1_000_000 * squeeze) / (width * height)))
  const texts = rows.map((row, index) => textElement(row.text, row.style.size / 2, tops[index]! + row.style.size * 1.3, row.style, '#000')).join('')
  const fontFiles = [...new Set(rows.flatMap((row) => row.style.files))]
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.ceil(height / squeeze)}"><g transform="scale(1 ${1 / squeeze})">${texts}</g></svg>`
  const image = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles }, fitTo: { mode: 'zoom', value: zoom } }).render()
  // Read once: each is a call into the native module.
  const [pixels, imageWidth, imageHeight] = [image.pixels, image.width, image.height]
  const inked = (x: number, y: number) => pixels[(y * imageWidth + x) * 4 + 3]! !== 0
  return rows.map((row, index) => {
    // Each line of pixels is read only outside the ink found so far: from the left up to `first`,
    // from the right down to `last`.
    let [first, last] = [imageWidth, -1]
    const bottom = Math.min(imageHeight, Math.ceil(((tops[index]! + rowHeight(row.style)) * zoom) / squeeze))
    for (let y = Math.floor((tops[index]! * zoom) / squeeze); y < bottom; y++) {
      for (let x = 0; x < first; x++) {
        if (inked(x, y)) first = x
      }
      for (let x = imageWidth - 1; x > last; x--) {
        if (inked(x, y)) last = x
      }
    }
    return last >= first ? (last - first + 1) / zoom : 0
  })
}

/** A block of cover text, broken into lines. */
interface Block {
  style: TextStyle
  lineHeight: number
  units: string[]
  lines: string[]
}

/**
 * Break each block into lines no wider than `width`, greedily, as a browser does. A unit wider
 * than a line breaks between characters, as `overflow-wrap: break-word` does on the printed cover.
 */
function wrapBlocks(blocks: Block[], width: number): void {
  const widths = advances(blocks.flatMap((block) => block.units.flatMap((unit) => [{ text: unit, style: block.style }, { text: unit.trimEnd(), style: block.style }])))
  // Measuring is to a pixel or so: a line keeps that much room.
  const room = width - 2
  let next = 0
  for (const block of blocks) {
    let current = ''
    let currentWidth = 0
    const flush = () => {
      if (current.trim() !== '') block.lines.push(current.trimEnd())
      ;[current, currentWidth] = ['', 0]
    }
    for (const unit of block.units) {
      const [full, trimmed] = [widths[next++]!, widths[next++]!]
      if (current !== '' && currentWidth + trimmed <= room) {
        current += unit
        currentWidth += full
        continue
      }
      flush()
      if (trimmed <= room) {
        ;[current, currentWidth] = [unit, full]
        continue
      }
      const characters = Array.from(unit.trimEnd())
      const characterWidths = advances(characters.map((text) => ({ text, style: block.style })))
      characters.forEach((character, index) => {
        if (current !== '' && currentWidth + characterWidths[index]! > room) flush()
        current += character
        currentWidth += characterWidths[index]!
      })
      current += ' '
    }
    flush()
  }
}

/** The distance from a line box's top to its baseline, as CSS places it: the leading split above and below the glyphs. */
function baselineOffset(block: Block): number {
  const { ascent, descent } = verticalMetrics(bundled(block.style.face).source)
  const { size } = block.style
  return (size * block.lineHeight - (ascent + descent) * size) / 2 + ascent * size
}

/** The markup of an SVG given as a `data:` URL (a partner logo, sanitized when the edition was loaded); `undefined` for other images. */
function svgMarkup(src: string): string | undefined {
  const match = /^data:image\/svg\+xml;base64,(.*)$/s.exec(src)
  return match ? Buffer.from(match[1]!, 'base64').toString('utf8').replace(/^\uFEFF?(?:\s*<\?xml[^>]*\?>)?(?:\s*<!DOCTYPE[^>]*>)?\s*/i, '') : undefined
}

/**
 * The logo drawn in the box `x, y, width, height`: an SVG logo inline, because resvg draws the text
 * of an SVG given as an `<image>` without any font; a raster logo as an `<image>`.
 */
function logoElement(src: string, box: { x: number; y: number; width: number; height: number }, natural: { width: number; height: number }): string {
  const place = `x="${box.x.toFixed(2)}" y="${box.y.toFixed(2)}" width="${box.width.toFixed(2)}" height="${box.height.toFixed(2)}"`
  const markup = svgMarkup(src)
  if (!markup) return `<image ${place} href="${escapeHtml(src)}"/>`
  // The logo keeps its own size inside a viewport of that size, scaled to the box.
  return `<svg ${place} viewBox="0 0 ${natural.width} ${natural.height}">${markup}</svg>`
}

/** Width and height of an image given as a `data:` URL, as resvg sees it. */
function imageSize(src: string): { width: number; height: number } | undefined {
  const markup = svgMarkup(src)
  if (markup) {
    const logo = new Resvg(markup, { font: { loadSystemFonts: false } })
    return { width: logo.width, height: logo.height }
  }
  const box = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="10000" height="10000"><image href="${escapeHtml(src)}"/></svg>`, { font: { loadSystemFonts: false } }).getBBox()
  return box && box.width > 0 && box.height > 0 ? { width: box.width, height: box.height } : undefined
}

/**
 * The cover as an SVG document of `size` pixels and the font files it needs: the design of
 * `coverCss` (cover-design.ts), every length a share of the width, laid out here because SVG does
 * not flow text.
 */
export function coverSvg(text: CoverText, size: CoverSize = epubCoverSize): { svg: string; fontFiles: string[] } {
  const share = size.width / 100
  const margin = 9 * share
  const rtl = text.dir === 'rtl'
  // Lines start at the start side: the left, or the right in a right-to-left language.
  const startX = rtl ? size.width - margin : margin
  const block = (words: string, face: Face, fontSize: number, lineHeight: number): Block => ({
    style: styleFor(words, face, fontSize * share, text.lang),
    lineHeight,
    units: breakUnits(words.trim(), text.lang),
    lines: []
  })
  const title = block(text.title, { family: 'Noto Sans', weight: 700 }, 10.5, 1.08)
  const subtitle = text.subtitle ? block(text.subtitle, { family: 'Noto Serif', weight: 400 }, 4.6, 1.3) : undefined
  const publisher = block(text.publisher, { family: 'Noto Sans', weight: 400 }, 2.9, 1.35)
  const blocks = [title, ...(subtitle ? [subtitle] : []), publisher]
  wrapBlocks(blocks, size.width - 2 * margin)

  const parts: string[] = [`<rect width="${size.width}" height="${size.height}" fill="${coverColors.background}"/>`]
  const draw = (drawn: Block, top: number, fill: string): number => {
    const lineBox = drawn.style.size * drawn.lineHeight
    const baseline = baselineOffset(drawn)
    drawn.lines.forEach((line, index) => parts.push(textElement(line, startX, top + index * lineBox + baseline, drawn.style, fill, rtl)))
    return drawn.lines.length * lineBox
  }
  let y = margin + 2 * share
  const motifSize = 46 * share
  // The motif sits at the right in either direction, as on the printed cover.
  parts.push(toHtml(motif(100), { space: 'svg' }).replace('<svg', `<svg x="${(size.width - margin - motifSize).toFixed(2)}" y="${y.toFixed(2)}" width="${motifSize.toFixed(2)}" height="${motifSize.toFixed(2)}"`))
  y += motifSize + 8 * share
  y += draw(title, y, coverColors.text) + 5 * share
  const ruleWidth = 18 * share
  parts.push(`<rect x="${(rtl ? startX - ruleWidth : startX).toFixed(2)}" y="${y.toFixed(2)}" width="${ruleWidth.toFixed(2)}" height="${(1.1 * share).toFixed(2)}" fill="${coverColors.rule}"/>`)
  y += 1.1 * share + 4.5 * share
  if (subtitle) draw(subtitle, y, coverColors.subtitle)
  // The publisher sits on the bottom margin, the logo (if any) just above it.
  const publisherTop = size.height - 8 * share - publisher.lines.length * publisher.style.size * publisher.lineHeight
  draw(publisher, publisherTop, coverColors.publisher)
  const natural = text.logo ? imageSize(text.logo.src) : undefined
  if (text.logo && natural) {
    // Like an <img> with max-width and max-height: scaled down to fit, never up.
    const scale = Math.min(1, (40 * share) / natural.width, (14 * share) / natural.height)
    const [width, height] = [natural.width * scale, natural.height * scale]
    parts.push(logoElement(text.logo.src, { x: rtl ? startX - width : startX, y: publisherTop - 3 * share - height, width, height }, natural))
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}">${parts.join('')}</svg>`
  return { svg, fontFiles: [...new Set(blocks.flatMap((drawn) => drawn.style.files))] }
}

/** The cover as a PNG of exactly `size` pixels. */
export function coverPng(text: CoverText, size: CoverSize = epubCoverSize): Buffer {
  const { svg, fontFiles } = coverSvg(text, size)
  // Generic families (a partner logo's `sans-serif`) are the bundled faces, never the machine's.
  const font = { loadSystemFonts: false, fontFiles, defaultFontFamily: 'Noto Sans', sansSerifFamily: 'Noto Sans', serifFamily: 'Noto Serif' }
  return Buffer.from(new Resvg(svg, { font, fitTo: { mode: 'original' } }).render().asPng())
}
