// The bundled fonts (OFL, from npm): Noto Serif for text, Noto Sans for headings and labels.
// Print embeds whole TrueType files: with the web's per-script subsets, a word that mixes them
// (Latvian "rokasgrāmata") comes out of a PDF's text layer split at every letter from the other
// subset. EPUB and HTML use the woff2 subsets, a seventh of the size; readers join them fine.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

export interface FontFile {
  family: string
  weight: 400 | 700
  style: 'normal' | 'italic'
  /** Absolute path of the TrueType file. */
  source: string
  /** Its file name, unique across families. */
  name: string
}

/** Text in Noto Serif (four faces); headings, captions and labels in Noto Sans. */
const faces: Omit<FontFile, 'source' | 'name'>[] = [
  { family: 'Noto Serif', weight: 400, style: 'normal' },
  { family: 'Noto Serif', weight: 400, style: 'italic' },
  { family: 'Noto Serif', weight: 700, style: 'normal' },
  { family: 'Noto Serif', weight: 700, style: 'italic' },
  { family: 'Noto Sans', weight: 400, style: 'normal' },
  { family: 'Noto Sans', weight: 700, style: 'normal' }
]

function fileOf(face: Omit<FontFile, 'source' | 'name'>): FontFile {
  const packageName = face.family.toLowerCase().replace(/ /g, '-')
  const variant = `${face.weight}${face.weight === 400 ? 'Regular' : 'Bold'}${face.style === 'italic' ? '_Italic' : ''}`
  const name = `${face.family.replace(/ /g, '')}_${variant}.ttf`
  const folder = path.dirname(require.resolve(`@expo-google-fonts/${packageName}/package.json`))
  return { ...face, source: path.join(folder, variant, name), name }
}

/** The font files every edition embeds. */
export const fontFiles: readonly FontFile[] = faces.map(fileOf)

/** `@font-face` rules for the bundled fonts, each file's URL given by `urlOf`. */
export function fontFaceCss(urlOf: (font: FontFile) => string): string {
  return (
    fontFiles
      .map(
        (font) =>
          `@font-face { font-family: "${font.family}"; font-style: ${font.style}; font-weight: ${font.weight}; font-display: block; src: url("${urlOf(font)}") format("truetype"); }`
      )
      .join('\n') + '\n'
  )
}

/** One face of one web subset: a woff2 file and the characters it covers. */
export interface WebFont extends Omit<FontFile, 'source' | 'name'> {
  subset: string
  /** The `unicode-range` of the subset, as fontsource publishes it. */
  unicodeRange: string
  /** Absolute path of the woff2 file. */
  source: string
  /** The file name, unique across families (fontsource names carry the family). */
  name: string
}

/** Latin and Latin Extended cover English, Latvian, German, Danish, Hungarian and Italian. */
const webSubsets = ['latin', 'latin-ext'] as const

let web: readonly WebFont[] | undefined

/** The woff2 files of the EPUB and HTML editions, in a fixed order. */
export function webFonts(): readonly WebFont[] {
  web ??= faces.flatMap((face) => {
    const folder = path.dirname(require.resolve(`@fontsource/${face.family.toLowerCase().replace(/ /g, '-')}/package.json`))
    const ranges = JSON.parse(readFileSync(path.join(folder, 'unicode.json'), 'utf8')) as Record<string, string>
    return webSubsets.map((subset) => {
      const unicodeRange = ranges[subset]
      if (!unicodeRange) throw new Error(`Cannot find the ${subset} subset of ${face.family} in @fontsource`)
      const name = `${path.basename(folder)}-${subset}-${face.weight}-${face.style}.woff2`
      return { ...face, subset, unicodeRange, source: path.join(folder, 'files', name), name }
    })
  })
  return web
}

/**
 * `@font-face` rules for the web fonts, the URL of each given by `urlOf`.
 * Longhand descriptors only: EPUBCheck rejects some shorthands (CSS-020).
 */
export function webFontFaceRules(urlOf: (font: WebFont) => string): string {
  return webFonts()
    .map(
      (font) =>
        `@font-face {\n  font-family: "${font.family}";\n  font-style: ${font.style};\n  font-weight: ${font.weight};\n` +
        `  src: url("${urlOf(font)}") format("woff2");\n  unicode-range: ${font.unicodeRange};\n}\n`
    )
    .join('')
}
