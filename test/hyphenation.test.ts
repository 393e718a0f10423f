// Hyphenation by a typesetter's rules: minimum letters each side, the book's exception lists, no
// break in a paragraph's last word, and `check --hyphenation` listing what the print edition breaks.
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync, cpSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import type { Root } from 'hast'
import { h } from 'hastscript'
import { VFile } from 'vfile'
import { defaultRules, hyphenateText, hyphenateTree, hyphenationRules, parseExceptions } from '../src/render/hyphenate.js'
import { bundledHandbook, runCli, temporaryFolder } from './helpers.js'

const shown = (text: string) => text.replaceAll('\u00ad', '-')

test('no break leaves fewer than 3 letters on either side by default; a locale may configure its own minimums', () => {
  // The Latvian patterns alone break "Eiropas" as "Ei-ro-pas".
  assert.equal(shown(hyphenateText('Eiropas', 'lv')), 'Eiro-pas')
  // The reviewers' "wheth-er" and "simil-ar" left two letters on the next line.
  assert.equal(shown(hyphenateText('whether similar', 'en')), 'whether sim-ilar')
  const loose = { ...defaultRules, minBefore: 2, minAfter: 2 }
  assert.equal(shown(hyphenateText('Eiropas', 'lv', loose)), 'Ei-ro-pas')
})

test('the bundled exception lists break the Latvian compounds and the reported Danish words at their boundaries', () => {
  const lv = hyphenationRules(bundledHandbook, 'lv')
  const expected: Record<string, string> = {
    pašvaldība: 'paš-val-dība',
    pašvaldību: 'paš-val-dību',
    starptautisks: 'starp-tau-tisks',
    starptautiskās: 'starp-tau-tiskās',
    partnerorganizāciju: 'part-ner-or-ga-ni-zā-ciju',
    trīsarpus: 'trīs-ar-pus'
  }
  for (const [word, broken] of Object.entries(expected)) assert.equal(shown(hyphenateText(word, 'lv', lv)), broken)
  // Without the list, the patterns break inside the first part of each compound.
  assert.notEqual(shown(hyphenateText('pašvaldībām', 'lv')).split('-')[0], 'paš')
  const da = hyphenationRules(bundledHandbook, 'da')
  assert.equal(shown(hyphenateText('isbjerg', 'da', da)), 'isbjerg')
  assert.equal(shown(hyphenateText('isbjergmodellen', 'da', da)), 'isbjerg-mo-del-len')
  assert.equal(shown(hyphenateText('medarbejdere', 'da', da)), 'med-ar-bej-dere')
  assert.equal(shown(hyphenateText('målgruppe', 'da', da)), 'mål-gruppe')
})

test('an exception list line that is not a word is a warning at its line and column', () => {
  const file = new VFile({ path: 'hyphenation/lv.txt' })
  const { exceptions } = parseExceptions('# comment\npaš-val-dī-ba\n  paš val\n', file)
  assert.equal(exceptions.size, 1)
  assert.equal(file.messages.length, 1)
  const [message] = file.messages
  assert.equal(message!.ruleId, 'hyphenation-exception')
  assert.equal(message!.line, 3)
  assert.equal(message!.column, 3)
})

test("a paragraph's last word is never broken, a footnote reference after it notwithstanding", () => {
  const tree: Root = {
    type: 'root',
    children: [h('p', ['Internacionalizācija ir svarīga internacionalizācija']), h('ul', [h('li', ['organisation organisation', h('sup', ['1'])])])]
  }
  hyphenateTree(tree, 'lv')
  const paragraph = (tree.children[0] as { children: { value: string }[] }).children[0]!.value
  assert.match(paragraph, /^Inter\u00ad/, 'earlier words are hyphenated')
  assert.match(paragraph, / internacionalizācija$/, 'the last word is whole')
  const item = ((tree.children[1] as { children: { children: { value: string }[] }[] }).children[0]!.children[0]!).value
  assert.match(item, /\u00ad.* organisation$/)
  // Punctuation after the last word, and a letter outside the Basic Multilingual Plane in it.
  const ending: Root = { type: 'root', children: [h('p', ['internacionalizācija „internacionalizācija\u{1d400}”.'])] }
  hyphenateTree(ending, 'lv')
  const value = (ending.children[0] as { children: { value: string }[] }).children[0]!.value
  assert.match(value, /^inter\u00ad.* „internacionalizācija\u{1d400}”\.$/u)
})

test('check --hyphenation lists every hyphenated word of all six locales, none with fewer than 3 letters at a break', () => {
  const result = runCli(['check', '--root', bundledHandbook, '--hyphenation', '--json'])
  assert.equal(result.code, 0, result.stderr)
  const report = JSON.parse(result.stdout) as { hyphenation: Record<string, { word: string; count: number }[]>; messages: { ruleId: string }[] }
  assert.deepEqual(Object.keys(report.hyphenation).sort(), ['da', 'de', 'en', 'hu', 'it', 'lv'])
  assert.ok(!report.messages.some((message) => message.ruleId === 'locale-unlisted'), 'hyphenation/ is a folder of the book, not a locale')
  for (const [locale, words] of Object.entries(report.hyphenation)) {
    assert.ok(words.length > 300, `${locale}: ${words.length} words`)
    for (const { word } of words) {
      const parts = word.split('-')
      assert.ok([...parts[0]!].length >= 3 && [...parts.at(-1)!].length >= 3, `${locale}: ${word}`)
    }
  }
  const lv = new Set(report.hyphenation.lv!.map(({ word }) => word))
  for (const word of ['paš-val-dī-bas', 'starp-tau-tiskās', 'part-ner-or-ga-ni-zā-ci-jas']) assert.ok(lv.has(word), word)
})

test('a bad line in a book\'s exception list is reported by check', () => {
  const root = temporaryFolder('handbook-hyphenation-')
  cpSync(path.join(bundledHandbook, '..', 'test', 'fixtures', 'books', 'print-options'), root, { recursive: true })
  mkdirSync(path.join(root, 'hyphenation'), { recursive: true })
  writeFileSync(path.join(root, 'hyphenation', 'en.txt'), 'in-ter-na-tion-al\nnot a word!\n')
  const result = runCli(['check', '--root', root, '--json'])
  const report = JSON.parse(result.stdout) as { messages: { ruleId: string; line: number }[] }
  const found = report.messages.filter((message) => message.ruleId === 'hyphenation-exception')
  assert.equal(found.length, 1, result.stdout)
  assert.equal(found[0]!.line, 2)
})
