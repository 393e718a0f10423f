// Words of a locale's running text, sampled from the Markdown source with how often each occurs, to
// check that a PDF's text layer finds every occurrence a reader sees.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'

/** Lines whose words also print elsewhere (headings feed running heads and the contents; table
 * cells and captions may repeat in lists of tables): their words are not sampled. */
function isExcluded(line: string): boolean {
  return /^\s*(#|\||:::|title:|short-title:|description:|---)/.test(line)
}

const wordPattern = /\p{L}+/gu

/** Count whole-word occurrences of `word` in `text` (letters on neither side). */
export function countWord(text: string, word: string): number {
  let count = 0
  for (const match of text.matchAll(wordPattern)) if (match[0] === word) count++
  return count
}

/**
 * `size` words of at least `minLength` letters, spread evenly over the alphabetical list of the
 * words that occur only in running text of the chapters (never in a heading, table, caption, front
 * matter or the book's configuration), each with its number of occurrences in the source.
 */
export function sampleWords(handbook: string, locale: string, size = 20, minLength = 9): { word: string; count: number }[] {
  const folder = path.join(handbook, locale)
  const running: string[] = []
  const elsewhere: string[] = []
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.md')).sort()) {
    for (const line of readFileSync(path.join(folder, name), 'utf8').split('\n')) (isExcluded(line) ? elsewhere : running).push(line)
  }
  for (const name of ['handbook.yaml', `strings/${locale}.yaml`, `terms/${locale}.yaml`]) {
    try {
      elsewhere.push(readFileSync(path.join(handbook, name), 'utf8'))
    } catch {
      // A book without strings or terms of this locale.
    }
  }
  // Markup is not text: directive names, attributes and link targets.
  const text = running.join('\n').replace(/\{[^}]*\}/g, ' ').replace(/\]\([^)]*\)/g, '] ').replace(/:[a-z]+\[/g, ' [')
  const excluded = new Set(elsewhere.join('\n').match(wordPattern) ?? [])
  const counts = new Map<string, number>()
  for (const [word] of text.matchAll(wordPattern)) if (word.length >= minLength && !excluded.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1)
  const words = [...counts.keys()].sort()
  const step = words.length / size
  return Array.from({ length: Math.min(size, words.length) }, (_, index) => words[Math.floor(index * step)]!).map((word) => ({ word, count: counts.get(word)! }))
}
