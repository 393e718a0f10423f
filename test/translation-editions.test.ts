// Translation state in the editions: notices in HTML, EPUB and PDF, release builds, the stale policy, partner editions, the report page.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import JSZip from 'jszip'
import { epubcheckJar } from '../src/commands/doctor.js'
import { loadBook } from '../src/model/build.js'
import { renderContentsFile, renderTranslationReportFile } from '../src/render/html.js'
import { runCli } from './helpers.js'
import { changeOneSection, copyFixture, edit, flatText, temporaryFolder } from './translation-support.js'

const lvStrings = {
  fallback: 'Šī nodaļa vēl nav iztulkota (valoda: latviešu), tāpēc tā ir parādīta oriģinālvalodā (angļu).',
  stale: 'Šīs nodaļas oriģināls kopš tulkošanas ir mainīts. Tulkojums var būt novecojis.',
  outdated: 'Šīs nodaļas tulkojums (valoda: latviešu) ir novecojis, tāpēc tā ir parādīta oriģinālvalodā (angļu).'
}

function pdfText(file: string): string {
  const result = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
  assert.equal(result.status, 0, result.stderr)
  return flatText(result.stdout)
}

async function epubText(file: string, name: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(file))
  const entry = zip.file(`OEBPS/${name}`)
  assert.ok(entry, `${name} in ${file}`)
  return entry.async('string')
}

function noticeOf(html: string): { kind: string; text: string } | undefined {
  const match = /<p class="notice notice-(\w+)"[^>]*>([^<]*)<\/p>/.exec(html)
  return match ? { kind: match[1]!, text: match[2]! } : undefined
}

test('a deleted translation falls back with the notice, a stale one keeps its text with a notice, in HTML, EPUB and PDF', async () => {
  const root = copyFixture()
  const out = temporaryFolder()
  rmSync(path.join(root, 'lv', 'follow-up.md'))
  edit(path.join(root, 'en', 'meetings.md'), changeOneSection)
  const build = runCli(['build', '--root', root, '--out', out, '--locale', 'lv', '--format', 'html,epub,pdf', '--quiet'])
  assert.equal(build.code, 0, build.stderr)

  const html = (name: string) => readFileSync(path.join(out, 'html', 'lv', name), 'utf8')
  assert.deepEqual(noticeOf(html('follow-up.html')), { kind: 'fallback', text: lvStrings.fallback })
  assert.match(html('follow-up.html'), /<article class="chapter chapter-chapter" lang="en">[\s\S]*A short monthly call keeps a project moving/)
  assert.deepEqual(noticeOf(html('meetings.html')), { kind: 'stale', text: lvStrings.stale })
  assert.match(html('meetings.html'), /Sāciet laikā\./, 'a stale chapter keeps its translation')
  assert.equal(noticeOf(html('preface.html')), undefined)

  const epub = path.join(out, 'epub', 'translation-basic-0.1.0-lv.epub')
  assert.deepEqual(noticeOf(await epubText(epub, 'follow-up.xhtml')), { kind: 'fallback', text: lvStrings.fallback })
  assert.match(await epubText(epub, 'follow-up.xhtml'), /<p class="notice notice-fallback" lang="lv" xml:lang="lv"/)
  assert.deepEqual(noticeOf(await epubText(epub, 'meetings.xhtml')), { kind: 'stale', text: lvStrings.stale })
  assert.equal(noticeOf(await epubText(epub, 'preface.xhtml')), undefined)

  const pdf = pdfText(path.join(out, 'pdf', 'translation-basic-0.1.0-lv.pdf'))
  assert.ok(pdf.includes(lvStrings.fallback), 'the PDF has the fallback notice')
  assert.ok(pdf.includes(lvStrings.stale), 'the PDF has the stale notice')
  assert.ok(pdf.indexOf(lvStrings.stale) < pdf.indexOf('Sāciet laikā'), 'the notice comes before the chapter text')
  assert.ok(pdf.indexOf(lvStrings.fallback) < pdf.indexOf('A short monthly call'))

  // The report page lists what needs work, linked to the sections.
  const report = html('translation.html')
  assert.match(report, /<h1>Tulkojuma statuss<\/h1>/)
  assert.match(report, /<tr class="translation-stale"><th scope="row"><a href="meetings.html">Partneru sanāksmes<\/a><\/th><td>oriģināls mainīts<\/td><td><ul><li><a href="meetings.html#during-meeting">Sanāksmes laikā<\/a> \(oriģināls mainīts\)<\/li><\/ul><\/td><\/tr>/)
  assert.match(report, /<tr class="translation-missing"><th scope="row"><a href="follow-up.html" lang="en">Follow-up<\/a><\/th><td>nav iztulkots<\/td>/)
  assert.match(report, /Iztulkota rokasgrāmatas daļa \(valoda: latviešu\): \d+(,\d)?%; atbilst pašreizējam oriģinālam: \d+(,\d)?%\./)
  assert.match(html('index.html'), /<a href="translation.html">Tulkojuma statuss<\/a>/)
})

test('the translation report is for editors: a build publishes it only with editions.translation-report, the preview always has it', async () => {
  const root = copyFixture()
  edit(path.join(root, 'handbook.yaml'), (text) => text.replace('translation-report: true', 'translation-report: false'))
  const out = temporaryFolder()
  assert.equal(runCli(['build', '--root', root, '--out', out, '--locale', 'lv', '--quiet']).code, 0)
  const pages = readdirSync(path.join(out, 'html', 'lv')).filter((name) => name.endsWith('.html'))
  assert.ok(pages.length > 2)
  assert.ok(!pages.includes('translation.html'), 'no report page on the public site')
  for (const name of pages) assert.doesNotMatch(readFileSync(path.join(out, 'html', 'lv', name), 'utf8'), /translation\.html/, `${name} does not link the report`)
  // The preview loads the book as `handbook serve` does.
  const { book } = await loadBook({ root, locales: ['lv'], preview: true })
  const lv = book!.editions.find((edition) => edition.locale.tag === 'lv')!
  assert.equal(renderTranslationReportFile(book!, lv).length, 1)
  assert.match(renderContentsFile(book!, lv).data as string, /<a href="translation.html">Tulkojuma statuss<\/a>/)
})

test('a release build (--strict) fails on stale content, naming locale, chapter and section, and writes no edition with a notice', () => {
  const root = copyFixture()
  const out = temporaryFolder()
  const clean = runCli(['build', '--root', root, '--out', out, '--locale', 'lv', '--strict', '--json'])
  assert.equal(clean.code, 0, clean.stdout)
  rmSync(out, { recursive: true, force: true })

  edit(path.join(root, 'en', 'meetings.md'), changeOneSection)
  const result = runCli(['build', '--root', root, '--out', out, '--locale', 'lv', '--format', 'html,epub,pdf', '--strict', '--json'])
  assert.equal(result.code, 1)
  const report = JSON.parse(result.stdout) as { editions: { status: string }[]; messages: { file: string; line: number | null; ruleId: string; message: string; severity: string }[] }
  const stale = report.messages.filter((message) => message.ruleId === 'translation-stale')
  assert.equal(stale.length, 1)
  assert.equal(stale[0]!.severity, 'error')
  assert.match(stale[0]!.file, /lv\/meetings\.md$/)
  assert.equal(stale[0]!.line, 12)
  assert.match(stale[0]!.message, /^Cannot release `lv`: section `during-meeting` of chapter `meetings` in `lv` is stale/)
  assert.deepEqual(report.editions.map((edition) => edition.status), ['failed', 'failed', 'failed'])
  assert.equal(existsSync(path.join(out, 'html', 'lv')), false)
  assert.equal(existsSync(path.join(out, 'epub')), false)
  assert.equal(existsSync(path.join(out, 'pdf')), false)

  // A missing chapter fails a release too, on the file that is missing.
  rmSync(path.join(root, 'lv', 'follow-up.md'))
  const check = runCli(['check', '--root', root, '--locale', 'lv', '--strict', '--json'])
  const messages = (JSON.parse(check.stdout) as { messages: { file: string; ruleId: string }[] }).messages
  assert.ok(messages.some((message) => message.ruleId === 'translation-missing' && message.file.endsWith('lv/follow-up.md')))
})

test('translations.stale: fallback shows the source with its own notice; fail stops the edition without --strict', () => {
  const root = copyFixture()
  edit(path.join(root, 'en', 'meetings.md'), changeOneSection)
  edit(path.join(root, 'handbook.yaml'), (text) => `${text}translations:\n  stale: fallback\n`)
  const out = temporaryFolder()
  assert.equal(runCli(['build', '--root', root, '--out', out, '--locale', 'lv', '--quiet']).code, 0)
  const meetings = readFileSync(path.join(out, 'html', 'lv', 'meetings.html'), 'utf8')
  assert.deepEqual(noticeOf(meetings), { kind: 'fallback', text: lvStrings.outdated })
  assert.match(meetings, /Start on time and end on time/)

  edit(path.join(root, 'handbook.yaml'), (text) => text.replace('stale: fallback', 'stale: fail'))
  const failed = runCli(['build', '--root', root, '--out', temporaryFolder(), '--locale', 'lv,de', '--json'])
  assert.equal(failed.code, 1)
  const report = JSON.parse(failed.stdout) as { editions: { locale: string; status: string }[]; messages: { ruleId: string; message: string }[] }
  assert.deepEqual(report.editions.map((edition) => [edition.locale, edition.status]).sort(), [['de', 'failed'], ['lv', 'failed']])
  assert.ok(report.messages.some((message) => message.ruleId === 'translation-stale' && /`translations\.stale: fail`/.test(message.message)))
})

test('a partner edition picks a locale, adds and replaces front matter, shows its logo and has its own file names, in all three formats', async () => {
  const root = copyFixture()
  const out = temporaryFolder()
  const result = runCli(['build', '--root', root, '--out', out, '--edition', 'partner', '--json'])
  assert.equal(result.code, 0, result.stdout)
  const base = path.join(out, 'editions', 'partner')
  assert.deepEqual(readdirSync(path.join(base, 'epub')), ['stradajot-kopa-riga-0.1.0-lv.epub'])
  assert.deepEqual(readdirSync(path.join(base, 'pdf')), ['stradajot-kopa-riga-0.1.0-lv.pdf'])
  assert.deepEqual(readdirSync(path.join(base, 'html', 'lv')).filter((name) => name.endsWith('.html')).sort(), ['contacts.html', 'follow-up.html', 'index.html', 'meetings.html', 'preface.html', 'translation.html'])

  const index = readFileSync(path.join(base, 'html', 'lv', 'index.html'), 'utf8')
  assert.match(index, /<p class="cover-subtitle">Rīgas pilsētas izdevums<\/p>/)
  assert.match(index, /<img class="cover-logo" src="data:image\/svg\+xml;base64,[^"]+" alt="Rīgas pilsētas domes logotips"/)
  assert.match(index, /<p class="cover-publisher">Rīgas pilsētas dome<\/p>/)
  assert.match(index, /<li><a href="preface.html">Rīgas priekšvārds<\/a><\/li><li><a href="contacts.html">Kontakti<\/a><\/li><li><a href="meetings.html">1\. Partneru sanāksmes/)
  assert.match(readFileSync(path.join(base, 'html', 'lv', 'contacts.html'), 'utf8'), /starptautiskās sadarbības nodaļai/)
  // Published alone: no page links a language this site does not have.
  assert.doesNotMatch(index, /language-switcher/)
  for (const page of ['index.html', 'lv/index.html', 'lv/meetings.html']) {
    const languages = [...readFileSync(path.join(base, 'html', page), 'utf8').matchAll(/hreflang="([^"]+)"/g)].map((match) => match[1])
    assert.ok(languages.length > 0 && languages.every((tag) => tag === 'lv'), `${page}: ${languages.join(', ')}`)
  }

  const epub = path.join(base, 'epub', 'stradajot-kopa-riga-0.1.0-lv.epub')
  assert.match(await epubText(epub, 'title_page.xhtml'), /<img class="title-page-logo" src="images\/editions-partner-logo\.svg" alt="Rīgas pilsētas domes logotips" \/>/)
  assert.match(await epubText(epub, 'content.opf'), /<dc:publisher>Rīgas pilsētas dome<\/dc:publisher>/)
  assert.match(await epubText(epub, 'preface.xhtml'), /Šo izdevumu Rīgas pilsētas darbiniekiem/)
  assert.match(await epubText(epub, 'contacts.xhtml'), /Kontakti/)

  const pdfFile = path.join(base, 'pdf', 'stradajot-kopa-riga-0.1.0-lv.pdf')
  const pdf = pdfText(pdfFile)
  assert.match(pdf, /^Strādājot kopā Rīgas pilsētas izdevums RĪGA Rīgas pilsētas dome/, 'the cover has the logo (its text) above the publisher')
  assert.ok(pdf.includes('Rīgas priekšvārds') && pdf.includes('Kontakti') && !pdf.includes('Priekšvārds Šī īsā grāmata'), 'the preface is replaced, contacts added')

  const check = spawnSync('java', ['-jar', epubcheckJar, epub], { encoding: 'utf8' })
  assert.equal(check.status, 0, check.stdout + check.stderr)
})

test('an edition overlay with a mistake is a usage error that names the key', () => {
  const root = copyFixture()
  edit(path.join(root, 'editions', 'partner.yaml'), (text) => text.replace('after: preface', 'after: meetings').replace('locale: lv', 'locale: lv\ncolour: blue'))
  const result = runCli(['build', '--root', root, '--out', temporaryFolder(), '--edition', 'partner'])
  assert.equal(result.code, 2)
  assert.match(result.stderr, /editions\/partner\.yaml\n3:1 +error +Unexpected key `colour` in the edition: valid keys are `locale`, `output-name`/)
  edit(path.join(root, 'editions', 'partner.yaml'), (text) => text.replace('colour: blue\n', ''))
  assert.match(runCli(['build', '--root', root, '--edition', 'partner']).stderr, /Cannot place a partner chapter at `meetings`: it is numbered/)
  assert.match(runCli(['build', '--root', root, '--edition', 'nope']).stderr, /Cannot find the edition `nope`/)
})

test('the bundled example partner edition builds: local preface first, contacts last, the logo on the cover', () => {
  const out = temporaryFolder()
  const result = runCli(['build', '--edition', 'example-partner', '--format', 'html', '--out', out, '--quiet'])
  assert.equal(result.code, 0, result.stderr)
  const index = readFileSync(path.join(out, 'editions', 'example-partner', 'html', 'lv', 'index.html'), 'utf8')
  const pages = [...index.matchAll(/<li><a href="([a-z0-9-]+)\.html">/g)].map((match) => match[1])
  assert.equal(pages[0], 'local-preface')
  assert.equal(pages.at(-1), 'contacts')
  assert.match(index, /<img class="cover-logo" src="data:image\/svg\+xml;base64,[^"]+" alt="Partnerorganizācijas logotips"/)
})
