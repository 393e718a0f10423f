// Every chapter of the bundled handbook in every language against its source: translated, with the same sections, figures, tables, footnotes, callouts, cross-references and images, a plausible length, and no English paragraph.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { francAll } from 'franc'
import { chapterFromRaw, readerText } from '../src/content/sections.js'
import { bundledBook, bundledHandbook } from './helpers.js'

const { config, sourceLocale, chapterIds } = bundledBook()

/** The body of a chapter file without its front matter. */
const body = (raw: string) => raw.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '')

/** Every match of a pattern's first group, sorted: a multiset to compare. */
const all = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match[1] ?? match[0]).sort()

/** The structure a translation must keep: what a reader can count or follow in the chapter. */
function structure(raw: string) {
  const text = body(raw)
  return {
    directives: all(text, /^ {0,3}(:{3,}[a-z][\w-]*)/gm),
    'directive ids': all(text, /^ {0,3}:{3,}[a-z][\w-]*(?:\[[^\]\n]*\])?\{[^}\n]*#([^\s}]+)/gm),
    'cross-references': all(text, /\]\(#([^)\s]+)\)/g),
    'links elsewhere': all(text, /\]\(((?!#)[^)\s]+)\)/g).map((target) => target.replace(/\/assets\/[a-z-]+\//, '/assets/')),
    'footnote definitions': all(text, /^\[\^([^\]]+)\]:/gm),
    'footnote references': all(text, /\[\^([^\]]+)\](?!:)/g),
    'task-list items': all(text, /^ *[-*] \[[ xX]\]/gm).length,
    'table rows': all(text, /^ *\|.*\|[ \t]*$/gm).length
  }
}

/**
 * The ratio of translated to source words that a complete, faithful chapter stays within. Measured
 * on the bundled translations (Latvian 0.82-0.95 per chapter, German 0.97-1.10); short chapters
 * (part openers, under 300 words) vary more and get a wider band.
 */
const ratioBand = (sourceWords: number) => (sourceWords < 300 ? [0.6, 1.6] : [0.7, 1.4])

/** ISO 639-3 codes franc answers with, for the bundled locales. */
const franc3: Record<string, string> = { en: 'eng', lv: 'lvs', de: 'deu', da: 'dan', hu: 'hun', it: 'ita' }

/**
 * Paragraphs and list items of running text long enough for language identification (12 words),
 * outside reading lists (titles of works keep their language) and code.
 */
function paragraphs(raw: string, chapterId: string): { line: number; text: string }[] {
  const sections = chapterFromRaw(chapterId, raw).text.sections.filter((section) => !section.id.endsWith('further-reading'))
  return sections.flatMap((section) =>
    section.text.split(/\n(?:[ \t]*\n)+|\n(?=[ \t]*(?:[-*]|\d+\.) )/).flatMap((block, index, blocks) => {
      const text = readerText(block).replace(/^[ \t]*(?:#+|[-*]|\d+\.|>|\|)[ \t]*/gm, ' ').replace(/"[^"\n]*"/g, ' ').replace(/[*_`|]/g, ' ')
      const line = section.line + blocks.slice(0, index).join('\n\n').split('\n').length - (index === 0 ? 1 : 0)
      return (text.match(/[\p{L}]+/gu)?.length ?? 0) >= 12 ? [{ line, text }] : []
    })
  )
}

/** The language of a paragraph, between the locale's language and English only: on short texts an open choice among 180 languages is noise. */
const identify = (text: string, tag: string) => francAll(text, { only: [franc3[tag]!, 'eng'], minLength: 10 })[0]?.[0]

test('the language check tells an English paragraph from a translated one', () => {
  const english = 'A municipality that wants to attract investors needs staff who can answer a request from abroad in a language the investor reads.'
  assert.equal(identify(english, 'de'), 'eng')
  assert.equal(identify('Eine Kommune, die Investoren gewinnen will, braucht Beschäftigte, die eine Anfrage aus dem Ausland beantworten können.', 'de'), 'deu')
  assert.equal(identify(english, 'lv'), 'eng')
  assert.equal(identify('Pašvaldībai, kas vēlas piesaistīt investorus, ir vajadzīgi darbinieki, kuri spēj atbildēt uz ārvalstu pieprasījumu.', 'lv'), 'lvs')
})

for (const { tag } of config.locales.filter((locale) => locale.tag !== sourceLocale)) {
  test(`${tag}: every chapter is translated, with the structure of its source and a plausible length`, (t) => {
    const problems: string[] = []
    const ratios: string[] = []
    for (const id of chapterIds) {
      const file = path.join(bundledHandbook, tag, `${id}.md`)
      if (!existsSync(file)) {
        problems.push(`${tag}/${id}.md: missing (the edition shows the ${sourceLocale} chapter)`)
        continue
      }
      const sourceRaw = readFileSync(path.join(bundledHandbook, sourceLocale, `${id}.md`), 'utf8')
      const raw = readFileSync(file, 'utf8')
      const source = chapterFromRaw(id, sourceRaw).text
      const translation = chapterFromRaw(id, raw).text
      const sourceIds = source.sections.map((section) => section.id).join(' ')
      const translatedIds = translation.sections.map((section) => section.id).join(' ')
      if (sourceIds !== translatedIds) problems.push(`${tag}/${id}.md: sections ${translatedIds}, source ${sourceIds}`)
      const expected = structure(sourceRaw)
      const actual = structure(raw)
      for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
        if (JSON.stringify(actual[key]) !== JSON.stringify(expected[key])) problems.push(`${tag}/${id}.md: ${key} ${JSON.stringify(actual[key])}, source ${JSON.stringify(expected[key])}`)
      }
      const sourceWords = source.sections.reduce((sum, section) => sum + section.words, 0)
      const words = translation.sections.reduce((sum, section) => sum + section.words, 0)
      const ratio = words / sourceWords
      const [low, high] = ratioBand(sourceWords)
      ratios.push(`${id} ${ratio.toFixed(2)}`)
      if (ratio < low! || ratio > high!) problems.push(`${tag}/${id}.md: ${words} words for ${sourceWords} in the source (ratio ${ratio.toFixed(2)}, expected ${low}-${high})`)
    }
    t.diagnostic(`${tag} word ratios: ${ratios.join(', ')}`)
    assert.deepEqual(problems, [])
  })

  test(`${tag}: no paragraph of a translated chapter is English`, (t) => {
    const flagged: string[] = []
    let checked = 0
    for (const id of chapterIds) {
      const file = path.join(bundledHandbook, tag, `${id}.md`)
      if (!existsSync(file)) continue
      for (const paragraph of paragraphs(readFileSync(file, 'utf8'), id)) {
        checked++
        if (identify(paragraph.text, tag) === 'eng') flagged.push(`${tag}/${id}.md:${paragraph.line}: ${paragraph.text.trim().slice(0, 100)}`)
      }
    }
    t.diagnostic(`${tag}: ${checked} paragraphs checked, ${flagged.length} identified as English`)
    assert.deepEqual(flagged, [])
  })
}
