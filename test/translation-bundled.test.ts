// `handbook status` on the bundled handbook against a count made here from the files, and the documented JSON schema.
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'
import { statusJsonSchemas, statusReportSchema } from '../src/content/status-schema.js'
import { bundledHandbook, repoRoot, runCli } from './helpers.js'

interface Counted {
  /** Section ids in order, the chapter id first (its opening). */
  sections: string[]
  words: Map<string, number>
  draft: boolean
}

/**
 * Words as docs/translation.md defines them, written again here: markup a reader does not see is
 * dropped, then runs of letters and digits (with inner ' ’ . -) are words.
 */
function words(text: string): number {
  let plain = text
  for (const [pattern, replacement] of [
    [/<!--[\s\S]*?-->/g, ' '],
    [/<\/?[A-Za-z][^>]*>/g, ' '],
    [/\{[^{}\n]*\}/g, ' '],
    [/\]\([^()\s]*(\s+"[^"]*")?\)/g, '] '],
    [/\[\^[^\]\s]+\]:?/g, ' '],
    [/(^|\s|\()(:+)[A-Za-z][\w-]*/g, '$1 ']
  ] as const) plain = plain.replace(pattern, replacement)
  return plain.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu)?.length ?? 0
}

/** A chapter file counted by hand: front matter, `##` sections with their `{#id}`, words per section. */
function count(file: string, id: string): Counted | undefined {
  if (!existsSync(file)) return undefined
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n')
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text)
  assert.ok(match, `${file} has front matter`)
  const front = parse(match[1]!) as Record<string, unknown>
  const body = match[2]!
  assert.doesNotMatch(body, /^\s*(```|~~~)/m, `${file}: this count does not handle code fences`)
  const parts = body.split(/^(?=## )/m)
  const opening = parts[0]!.startsWith('## ') ? '' : parts.shift()!
  const sections = [id]
  const counts = new Map<string, number>([[id, ['title', 'short-title', 'description'].reduce((sum, key) => sum + words(String(front[key] ?? '')), 0) + words(opening)]])
  for (const part of parts) {
    const heading = /^## .*\{#([a-z0-9-]+)\}[ \t]*$/m.exec(part)
    assert.ok(heading, `${file}: every section heading has an id`)
    sections.push(heading[1]!)
    counts.set(heading[1]!, words(part))
  }
  return { sections, words: counts, draft: front.draft === true }
}

function chapterIds(config: { contents: { front?: string[]; body: (string | { part: string; chapters: string[] })[]; back?: string[] } }): string[] {
  const body = config.contents.body.flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry.part, ...entry.chapters]))
  return [...(config.contents.front ?? []), ...body, ...(config.contents.back ?? [])]
}

test('handbook status on the bundled handbook reports the coverage counted independently from the files', (t) => {
  const config = parse(readFileSync(path.join(bundledHandbook, 'handbook.yaml'), 'utf8')) as Parameters<typeof chapterIds>[0] & { 'source-locale': string; locales: { tag: string }[] }
  const ids = chapterIds(config)
  const sourceLocale = config['source-locale']
  const source = new Map(ids.map((id) => [id, count(path.join(bundledHandbook, sourceLocale, `${id}.md`), id)!]))
  const total = [...source.values()].reduce((sum, chapter) => sum + [...chapter.words.values()].reduce((a, b) => a + b, 0), 0)

  const result = runCli(['status', '--json'])
  assert.equal(result.code, 0, result.stderr)
  const report = statusReportSchema.parse(JSON.parse(result.stdout))
  assert.deepEqual(report.locales.map((locale) => locale.locale), config.locales.map((locale) => locale.tag))
  const summary: string[] = []
  for (const locale of report.locales) {
    assert.equal(locale.sourceWords, total, `${locale.locale}: source words`)
    assert.deepEqual(locale.chapters.map((chapter) => chapter.chapter), ids)
    if (locale.isSource) {
      assert.equal(locale.words, total)
      continue
    }
    const record = (() => {
      const file = path.join(bundledHandbook, 'translations', `${locale.locale}.json`)
      return existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { chapters: Record<string, unknown> }).chapters ?? {}) : {}
    })()
    let translated = 0
    let translatedChapters = 0
    for (const chapter of locale.chapters) {
      const own = count(path.join(bundledHandbook, locale.locale, `${chapter.chapter}.md`), chapter.chapter)
      const original = source.get(chapter.chapter)!
      assert.deepEqual(chapter.sections.map((section) => section.id), original.sections, `${locale.locale} ${chapter.chapter}: the source's sections`)
      if (!own) {
        assert.equal(chapter.state, 'missing', `${locale.locale} ${chapter.chapter}`)
        continue
      }
      translatedChapters++
      const expectedChapterState = own.draft ? 'draft' : record[chapter.chapter] === undefined ? 'untracked' : undefined
      if (expectedChapterState) assert.equal(chapter.state, expectedChapterState, `${locale.locale} ${chapter.chapter}`)
      else assert.ok(chapter.state === 'current' || chapter.state === 'stale', `${locale.locale} ${chapter.chapter}: recorded`)
      assert.equal(chapter.words, [...own.words.values()].reduce((a, b) => a + b, 0), `${locale.locale} ${chapter.chapter}: words`)
      for (const section of chapter.sections) {
        const present = own.sections.includes(section.id)
        assert.equal(section.state === 'missing', !present, `${locale.locale} ${chapter.chapter}#${section.id}`)
        assert.equal(section.sourceWords, original.words.get(section.id))
        if (present) assert.equal(section.words, own.words.get(section.id), `${locale.locale} ${chapter.chapter}#${section.id}: words`)
        if (present && !own.draft) translated += original.words.get(section.id)!
      }
    }
    assert.equal(locale.chapters.filter((chapter) => chapter.state !== 'missing').length, translatedChapters)
    assert.equal(locale.coverage, Math.floor((1000 * translated) / total) / 10, `${locale.locale}: coverage`)
    const notCurrent = locale.chapters.flatMap((chapter) => chapter.sections).filter((section) => section.state === 'stale' || section.state === 'untracked')
    assert.equal(locale.upToDate, Math.floor((1000 * (translated - notCurrent.reduce((sum, section) => sum + section.sourceWords, 0))) / total) / 10, `${locale.locale}: up to date`)
    summary.push(`${locale.locale}: ${translatedChapters}/${ids.length} chapters, ${locale.coverage}% translated, ${locale.upToDate}% up to date, ${locale.words} words`)
  }
  t.diagnostic(summary.join('; '))
})

test('docs/status.schema.json is the schema the code checks against (UPDATE=1 rewrites it)', () => {
  const file = path.join(repoRoot, 'docs', 'status.schema.json')
  const schema = statusJsonSchemas()
  if (process.env.UPDATE) writeFileSync(file, schema)
  assert.equal(readFileSync(file, 'utf8'), schema)
  const documented = readFileSync(path.join(repoRoot, 'docs', 'translation.md'), 'utf8')
  for (const key of ['coverage', 'upToDate', 'chapterCounts', 'sectionCounts', 'problems', 'removed', 'recorded', 'hunks', 'origin']) {
    assert.match(documented, new RegExp(`\`[^\`\n]*\\b${key}\\b[^\`\n]*\``), `docs/translation.md explains \`${key}\``)
  }
})
