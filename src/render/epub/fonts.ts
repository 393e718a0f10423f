// The fonts the EPUB embeds: Noto Serif and Noto Sans (OFL, from @fontsource), Latin and Latin Extended subsets as woff2.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

/** One face of one subset: a woff2 file and the characters it covers. */
export interface EmbeddedFont {
  family: 'Noto Serif' | 'Noto Sans'
  weight: 400 | 700
  style: 'normal' | 'italic'
  subset: string
  /** The `unicode-range` of the subset, as fontsource publishes it. */
  unicodeRange: string
  /** Absolute path of the woff2 file. */
  source: string
  /** The file name, unique across families (fontsource names carry the family). */
  name: string
}

/** Text in Noto Serif (four faces); headings, captions and labels in Noto Sans. */
const faces: readonly Pick<EmbeddedFont, 'family' | 'weight' | 'style'>[] = [
  { family: 'Noto Serif', weight: 400, style: 'normal' },
  { family: 'Noto Serif', weight: 400, style: 'italic' },
  { family: 'Noto Serif', weight: 700, style: 'normal' },
  { family: 'Noto Serif', weight: 700, style: 'italic' },
  { family: 'Noto Sans', weight: 400, style: 'normal' },
  { family: 'Noto Sans', weight: 700, style: 'normal' }
]

/** Latin and Latin Extended cover English, Latvian, German, Danish, Hungarian and Italian. */
const subsets = ['latin', 'latin-ext'] as const

function packageFolder(family: string): string {
  return path.dirname(require.resolve(`@fontsource/${family.toLowerCase().replace(/ /g, '-')}/package.json`))
}

function listFonts(): EmbeddedFont[] {
  const fonts: EmbeddedFont[] = []
  for (const face of faces) {
    const folder = packageFolder(face.family)
    const ranges = JSON.parse(readFileSync(path.join(folder, 'unicode.json'), 'utf8')) as Record<string, string>
    for (const subset of subsets) {
      const unicodeRange = ranges[subset]
      if (!unicodeRange) throw new Error(`Cannot find the ${subset} subset of ${face.family} in @fontsource`)
      const name = `${path.basename(folder)}-${subset}-${face.weight}-${face.style}.woff2`
      fonts.push({ ...face, subset, unicodeRange, source: path.join(folder, 'files', name), name })
    }
  }
  return fonts
}

let cached: readonly EmbeddedFont[] | undefined

/** The font files, in a fixed order. */
export function embeddedFonts(): readonly EmbeddedFont[] {
  cached ??= listFonts()
  return cached
}

/**
 * `@font-face` rules for every embedded file, the URL of each given by `urlOf`.
 * Longhand descriptors only: EPUBCheck rejects some shorthands (CSS-020).
 */
export function fontFaceRules(urlOf: (font: EmbeddedFont) => string): string {
  return embeddedFonts()
    .map(
      (font) =>
        `@font-face {\n  font-family: "${font.family}";\n  font-style: ${font.style};\n  font-weight: ${font.weight};\n` +
        `  src: url("${urlOf(font)}") format("woff2");\n  unicode-range: ${font.unicodeRange};\n}\n`
    )
    .join('')
}
