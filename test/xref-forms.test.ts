// Issue 14, item 6: cross-reference words in the grammatical case their sentence needs, and fallback chapters in the edition's words.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { before, describe, test } from 'node:test'
import { loadStrings } from '../src/i18n/strings.js'
import { builtInStrings } from '../src/i18n/builtin/index.js'
import { caseAfter, label } from '../src/pipeline/plugins/rehype-xref.js'
import type { Target } from '../src/model/types.js'
import { fixtures, repoRoot, temporaryFolder } from './helpers.js'

const figure: Target = { id: 'fig-iceberg', kind: 'figure', number: '1.1', title: 'Kultūras aisbergs', chapterId: 'culture', sourceFile: 'lv/culture.md' }
const table: Target = { id: 'tab-plan', kind: 'table', number: '2.3', title: 'Plāns', chapterId: 'plan', sourceFile: 'lv/plan.md' }

describe('strings keyed by grammatical case', () => {
  test('built-in Latvian: the accusative after "sk.", the nominative elsewhere', () => {
    const lv = builtInStrings('lv')!
    const paragraph = (text: string) => ({ type: 'element' as const, tagName: 'p', properties: {}, children: [{ type: 'text' as const, value: text }] })
    assert.equal(caseAfter(paragraph('Kā redzams (sk. '), 1, lv), 'accusative')
    assert.equal(caseAfter(paragraph('Skatiet\u00a0'), 1, lv), 'accusative')
    assert.equal(caseAfter(paragraph('Tas ir risk. '), 1, lv), undefined)
    assert.equal(caseAfter(paragraph('Kopsavilkumu sniedz '), 1, lv), undefined)
    assert.equal(label(figure, lv, 'accusative'), '1.1. attēlu')
    assert.equal(label(table, lv, 'accusative'), '2.3. tabulu')
    assert.equal(label(figure, lv), '1.1. attēls')
    // A language without the form keeps its one text.
    assert.equal(label(figure, builtInStrings('de')!, 'accusative'), 'Abbildung 1.1')
  })

  test('a strings file sets forms as `key@case` and the words that choose them as `case-after@case`', async () => {
    const root = temporaryFolder('handbook-string-forms-')
    mkdirSync(path.join(root, 'strings'))
    writeFileSync(path.join(root, 'strings', 'lv.yaml'), 'xref.figure@accusative: "{number}. zīmējumu"\ncase-after@accusative: "sal., sk."\n')
    writeFileSync(path.join(root, 'strings', 'en.yaml'), 'contents: Contents\n')
    const { strings, file } = await loadStrings(root, 'lv', 'en')
    assert.deepEqual(file.messages.map(String), [])
    assert.equal(label(figure, strings, 'accusative'), '1.1. zīmējumu')
    // The other cases stay built in; the file's words replace the built-in ones.
    assert.equal(label(table, strings, 'accusative'), '2.3. tabulu')
    assert.deepEqual(strings.forms?.after.accusative, ['sal.', 'sk.'])
    // A file that changes a key's text drops the built-in cases of that key: they were made for the other text.
    writeFileSync(path.join(root, 'strings', 'lv.yaml'), 'xref.table: "{number}. tab."\n')
    const changed = await loadStrings(root, 'lv', 'en')
    assert.equal(label(table, changed.strings, 'accusative'), '2.3. tab.')
    assert.equal(label(figure, changed.strings, 'accusative'), '1.1. attēlu')
  })
})

describe('cross-references in built editions (translation-basic, lv and de)', () => {
  const book = path.join(fixtures, 'books', 'translation-basic')
  const out = temporaryFolder('handbook-xref-forms-')
  before(() => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'handbook'), 'build', '--root', book, '--out', out, '--locale', 'lv,de', '--format', 'html,epub,pdf', '--no-cache'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 900_000,
      env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
    })
    assert.equal(run.status, 0, run.stderr + run.stdout)
  })
  const pdf = (locale: string) => spawnSync('pdftotext', [path.join(out, 'pdf', `translation-basic-0.1.0-${locale}.pdf`), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ')
  const epub = (locale: string, name: string) => spawnSync('unzip', ['-p', path.join(out, 'epub', `translation-basic-0.1.0-${locale}.epub`), `OEBPS/${name}.xhtml`], { encoding: 'utf8' }).stdout
  const html = (locale: string, name: string) => readFileSync(path.join(out, 'html', locale, `${name}.html`), 'utf8')

  test('Latvian "Sk." takes the accusative in HTML, EPUB and PDF; other references keep the nominative', () => {
    for (const markup of [html('lv', 'meetings'), epub('lv', 'meetings')]) assert.match(markup, /Sk\. <a [^>]*class="xref xref-chapter"[^>]*>2\. nodaļu „Turpmākie pasākumi”<\/a>/)
    assert.match(html('lv', 'preface'), />1\. nodaļa „Partneru sanāksmes”<\/a>/)
    const text = pdf('lv')
    assert.match(text, /Sk\. 2\. nodaļu „Turpmākie pasākumi” \d+\. lappusē/)
    assert.match(text, /1\. nodaļa „Partneru sanāksmes” \d+\. lappusē/)
  })

  test('a fallback chapter refers in the edition\'s words, to the edition\'s titles, marked with its language', () => {
    // preface is English in the German edition; meetings is translated ("Partnertreffen").
    for (const markup of [html('de', 'preface'), epub('de', 'preface')]) {
      assert.match(markup, /<a [^>]*class="xref xref-chapter"[^>]*lang="de"[^>]*>Kapitel 1, Partnertreffen<\/a>/)
      assert.doesNotMatch(markup, />chapter 1, /)
    }
    assert.match(pdf('de'), /chapters: Kapitel 1, Partnertreffen auf Seite \d+ and Kapitel 2, Follow-up auf Seite \d+/)
    // The English edition is untouched by it.
  })
})
