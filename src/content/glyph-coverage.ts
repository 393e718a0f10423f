// Which characters the installed fonts can draw, and a `glyph-missing` warning for text that none can.
import { execFileSync } from 'node:child_process'
import type { Root, Text } from 'hast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { warn } from '../report/messages.js'

let cached: ((codePoint: number) => boolean) | null | undefined

/**
 * The union of every installed font's character set, from fontconfig (`fc-list`), as a lookup;
 * `null` where fontconfig is missing (then nothing can be judged, and `doctor` says so).
 * The bundled Noto Serif and Noto Sans cover less than the system's Noto fonts the set-up installs.
 */
export function installedCoverage(): ((codePoint: number) => boolean) | null {
  if (cached !== undefined) return cached
  let output: string
  try {
    output = execFileSync('fc-list', ['--format=%{charset}\\n'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return (cached = null)
  }
  return (cached = parseCharset(output))
}

/** A fontconfig character set (`%{charset}`: hex code points and ranges) as a lookup. */
export function parseCharset(charset: string): (codePoint: number) => boolean {
  const ranges: [number, number][] = []
  for (const token of charset.split(/\s+/)) {
    const match = /^([0-9a-f]+)(?:-([0-9a-f]+))?$/i.exec(token)
    if (match) ranges.push([parseInt(match[1]!, 16), parseInt(match[2] ?? match[1]!, 16)])
  }
  ranges.sort((a, b) => a[0] - b[0])
  // Merge overlapping ranges, then binary-search them.
  const merged: [number, number][] = []
  for (const range of ranges) {
    const last = merged.at(-1)
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1])
    else merged.push([...range])
  }
  return (codePoint: number) => {
    let low = 0
    let high = merged.length - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      const [start, end] = merged[middle]!
      if (codePoint < start) high = middle - 1
      else if (codePoint > end) low = middle + 1
      else return true
    }
    return false
  }
}

/** Characters no font draws on purpose: spaces, controls, joiners, marks of direction, variation selectors. */
const invisible = /[\p{White_Space}\p{Cc}\p{Cf}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]/u

/**
 * Text wholly in ranges the bundled Noto Serif and Noto Sans draw: Latin (with its extensions and
 * combining marks), Greek (without Coptic), Cyrillic, general punctuation, currency and letter-like
 * symbols; and the ↩ of footnote back-links, which the pipeline adds itself (the set-up's DejaVu draws it).
 */
const bundledText = /^[\u21A9\u0000-\u024F\u0300-\u036F\u0370-\u03E1\u03F0-\u03FF\u0400-\u04FF\u1E00-\u1EFF\u2000-\u2064\u2066-\u206F\u20A0-\u20BF\u2100-\u214F]*$/u

/** Warn once per character and file about text no installed font can draw, at its first place. */
export function checkGlyphs(tree: Root, file: VFile): void {
  const seen = new Set<number>()
  visit(tree, 'text', (node: Text) => {
    // Most text is in the scripts the bundled fonts draw: fontconfig (0.15 s to list every font's
    // characters) is asked only when a character outside them appears.
    if (bundledText.test(node.value)) return
    for (const character of node.value) {
      const codePoint = character.codePointAt(0)!
      if (codePoint < 0x80 || seen.has(codePoint) || invisible.test(character)) continue
      const covers = installedCoverage()
      if (!covers) return
      if (covers(codePoint)) continue
      seen.add(codePoint)
      const name = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
      warn(file, `Cannot draw \`${character}\` (${name}): no bundled or installed font has it, so it prints as an empty box; install a font for its script (see \`handbook doctor\`) or replace the character`, node.position ?? null, 'glyph-missing')
    }
  })
}
