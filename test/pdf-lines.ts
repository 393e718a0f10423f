// The printed lines of a PDF's text block, from poppler's `pdftotext -bbox-layout`: runs of
// hyphenated lines and single lines of a paragraph left alone at a page top or bottom.
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'

export interface PrintedLine {
  x0: number
  x1: number
  y0: number
  y1: number
  words: string[]
}

/** Body lines of every page, top to bottom, without the running head and folio (above `top`, below `bottom`, in points). */
export function printedLines(file: string, block: { top: number; bottom: number }): PrintedLine[][] {
  const xml = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
  const number = (tag: string, name: string) => Number(new RegExp(`${name}="([-0-9.]+)"`).exec(tag)![1])
  return xml.split('<page ').slice(1).map((page) => {
    const lines: PrintedLine[] = []
    for (const [, open, inner] of page.matchAll(/<line ([^>]*)>([\s\S]*?)<\/line>/g)) {
      const line = { x0: number(open!, 'xMin'), x1: number(open!, 'xMax'), y0: number(open!, 'yMin'), y1: number(open!, 'yMax'), words: [...inner!.matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((match) => decode(match[1]!)) }
      if (line.y1 < block.top || line.y0 > block.bottom || line.words.length === 0) continue
      lines.push(line)
    }
    lines.sort((a, b) => Math.round(a.y0) - Math.round(b.y0) || a.x0 - b.x0)
    // Poppler can cut one printed line in two at a wide justified space: such pieces are one line (a
    // contents entry, title and page number far apart across the leader, is not).
    const merged: PrintedLine[] = []
    for (const line of lines) {
      const previous = merged.at(-1)
      if (previous && Math.abs(previous.y1 - line.y1) < 1 && line.x0 > previous.x1 && line.x0 - previous.x1 < 15) {
        previous.x1 = line.x1
        previous.words.push(...line.words)
      } else merged.push(line)
    }
    return merged
  })
}

function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
}

/** Words written with a hyphen in the locale's Markdown, lower case: a line ending in their hyphen is no hyphenation. */
export function sourceHyphenated(handbook: string, locale: string): Set<string> {
  const folder = path.join(handbook, locale)
  const words = new Set<string>()
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.md'))) {
    const text = readFileSync(path.join(folder, name), 'utf8')
    for (const [word] of text.matchAll(/[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]*)+/gu)) words.add(word.toLowerCase())
  }
  return words
}

/** Whether `line` follows `previous` directly in the same column, one line below. */
function follows(line: PrintedLine, previous: PrintedLine): boolean {
  return Math.abs(line.x0 - previous.x0) < 30 && line.y0 > previous.y0 && line.y0 - previous.y0 < (previous.y1 - previous.y0) * 1.3
}

/**
 * Runs of `min` or more lines in a row (within a page) that end in a hyphenation hyphen: the last
 * word ends in `-`, the line reaches the right edge of the text (a justified line), and the word
 * joined with the next line's first word is not one the source writes with a hyphen (`EU-` and
 * `Förder-` of "Förder- und" are the author's). Each run as its line-end words.
 */
export function hyphenRuns(pages: readonly PrintedLine[][], hyphenated: ReadonlySet<string>, min = 3): { page: number; words: string[] }[] {
  const runs: { page: number; words: string[] }[] = []
  pages.forEach((lines, index) => {
    if (lines.length === 0) return
    const right = Math.max(...lines.map((line) => line.x1))
    let run: PrintedLine[] = []
    const flush = () => {
      if (run.length >= min) runs.push({ page: index + 1, words: run.map((line) => line.words.at(-1)!) })
      run = []
    }
    lines.forEach((line, at) => {
      const last = line.words.at(-1)!
      const next = lines[at + 1]
      const joined = (last + (next?.words[0] ?? '')).toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
      const isBreak = last.length > 1 && last.endsWith('-') && line.x1 > right - 3 && !hyphenated.has(joined) && !hyphenated.has(last.toLowerCase().replace(/^[^\p{L}\p{N}]+/u, ''))
      if (!isBreak) return flush()
      if (run.length > 0 && !follows(line, run.at(-1)!)) flush()
      run.push(line)
    })
    flush()
  })
  return runs
}

/**
 * Single lines of a paragraph alone at a page top (its last line, the rest overleaf before it) or
 * at a page bottom (its first line). A paragraph goes on over a page break when the page's last
 * line is full (justified to the right edge) and does not end a sentence; the line overleaf is its
 * last when it is short and what follows starts apart (a gap or another indent).
 */
export function strandedLines(pages: readonly PrintedLine[][]): { page: number; where: 'top' | 'bottom'; text: string }[] {
  const found: { page: number; where: 'top' | 'bottom'; text: string }[] = []
  for (let index = 1; index < pages.length; index++) {
    const previous = pages[index - 1]!
    const current = pages[index]!
    if (previous.length < 2 || current.length === 0) continue
    const last = previous.at(-1)!
    const first = current[0]!
    const fullBefore = last.x1 > Math.max(...previous.map((line) => line.x1)) - 2 && !/[.:!?]["”“»«]?$/.test(last.words.at(-1)!)
    if (!fullBefore || Math.abs(first.x0 - last.x0) >= 30) continue
    const height = first.y1 - first.y0
    const second = current[1]
    const endsAlone = !second || second.y0 - first.y1 > height * 0.5 || Math.abs(second.x0 - first.x0) > 5
    if (previous.length > 3 && first.x1 < Math.max(...current.map((line) => line.x1)) - 8 && endsAlone) found.push({ page: index + 1, where: 'top', text: first.words.join(' ') })
    const above = previous.at(-2)!
    if (last.y0 - above.y1 > (last.y1 - last.y0) * 0.5 && last.words.length > 3) found.push({ page: index, where: 'bottom', text: last.words.join(' ') })
  }
  return found
}
