// XLIFF and PO exchange: lossless round trips for every bundled locale, independent tools reading the files, validation before writing, and an edit made by gettext's own tools.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { before, describe, test } from 'node:test'
import { DOMParser, XMLSerializer } from '@xmldom/xmldom'
import { po } from 'gettext-parser'
import { parse as parseYaml } from 'yaml'
import { loadConfig } from '../src/config/load.js'
import { runExport, type ExchangeFormat, type Printer } from '../src/translate/export.js'
import { runImport } from '../src/translate/import.js'
import { localeUnits } from '../src/translate/units.js'
import { bundledHandbook, runCli, temporaryFolder } from './helpers.js'
import { changeOneSection, copyFixture, edit } from './translation-support.js'

/** An external tool the test needs; CI installs them (scripts/setup.sh). A missing one fails with the fix. */
function tool(name: string, args: readonly string[], options: { cwd?: string } = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(name, args, { encoding: 'utf8', cwd: options.cwd, maxBuffer: 64 << 20 })
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    const pkg = { msgfmt: 'gettext', msgcat: 'gettext', xliff2po: 'translate-toolkit', pofilter: 'translate-toolkit', xmllint: 'libxml2-utils' }[name] ?? name
    assert.fail(`\`${name}\` is not installed: install the Debian package \`${pkg}\` (sudo apt-get install -y ${pkg}; \`npm run setup\` does it as root)`)
  }
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A printer that keeps the report (the test runner's own stdout stays untouched). */
function printer(): { print: Printer; stdout: () => string; stderr: () => string } {
  const out: string[] = []
  const err: string[] = []
  return { print: { out: (text) => void out.push(text), err: (text) => void err.push(text) }, stdout: () => out.join(''), stderr: () => err.join('') }
}

/** Every file of a folder with its sha256, relative paths sorted. */
function tree(folder: string): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else files.set(path.relative(folder, full), createHash('sha256').update(readFileSync(full)).digest('hex'))
    }
  }
  walk(folder)
  return files
}

function copyBundled(): string {
  const folder = temporaryFolder('handbook-xliff-')
  cpSync(bundledHandbook, folder, { recursive: true })
  return folder
}

async function exportTo(root: string, locale: string, format: ExchangeFormat, out: string, chapters: string[] = []): Promise<string> {
  const report = printer()
  const value = await runExport({ root, locale, chapters, format, out, print: report.print })
  assert.equal(value, 0, report.stderr())
  return readFileSync(out, 'utf8')
}

async function importFiles(root: string, files: string[], check = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const report = printer()
  const value = await runImport({ root, files, check, identicalOk: false, print: report.print })
  return { code: value, stdout: report.stdout(), stderr: report.stderr() }
}

const bundledLocales = (await loadConfig(bundledHandbook)).config!.locales.map((entry) => entry.tag).filter((tag) => tag !== 'en')

describe('translate export and import', () => {
  // Every bundled locale exported once in both formats, and the template, from one copy of the
  // bundled handbook: the round trip imports them, the tools below read them.
  let exported: { root: string; before: Map<string, string>; files: { locale: string; format: 'xliff' | 'po'; file: string; text: string }[]; pot: string }
  before(async () => {
    const root = copyBundled()
    // Taken before the first export: neither exporting nor importing may change a file.
    const before = tree(root)
    const out = temporaryFolder('handbook-xliff-out-')
    const files: typeof exported.files = []
    for (const locale of bundledLocales) {
      for (const format of ['xliff', 'po'] as const) {
        const file = path.join(out, `${locale}.${format === 'xliff' ? 'xlf' : 'po'}`)
        files.push({ locale, format, file, text: await exportTo(root, locale, format, file) })
      }
    }
    const pot = path.join(out, 'handbook.pot')
    await exportTo(root, 'lv', 'pot', pot)
    exported = { root, before, files, pot }
  })

  test('export, then import unchanged, leaves every file byte-identical, for every bundled locale in XLIFF and PO', async () => {
    assert.ok(bundledLocales.length >= 5)
    for (const { locale, format, file, text } of exported.files) {
      assert.ok(text.length > 10_000, `${locale} ${format} has content`)
      const result = await importFiles(exported.root, [file])
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(tree(exported.root), exported.before, `${locale} ${format}: nothing changed (${result.stdout})`)
    }
  })

  test('every exported PO passes `msgfmt --check` and `pofilter`; every XLIFF is well-formed for `xmllint`', () => {
    assert.doesNotMatch(readFileSync(exported.pot, 'utf8'), /^msgstr "[^"]/m, 'a template has no translations')
    const check = tool('msgfmt', ['--check', '-o', '/dev/null', exported.pot])
    assert.equal(check.code, 0, check.stderr)
    const out = temporaryFolder('handbook-xliff-check-')
    for (const { locale, format, file } of exported.files) {
      if (format === 'xliff') {
        const lint = tool('xmllint', ['--noout', file])
        assert.equal(lint.code, 0, `${locale}: ${lint.stderr}`)
        continue
      }
      const msgfmt = tool('msgfmt', ['--check', '-o', '/dev/null', file])
      assert.equal(msgfmt.code, 0, `${locale}: ${msgfmt.stderr}`)
      assert.equal(msgfmt.stderr, '', `${locale}: msgfmt has no warnings`)
      const report = path.join(out, `${locale}-pofilter.po`)
      const filter = tool('pofilter', ['-t', 'variables', '-t', 'xmltags', '-t', 'printf', '-t', 'pythonbraceformat', file, report])
      assert.equal(filter.code, 0, filter.stderr)
      const flagged = existsSync(report) ? readFileSync(report, 'utf8').match(/^# \(pofilter\).*$/gm) ?? [] : []
      assert.deepEqual(flagged, [], `${locale}: pofilter finds no placeholder or variable errors`)
    }
    // The checks can fail: a deleted placeholder is what pofilter reports.
    const lv = exported.files.find((entry) => entry.locale === 'lv' && entry.format === 'po')!
    const broken = lv.text.replace(/^(msgstr ".*?)<g1>(.*?)<\/g1>/m, '$1$2')
    writeFileSync(path.join(out, 'broken.po'), broken)
    tool('pofilter', ['-t', 'xmltags', path.join(out, 'broken.po'), path.join(out, 'broken-report.po')])
    assert.match(readFileSync(path.join(out, 'broken-report.po'), 'utf8'), /\(pofilter\) xmltags/)
  })

  test('translate-toolkit\'s xliff2po reads the XLIFF and gives the same segments', async () => {
    const { root } = exported
    const xlf = exported.files.find((entry) => entry.locale === 'lv' && entry.format === 'xliff')!.file
    const converted = path.join(temporaryFolder('handbook-xliff2po-'), 'lv-from-xliff.po')
    const result = tool('xliff2po', [xlf, converted])
    assert.equal(result.code, 0, result.stderr)
    const parsed = po.parse(readFileSync(converted))
    const theirs = new Map<string, { msgid: string; msgstr: string }>()
    for (const entries of Object.values(parsed.translations)) {
      for (const entry of Object.values(entries)) {
        if (entry.msgid === '') continue
        theirs.set(entry.comments!.reference!.trim(), { msgid: entry.msgid, msgstr: entry.msgstr[0] ?? '' })
      }
    }
    const config = (await loadConfig(root)).config!
    const model = await localeUnits(root, config, 'lv', [])
    const units = model.groups.flatMap((group) => group.units)
    assert.equal(theirs.size, units.length, 'one PO entry per unit')
    // xliff2po shows <ph> codes as their text and <g> as the text they enclose.
    const shown = (parts: typeof units[number]['source']) => parts.map((part) => (typeof part === 'string' ? part : part.kind === 'ph' ? part.code : '')).join('')
    let targets = 0
    for (const unit of units) {
      const entry = theirs.get(unit.id)
      assert.ok(entry, `xliff2po has ${unit.id}`)
      assert.equal(entry.msgid, shown(unit.source), unit.id)
      if (unit.target) {
        targets++
        assert.equal(entry.msgstr, shown(unit.target), unit.id)
      }
    }
    assert.ok(targets > 900, `${targets} pre-filled targets`)
  })

  test('a stale section exports its old source: XLIFF note and needs-review state, PO `#| msgid` and fuzzy', async () => {
    const root = copyFixture()
    edit(path.join(root, 'en', 'meetings.md'), changeOneSection)
    const out = temporaryFolder('handbook-xliff-out-')
    const poText = await exportTo(root, 'lv', 'po', path.join(out, 'lv.po'))
    const entry = poText.split('\n\n').find((block) => block.includes('msgctxt "meetings/during-meeting/2"'))!
    assert.match(entry, /^#, fuzzy$/m)
    assert.match(entry, /^#\| msgid "Start on time\. Keep a list of decisions and of who does what by when\."$/m)
    assert.match(entry, /^msgid "Start on time and end on time\. Keep a written list of decisions/m)
    // Sections that did not change stay final (not fuzzy).
    const unchanged = poText.split('\n\n').find((block) => block.includes('msgctxt "meetings/before-meeting/2"'))!
    assert.doesNotMatch(unchanged, /fuzzy/)
    const xliff = await exportTo(root, 'lv', 'xliff', path.join(out, 'lv.xlf'))
    const unit = /<trans-unit id="meetings\/during-meeting\/2"[\s\S]*?<\/trans-unit>/.exec(xliff)![0]
    assert.match(unit, /<target state="needs-review-translation">/)
    assert.match(unit, /<note from="previous-source" annotates="source">Start on time\. Keep a list of decisions and of who does what by when\.<\/note>/)
    assert.match(xliff, /<trans-unit id="meetings\/before-meeting\/2"[^>]*>\s*<source>[^<]*<\/source>\s*<target state="final">/)
    // Missing chapters are untranslated: no target.
    const de = await exportTo(root, 'de', 'xliff', path.join(out, 'de.xlf'))
    assert.match(de, /<trans-unit id="follow-up\/follow-up\/title"[^>]*>\s*<source>[^<]*<\/source>\s*<note/)
  })

  test('a placeholder deleted by a translator is an error naming the segment and its place, and nothing is written', async () => {
    const root = copyBundled()
    const before = tree(root)
    const out = temporaryFolder('handbook-xliff-out-')
    const file = path.join(out, 'lv.po')
    const text = await exportTo(root, 'lv', 'po', file)
    // One good change and one deleted placeholder: neither is written.
    const changed = text
      .replace('msgstr "Priekšvārds"', 'msgstr "Ievads"')
      .replace(/(msgctxt "foreword\/foreword-partnership\/3"\nmsgid ".*"\nmsgstr ".*?)<g1>(.*?)<\/g1>/, '$1$2')
    assert.notEqual(changed, text)
    writeFileSync(file, changed)
    const line = changed.split('\n').findIndex((entry) => entry === 'msgctxt "foreword/foreword-partnership/3"') + 3
    const result = await importFiles(root, [file])
    assert.equal(result.code, 1)
    assert.match(result.stderr, new RegExp(`lv\\.po:${line}:1: error Segment \`foreword/foreword-partnership/3\`: placeholders missing <g1>, </g1>`))
    assert.match(result.stderr, /nothing was written/)
    assert.deepEqual(tree(root), before)

    // XLIFF: a reordered code is an error at the target's line and column.
    const xlf = path.join(out, 'lv.xlf')
    const xml = await exportTo(root, 'lv', 'xliff', xlf)
    const swapped = xml.replace(
      /(<trans-unit id="foreword\/foreword-partnership\/3"[\s\S]*?<target state="final">)([\s\S]*?)(<\/target>)/,
      (_all, head: string, body: string, tail: string) => {
        const first = /<g id="1"[^>]*>[^<]*<\/g>/.exec(body)![0]
        const second = /<g id="2"[^>]*>[^<]*<\/g>/.exec(body)![0]
        return head + body.replace(first, '\u0000').replace(second, first).replace('\u0000', second) + tail
      }
    )
    writeFileSync(xlf, swapped)
    const xmlResult = await importFiles(root, [xlf])
    assert.equal(xmlResult.code, 1)
    assert.match(xmlResult.stderr, /lv\.xlf:\d+:\d+: error Segment `foreword\/foreword-partnership\/3`: placeholders reordered/)
    assert.deepEqual(tree(root), before)
  })

  test('a segment translated with gettext\'s own tools (msgcat) changes that segment only', async () => {
    const root = copyBundled()
    const out = temporaryFolder('handbook-xliff-out-')
    const file = path.join(out, 'lv.po')
    const text = await exportTo(root, 'lv', 'po', file)
    // A compendium with one new translation, merged the way gettext merges: msgcat rewraps the whole file.
    const header = text.slice(0, text.indexOf('\n\n') + 2)
    const entry = text.split('\n\n').find((block) => block.includes('msgctxt "foreword/foreword-partnership/3"'))!
    const msgid = /^msgid (".*")$/m.exec(entry)![1]!
    writeFileSync(path.join(out, 'new.po'), `${header}msgctxt "foreword/foreword-partnership/3"\nmsgid ${msgid}\nmsgstr "Mērķis bija <g1>stratēģijas</g1> un <g2>mūžizglītība</g2>."\n`)
    const merged = path.join(out, 'merged.po')
    const msgcat = tool('msgcat', ['--use-first', path.join(out, 'new.po'), file, '-o', merged])
    assert.equal(msgcat.code, 0, msgcat.stderr)
    assert.notEqual(readFileSync(merged, 'utf8'), text, 'msgcat rewrote the file')
    assert.equal(tool('msgfmt', ['--check', '-o', '/dev/null', merged]).code, 0)
    const chapter = path.join(root, 'lv', 'foreword.md')
    const old = readFileSync(chapter, 'utf8')
    const before = tree(root)
    const result = await importFiles(root, [merged])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /changed .*lv\/foreword\.md: 1 segment\(s\) \(foreword\/foreword-partnership\/3\)/)
    const oldParagraph = old.split('\n').find((line) => line.startsWith('Partnerības vispārējais mērķis'))!
    const expected = old.replace(oldParagraph, 'Mērķis bija :term[stratēģijas]{#internationalisation-strategy} un :term[mūžizglītība]{#lifelong-learning}.')
    assert.equal(readFileSync(chapter, 'utf8'), expected)
    const after = tree(root)
    for (const [name, hash] of before) if (name !== 'lv/foreword.md') assert.equal(after.get(name), hash, `${name} unchanged`)
  })

  test('an edited XLIFF target is written back with the ids, term markers and localized codes restored', async () => {
    const root = copyBundled()
    const out = temporaryFolder('handbook-xliff-out-')
    const file = path.join(out, 'lv.xlf')
    const xml = await exportTo(root, 'lv', 'xliff', file)
    // Edit one target through a DOM, as a CAT tool would, and serialize the whole document anew.
    const document = new DOMParser().parseFromString(xml, 'application/xml')
    const units = document.getElementsByTagName('trans-unit')
    let edited = false
    for (let index = 0; index < units.length; index++) {
      const unit = units.item(index)!
      if (unit.getAttribute('id') !== 'introduction/fields-of-action/2') continue
      const target = unit.getElementsByTagName('target').item(0)!
      const ph = target.getElementsByTagName('ph').item(0)!
      while (target.firstChild) target.removeChild(target.firstChild)
      target.appendChild(document.createTextNode('Jauns teksts ar atsauci uz '))
      target.appendChild(ph)
      target.appendChild(document.createTextNode('.'))
      target.setAttribute('state', 'translated')
      edited = true
    }
    assert.ok(edited)
    // The alt text of a figure whose picture is localized: the translation's image path stays.
    let alt = false
    for (let index = 0; index < units.length; index++) {
      const target = units.item(index)!.getElementsByTagName('target').item(0)
      const image = target?.getElementsByTagName('g').item(0)
      if (!target || !image || image.getAttribute('ctype') !== 'x-md-image' || !(image.textContent ?? '').startsWith('Aisbergs:')) continue
      while (image.firstChild) image.removeChild(image.firstChild)
      image.appendChild(document.createTextNode('Jauns aisberga apraksts'))
      alt = true
    }
    assert.ok(alt)
    writeFileSync(file, new XMLSerializer().serializeToString(document))
    const result = await importFiles(root, [file])
    assert.equal(result.code, 0, result.stderr)
    assert.match(readFileSync(path.join(root, 'lv', 'introduction.md'), 'utf8'), /^Jauns teksts ar atsauci uz \[\]\(#tab-fields-of-action\)\.$/m)
    assert.match(readFileSync(path.join(root, 'lv', 'culture-and-communication.md'), 'utf8'), /^!\[Jauns aisberga apraksts\]\(\.\.\/assets\/lv\/cultural-iceberg\.svg\)$/m)
  })

  test('a chapter and sections new in a language are written whole and recorded; status then shows them current', async () => {
    const root = copyFixture()
    const out = temporaryFolder('handbook-xliff-out-')
    const file = path.join(out, 'de.po')
    const text = await exportTo(root, 'de', 'po', file, ['follow-up'])
    const parsed = po.parse(text)
    let count = 0
    for (const [context, entries] of Object.entries(parsed.translations)) {
      if (context === '') continue
      for (const entry of Object.values(entries)) {
        // A "translation" that keeps every code: the German marker and the source text with its codes.
        entry.msgstr = [`DE ${entry.msgid}`]
        count++
      }
    }
    assert.ok(count >= 3)
    writeFileSync(file, po.compile(parsed))
    const check = await importFiles(root, [file], true)
    assert.equal(check.code, 0, check.stderr)
    assert.equal(existsSync(path.join(root, 'de', 'follow-up.md')), false, '--check writes nothing')
    const result = await importFiles(root, [file])
    assert.equal(result.code, 0, result.stderr)
    const written = readFileSync(path.join(root, 'de', 'follow-up.md'), 'utf8')
    const source = readFileSync(path.join(root, 'en', 'follow-up.md'), 'utf8')
    assert.match(written, /^title: DE /m)
    assert.equal(written.replace(/DE /g, ''), source, 'the source structure, ids and directives, with the translations in place')
    const status = runCli(['status', '--root', root, '--locale', 'de', '--json'])
    const chapter = (JSON.parse(status.stdout) as { locales: { locale: string; chapters: { chapter: string; state: string }[] }[] }).locales.find((entry) => entry.locale === 'de')!.chapters.find((entry) => entry.chapter === 'follow-up')!
    assert.equal(chapter.state, 'current')
  })
})

describe('honest completion', () => {
  test('`translate done` refuses a section identical to the source unless --identical-ok', () => {
    const root = copyFixture()
    const source = readFileSync(path.join(root, 'en', 'meetings.md'), 'utf8')
    const during = /## During the meeting[\s\S]*?(?=\n## )/.exec(source)![0]
    edit(path.join(root, 'lv', 'meetings.md'), (text) => text.replace(/## [^\n]*\{#during-meeting\}[\s\S]*?(?=\n## )/, during))
    const refused = runCli(['translate', 'done', 'lv', 'meetings', '--root', root])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /cannot record lv meetings: `during-meeting` is the same as the en source: .*--identical-ok/)
    const accepted = runCli(['translate', 'done', 'lv', 'meetings', '--identical-ok', '--root', root])
    assert.equal(accepted.code, 0, accepted.stderr)
    assert.match(accepted.stdout, /recorded lv meetings/)
  })

  test('`translate confirm` records a typo fix for the locales that were current before it, not for those already stale', () => {
    const root = copyFixture()
    const git = (...args: string[]) => {
      const result = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], { cwd: root, encoding: 'utf8' })
      assert.equal(result.status, 0, result.stderr)
    }
    git('init', '-q')
    git('add', '-A')
    git('commit', '-qm', 'start')
    // A real change: both translations are stale; lv is then brought up to date, de is not.
    edit(path.join(root, 'en', 'meetings.md'), changeOneSection)
    edit(path.join(root, 'lv', 'meetings.md'), (text) => text.replace(/(\{#during-meeting\}\n\n)([^\n]+)/, '$1$2 Beidziet laikā.'))
    assert.equal(runCli(['translate', 'done', 'lv', 'meetings', '--root', root]).code, 0)
    git('add', '-A')
    git('commit', '-qm', 'change')
    // A typo fix that needs no re-translation, not committed yet.
    edit(path.join(root, 'en', 'meetings.md'), (text) => text.replace('who does what by when', 'who does what, by when'))
    const states = () => {
      const status = JSON.parse(runCli(['status', '--root', root, '--json']).stdout) as { locales: { locale: string; chapters: { chapter: string; sections: { id: string; state: string }[] }[] }[] }
      const of = (locale: string) => status.locales.find((entry) => entry.locale === locale)!.chapters.find((entry) => entry.chapter === 'meetings')!.sections.find((entry) => entry.id === 'during-meeting')!.state
      return { lv: of('lv'), de: of('de') }
    }
    assert.deepEqual(states(), { lv: 'stale', de: 'stale' })
    const confirmed = runCli(['translate', 'confirm', 'meetings', 'during-meeting', '--root', root])
    assert.equal(confirmed.code, 0, confirmed.stderr)
    assert.match(confirmed.stdout, /^lv: confirmed during-meeting$/m)
    assert.match(confirmed.stdout, /^de: not confirmed \(stale before this change/m)
    assert.deepEqual(states(), { lv: 'current', de: 'stale' })
    const chapters = JSON.parse(runCli(['status', '--root', root, '--locale', 'lv', '--json']).stdout) as { locales: { locale: string; chapters: { chapter: string; state: string }[] }[] }
    assert.equal(chapters.locales.find((entry) => entry.locale === 'lv')!.chapters.find((entry) => entry.chapter === 'meetings')!.state, 'current')
  })
})

describe('platform recipe and CI', () => {
  test('the Crowdin configuration names the files `translate export` writes, and they line up with the template', async () => {
    const repo = path.resolve(bundledHandbook, '..')
    const config = parseYaml(readFileSync(path.join(repo, 'docs', 'examples', 'crowdin.yml'), 'utf8')) as { files: { source: string; translation: string; type?: string }[] }
    assert.equal(config.files.length, 1)
    const entry = config.files[0]!
    assert.equal(entry.type, 'gettext')
    const root = copyBundled()
    const work = temporaryFolder('handbook-crowdin-')
    const template = path.join(work, entry.source.replace(/^\//, ''))
    await exportTo(root, 'lv', 'pot', template)
    const templateIds = Object.keys(po.parse(readFileSync(template)).translations).filter(Boolean).sort()
    for (const locale of bundledLocales) {
      const file = path.join(work, entry.translation.replace(/^\//, '').replace('%two_letters_code%', locale))
      await exportTo(root, locale, 'po', file)
      const parsed = po.parse(readFileSync(file))
      // Crowdin pairs a translation with its source string by msgctxt and msgid.
      assert.deepEqual(Object.keys(parsed.translations).filter(Boolean).sort(), templateIds, locale)
      assert.equal(parsed.headers.Language, locale)
      const back = await importFiles(root, [file], true)
      assert.equal(back.code, 0, back.stderr)
    }
  })

  test('the pull-request workflow checks changed exchange files and fails on a broken placeholder', () => {
    const repo = path.resolve(bundledHandbook, '..')
    const workflow = parseYaml(readFileSync(path.join(repo, '.github', 'workflows', 'translations.yml'), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, { steps: { run?: string; name?: string }[] }> }
    assert.ok('pull_request' in workflow.on)
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps)
    const check = steps.find((step) => step.run?.includes('translate import --check'))
    assert.ok(check, 'a step runs `translate import --check`')
    // Run that step's script as CI would, in a throwaway repository with a base branch and a PR commit.
    const work = temporaryFolder('handbook-ci-')
    cpSync(bundledHandbook, path.join(work, 'handbook'), { recursive: true })
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], { cwd: work, encoding: 'utf8' })
    const exported = runCli(['translate', 'export', 'lv', 'foreword', '--format', 'po', '--out', path.join(work, 'l10n', 'lv.po'), '--root', path.join(work, 'handbook')])
    assert.equal(exported.code, 0, exported.stderr)
    git('init', '-q', '-b', 'main')
    git('add', '-A')
    git('commit', '-qm', 'base')
    git('checkout', '-q', '-b', 'pr')
    const runStep = () =>
      spawnSync('bash', ['-e', '-c', check.run!], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, BASE_REF: 'main', HANDBOOK: path.join(repo, 'bin', 'handbook') }
      })
    edit(path.join(work, 'l10n', 'lv.po'), (text) => text.replace('msgstr "Priekšvārds"', 'msgstr "Ievads"'))
    git('commit', '-qam', 'good change')
    const good = runStep()
    assert.equal(good.status, 0, good.stdout + good.stderr)
    assert.match(good.stdout, /would change/)
    edit(path.join(work, 'l10n', 'lv.po'), (text) => text.replace(/(msgstr ".*?)<g1>(.*?)<\/g1>/, '$1$2'))
    git('commit', '-qam', 'broken placeholder')
    const bad = runStep()
    assert.notEqual(bad.status, 0)
    assert.match(bad.stderr, /placeholders missing <g1>/)
  })
})
