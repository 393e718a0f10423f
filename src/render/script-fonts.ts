// Fonts for the scripts the bundled Noto Serif and Sans lack (Arabic, CJK): the installed Noto fonts, cut to the characters one EPUB uses.
// A whole CJK font is 15-25 MB; the subset of a book's few hundred characters is tens of kilobytes.
// Subsetting is fontTools' (Debian `python3-fonttools`): it keeps the OpenType layout tables and the
// glyphs they reach, which Arabic needs for its joining forms, and leaves the font's timestamps alone,
// so the same text gives the same bytes.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface ScriptFont {
  /** The family the EPUB style sheet names for the script (styles/epub.css). */
  family: string
  /** The installed font file and, for a collection, the font's index in it. */
  file: string
  index: number
  /** The characters of the book the subset must draw. */
  text: string
}

interface Script {
  /** The characters of the script, with its punctuation and presentation forms. */
  characters: RegExp
  /** The family for an edition's language, as styles/epub.css names it. */
  family: (lang: string) => string
}

const scripts: readonly Script[] = [
  { characters: /[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/gu, family: () => 'Noto Naskh Arabic' },
  {
    characters: /[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/gu,
    family: (lang) => (lang.startsWith('zh') ? 'Noto Serif CJK SC' : lang.startsWith('ko') ? 'Noto Serif CJK KR' : 'Noto Serif CJK JP')
  }
]

/** Where fontconfig finds `family`, as `file` and `index`; `undefined` when it is not installed. */
function locate(family: string): { file: string; index: number } | undefined {
  try {
    const found = execFileSync('fc-match', ['-f', '%{family}\t%{file}\t%{index}', `${family}:style=Regular`], { encoding: 'utf8' })
    const [families, file, index] = found.split('\t')
    // fc-match always answers: with a fallback font when the family is missing.
    if (!file || !families?.split(',').includes(family) || !existsSync(file)) return undefined
    return { file, index: Number(index) || 0 }
  } catch {
    return undefined
  }
}

/** The script fonts `text` (the EPUB's words) needs, each with the characters it must draw. */
export function scriptFontsFor(text: string, lang: string): { fonts: ScriptFont[]; missing: string[] } {
  const fonts: ScriptFont[] = []
  const missing: string[] = []
  for (const script of scripts) {
    const used = [...new Set(text.match(script.characters) ?? [])].sort()
    if (used.length === 0) continue
    const family = script.family(lang)
    const place = locate(family)
    if (place) fonts.push({ family, ...place, text: used.join('') })
    else missing.push(family)
  }
  return { fonts, missing }
}

let python: string | null | undefined

/** A Python that has fontTools, or `null`. The system's first: a version manager's may lack it. */
function fontToolsPython(): string | null {
  if (python !== undefined) return python
  python = null
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(candidate, ['-c', 'import fontTools.subset, brotli'], { stdio: 'ignore' })
      python = candidate
      break
    } catch {
      // Not this one.
    }
  }
  return python
}

export interface FontSubset {
  family: string
  /** The woff2 file, in `folder`. */
  source: string
  name: string
}

/**
 * Cut each font to its text as woff2 files in a new temporary folder (the caller removes it).
 * Throws when fontTools is missing: the caller reports it and packages without the fonts.
 */
export function subsetFonts(fonts: readonly ScriptFont[]): { folder: string; subsets: FontSubset[] } {
  const interpreter = fontToolsPython()
  if (!interpreter) throw new Error('fontTools is not installed (Debian: `apt-get install python3-fonttools python3-brotli`)')
  const folder = mkdtempSync(path.join(tmpdir(), 'handbook-fonts-'))
  try {
    const subsets = fonts.map((font) => {
      const name = `${font.family.replace(/ /g, '')}-subset.woff2`
      const textFile = path.join(folder, `${name}.txt`)
      writeFileSync(textFile, font.text)
      const source = path.join(folder, name)
      execFileSync(
        interpreter,
        ['-m', 'fontTools.subset', font.file, `--font-number=${font.index}`, `--text-file=${textFile}`, '--layout-features=*', '--flavor=woff2', `--output-file=${source}`],
        { stdio: ['ignore', 'ignore', 'pipe'] }
      )
      return { family: font.family, source, name }
    })
    return { folder, subsets }
  } catch (error) {
    rmSync(folder, { recursive: true, force: true })
    throw error
  }
}

/** `@font-face` rules for the subsets, at `fonts/<name>` in the EPUB. */
export function subsetFontFaceRules(subsets: readonly FontSubset[]): string {
  return subsets
    .map((font) => `@font-face {\n  font-family: "${font.family}";\n  font-style: normal;\n  font-weight: 400;\n  src: url("fonts/${font.name}") format("woff2");\n}\n`)
    .join('')
}
