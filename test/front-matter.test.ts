// Front-matter mistakes (issue 17): one message for one broken file, in plain words, at the right line, with the fix.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VFile } from 'vfile'
import { parseChapterText } from '../src/content/chapter-file.js'

function messagesOf(text: string): string[] {
  const file = new VFile({ path: 'lv/chapter.md' })
  parseChapterText(text, file)
  return file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.reason}`)
}

test('an unclosed `---` is one message saying so, not the YAML errors of the whole chapter', () => {
  const messages = messagesOf('---\ntitle: Projekta dzīves cikls\ndescription: Viena rinda\n\n## Sākums\n\nTeksts: ar kolu.\n\n- saraksts\n')
  assert.equal(messages.length, 1, messages.join('\n'))
  assert.match(messages[0]!, /^1:1 front-matter-unclosed Unclosed front matter: the `---` on line 1 has no closing `---`; add a line `---` after the front matter \(after line 3\)$/)
  // Windows line ends close it as well as Unix ones.
  assert.deepEqual(messagesOf('---\r\ntitle: Closed\r\n---\r\n\r\nText\r\n'), [])
})

test('a colon in an unquoted title names the key and gives the quoted line to write, wherever YAML noticed it', () => {
  assert.deepEqual(messagesOf('---\ntitle: Erasmus+: a practical guide\n---\n\nText\n'), [
    '2:8 front-matter-yaml Cannot read `title`: its value has a colon, which YAML reads as the start of another key; put the value in quotes: `title: "Erasmus+: a practical guide"`'
  ])
  const later = messagesOf('---\ntitle: Fine\ndescription: Step one: plan the visit\n---\n\nText\n')
  assert.equal(later.length, 1, later.join('\n'))
  assert.match(later[0]!, /^3:14 front-matter-yaml Cannot read `description`: .*`description: "Step one: plan the visit"`$/)
  // Times and URLs have colons that YAML reads well: they are no error.
  assert.deepEqual(messagesOf('---\ntitle: Meeting at 10:30\ndescription: See https://example.org/x\n---\n\nText\n'), [])
})

test('a misspelt key gets a did-you-mean, and the key it meant is not reported missing as well', () => {
  assert.deepEqual(messagesOf('---\ntitel: Ievads\n---\n\nText\n'), [
    '2:1 front-matter-unknown-key Unexpected front matter key `titel`: did you mean `title`? Valid keys are `title`, `short-title`, `kind`, `description`, `draft`'
  ])
  const unrelated = messagesOf('---\ntitle: Ievads\nauthor: Somebody\n---\n\nText\n')
  assert.match(unrelated.join('\n'), /^3:1 front-matter-unknown-key Unexpected front matter key `author`: valid keys are/)
})

test('other YAML errors: one message, in words, on the line of the first error', () => {
  assert.deepEqual(messagesOf('---\ntitle: A\ntitle: B\n---\n\nText\n'), ['3:1 front-matter-yaml Cannot read the front matter: a key is given twice; keep one of them'])
  assert.deepEqual(messagesOf('---\ntitle: A\n\tdescription: B\n---\n\nText\n'), ['3:1 front-matter-yaml Cannot read the front matter: a tab indents this line; indent with spaces'])
  const unclosedList = messagesOf('---\ntitle: Salauzts\ndescription: [unclosed\n---\n\nTeksts.\n')
  assert.equal(unclosedList.length, 1, unclosedList.join('\n'))
  assert.match(unclosedList[0]!, /^3:\d+ front-matter-yaml Cannot read the front matter: /)
  assert.doesNotMatch(unclosedList[0]!, /compact mappings|implicit key/i, 'no parser jargon')
})
