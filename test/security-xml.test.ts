// Issue 18, finding 6: characters XML forbids are removed with `char-invalid` at their place, `]]>`
// never stands raw in XHTML, a callout id must be a valid id, and such a book's EPUB passes EPUBCheck.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { epubcheckJar } from '../src/commands/doctor.js'
import { temporaryFolder } from './helpers.js'
import { copyBook, runCliAsync, summary } from './security-support.js'

test('finding 6: forbidden characters are reported and removed, a callout id with a space is an error, and the EPUB passes EPUBCheck', async () => {
  const root = copyBook('sec-xml-chars')
  const checked = summary(await runCliAsync(['check', '--root', root, '--json']))
  const found = checked.messages.map((message) => `${path.basename(message.file)}:${message.line}:${message.column} ${message.severity} ${message.ruleId}`)
  assert.deepEqual(found.sort(), [
    'callout.md:5:1 error id-invalid',
    'characters.md:5:13 warning char-invalid',
    'characters.md:7:28 warning char-invalid',
    'characters.md:7:7 warning char-invalid'
  ])
  assert.match(checked.messages.find((message) => message.line === 5 && message.ruleId === 'char-invalid')!.message, /U\+000C \(form feed\)/)

  // Without the chapter in error, the book builds and its EPUB is valid.
  const config = path.join(root, 'handbook.yaml')
  writeFileSync(config, readFileSync(config, 'utf8').replace('body: [characters, callout]', 'body: [characters]'))
  const out = temporaryFolder('handbook-sec-xml-')
  const built = await runCliAsync(['build', '--root', root, '--out', out, '--json'])
  assert.equal(built.code, 0, built.stderr)
  const epub = path.join(out, 'epub', 'sec-xml-chars-0.0.1-en.epub')
  const check = spawnSync('java', ['-jar', epubcheckJar, epub], { encoding: 'utf8' })
  assert.equal(check.status, 0, check.stdout + check.stderr)
  assert.doesNotMatch(check.stdout + check.stderr, /FATAL|ERROR/)
  // The text survives: `]]>` is escaped, not lost.
  const unzip = spawnSync('unzip', ['-p', epub, '*.xhtml'], { encoding: 'utf8' })
  assert.match(unzip.stdout, /x\]\]&#x3E;y|x\]\]&gt;y/)
  assert.match(unzip.stdout, /A page break between two sentences/)
})
