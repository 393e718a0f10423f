// Broken and hostile handbook.yaml files (issue #9): one clear diagnostic at its place, exit 2, no crash or hang.
// Each case is a folder under test/fixtures/books/broken-configs/.
import assert from 'node:assert/strict'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { fixtures, runCli, temporaryFolder } from './helpers.js'

const cases = path.join(fixtures, 'books', 'broken-configs')

interface JsonMessage {
  line: number | null
  column: number | null
  severity: 'error' | 'warning'
  ruleId: string
  message: string
}

/** Per case: the exit code and every message as `line:column rule` with a pattern its text must match. */
const expected: Record<string, { exitCode: number; messages: [place: string, ruleId: string, text: RegExp][] }> = {
  'alias-bomb': { exitCode: 2, messages: [['1:1', 'config-yaml', /Excessive alias count/]] },
  'bom-crlf': { exitCode: 0, messages: [] },
  'duplicate-chapters': { exitCode: 2, messages: [['16:20', 'config-duplicate-chapter', /Duplicate chapter `one`/]] },
  empty: { exitCode: 2, messages: [['1:1', 'config-empty', /needs at least `book`, `source-locale`, `locales` and `contents`/]] },
  'invalid-utf8': { exitCode: 2, messages: [['6:19', 'config-encoding', /Cannot decode byte 101 .* as UTF-8/]] },
  'malformed-yaml': { exitCode: 2, messages: [['8:3', 'config-yaml', /Flow sequence/]] },
  'missing-chapter': { exitCode: 1, messages: [['16:15', 'chapter-missing', /Cannot find chapter `gone`/]] },
  'unknown-keys': {
    exitCode: 2,
    messages: [
      ['7:3', 'config-unknown-key', /`publishr` in `book`: did you mean `publisher`\?/],
      ['18:1', 'config-unknown-key', /`colour`.*`raw-html`/]
    ]
  },
  'unsafe-values': {
    exitCode: 2,
    messages: [
      ['10:10', 'config-invalid', /`book\.license\.url`: expected an http or https URL/],
      ['19:20', 'config-invalid', /`raw-html\.elements\[1\]`: expected one of `a`, `abbr`/],
      ['19:28', 'config-invalid', /`raw-html\.elements\[2\]`/],
      ['20:23', 'config-invalid', /`raw-html\.attributes\[1\]`: expected one of `abbr`/]
    ]
  },
  'wrong-types': {
    exitCode: 2,
    messages: [
      ['7:12', 'config-invalid', /`book\.version`: expected string, got number/],
      ['15:10', 'config-invalid', /`locales\[0\]\.dir`: expected one of `ltr`, `rtl`, got `sideways`/]
    ]
  }
}

test('every broken-config case has its expectation', () => {
  assert.deepEqual(readdirSync(cases).sort(), Object.keys(expected).sort())
})

for (const [name, wanted] of Object.entries(expected)) {
  test(`config case ${name}: exit ${wanted.exitCode} with the expected diagnostics`, () => {
    const result = runCli(['check', '--root', path.join(cases, name), '--json'])
    assert.ok(result.stdout, `no report (crash?): ${result.stderr}`)
    const report = JSON.parse(result.stdout) as { exitCode: number; messages: JsonMessage[] }
    assert.equal(result.code, wanted.exitCode, result.stdout)
    assert.equal(report.messages.length, wanted.messages.length, JSON.stringify(report.messages, null, 2))
    report.messages.forEach((message, index) => {
      const [place, ruleId, text] = wanted.messages[index]!
      assert.equal(`${message.line}:${message.column} ${message.ruleId}`, `${place} ${ruleId}`)
      assert.match(message.message, text)
    })
  })
}

test('a config with a BOM and CRLF line endings builds', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'handbook-config-'))
  try {
    const result = runCli(['build', '--root', path.join(cases, 'bom-crlf'), '--format', 'html', '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.ok(existsSync(path.join(out, 'html', 'en', 'one.html')))
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})

test('a locale with no strings file is reported where handbook.yaml declares it, unless its strings are built in', () => {
  const root = temporaryFolder('handbook-no-strings-')
  cpSync(path.join(fixtures, 'books', 'two-locales'), root, { recursive: true })
  rmSync(path.join(root, 'strings'), { recursive: true })
  const missingFiles = () => {
    const result = runCli(['check', '--root', root, '--json'])
    const messages = (JSON.parse(result.stdout) as { messages: (JsonMessage & { file: string })[] }).messages
    return messages.filter((message) => message.ruleId === 'strings-missing-file' || message.ruleId === 'strings-missing-key')
  }
  // Latvian is one of the built-in languages: no file is needed.
  assert.deepEqual(missingFiles(), [])
  // Icelandic is not: its editions would show English chrome, so the missing file is reported.
  renameSync(path.join(root, 'lv'), path.join(root, 'is'))
  const config = path.join(root, 'handbook.yaml')
  writeFileSync(config, readFileSync(config, 'utf8').replace('    lv: Parauga grāmata', '    is: Sýnishorn').replace('  - tag: lv\n    label: Latviešu', '  - tag: is\n    label: Íslenska'))
  const missing = missingFiles()
  assert.deepEqual(
    missing.map((message) => [path.basename(message.file), message.line, message.column, message.severity]),
    [['handbook.yaml', 17, 10, 'warning']]
  )
  assert.match(missing[0]!.message, /create `strings\/is\.yaml` \(`handbook translate init is`/)
})
