// The pieces of translation tracking on their own: sections and hashes, word counts, the word diff, draft flags, locale scaffolding.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VFile } from 'vfile'
import { parseChapterText } from '../src/content/chapter-file.js'
import { countWords, hashText, normalizeText, splitChapter } from '../src/content/sections.js'
import { diffWords } from '../src/content/text-diff.js'
import { configSuggestion, isDraft, isLocaleTag, languageLabel, setDraft, stringsScaffold } from '../src/content/translation-files.js'
import { compareChapter, localeStatus } from '../src/content/translation-state.js'
import { recordOf } from '../src/content/translation-lock.js'
import { defaultStrings } from '../src/i18n/defaults.js'
import { formatPercent } from '../src/render/translation-report.js'

function chapter(id: string, text: string) {
  const file = new VFile({ path: `${id}.md` })
  const { data } = parseChapterText(text, file)
  return splitChapter(id, String(file.value), data)
}

const source = `---
title: Partner meetings
description: How to meet.
---

Meetings are where a partnership becomes real.

## Before the meeting {#before-meeting}

Send the agenda two weeks ahead.

\`\`\`text
## not a heading inside a fence
\`\`\`

## During the meeting {#during-meeting}

Start on time.

### A subsection

Keep a list.

## Untitled section

No id here.
`

test('a chapter is cut at its ## headings, outside code fences, with the opening first', () => {
  const text = chapter('meetings', source)
  assert.deepEqual(
    text.sections.map((section) => [section.id, section.title, section.line, section.explicit]),
    [
      ['meetings', 'Partner meetings', 6, true],
      ['before-meeting', 'Before the meeting', 8, true],
      ['during-meeting', 'During the meeting', 16, true],
      ['meetings--untitled-section', 'Untitled section', 24, false]
    ]
  )
  assert.match(text.sections[0]!.text, /^title: Partner meetings\ndescription: How to meet\.\n\nMeetings are/)
  assert.match(text.sections[1]!.text, /## not a heading inside a fence/)
  assert.match(text.sections[2]!.text, /### A subsection\n\nKeep a list\.$/)
})

test('hashes ignore whitespace-only edits and see every other edit', () => {
  const base = chapter('meetings', source)
  const rewrapped = chapter(
    'meetings',
    source
      .replace('Send the agenda two weeks ahead.', 'Send the agenda\n   two weeks   ahead.  ')
      .replace('Start on time.', '\n\nStart on time.\t\n')
      .replace(/\n/g, '\r\n')
  )
  assert.equal(rewrapped.hash, base.hash)
  assert.deepEqual(rewrapped.sections.map((section) => section.hash), base.sections.map((section) => section.hash))
  const edited = chapter('meetings', source.replace('Start on time.', 'Start on time!'))
  assert.notEqual(edited.hash, base.hash)
  assert.deepEqual(
    edited.sections.map((section, index) => section.hash === base.sections[index]!.hash),
    [true, true, false, true]
  )
  const retitled = chapter('meetings', source.replace('title: Partner meetings', 'title: Partner meeting'))
  assert.notEqual(retitled.sections[0]!.hash, base.sections[0]!.hash, 'the title belongs to the opening section')
  assert.equal(normalizeText(' a\u00a0\n b '), 'a b')
  assert.equal(hashText('Caf\u0065\u0301'), hashText('Caf\u00e9'), 'Unicode is normalized (NFC)')
})

test('words are counted on the text a reader sees, not on the markup', () => {
  // Counted by hand, line by line: 3 + 4 + 2 + 3 + 4 + 3 + 2 = 21 words.
  const markdown = [
    '## A heading here {#some-id}', // A heading here: 3 (the `##` and the id are markup)
    'See [the checklist](#assessment-checklist) and [](#fig-x).', // See the checklist and: 4
    ':::figure[Two words]{#fig-x}', // Two words: 2
    '![Alt text here](../assets/x.svg)', // Alt text here: 3
    ':::',
    'A note[^1] and :term[stakeholders]{#stakeholder}.', // A note and stakeholders: 4
    "<!-- not counted --> It's 2012–2014.", // It's, 2012, 2014: 3
    '[^1]: Footnote text.' // Footnote text: 2
  ].join('\n')
  assert.equal(countWords(markdown), 3 + 4 + 2 + 3 + 4 + 3 + 2)
  assert.equal(countWords('Eiropas Savienības „mūžizglītības” programma'), 4)
})

test('the word diff shows what changed with a little context and nothing for whitespace', () => {
  assert.deepEqual(diffWords('Start on time.\nKeep a list.', 'Start  on time.\n\n\nKeep a list.'.replace('\n\n\n', '\n')), [])
  const hunks = diffWords('Send the agenda two weeks ahead. Ask every partner.', 'Send the agenda three weeks ahead. Ask every partner.', 2)
  assert.deepEqual(hunks, [{ before: 'the agenda', removed: 'two', added: 'three', after: 'weeks ahead.' }])
  const paragraphs = diffWords('First paragraph stays.\n\nSecond one goes.', 'First paragraph stays.\n\nSecond one changes.')
  assert.equal(paragraphs.length, 1)
  assert.equal(paragraphs[0]!.before, 'Second one', 'context stays in the paragraph of the change')
})

test('states: current, stale per section, missing, draft, untracked', () => {
  const base = chapter('meetings', source)
  const record = recordOf(base)
  const translation = chapter('meetings', source.replace('Partner meetings', 'Partneru sanāksmes'))
  const same = compareChapter(base, translation, record, 'lv/meetings.md')
  assert.equal(same.state, 'current')
  assert.deepEqual(same.sections.map((section) => section.state), ['current', 'current', 'current', 'current'])

  const changed = chapter('meetings', source.replace('Start on time.', 'Start on time and end on time.'))
  const stale = compareChapter(changed, translation, record, 'lv/meetings.md')
  assert.equal(stale.state, 'stale')
  assert.deepEqual(stale.sections.map((section) => [section.id, section.state]).filter(([, state]) => state !== 'current'), [['during-meeting', 'stale']])

  const shorter = chapter('meetings', source.replace(/## During the meeting[\s\S]*?(?=## Untitled)/, ''))
  const partial = compareChapter(base, shorter, record, 'lv/meetings.md')
  assert.equal(partial.sections.find((section) => section.id === 'during-meeting')!.state, 'missing')

  assert.equal(compareChapter(base, undefined, record, null).state, 'missing')
  assert.equal(compareChapter(base, chapter('meetings', source.replace('description:', 'draft: true\ndescription:')), record, 'x').state, 'draft')
  assert.equal(compareChapter(base, translation, undefined, 'x').state, 'untracked')

  const totals = localeStatus('lv', 'Latviešu', false, [stale])
  const staleWords = stale.sections.find((section) => section.state === 'stale')!.sourceWords
  assert.equal(totals.coverage, 100)
  assert.equal(totals.upToDate, Math.floor((1000 * (totals.sourceWords - staleWords)) / totals.sourceWords) / 10)
  assert.deepEqual(totals.sectionCounts, { source: 0, current: 3, stale: 1, draft: 0, untracked: 0, missing: 0 })
})

test('draft flags are set and cleared without touching the rest of the file', () => {
  const text = '---\ntitle: Foreword\n---\n\nBody with --- dashes.\n'
  const drafted = setDraft(text, true)
  assert.equal(drafted, '---\ntitle: Foreword\ndraft: true\n---\n\nBody with --- dashes.\n')
  assert.equal(isDraft(drafted), true)
  assert.equal(setDraft(drafted, false), text)
  assert.equal(isDraft(text), false)
  assert.equal(setDraft('---\r\ntitle: X\r\ndraft: false\r\n---\r\nBody\r\n', true), '---\r\ntitle: X\r\ndraft: true\r\n---\r\nBody\r\n')
})

test('a new locale gets a label from CLDR, a strings scaffold and a config suggestion', () => {
  assert.equal(languageLabel('pl'), 'Polski')
  assert.equal(languageLabel('lv'), 'Latviešu')
  assert.equal(isLocaleTag('pt-BR'), true)
  assert.equal(isLocaleTag('Polish'), false)
  const scaffold = stringsScaffold('pl', 'Polski', 'en', defaultStrings)
  assert.match(scaffold, /^# Interface strings in Polski \(pl\)\. The tool has all of them built in/)
  assert.match(scaffold, /\n# contents: Spis treści\n/)
  assert.match(scaffold, /\n# chapter: Rozdział \{number\}\n/)
  // A language without built-in strings starts from the source texts.
  const icelandic = stringsScaffold('is', 'Íslenska', 'en', defaultStrings)
  assert.match(icelandic, /^# Interface strings in Íslenska \(is\)\. Translate each text/)
  assert.match(icelandic, /\n# contents: Contents\n/)
  assert.match(configSuggestion('pl', 'Polski', true), /locales:\n {2}- tag: pl\n {4}label: Polski\n[\s\S]*subtitle:\n {4}pl:/)
})

test('percentages in the report follow the locale (Intl)', () => {
  assert.equal(formatPercent(98.5, 'en'), '98.5%')
  assert.equal(formatPercent(98.5, 'de'), '98,5\u00a0%')
  assert.equal(formatPercent(100, 'lv'), '100%')
})
