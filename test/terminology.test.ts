// The agreed terminology: the rule on small texts, and every translated chapter of the bundled handbook against its locale's term list.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { chapterFromRaw } from '../src/content/sections.js'
import { findTermInconsistencies, parseTermList, readTermList } from '../src/content/terminology.js'
import { bundledBook, bundledHandbook } from './helpers.js'

const chapter = (id: string, raw: string) => chapterFromRaw(id, raw).text

test('a section that names a concept must use its agreed translation, in any inflection', () => {
  const source = parseTermList('municipality: [municipality, municipalities]\nwork-package: [work package]\n').terms
  const target = parseTermList('municipality: [Kommune]\nwork-package: [Arbeitspaket]\n').terms
  const en = chapter('c', '---\ntitle: Plans\n---\n\nEvery Municipality plans.\n\n## Work {#work}\n\nA :term[work package]{#work-package} per partner.\n')
  const good = chapter('c', '---\ntitle: Pläne\n---\n\nJede Kommune plant.\n\n## Arbeit {#work}\n\nEin :term[Arbeitspakets]{#work-package} je Partner.\n')
  assert.deepEqual(findTermInconsistencies(en, good, source, target, 'de'), [])
  const bad = chapter('c', '---\ntitle: Pläne\n---\n\nJede Gemeinde plant.\n\n## Arbeit {#work}\n\nEin Paket je Partner.\n')
  assert.deepEqual(
    findTermInconsistencies(en, bad, source, target, 'de').map(({ section, term, found, line }) => ({ section, term, found, line })),
    [
      { section: 'c', term: 'municipality', found: 'Municipality', line: 5 },
      { section: 'work', term: 'work-package', found: 'work package', line: 7 }
    ]
  )
  // A form inside a longer word is not the concept; ids and link targets are not text.
  const markup = chapter('c', '---\ntitle: X\n---\n\nSee [](#municipality-map) and intermunicipalities.\n')
  assert.deepEqual(findTermInconsistencies(markup, chapter('c', '---\ntitle: Y\n---\n\nNichts.\n'), source, target, 'de'), [])
})

test('a malformed term list is reported with its place and the valid entries are kept', () => {
  const { terms, problems } = parseTermList('culture: [Kultur]\nstereotype: Stereotyp\nempty: []\n')
  assert.deepEqual([...terms.keys()], ['culture'])
  assert.deepEqual(problems.map(({ line, column }) => `${line}:${column}`), ['2:1', '3:1'])
  assert.match(problems[0]!.message, /list of non-empty terms/)
})

const { config, sourceLocale, chapterIds } = bundledBook()

for (const { tag } of config.locales.filter((locale) => locale.tag !== sourceLocale)) {
  test(`every translated chapter in ${tag} uses the agreed terms`, async () => {
    const sourceList = await readTermList(bundledHandbook, sourceLocale)
    const targetList = await readTermList(bundledHandbook, tag)
    assert.ok(sourceList && targetList, `handbook/terms/${sourceLocale}.yaml and handbook/terms/${tag}.yaml exist`)
    assert.deepEqual([...sourceList.problems, ...targetList.problems], [])
    const missing = [...sourceList.terms.keys()].filter((id) => !targetList.terms.has(id))
    assert.deepEqual(missing, [], `handbook/terms/${tag}.yaml gives every concept of ${sourceLocale}.yaml an agreed translation`)
    const problems: string[] = []
    for (const id of chapterIds) {
      const file = path.join(bundledHandbook, tag, `${id}.md`)
      if (!existsSync(file)) continue
      const source = chapter(id, readFileSync(path.join(bundledHandbook, sourceLocale, `${id}.md`), 'utf8'))
      const translation = chapter(id, readFileSync(file, 'utf8'))
      for (const problem of findTermInconsistencies(source, translation, sourceList.terms, targetList.terms, tag)) {
        problems.push(`${tag}/${id}.md:${problem.line} section ${problem.section}: "${problem.found}" -> expected one of ${problem.expected.join(' | ')}`)
      }
    }
    assert.deepEqual(problems, [])
  })
}
