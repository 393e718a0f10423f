// Config validation: every problem names handbook.yaml:line:col and says what is valid.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VFile } from 'vfile'
import { parseConfig } from '../src/config/load.js'

const valid = `book:
  id: sample
  title: Sample
  authors:
    - name: Someone
  publisher: Publisher
  version: 1.0.0
  license:
    name: CC-BY-4.0
  identifier: urn:test:sample
source-locale: en
locales:
  - tag: en
    label: English
contents:
  body: [one]
`

function problems(text: string): string[] {
  const file = new VFile({ path: 'handbook.yaml', value: text })
  parseConfig(text, file)
  return file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.reason}`)
}

test('a valid config has no messages and gets defaults', () => {
  const file = new VFile({ path: 'handbook.yaml' })
  const { config } = parseConfig(valid, file)
  assert.deepEqual(file.messages, [])
  assert.equal(config?.editions.trim, 'A5')
  assert.deepEqual(config?.contents.front, [])
  assert.equal(config?.locales[0]?.dir, 'ltr')
})

test('a book without publisher, version and identifier gets the documented defaults (issue 13)', () => {
  const file = new VFile({ path: 'handbook.yaml' })
  const bare = valid.replace('  publisher: Publisher\n', '').replace('  version: 1.0.0\n', '').replace('  identifier: urn:test:sample\n', '')
  const { config } = parseConfig(bare, file)
  assert.deepEqual(file.messages, [])
  assert.equal(config?.book.publisher, 'Someone')
  assert.equal(config?.book.version, '1.0.0')
  assert.equal(config?.book.identifier, 'urn:handbook:sample')
})

test('wrong types name the key, the expected type and the place', () => {
  assert.deepEqual(problems(valid.replace('version: 1.0.0', 'version: [1, 0]')), ['7:12 config-invalid Invalid value at `book.version`: expected string, got array'])
  assert.deepEqual(problems(valid + 'editions:\n  trim: A3\n'), [
    "18:9 config-invalid Invalid value at `editions.trim`: expected one of `A5`, `B5`, `A4`, `letter`, got `A3`"
  ])
})

test('a mistyped key gets a suggestion and the list of valid keys', () => {
  const [message] = problems(valid.replace('source-locale: en', 'source-locale: en\nsource_locale: en'))
  assert.equal(
    message,
    '12:1 config-unknown-key Unexpected key `source_locale` in the top level: did you mean `source-locale`? Valid keys: `book`, `source-locale`, `locales`, `contents`, `editions`, `translations`, `raw-html`, `site-root`'
  )
})

test('cross-checks: unknown locales, duplicate chapters, bad ids', () => {
  assert.deepEqual(problems(valid.replace('title: Sample', 'title:\n    en: Sample\n    xx: Probe')), [
    '5:5 config-unknown-locale Unknown locale `xx` in `book.title`: configured locales are `en`'
  ])
  assert.deepEqual(problems(valid.replace('source-locale: en', 'source-locale: lv')), [
    '11:16 config-unknown-locale Unknown source locale `lv`: add it to `locales` or use one of `en`'
  ])
  assert.deepEqual(problems(valid.replace('body: [one]', 'body: [one, two, one]')), [
    "16:20 config-duplicate-chapter Duplicate chapter `one` in `contents`: a chapter can appear only once"
  ])
  assert.match(problems(valid.replace('body: [one]', 'body: [One]'))[0]!, /^16:10 config-invalid .*lowercase letters/)
  // Issue 13: a chapter whose page would overwrite a generated one names both.
  assert.deepEqual(problems(valid.replace('body: [one]', 'body: [one, index]')), [
    '16:15 config-reserved-chapter Unexpected chapter id `index`: its page `<locale>/index.html` would overwrite the generated `index.html`, the edition\'s home page with the contents; rename the chapter file and its entry in `contents`'
  ])
})

test('YAML syntax errors point at the line', () => {
  const [message] = problems(valid.replace('  publisher: Publisher', '  publisher: "Publisher'))
  assert.match(message!, /^\d+:\d+ config-yaml Cannot parse YAML/)
})
