// The termbase: `check` warns where a translated section does not use an agreed term (term-inconsistent); `translate terms` exports TBX and CSV.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { SaxesParser } from 'saxes'
import { loadConfig } from '../src/config/load.js'
import { collectTermbase, toCsv, type Termbase } from '../src/content/termbase.js'
import { bundledHandbook, runCli, temporaryFolder } from './helpers.js'
import { copyFixture, edit } from './translation-support.js'

interface JsonMessage {
  file: string
  line: number
  column: number
  severity: string
  ruleId: string
  message: string
}

function termMessages(root: string, locales: string): JsonMessage[] {
  const result = runCli(['check', '--root', root, '--locale', locales, '--json'])
  assert.notEqual(result.code, 2, result.stderr)
  const messages = (JSON.parse(result.stdout) as { messages: JsonMessage[] }).messages
  return messages.filter((message) => message.ruleId.startsWith('term-'))
}

test('check warns on the translated section that does not use the agreed term, at its heading', () => {
  const root = copyFixture()
  mkdirSync(path.join(root, 'terms'))
  writeFileSync(path.join(root, 'terms', 'en.yaml'), 'partnership: [partnership]\nagenda: [agenda]\ndecision: [decision, decisions]\nminutes: [minutes]\nmeeting: [meeting, meetings]\n')
  writeFileSync(path.join(root, 'terms', 'lv.yaml'), 'partnership: [partnerība, partnerīb]\nagenda: [darba kārtība, darba kārtīb]\ndecision: [lēmums, lēmum]\nminutes: [sanāksmes protokols]\nmeeting: [sanāksme, sanāksm]\n')
  writeFileSync(path.join(root, 'terms', 'de.yaml'), 'partnership: [Partnerschaft]\nagenda: [Tagesordnung]\ndecision: [Entscheidung]\nminutes: [Protokoll]\nmeeting: [Treffen, Sitzung]\n')

  // lv says "protokolu" where the agreed term is "sanāksmes protokols"; de uses every agreed term.
  const messages = termMessages(root, 'lv,de')
  assert.deepEqual(
    messages.map((message) => [path.relative(root, path.resolve(message.file)), message.line, message.column, message.severity, message.ruleId]),
    [['lv/meetings.md', 16, 1, 'warning', 'term-inconsistent']]
  )
  assert.equal(
    messages[0]!.message,
    'Section `after-meeting` (“Pēc sanāksmes”) does not use the agreed lv term for “minutes” (`minutes`): use “sanāksmes protokols”, or add the form you chose to `terms/lv.yaml` under `minutes`'
  )

  // The opening counts as a section: a title and first paragraph without the term are reported on the first line of its text.
  edit(path.join(root, 'lv', 'meetings.md'), (text) => text.replace('Sanāksmēs partnerība kļūst īsta.', 'Sanāksmēs sadarbība kļūst īsta.'))
  const opening = termMessages(root, 'lv').filter((message) => message.message.startsWith('The opening'))
  assert.deepEqual(opening.map((message) => message.line), [5])
  assert.match(opening[0]!.message, /^The opening of `meetings` \(“Partneru sanāksmes”\) does not use the agreed lv term for “partnership” \(`partnership`\): use “partnerība” \(or a word containing “partnerīb”\)/)

  // Adding the form the translator chose settles it; a malformed entry is reported where it is.
  writeFileSync(path.join(root, 'terms', 'lv.yaml'), 'partnership: [partnerība, partnerīb, sadarbīb]\nagenda: [darba kārtība, darba kārtīb]\ndecision: [lēmums, lēmum]\nminutes: [sanāksmes protokols, protokol]\nmeeting: [sanāksme, sanāksm]\nbroken: nope\n')
  assert.deepEqual(
    termMessages(root, 'lv').map((message) => [path.relative(root, path.resolve(message.file)), message.line, message.column, message.ruleId]),
    [['terms/lv.yaml', 6, 1, 'term-list-invalid']]
  )
})

test('a chapter shown from the source is not checked, and a locale without a term list is not either', () => {
  const root = copyFixture()
  mkdirSync(path.join(root, 'terms'))
  // The source's follow-up chapter names the funding body; de has no follow-up (it falls back), lv has one.
  writeFileSync(path.join(root, 'terms', 'en.yaml'), 'funding-body: [funding body]\n')
  writeFileSync(path.join(root, 'terms', 'lv.yaml'), 'funding-body: [finansēšanas iestāde, finansēšanas iestād]\n')
  writeFileSync(path.join(root, 'terms', 'de.yaml'), 'funding-body: [Fördergeber]\n')
  assert.deepEqual(
    termMessages(root, 'lv,de').map((message) => `${path.relative(root, path.resolve(message.file))}:${message.line}`),
    ['lv/follow-up.md:9']
  )
})

/** Parse XML with saxes (a conforming parser): element names in order, and the text of each element path. */
function parseXml(xml: string): { elements: { name: string; attributes: Record<string, string> }[]; texts: { path: string; text: string }[] } {
  const parser = new SaxesParser({ xmlns: false })
  const elements: { name: string; attributes: Record<string, string> }[] = []
  const texts: { path: string; text: string }[] = []
  const stack: string[] = []
  parser.on('error', (error) => {
    throw error
  })
  parser.on('opentag', (tag) => {
    elements.push({ name: tag.name, attributes: tag.attributes as Record<string, string> })
    stack.push(tag.name)
  })
  parser.on('text', (text) => {
    if (text.trim() !== '') texts.push({ path: stack.join('/'), text })
  })
  parser.on('closetag', () => stack.pop())
  parser.write(xml).close()
  return { elements, texts }
}

test('translate terms exports TBX: well-formed, one termEntry per concept, with both terms and the glossary definition', async () => {
  const out = path.join(temporaryFolder('handbook-tbx-'), 'lv.tbx')
  const result = runCli(['translate', 'terms', 'lv', '--format', 'tbx', '--out', out, '--root', bundledHandbook])
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stderr, /wrote .*lv\.tbx: \d+ concepts, \d+ with a lv term, 31 with a glossary definition/)
  const xmllint = spawnSync('xmllint', ['--noout', out], { encoding: 'utf8' })
  assert.equal(xmllint.status, 0, xmllint.stderr)

  const xml = readFileSync(out, 'utf8')
  const { elements, texts } = parseXml(xml)
  assert.equal(elements[0]!.name, 'martif')
  assert.equal(elements[0]!.attributes.type, 'TBX-Basic')
  const ids = elements.filter((element) => element.name === 'termEntry').map((element) => element.attributes.id)
  const { config } = await loadConfig(bundledHandbook)
  const termbase = await collectTermbase(bundledHandbook, config!, 'lv')
  assert.deepEqual(ids, termbase.concepts.map((concept) => concept.id), 'one termEntry per concept, in order')
  assert.equal(new Set(ids).size, ids.length)
  const termIds = [...readFileSync(path.join(bundledHandbook, 'terms', 'en.yaml'), 'utf8').matchAll(/^([a-z0-9-]+):/gm)].map((match) => match[1])
  for (const id of termIds) assert.ok(ids.includes(id!), `${id} of terms/en.yaml is exported`)

  // The work package: English term and definition from the glossary, the agreed Latvian term.
  const entryXml = xml.slice(xml.indexOf('<termEntry id="work-package">'), xml.indexOf('</termEntry>', xml.indexOf('<termEntry id="work-package">')))
  const entry = parseXml(`<x>${entryXml}</termEntry></x>`).texts
  const glossary = readFileSync(path.join(bundledHandbook, 'en', 'glossary.md'), 'utf8')
  const definition = /## Work package \{#work-package\}\n\n([^\n]+)\n/.exec(glossary)![1]
  assert.deepEqual(
    entry.filter((text) => text.path.endsWith('/term') || text.path.endsWith('/descrip')).map((text) => `${text.path.replace(/^x\/termEntry\//, '')}: ${text.text}`).slice(0, 4),
    [`langSet/descripGrp/descrip: ${definition}`, 'langSet/tig/term: Work package', 'langSet/tig/term: work packages', `langSet/descripGrp/descrip: ${texts.find((text) => text.text.startsWith('Projekta savstarpēji saistītu'))!.text}`]
  )
  assert.match(entryXml, /<langSet xml:lang="lv">[\s\S]*<term>darba pakete<\/term>\s*<termNote type="administrativeStatus">preferredTerm-admn-sts<\/termNote>\s*<note>Forms and word stems that also count as this term: darba paket, darba pakeš<\/note>/)
})

/** Read CSV with Python's csv module (an independent RFC 4180 reader, strict about quoting). */
function readCsv(file: string): string[][] {
  const script = 'import csv, json, sys\nwith open(sys.argv[1], newline="", encoding="utf-8") as f:\n    print(json.dumps(list(csv.reader(f, strict=True))))'
  const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' })
  assert.equal(result.status, 0, result.stderr)
  return JSON.parse(result.stdout) as string[][]
}

test('translate terms exports CSV that round-trips: source, target, definition, quoted as RFC 4180 says', async () => {
  const out = path.join(temporaryFolder('handbook-csv-'), 'de.csv')
  const result = runCli(['translate', 'terms', 'de', '--format', 'csv', '--out', out, '--root', bundledHandbook])
  assert.equal(result.code, 0, result.stderr)
  const { config } = await loadConfig(bundledHandbook)
  const termbase = await collectTermbase(bundledHandbook, config!, 'de')
  const rows = readCsv(out)
  assert.deepEqual(rows[0], ['source', 'target', 'definition'])
  assert.deepEqual(rows.slice(1), termbase.concepts.map((concept) => [concept.source.term, concept.target?.term ?? '', concept.source.definition ?? '']))
  assert.ok(rows.some((row) => row[2]!.includes(',')), 'definitions with commas survive')
  assert.match(readFileSync(out, 'utf8'), /\r\n$/)

  // Quotes, line breaks and commas in every field.
  const tricky: Termbase = {
    sourceLocale: 'en',
    locale: 'de',
    problems: [],
    concepts: [
      { id: 'a', source: { term: 'the "lead" partner', forms: [], definition: 'One line,\r\nanother "quoted" line' }, target: { term: 'federführender Partner, der', forms: [] } },
      { id: 'b', source: { term: 'plain', forms: [] } }
    ]
  }
  const file = path.join(temporaryFolder('handbook-csv-'), 'tricky.csv')
  writeFileSync(file, toCsv(tricky))
  assert.deepEqual(readCsv(file), [
    ['source', 'target', 'definition'],
    ['the "lead" partner', 'federführender Partner, der', 'One line,\r\nanother "quoted" line'],
    ['plain', '', '']
  ])
})

test('translate terms refuses an unknown format or locale', () => {
  assert.equal(runCli(['translate', 'terms', 'lv', '--format', 'xlsx', '--root', bundledHandbook]).code, 2)
  assert.equal(runCli(['translate', 'terms', 'en', '--root', bundledHandbook]).code, 2)
  assert.equal(runCli(['translate', 'terms', 'xx', '--root', bundledHandbook]).code, 2)
})
