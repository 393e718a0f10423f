// Any EU language out of the box: built-in interface strings, quotes, hyphenation, language names, dates; a new locale added with `translate init --write-config` and built.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import type { Element, Root } from 'hast'
import { fromParse5 } from 'hast-util-from-parse5'
import JSZip from 'jszip'
import { parse } from 'parse5'
import { addLocaleToConfigText } from '../src/config/add-locale.js'
import { builtInStrings, euLanguages } from '../src/i18n/builtin/index.js'
import { longDate } from '../src/i18n/dates.js'
import { defaultStrings, stringKeys, type StringKey } from '../src/i18n/defaults.js'
import { languageName } from '../src/i18n/languages.js'
import { typeset } from '../src/pipeline/plugins/remark-typography.js'
import { hyphenatorFor } from '../src/render/hyphenate.js'
import { bundledHandbook, fixtures, runCli, temporaryFolder } from './helpers.js'

const placeholders = (text: string) => [...text.matchAll(/\{([a-z]+)\}/g)].map((match) => match[1]).sort()

test('every official EU language has every interface string built in, with the placeholders of the English one', () => {
  assert.equal(euLanguages.length, 24)
  for (const language of euLanguages) {
    const strings = builtInStrings(language)
    assert.ok(strings, `${language} has built-in strings`)
    // `forms` holds grammatical cases of some keys (Latvian), not a string of its own.
    assert.deepEqual(Object.keys(strings).filter((key) => key !== 'forms').sort(), [...stringKeys].sort(), `${language}: exactly the known keys`)
    for (const [key, cases] of Object.entries(strings.forms?.cases ?? {})) {
      for (const [grammaticalCase, text] of Object.entries(cases)) {
        assert.deepEqual(placeholders(text), placeholders(defaultStrings[key as keyof typeof defaultStrings]), `${language} ${key}@${grammaticalCase}: the placeholders of the English text`)
      }
    }
    for (const key of stringKeys) {
      const text: string = strings[key]
      assert.ok(text.trim().length > 0 && text === text.trim(), `${language} ${key}: a text without outer spaces`)
      assert.deepEqual(placeholders(text), placeholders(defaultStrings[key]), `${language} ${key}: the placeholders of the English text`)
      assert.doesNotMatch(text, /["~]|\s{2}/, `${language} ${key}: typographic quotes, no straight ones, no double spaces`)
    }
    if (language === 'en') continue
    // Sentences are never left in English (short labels may be the same word, like "Tip" or "Version").
    for (const key of ['not-translated', 'source-changed', 'translation-outdated', 'translation-draft', 'translation-report-summary', 'accessibility-summary', 'skip-to-content', 'search-placeholder', 'heading-link'] as StringKey[]) {
      assert.notEqual(strings[key], defaultStrings[key], `${language} ${key} is translated`)
    }
  }
  // A region subtag gets its language's strings; other languages have none.
  assert.equal(builtInStrings('pt-BR'), builtInStrings('pt'))
  assert.equal(builtInStrings('is'), undefined)
})

test('quotation marks follow each EU language', () => {
  const expected: Record<string, string> = {
    bg: '„x“', cs: '„x“', da: '»x«', de: '„x“', el: '«x»', en: '“x”', es: '«x»', et: '„x“', fi: '”x”', fr: '«\u00a0x\u00a0»', ga: '“x”', hr: '„x”',
    hu: '„x”', it: '«x»', lt: '„x“', lv: '„x”', mt: '“x”', nl: '“x”', pl: '„x”', pt: '«x»', ro: '„x”', sk: '„x“', sl: '„x“', sv: '”x”'
  }
  assert.deepEqual(Object.keys(expected).sort(), [...euLanguages].sort())
  for (const [language, quoted] of Object.entries(expected)) assert.equal(typeset('"x"', language), quoted, language)
  assert.equal(typeset('"x"', 'pt-BR'), '“x”', 'Brazilian Portuguese quotes as Brazil does')
  assert.equal(typeset('"a \'b\' c"', 'pl'), '„a «b» c”', 'inner quotes')
})

test('hyphenation patterns exist for every EU language but Maltese, which is left unhyphenated', () => {
  const words: Record<string, string> = {
    bg: 'интернационализация', cs: 'mezinárodní', da: 'samarbejdspartner', de: 'Zusammenarbeit', el: 'επικοινωνία', en: 'communication',
    es: 'comunicación', et: 'omavalitsuste', fi: 'yhteistyökumppani', fr: 'communication', ga: 'idirnáisiúnta', hr: 'međunarodni',
    hu: 'együttműködés', it: 'comunicazione', lt: 'tarptautinis', lv: 'starptautisks', nl: 'samenwerking', pl: 'międzynarodowej',
    pt: 'comunicação', ro: 'comunicare', sk: 'medzinárodný', sl: 'mednarodno', sv: 'samarbete'
  }
  for (const language of euLanguages) {
    const hyphenate = hyphenatorFor(language)
    if (language === 'mt') {
      assert.equal(hyphenate, null, 'the hyphen package has no Maltese patterns')
      continue
    }
    assert.ok(hyphenate, `${language} has patterns`)
    const word = words[language]!
    const result = hyphenate(word, { minWordLength: 6 })
    assert.ok(result.includes('\u00ad'), `${language}: ${word} gets soft hyphens`)
    assert.equal(result.replaceAll('\u00ad', ''), word)
  }
})

test('language names and dates come from CLDR in the reader\'s language', () => {
  assert.equal(languageName('en', 'pl'), 'angielski')
  assert.equal(languageName('en', 'de'), 'Englisch')
  assert.equal(languageName('et', 'et'), 'eesti')
  assert.equal(languageName('qaa', 'pl', 'Own label'), 'Own label', 'a language CLDR does not name keeps its configured label')
  const july = new Date(Date.UTC(2014, 6, 31))
  for (const language of euLanguages) {
    assert.notEqual(languageName(language, language), language, `${language} is named in itself`)
    assert.notEqual(languageName('en', language), 'en', `${language} names English`)
    const date = longDate(july, language)
    assert.match(date, /2014/)
    if (language !== 'en') assert.doesNotMatch(date, /July/, `${language}: ${date}`)
  }
  assert.equal(longDate(july, 'pl'), '31 lipca 2014')
})

test('adding a locale to handbook.yaml changes nothing but the new entry', () => {
  const original = readFileSync(path.join(bundledHandbook, 'handbook.yaml'), 'utf8')
  const result = addLocaleToConfigText(original, 'pl', 'Polski')
  assert.ok(result.added)
  assert.equal(result.text, original.replace('    label: Italiano\n', '    label: Italiano\n  - tag: pl\n    label: Polski\n'))
  assert.deepEqual(addLocaleToConfigText(result.text, 'pl', 'Polski'), { added: false, reason: '`pl` is listed already' })

  // Comments after the list, CRLF line endings, no final newline, a label that needs quotes.
  const crlf = 'book:\r\n  title: T\r\nlocales:\r\n  - tag: en # source\r\n    label: English\r\n\r\n# the chapters\r\ncontents: {}'
  const added = addLocaleToConfigText(crlf, 'ga', 'Gaeilge: #1')
  assert.ok(added.added)
  assert.equal(added.text, crlf.replace('    label: English\r\n', '    label: English\r\n  - tag: ga\r\n    label: "Gaeilge: #1"\r\n'))
  const last = addLocaleToConfigText('locales:\n  - tag: en\n    label: English', 'et', 'Eesti')
  assert.ok(last.added)
  assert.equal(last.text, 'locales:\n  - tag: en\n    label: English\n  - tag: et\n    label: Eesti\n')
  const flow = addLocaleToConfigText('locales: [{ tag: en, label: English }] # all\n', 'sv', 'Svenska')
  assert.ok(flow.added)
  assert.equal(flow.text, 'locales: [{ tag: en, label: English }, { tag: sv, label: Svenska }] # all\n')
  assert.equal(addLocaleToConfigText('locales: [', 'sv', 'Svenska').added, false)
})

/** Text and attribute values of the page, except where the nearest `lang` is English (fallback content, the switcher's "English"). */
function chromeText(html: string): string {
  const tree = fromParse5(parse(html)) as Root
  const parts: string[] = []
  const walk = (node: Root | Element, english: boolean) => {
    for (const child of node.children) {
      if (child.type === 'text' && !english) parts.push(child.value)
      if (child.type !== 'element') continue
      const lang = child.properties.lang ?? child.properties.xmlLang
      const inEnglish = typeof lang === 'string' && lang !== '' ? /^en\b/i.test(lang) : english
      if (!inEnglish) {
        for (const name of ['ariaLabel', 'title', 'placeholder', 'alt'] as const) {
          const value = child.properties[name]
          if (typeof value === 'string') parts.push(value)
        }
      }
      walk(child, inEnglish)
    }
  }
  walk(tree, false)
  return parts.join(' ').replace(/\s+/g, ' ')
}

/** The English interface strings as patterns (`{number}` is a number); those without a letter outside their placeholders (`{format}, {size}`) say nothing. */
const englishPatterns = stringKeys
  .filter((key) => /\p{L}/u.test(defaultStrings[key].replace(/\{[a-z]+\}/g, '')))
  .map((key) => ({ key, pattern: new RegExp(`(?<!\\p{L})${defaultStrings[key].replace(/[.*+?^$()[\]\\|]/g, '\\$&').replace(/\{number\}/g, '\\d+(?:\\.\\d+)*').replace(/\{[a-z]+\}/g, '.+?')}(?!\\p{L})`, 'u') }))

function englishIn(text: string): string[] {
  return englishPatterns.filter(({ pattern }) => pattern.test(text)).map(({ key }) => key)
}

test('a new locale (et, pl) starts with translate init --write-config and builds with its own strings, quotes and hyphenation, without English chrome', async () => {
  const root = temporaryFolder('handbook-eu-')
  cpSync(path.join(fixtures, 'books', 'two-locales'), root, { recursive: true })
  const configPath = path.join(root, 'handbook.yaml')
  const before = readFileSync(configPath, 'utf8')
  for (const tag of ['pl', 'et']) {
    const init = runCli(['translate', 'init', tag, '--write-config', '--root', root])
    assert.equal(init.code, 0, init.stderr)
    assert.match(init.stdout, new RegExp(`added \`${tag}\` \\(\\S+\\) to \`locales\``))
    assert.match(init.stdout, /interface strings: built in/)
    assert.match(init.stdout, /hyphenation: built in/)
    assert.deepEqual(readdirSync(path.join(root, tag)), [], 'no English draft copies')
  }
  assert.equal(readFileSync(configPath, 'utf8'), before.replace('    label: Latviešu\n', '    label: Latviešu\n  - tag: pl\n    label: Polski\n  - tag: et\n    label: Eesti\n'))
  // Maltese has strings but no hyphenation patterns; Icelandic (not an EU language) has neither.
  const maltese = runCli(['translate', 'init', 'mt', '--write-config', '--root', root])
  assert.match(maltese.stdout, /hyphenation: no patterns for `mt`, so its lines break between words only/)
  const icelandic = runCli(['translate', 'init', 'is', '--write-config', '--root', root])
  assert.match(icelandic.stdout, /interface strings: none built in for `is`/)

  const status = runCli(['status', '--root', root, '--json'])
  const report = JSON.parse(status.stdout) as { locales: { locale: string; strings: { total: number; translated: number; builtIn: number; fromFile: number; missing: string[]; file: string | null } }[] }
  const strings = Object.fromEntries(report.locales.map((locale) => [locale.locale, locale.strings]))
  assert.deepEqual({ ...strings.pl, missing: strings.pl!.missing.length }, { total: stringKeys.length, translated: stringKeys.length, builtIn: stringKeys.length, fromFile: 0, missing: 0, file: strings.pl!.file })
  assert.equal(strings.is!.translated, 0)
  assert.equal(strings.is!.missing.length, stringKeys.length)
  assert.match(runCli(['status', '--root', root]).stdout, new RegExp(`\\nui strings +${stringKeys.length}/${stringKeys.length} +${stringKeys.length}/${stringKeys.length} .* 0/${stringKeys.length}\\n`))

  // A strings file overrides a built-in text.
  writeFileSync(path.join(root, 'strings', 'et.yaml'), 'contents: Sisukord (käsiraamat)\n')
  assert.match(runCli(['status', '--root', root, '--locale', 'et']).stdout, new RegExp(`interface strings: ${stringKeys.length}/${stringKeys.length} \\(1 from .*et\\.yaml, ${stringKeys.length - 1} built in\\)`))

  // Two chapters translated; the part opener and the second chapter fall back to English.
  writeFileSync(path.join(root, 'pl', 'preface.md'), '---\ntitle: Przedmowa\n---\n\nTa książka ma "dwa" rozdziały o międzynarodowej współpracy samorządów. Zobacz [](#first) i [](#fig-square).\n')
  writeFileSync(path.join(root, 'pl', 'first.md'), '---\ntitle: Pierwszy rozdział\n---\n\n## Na początek {#getting-started}\n\nTekst z przypisem.[^a] Dalej jest [](#second).\n\n:::figure[Kwadrat]{#fig-square}\n![Szary kwadrat](../assets/square.svg)\n:::\n\n[^a]: Przypis.\n')
  writeFileSync(path.join(root, 'et', 'preface.md'), '---\ntitle: Eessõna\n---\n\nSellel raamatul on "kaks" peatükki omavalitsuste rahvusvahelisest koostööst. Vaata [](#first) ja [](#fig-square).\n')
  writeFileSync(path.join(root, 'et', 'first.md'), '---\ntitle: Esimene peatükk\n---\n\n## Alustuseks {#getting-started}\n\nTekst koos märkusega.[^a] Edasi tuleb [](#second).\n\n:::figure[Ruut]{#fig-square}\n![Hall ruut](../assets/square.svg)\n:::\n\n[^a]: Märkus.\n')

  const out = temporaryFolder('handbook-eu-out-')
  const build = runCli(['build', '--root', root, '--locale', 'pl,et', '--format', 'html,epub', '--out', out])
  assert.equal(build.code, 0, build.stderr)
  assert.doesNotMatch(build.stderr, /strings-missing/)

  const expectations = {
    pl: { quoted: '„dwa”', ui: ['Spis treści', 'Przejdź do treści', 'Rozdział 1', 'Rysunek 1.1', 'Przypisy', 'Następny', 'Szukaj w podręczniku'], notice: 'Ten rozdział nie został jeszcze przetłumaczony (język: polski), dlatego jest wyświetlany w języku oryginału (angielski).' },
    et: { quoted: '„kaks“', ui: ['Sisukord (käsiraamat)', 'Mine sisu juurde', '1. peatükk', 'Joonis 1.1', 'Märkused', 'Järgmine', 'Otsi käsiraamatust'], notice: 'See peatükk ei ole veel tõlgitud (keel: eesti), seepärast on see esitatud originaalkeeles (inglise).' }
  }
  for (const [tag, expected] of Object.entries(expectations)) {
    const site = path.join(out, 'html', tag)
    const pages = readdirSync(site).filter((name) => name.endsWith('.html'))
    assert.ok(pages.length >= 5, `${tag}: ${pages.join(', ')}`)
    let all = ''
    for (const page of pages) {
      const chrome = chromeText(readFileSync(path.join(site, page), 'utf8'))
      assert.deepEqual(englishIn(chrome), [], `${tag}/${page} has no English interface string: ${chrome}`)
      all += chrome + '\n'
    }
    for (const text of [expected.quoted, expected.notice, ...expected.ui]) assert.ok(all.includes(text), `${tag}: “${text}” in the HTML`)

    const epub = await JSZip.loadAsync(readFileSync(path.join(out, 'epub', `sample-book-0.0.1-${tag}.epub`)))
    let epubText = ''
    for (const name of Object.keys(epub.files).filter((entry) => entry.endsWith('.xhtml'))) {
      const chrome = chromeText(await epub.file(name)!.async('string'))
      assert.deepEqual(englishIn(chrome), [], `${tag} EPUB ${name} has no English interface string: ${chrome}`)
      epubText += chrome
    }
    for (const text of [expected.quoted, expected.notice]) assert.ok(epubText.includes(text), `${tag}: “${text}” in the EPUB`)
  }

  // The Polish PDF: Polish chrome (the chapter label is set in capitals) and quotes, and a text layer of whole words.
  // The build date is the last day of July 2014, as the reader's language writes it.
  const pdfBuild = runCli(['build', '--root', root, '--locale', 'pl', '--format', 'pdf', '--out', out], { env: { ...process.env, SOURCE_DATE_EPOCH: '1406764800' } })
  assert.equal(pdfBuild.code, 0, pdfBuild.stderr)
  const pdf = path.join(out, 'pdf', 'sample-book-0.0.1-pl.pdf')
  assert.ok(existsSync(pdf))
  const extracted = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' })
  assert.equal(extracted.status, 0, extracted.stderr)
  const raw = extracted.stdout
  // The Polish patterns' breaks (tested above) stay out of the text layer: it reads as words.
  assert.doesNotMatch(raw, /\u00ad/, 'no soft hyphen in the text layer')
  const text = raw.replace(/\s+/g, ' ')
  for (const expected of ['Spis treści', 'ROZDZIAŁ 1', 'Przypisy', '„dwa”', 'międzynarodowej współpracy', 'w języku oryginału (angielski)', '31 lipca 2014']) {
    assert.ok(text.includes(expected), `“${expected}” in the PDF`)
  }
})
