// The bundled fonts (OFL, from npm): Noto Serif for text, Noto Sans for headings, as whole TrueType files.
// Whole files, not the web's per-script subsets: a word that mixes subsets (Latvian "rokasgrāmata")
// would otherwise come out of a PDF's text layer split at every letter from the other subset.
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
