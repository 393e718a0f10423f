// The translation workflow on a fixture handbook: status and its JSON, stale sections and their diff, translate init/done.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { statusDiffSchema, statusReportSchema, type StatusReport } from '../src/content/status-schema.js'
import { fixtures, repoRoot, runCli } from './helpers.js'
import { changeOneSection, copyFixture, edit, temporaryFolder } from './translation-support.js'

const fixture = path.join(fixtures, 'books', 'translation-basic')

/** `status --json`, checked against the documented schema. */
function status(root: string, ...args: string[]): { report: StatusReport; code: number | null; stderr: string } {
  const result = runCli(['status', '--root', root, '--json', ...args])
  return { report: statusReportSchema.parse(JSON.parse(result.stdout)), code: result.code, stderr: result.stderr }
}

function states(report: StatusReport, locale: string): Record<string, string> {
  const entry = report.locales.find((candidate) => candidate.locale === locale)!
  return Object.fromEntries(entry.chapters.flatMap((chapter) => [[chapter.chapter, chapter.state], ...chapter.sections.map((section) => [`${chapter.chapter}#${section.id}`, section.state])]))
}

test('status --json follows the documented schema and gives each chapter and section its state', () => {
  const { report, code } = status(fixture)
  assert.equal(code, 0)
  assert.equal(report.sourceLocale, 'en')
  assert.deepEqual(report.locales.map((locale) => locale.locale), ['en', 'lv', 'de'])
  const lv = report.locales[1]!
  assert.equal(lv.coverage, 100)
  assert.equal(lv.upToDate, 100)
  assert.deepEqual(lv.chapterCounts, { source: 0, current: 3, stale: 0, draft: 0, untracked: 0, missing: 0 })
  const de = report.locales[2]!
  assert.deepEqual(de.chapters.map((chapter) => [chapter.chapter, chapter.state]), [['preface', 'missing'], ['meetings', 'current'], ['follow-up', 'missing']])
  const meetings = de.chapters[1]!
  assert.deepEqual(meetings.sections.map((section) => section.id), ['meetings', 'before-meeting', 'during-meeting', 'after-meeting'])
  assert.equal(de.coverage, Math.floor((1000 * meetings.sourceWords) / de.sourceWords) / 10)
  assert.equal(de.sourceWords, report.locales[0]!.words)
  assert.deepEqual(report.problems.map((problem) => [problem.locale, problem.chapter, problem.section, problem.state]), [['de', 'preface', null, 'missing'], ['de', 'follow-up', null, 'missing']])
  assert.equal(runCli(['status', '--root', fixture, '--strict', '--locale', 'lv']).code, 0)
  assert.equal(runCli(['status', '--root', fixture, '--strict', '--locale', 'de']).code, 1)
})

test('a changed source section is stale in exactly that section, in every locale that translated it, and --diff shows the change', () => {
  const root = copyFixture()
  const before = status(root).report
  edit(path.join(root, 'en', 'meetings.md'), changeOneSection)
  const { report, code } = status(root)
  assert.equal(code, 0, 'without --strict, stale content is no failure')
  for (const locale of ['lv', 'de']) {
    const was = states(before, locale)
    const now = states(report, locale)
    const changed = Object.keys(now).filter((key) => now[key] !== was[key])
    assert.deepEqual(changed.sort(), ['meetings', 'meetings#during-meeting'], locale)
    assert.equal(now['meetings#during-meeting'], 'stale')
    assert.equal(now.meetings, 'stale')
  }
  const lv = report.locales.find((locale) => locale.locale === 'lv')!
  assert.equal(lv.coverage, 100)
  assert.ok(lv.upToDate < 100)

  const text = runCli(['status', '--root', root, '--diff', 'lv', 'meetings'])
  assert.equal(text.code, 0, text.stderr)
  assert.match(text.stdout, /lv meetings \(“Partner meetings”\): stale; old source: .*translations\/sources\/meetings\.[0-9a-f]{16}\.md/)
  assert.match(text.stdout, /§ during-meeting \(“During the meeting”\): changed; in lv: stale/)
  assert.match(text.stdout, /\[-time\. Keep a-\]\{\+time and end on time\. Keep a written\+\}/)
  assert.doesNotMatch(text.stdout, /before-meeting|after-meeting/)

  const json = runCli(['status', '--root', root, '--diff', 'de', '--json'])
  const diff = statusDiffSchema.parse(JSON.parse(json.stdout))
  assert.equal(diff.locale, 'de')
  assert.deepEqual(diff.chapters.map((chapter) => chapter.chapter), ['meetings'])
  const [change] = diff.chapters[0]!.sections
  assert.equal(diff.chapters[0]!.sections.length, 1)
  assert.equal(change!.id, 'during-meeting')
  assert.equal(change!.change, 'changed')
  assert.match(change!.old!, /Start on time\. Keep a list/)
  assert.match(change!.new!, /Start on time and end on time\. Keep a written list/)
  assert.deepEqual(change!.hunks.map((hunk) => [hunk.removed, hunk.added]), [['time. Keep a', 'time and end on time. Keep a written']])
})

test('whitespace-only edits of the source leave every translation up to date', () => {
  const root = copyFixture()
  edit(path.join(root, 'en', 'meetings.md'), (text) =>
    text
      .replace('Send the agenda two weeks ahead. Ask every partner', 'Send the agenda two weeks ahead.\nAsk every   partner')
      .replace('## During the meeting {#during-meeting}\n', '##   During the meeting   {#during-meeting}  \n\n\n')
      .replace(/\n/g, '\r\n')
  )
  edit(path.join(root, 'en', 'preface.md'), (text) => text.replace('It has two chapters', 'It has\ttwo\n  chapters') + '\n\n')
  const { report } = status(root)
  assert.deepEqual(report.problems.filter((problem) => problem.locale === 'lv'), [])
  for (const locale of report.locales.filter((entry) => !entry.isSource)) assert.equal(locale.sectionCounts.stale, 0, locale.locale)
  assert.equal(runCli(['status', '--root', root, '--diff', 'lv']).stdout, 'lv: nothing is stale\n')
})

test('--strict fails naming the locale, chapter and section; --locale shows one locale down to its sections', () => {
  const root = copyFixture()
  edit(path.join(root, 'en', 'meetings.md'), changeOneSection)
  const strict = runCli(['status', '--root', root, '--strict', '--locale', 'lv'])
  assert.equal(strict.code, 1)
  assert.match(strict.stderr, /not ready for release: lv \(1 stale\)/)
  assert.match(strict.stderr, /lv\/meetings\.md:12: Section `during-meeting` of chapter `meetings` in `lv` is stale/)
  assert.match(strict.stdout, /^lv \(Latviešu\): 100\.0% translated, \d+\.\d% up to date/)
  assert.match(strict.stdout, /\n {2}during-meeting +stale +\d+ +\d+\n/)
  assert.match(strict.stdout, /\n {2}before-meeting +ok +\d+ +\d+\n/)
  const json = status(root, '--strict')
  assert.equal(json.code, 1)
  assert.equal(json.report.ok, false)
  assert.ok(json.report.problems.some((problem) => problem.locale === 'de' && problem.chapter === 'meetings' && problem.section === 'during-meeting' && problem.state === 'stale' && problem.line === 12))
  assert.equal(runCli(['status', '--root', root, '--diff', 'xx']).code, 2)
  assert.match(runCli(['status', '--root', root, '--diff', 'lv', 'nope']).stderr, /Unknown chapter `nope`/)
})

test('without a snapshot, --diff finds the old source in git and says so', () => {
  const root = copyFixture()
  const git = (...args: string[]) => {
    const result = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8' })
    assert.equal(result.status, 0, result.stderr)
  }
  git('init', '-q')
  git('add', '-A')
  git('commit', '-q', '-m', 'translated')
  edit(path.join(root, 'en', 'meetings.md'), changeOneSection)
  git('commit', '-q', '-am', 'source changed')
  rmSync(path.join(root, 'translations', 'sources'), { recursive: true })
  const text = runCli(['status', '--root', root, '--diff', 'lv', 'meetings'])
  assert.match(text.stdout, /old source from git commit [0-9a-f]{12} \(en\/meetings\.md\): no snapshot kept/)
  assert.match(text.stdout, /\{\+time and end on time\. Keep a written\+\}/)
  rmSync(path.join(root, '.git'), { recursive: true, force: true })
  assert.match(runCli(['status', '--root', root, '--diff', 'lv', 'meetings']).stdout, /old source unavailable: neither .* nor a git commit/)
})

test('translate init starts a new locale (folder, strings, config suggestion, drafts); done records the current source', () => {
  const root = copyFixture()
  const init = runCli(['translate', 'init', 'pl', 'meetings', '--root', root])
  assert.equal(init.code, 0, init.stderr)
  assert.match(init.stdout, /created .*pl\/meetings\.md \(draft, from source version [0-9a-f]{16}\)/)
  assert.match(init.stdout, /`pl` is not in handbook.yaml yet\. Add the locale to handbook.yaml:\n\nlocales:\n {2}- tag: pl\n {4}label: Polski\n/)
  assert.match(readFileSync(path.join(root, 'pl', 'meetings.md'), 'utf8'), /^---\ntitle: Partner meetings\ndraft: true\n---\n/)
  assert.match(readFileSync(path.join(root, 'strings', 'pl.yaml'), 'utf8'), /^# Interface strings in Polski \(pl\)\. The tool has all of them built in[\s\S]*\n# contents: Spis treści\n/)
  const record = JSON.parse(readFileSync(path.join(root, 'translations', 'pl.json'), 'utf8')) as { 'source-locale': string; chapters: Record<string, { source: string; sections: Record<string, string> }> }
  assert.equal(record['source-locale'], 'en')
  assert.deepEqual(Object.keys(record.chapters), ['meetings'])
  assert.match(record.chapters.meetings!.source, /^[0-9a-f]{16}$/)
  assert.deepEqual(Object.keys(record.chapters.meetings!.sections), ['meetings', 'before-meeting', 'during-meeting', 'after-meeting'])

  edit(path.join(root, 'handbook.yaml'), (text) => text.replace('  - tag: de\n    label: Deutsch\n', '  - tag: de\n    label: Deutsch\n  - tag: pl\n    label: Polski\n'))
  assert.deepEqual(states(status(root).report, 'pl'), {
    preface: 'missing', 'preface#preface': 'missing',
    meetings: 'draft', 'meetings#meetings': 'draft', 'meetings#before-meeting': 'draft', 'meetings#during-meeting': 'draft', 'meetings#after-meeting': 'draft',
    'follow-up': 'missing', 'follow-up#follow-up': 'missing', 'follow-up#keeping-in-touch': 'missing', 'follow-up#reporting': 'missing'
  })
  const check = runCli(['check', '--root', root, '--locale', 'pl'])
  assert.doesNotMatch(check.stderr, /Missing string|strings-missing/, 'Polish interface strings are built in')

  // The source changes while the draft is translated; `done` records the version translated from.
  edit(path.join(root, 'en', 'meetings.md'), changeOneSection)
  // The draft is still the source's text: `done` refuses it unless told the text may stay the same.
  const refused = runCli(['translate', 'done', 'pl', 'meetings', '--root', root])
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /cannot record pl meetings: `meetings`, `before-meeting`, `after-meeting` are the same as the en source/)
  const done = runCli(['translate', 'done', 'pl', 'meetings', '--identical-ok', '--root', root])
  assert.equal(done.code, 0, done.stderr)
  assert.match(done.stdout, /recorded pl meetings as matching source version [0-9a-f]{16} \(draft flag removed; was stale in during-meeting\)/)
  assert.doesNotMatch(readFileSync(path.join(root, 'pl', 'meetings.md'), 'utf8'), /draft:/)
  assert.equal(states(status(root).report, 'pl').meetings, 'current')

  // lv was translated from the old version: it is stale now, and its snapshot stays until lv is done too.
  assert.equal(states(status(root).report, 'lv')['meetings#during-meeting'], 'stale')
  const snapshots = () => readdirSync(path.join(root, 'translations', 'sources')).filter((name) => name.startsWith('meetings.')).length
  assert.equal(snapshots(), 2)
  for (const locale of ['lv', 'de']) assert.equal(runCli(['translate', 'done', locale, 'meetings', '--root', root]).code, 0)
  assert.equal(snapshots(), 1, 'the old source version is pruned once no record uses it')
  assert.equal(status(root, '--locale', 'lv,de').report.problems.filter((problem) => problem.state === 'stale').length, 0)

  assert.match(runCli(['translate', 'init', 'lv', '--root', root]).stdout, /lv: every chapter has a translation file already/)
  assert.equal(runCli(['translate', 'init', 'lv', 'nope', '--root', root]).code, 2)
  assert.equal(runCli(['translate', 'done', 'xx', 'meetings', '--root', root]).code, 2)
  assert.equal(runCli(['translate', 'done', 'lv', '--root', root]).code, 2, 'done needs chapters or --all')
  assert.equal(existsSync(path.join(root, 'translations', 'xx.json')), false)
})

test('status reads translations as a build does: a folder, a FIFO or a link out of the handbook is reported, never read', () => {
  const root = copyFixture()
  const outside = temporaryFolder()
  const secretFile = path.join(outside, 'secret.md')
  writeFileSync(secretFile, '---\ntitle: Outside\n---\n\nSECRET-OUTSIDE-TEXT\n')
  mkdirSync(path.join(root, 'de', 'preface.md'))
  execFileSync('mkfifo', [path.join(root, 'de', 'follow-up.md')])
  rmSync(path.join(root, 'lv', 'meetings.md'))
  symlinkSync(secretFile, path.join(root, 'lv', 'meetings.md'))
  const result = runCli(['status', '--root', root, '--json'])
  assert.notEqual(result.code, null, 'status finishes (a FIFO is never opened)')
  assert.equal(result.code, 1)
  assert.doesNotMatch(result.stdout + result.stderr, /SECRET-OUTSIDE-TEXT/)
  const json = JSON.parse(result.stdout) as { messages: { file: string; line: number; column: number; ruleId: string }[] }
  assert.deepEqual(
    json.messages.map((message) => `${path.relative(root, path.resolve(repoRoot, message.file))}:${message.line}:${message.column} ${message.ruleId}`).sort(),
    ['de/follow-up.md:1:1 chapter-unreadable', 'de/preface.md:1:1 chapter-unreadable', 'lv/meetings.md:1:1 chapter-outside-root']
  )
  const report = statusReportSchema.parse(json)
  // What may not be read counts as missing; the other chapters are reported as before.
  assert.equal(states(report, 'lv').meetings, 'missing')
  assert.equal(states(report, 'de').preface, 'missing')
  assert.equal(states(report, 'lv').preface, 'current')
  assert.equal(states(report, 'de').meetings, 'current')
})
