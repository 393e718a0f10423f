// The CLI end to end on fixture handbooks: exit codes, file:line:col diagnostics, JSON, written files.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { deserialize, serialize } from 'node:v8'
import { fixtures, repoRoot, runCli, temporaryFolder } from './helpers.js'

const books = path.join(fixtures, 'books')

interface JsonMessage {
  file: string
  line: number | null
  column: number | null
  severity: string
  ruleId: string
  message: string
}

function walk(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(directory, entry.name)) : [path.join(directory, entry.name)]
  )
}

test('check reports every broken chapter with file:line:col and exits 1, the good chapter stays clean', () => {
  const root = path.join(books, 'broken')
  const result = runCli(['check', '--root', root])
  assert.equal(result.code, 1, result.stderr)
  const lines = result.stderr
  assert.match(lines, /broken\/en\/bad-front-matter\.md\n\d+:\d+\s+error Cannot read the front matter/)
  assert.match(lines, /broken\/en\/bad-xref\.md\n7:22-7:38\s+error Cannot resolve cross-reference `#fig-nowhere`/)
  assert.match(lines, /broken\/en\/bad-image\.md\n6:1-6:51\s+error Cannot find image `\.\.\/assets\/lost\.svg`/)
  assert.doesNotMatch(lines, /good\.md/)

  const json = runCli(['check', '--root', root, '--json'])
  assert.equal(json.code, 1)
  const report = JSON.parse(json.stdout) as { errors: number; messages: JsonMessage[] }
  assert.equal(report.errors, 3)
  const byRule = new Map(report.messages.map((message) => [message.ruleId, message]))
  assert.deepEqual([...byRule.keys()].sort(), ['front-matter-yaml', 'image-missing', 'xref-unresolved'])
  assert.equal(byRule.get('xref-unresolved')!.line, 7)
  assert.equal(byRule.get('xref-unresolved')!.column, 22)
  assert.equal(byRule.get('image-missing')!.line, 6)
  assert.ok(report.messages.every((message) => message.line !== null && message.column !== null))
})

test('check reuses the chapters a build kept parsed in --out and keeps nothing itself; the messages are the same', () => {
  const folder = temporaryFolder('handbook-check-cache-')
  const root = path.join(fixtures, 'books', 'two-locales')
  const out = path.join(folder, 'out')
  // A build of the complete Latvian translation parses no English chapter.
  assert.equal(runCli(['build', '--root', root, '--out', out, '--format', 'html', '--locale', 'lv', '--quiet']).code, 0)
  const check = (dir: string) => {
    const result = runCli(['check', '--root', root, '--out', dir, '--json'])
    return { code: result.code, messages: (JSON.parse(result.stdout) as { messages: { file: string; message: string }[] }).messages }
  }
  const kept = path.join(out, '.handbook-parsed')
  const before = readdirSync(kept).sort()
  const none = path.join(folder, 'no-builds')
  assert.deepEqual(check(out), check(none))
  assert.deepEqual(readdirSync(kept).sort(), before, 'check parsed the English chapters and kept none of them')
  assert.ok(!existsSync(none), 'check makes no output folder')
  // The kept tree of lv/first.md, its cross-reference pointed elsewhere: check reports what the kept tree says.
  const entry = before
    .map((name) => path.join(kept, name))
    .find((file) => JSON.stringify(deserialize(readFileSync(file))).includes('Teksts ar piezīmi'))
  assert.ok(entry, 'the build kept the parsed lv/first.md')
  writeFileSync(entry, serialize(JSON.parse(JSON.stringify(deserialize(readFileSync(entry))).replace('"#second"', '"#nowhere"'))))
  const planted = check(out)
  assert.equal(planted.code, 1)
  assert.ok(planted.messages.some((message) => message.file.endsWith(path.join('lv', 'first.md')) && message.message.includes('nowhere')), JSON.stringify(planted.messages))
  assert.equal(check(none).code, 0)
})

test('an unknown config key is reported at handbook.yaml:line:col with the valid keys, exit 2', () => {
  const result = runCli(['check', '--root', path.join(books, 'bad-config'), '--json'])
  assert.equal(result.code, 2)
  const report = JSON.parse(result.stdout) as { messages: JsonMessage[] }
  const unknown = report.messages.find((message) => message.ruleId === 'config-unknown-key')
  assert.ok(unknown, result.stdout)
  assert.match(unknown.file, /bad-config\/handbook\.yaml$/)
  assert.equal(unknown.line, 3)
  assert.equal(unknown.column, 3)
  assert.match(unknown.message, /`titel`.*did you mean `title`\?.*Valid keys: `id`, `title`/)
})

test('build --format html --json on a two-locale handbook writes every listed file with its sha256', () => {
  const out = temporaryFolder('handbook-build-')
  const result = runCli(['build', '--root', path.join(books, 'two-locales'), '--format', 'html', '--out', out, '--json'])
  assert.equal(result.code, 0, result.stderr)
  const report = JSON.parse(result.stdout) as { artifacts: { locale: string | null; format: string; path: string; bytes: number; sha256: string }[] }
  const listed = report.artifacts.map((artifact) => artifact.path).sort()
  // Besides the editions: the build's manifest, checksums and cache index.
  const bookkeeping = ['.handbook-cache.json', 'SHA256SUMS', 'manifest.json']
  // The parsed chapters kept for the next build are a cache, not part of any edition.
  const written = walk(out).map((file) => path.relative(out, file).split(path.sep).join('/')).filter((file) => !file.startsWith('.handbook-parsed/')).sort()
  assert.deepEqual(listed, written.filter((file) => !bookkeeping.includes(file)), 'artifacts list exactly the edition files on disk')
  assert.deepEqual(written.filter((file) => bookkeeping.includes(file)), bookkeeping)
  for (const artifact of report.artifacts) {
    const data = readFileSync(path.join(out, artifact.path))
    assert.equal(artifact.bytes, data.byteLength)
    assert.equal(artifact.sha256, createHash('sha256').update(data).digest('hex'))
    assert.equal(artifact.format, 'html')
  }
  assert.ok(listed.includes('html/en/first.html') && listed.includes('html/lv/first.html') && listed.includes('html/index.html'))

  const lvFirst = readFileSync(path.join(out, 'html/lv/first.html'), 'utf8')
  assert.match(lvFirst, /<html lang="lv"/)
  assert.match(lvFirst, /<a href="second\.html" class="xref xref-chapter">2\. nodaļa „The second chapter”<\/a>/)
  assert.match(lvFirst, /src="\.\.\/media\/assets\/square\.svg"/)
  const lvSecond = readFileSync(path.join(out, 'html/lv/second.html'), 'utf8')
  assert.match(lvSecond, /class="notice notice-fallback"[^>]*>Šī nodaļa vēl nav iztulkota latviski/)
  assert.match(lvSecond, /<article class="chapter chapter-chapter" lang="en">/)
  const lvPreface = readFileSync(path.join(out, 'html/lv/preface.html'), 'utf8')
  assert.match(lvPreface, /„divas”/, 'Latvian quotation marks')
  for (const file of walk(out).filter((name) => name.endsWith('.html'))) {
    const html = readFileSync(file, 'utf8')
    for (const match of html.matchAll(/(?:href|src)="([^"]*)"/g)) {
      assert.doesNotMatch(match[1]!, /^(\/|file:)/, `${file}: links stay relative`)
    }
  }
})

test('a build with content errors writes nothing for that edition and exits 1', () => {
  const out = temporaryFolder('handbook-broken-')
  const result = runCli(['build', '--root', path.join(books, 'broken'), '--out', out, '--json'])
  assert.equal(result.code, 1)
  const report = JSON.parse(result.stdout) as { editions: { locale: string; status: string; seconds: number }[]; artifacts: unknown[] }
  // The time an edition took depends on the machine's load: only its type is checked.
  const [edition] = report.editions
  assert.equal(typeof edition?.seconds, 'number')
  assert.deepEqual(report.editions, [{ locale: 'en', format: 'html', status: 'failed', files: 0, seconds: edition!.seconds }])
  assert.equal(report.artifacts.length, 0)
  assert.equal(existsSync(path.join(out, 'html', 'en')), false)
  assert.deepEqual(walk(out).filter((file) => file.includes('.tmp-')), [])
})

test('usage errors exit 2 with one clear line', () => {
  const root = path.join(books, 'two-locales')
  const unknownLocale = runCli(['check', '--root', root, '--locale', 'xx'])
  assert.equal(unknownLocale.code, 2)
  assert.match(unknownLocale.stderr, /Unknown locale `xx`/)
  const unknownFormat = runCli(['build', '--root', root, '--format', 'docx'])
  assert.equal(unknownFormat.code, 2)
  assert.match(unknownFormat.stderr, /unknown format `docx`/)
  const unknownOption = runCli(['build', '--frobnicate'])
  assert.equal(unknownOption.code, 2)
  const noConfig = runCli(['check', '--root', path.join(books, 'does-not-exist')])
  assert.equal(noConfig.code, 2)
  assert.match(noConfig.stderr, /Cannot find `handbook\.yaml`.*--root/)
})

test('--help works on every command and --version prints the package version', () => {
  for (const command of [[], ['build'], ['check'], ['status'], ['doctor']]) {
    const result = runCli([...command, '--help'])
    assert.equal(result.code, 0, `${command.join(' ')} --help`)
    assert.match(result.stdout, /Usage: handbook/)
  }
  const build = runCli(['build', '--help']).stdout
  for (const option of ['--root', '--locale', '--format', '--out', '--json', '--quiet', '--strict']) assert.ok(build.includes(option), option)
  const version = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version as string
  assert.equal(runCli(['--version']).stdout.trim(), version)
})

test('status lists each chapter per locale with words and coverage', () => {
  const result = runCli(['status', '--root', path.join(books, 'two-locales'), '--json'])
  assert.equal(result.code, 0, result.stderr)
  const report = JSON.parse(result.stdout) as { locales: { locale: string; coverage: number; chapters: { chapter: string; state: string; words: number; sourceWords: number }[] }[] }
  const lv = report.locales.find((locale) => locale.locale === 'lv')!
  // This fixture has no translation record (translations/lv.yaml), so its translations are
  // `untracked`: translated, but not known to match the current source (docs/translation.md).
  assert.deepEqual(lv.chapters.map((cell) => [cell.chapter, cell.state]), [['preface', 'untracked'], ['basics', 'untracked'], ['first', 'untracked'], ['second', 'missing']])
  const total = lv.chapters.reduce((sum, cell) => sum + cell.sourceWords, 0)
  const second = lv.chapters.find((cell) => cell.chapter === 'second')!
  // Coverage is rounded down, so 100% means every word.
  assert.equal(lv.coverage, Math.floor((1000 * (total - second.sourceWords)) / total) / 10)
  const strict = runCli(['status', '--root', path.join(books, 'two-locales'), '--strict'])
  assert.equal(strict.code, 1)
  assert.match(strict.stderr, /not ready for release: lv \(3 untracked, 1 missing\)/)
})

test('doctor names the exact fix when the browser it was told to use is missing', () => {
  const result = runCli(['doctor', '--json'], { env: { HANDBOOK_BROWSER: '/nonexistent/chrome' } })
  assert.equal(result.code, 1)
  const report = JSON.parse(result.stdout) as { checks: { name: string; ok: boolean; detail: string; fix?: string }[] }
  const browser = report.checks.find((check) => check.name === 'browser')!
  assert.equal(browser.ok, false)
  assert.match(browser.detail, /HANDBOOK_BROWSER is set to `\/nonexistent\/chrome`/)
  assert.match(browser.fix ?? '', /HANDBOOK_BROWSER/)
  assert.deepEqual(report.checks.map((check) => check.name), ['node', 'browser', 'java', 'epubcheck', 'fonts'])
})

test('doctor passes on a machine set up by the README', () => {
  const result = runCli(['doctor'])
  assert.equal(result.code, 0, result.stdout)
  assert.match(result.stdout, /ok\s+browser\s+.*found via system installation/)
})
