// Issue 13: a book written for other tools (kramdown, GitHub, Jekyll; Arabic and Japanese) builds every edition usable.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { before, describe, test } from 'node:test'
import { fixtures, repoRoot, temporaryFolder } from './helpers.js'

const book = path.join(fixtures, 'books', 'real-world')
const bin = path.join(repoRoot, 'bin', 'handbook')
const locales = ['en', 'ar', 'ja'] as const

interface BuildJson {
  ok: boolean
  exitCode: number
  errors: number
  warnings: number
  editions: { locale: string; format: string; status: string }[]
  messages: { file: string; line: number | null; column: number | null; severity: string; ruleId: string; message: string }[]
}

/** Run the CLI; a full build of three locales in three formats may take minutes on a loaded machine. */
function handbook(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 900_000, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

function pdfText(file: string, ...options: string[]): string {
  return spawnSync('pdftotext', [...options, file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout
}

function pdfFile(out: string, locale: string): string {
  return path.join(out, 'pdf', `real-world-0.3.0-${locale}.pdf`)
}

/** Every file under `folder`, relative, with its bytes. */
function filesUnder(folder: string): Map<string, Buffer> {
  const result = new Map<string, Buffer>()
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(folder, relative))) {
      const entry = path.join(relative, name)
      if (statSync(path.join(folder, entry)).isDirectory()) walk(entry)
      else result.set(entry, readFileSync(path.join(folder, entry)))
    }
  }
  walk('')
  return result
}

describe('real-world book (issue 13)', () => {
  const out = temporaryFolder('handbook-real-world-')
  let result: BuildJson
  before(() => {
    const run = handbook(['build', '--root', book, '--out', out, '--json', '--no-cache'])
    result = JSON.parse(run.stdout) as BuildJson
  })

  test('every edition of every locale is written, with warnings only', () => {
    assert.equal(result.errors, 0, JSON.stringify(result.messages.filter((message) => message.severity === 'error'), null, 1))
    assert.equal(result.exitCode, 0)
    assert.equal(result.editions.length, 9)
    for (const edition of result.editions) assert.equal(edition.status, 'written', `${edition.locale} ${edition.format}`)
    const rules = new Set(result.messages.map((message) => message.ruleId))
    for (const rule of ['front-matter-unknown-key', 'template-tag']) assert.ok(rules.has(rule), `expected a ${rule} warning`)
    // Every Arabic and Japanese character has a font (fonts-noto-core, fonts-noto-cjk).
    assert.ok(!rules.has('glyph-missing'), JSON.stringify(result.messages.filter((message) => message.ruleId === 'glyph-missing')))
  })

  test('unknown front matter keys are warnings with did-you-mean', () => {
    const typo = result.messages.find((message) => message.ruleId === 'front-matter-unknown-key' && message.message.includes('`tittle`'))
    assert.ok(typo, 'a warning for `tittle`')
    assert.equal(typo.severity, 'warning')
    assert.match(typo.message, /did you mean `title`\?/)
    assert.equal(typo.line, 6)
  })

  test('template tags are reported at their place and left out of every format', () => {
    const tags = result.messages.filter((message) => message.ruleId === 'template-tag')
    assert.ok(tags.some((message) => message.file.endsWith('en/planning.md') && message.line === 11 && message.column === 22), JSON.stringify(tags))
    const html = readFileSync(path.join(out, 'html', 'en', 'planning.html'), 'utf8')
    assert.doesNotMatch(html, /\{%|\{\{|%\}|\}\}/)
    assert.doesNotMatch(pdfText(pdfFile(out, 'en')), /\{%|\{\{/)
  })

  test('body text keeps its size on every PDF page', () => {
    // A5 with 20 mm inner and 14 mm outer margins: the text block is 114 mm wide.
    const millimetre = 72 / 25.4
    const textWidth = 114 * millimetre
    for (const locale of locales) {
      const bbox = pdfText(pdfFile(out, locale), '-bbox')
      const pages = bbox.split('<page ').slice(1)
      const plain = pdfText(pdfFile(out, locale)).split('\f').map((page) => page.normalize('NFKC').replace(/[\u202a-\u202e]/g, ''))
      let prose = 0
      const heights: { page: number; height: number; script: string }[] = []
      pages.forEach((page, index) => {
        const words = [...page.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g)].map((match) => match.slice(1).map(Number) as [number, number, number, number])
        // The cover is a designed page of its own, set edge to edge: the text block starts after it.
        if (words.length === 0 || index === 0) return
        const left = Math.min(...words.map((word) => word[0]))
        const right = Math.max(...words.map((word) => word[2]))
        // Nothing is printed outside the page's text block (cut off, as right-to-left overflow was).
        assert.ok(left >= 14 * millimetre - 1 && right <= 420 - 14 * millimetre + 1, `${locale} page ${index + 1}: text from ${left} to ${right} pt`)
        if (words.length < 30) return
        // Chromium shrinks a document with anything too wide to two thirds: its justified lines no longer fill the text block.
        prose++
        assert.ok(right - left > textWidth * 0.97, `${locale} page ${index + 1}: text spans ${((right - left) / millimetre).toFixed(1)} mm of 114 mm`)
        // The contents set its entries in the sans face, whose boxes are of another height.
        if (/Contents|目次|المحتويات/.test(plain[index] ?? '')) return
        // Each script has its own face and box height: a fallback chapter in Latin letters on an Arabic page is compared with Latin pages.
        const latin = (plain[index]?.match(/\p{Script=Latin}/gu) ?? []).length
        const letters = (plain[index]?.match(/\p{L}/gu) ?? []).length
        const script = latin * 2 > letters ? 'latin' : 'other'
        // On a page of another script, its own words: Latin names and numbers there are table cells, set a step smaller on purpose.
        const texts = [...page.matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((match) => match[1]!)
        const own = script === 'other' && texts.length === words.length ? words.filter((_, at) => /[^\P{L}\p{Script=Latin}]/u.test(texts[at]!)) : words
        const sorted = (own.length > 0 ? own : words).map((word) => word[3] - word[1]).sort((a, b) => a - b)
        heights.push({ page: index + 1, height: sorted[Math.floor(sorted.length / 2)]!, script })
      })
      assert.ok(prose >= 1, `${locale}: a page of running text found`)
      // Font heights from the text layer: the body's words are as high on every page of running text in the same script.
      for (const script of ['latin', 'other']) {
        const same = heights.filter((entry) => entry.script === script)
        if (same.length === 0) continue
        const typical = [...same].sort((a, b) => a.height - b.height)[Math.floor(same.length / 2)]!.height
        for (const entry of same) assert.ok(Math.abs(entry.height - typical) < typical * 0.15, `${locale} page ${entry.page}: words ${entry.height} pt high, typical ${typical} (${script})`)
      }
    }
  })

  test('no contents entry or page reference reads 000 or lacks a number', () => {
    for (const locale of locales) {
      const file = pdfFile(out, locale)
      const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout)![1])
      const text = pdfText(file)
      assert.doesNotMatch(text, /(?<![\d\s])000(?!\d)|\b000\b/, `${locale}: a placeholder page number`)
      // The contents: the page after the contents title up to the first chapter page.
      const layout = pdfText(file, '-layout', '-f', '1', '-l', '9')
      const contents = layout.split('\f').find((page) => /Contents|目次|المحتويات/.test(page))!
      const lines = contents.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !/^(Contents|目次|.?المحتويات.?)$/.test(line) && !/^\d+$/.test(line))
      assert.ok(lines.length >= 5, `${locale}: contents entries`)
      for (const line of lines) {
        const numbers = line.match(/\d+/g) ?? []
        const page = Number(numbers.at(locale === 'ar' ? 0 : -1))
        assert.ok(numbers.length > 0 && page >= 1 && page <= pages, `${locale}: contents line without a page number: ${line}`)
      }
    }
    // "on page N" in the English edition: every one a real page.
    const english = pdfText(pdfFile(out, 'en')).replace(/\u00ad/g, '')
    const references = [...english.matchAll(/on\s+page\s+(\S+)/g)].map((match) => match[1]!)
    assert.ok(references.length >= 6)
    for (const page of references) assert.match(page, /^\d+[,.]?$/)
  })

  test('headings with non-ASCII ids get their page in contents and references', () => {
    const text = pdfText(pdfFile(out, 'en'), '-layout').replace(/\u00ad/g, '')
    assert.match(text, /Café society and first contacts\s*\.*\s*\d+/)
    const ja = pdfText(pdfFile(out, 'ja'), '-layout')
    assert.match(ja, /対象読者\s*\.*\s*\d+/)
  })

  test('the PDF text layer holds the Japanese and Arabic text', () => {
    const ja = pdfText(pdfFile(out, 'ja')).replace(/\s+/g, '')
    assert.ok(ja.includes('各パートナーは毎月一行ずつ記入します'), 'Japanese sentence in the text layer')
    const ar = pdfText(pdfFile(out, 'ar')).normalize('NFKC')
    for (const word of ['الميزانية', 'الشريك', 'المنظمة']) assert.ok(ar.includes(word), `Arabic word ${word} in the text layer`)
  })

  test('links written for GitHub and kramdown resolve to the same target in all three formats', () => {
    const html = readFileSync(path.join(out, 'html', 'en', 'planning.html'), 'utf8')
    assert.match(html, /href="meetings\.html#meetings--setting-the-agenda"/)
    assert.match(html, /href="#planning--budget-lines"/)
    assert.match(html, /href="#planning--caf%C3%A9-society-and-first-contacts"|href="#planning--café-society-and-first-contacts"/)
    assert.match(html, /href="glossary\.html#lead-partner"|href="glossary\.html#term-lead-partner"/)
    assert.doesNotMatch(html, /link-broken/)
    const jaHtml = readFileSync(path.join(out, 'html', 'ja', 'planning.html'), 'utf8')
    assert.match(jaHtml, /href="meetings\.html#meetings--(%E8%AD%B0|議)/)
    const epub = spawnSync('unzip', ['-p', path.join(out, 'epub', 'real-world-0.3.0-en.epub')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout
    assert.match(epub, /href="[^"]*#meetings--setting-the-agenda"/)
    assert.match(epub, /href="[^"]*#planning--budget-lines"/)
    const pdf = pdfText(pdfFile(out, 'en')).replace(/\u00ad/g, '').replace(/\s+/g, ' ')
    const agenda = /setting the agenda on page (\d+)/.exec(pdf)
    assert.ok(agenda, 'the agenda link has its page')
  })

  test('definition lists, markdown="1" blocks, raw aside, img and details reach the output', () => {
    const html = readFileSync(path.join(out, 'html', 'en', 'planning.html'), 'utf8')
    assert.match(html, /<dl class="definition-list"><dt>Lead partner<\/dt><dd>The organisation that signs/)
    assert.match(html, /<aside[^>]*>\s*<p><strong>Remember:<\/strong>/)
    assert.match(html, /<div[^>]*class="markdown-block"[^>]*>\s*<p><em>Tip:<\/em>/)
    assert.match(html, /<img[^>]+alt="The partnership&#x27;s round logo"|<img[^>]+alt="The partnership's round logo"/)
    assert.match(html, /<details>/)
    assert.doesNotMatch(html, /markdown="1"|^: /m)
  })

  test('text in another language keeps its direction in a right-to-left edition', () => {
    const fallback = readFileSync(path.join(out, 'html', 'ar', 'meetings.html'), 'utf8')
    assert.match(fallback, /<html lang="ar" dir="rtl"/)
    assert.match(fallback, /<article class="chapter chapter-chapter" lang="en" dir="ltr">/)
    const quote = readFileSync(path.join(out, 'html', 'ar', 'welcome.html'), 'utf8')
    assert.match(quote, /<span lang="en" dir="ltr">Ready for Europe<\/span>/)
    // The print edition: the English fallback chapter's text is in the text layer, words in order.
    assert.match(pdfText(pdfFile(out, 'ar')).replace(/\u00ad/g, ''), /Send the agenda two weeks ahead/)
  })

  test('site-root image paths map to the handbook folder', () => {
    const html = readFileSync(path.join(out, 'html', 'en', 'planning.html'), 'utf8')
    assert.match(html, /<img[^>]+partner-map[^>]*>/)
    assert.ok(!result.messages.some((message) => message.ruleId === 'image-outside-root'))
  })

  test('a build of one locale gives the same bytes for it as the full build', () => {
    const alone = temporaryFolder('handbook-real-world-ja-')
    const run = handbook(['build', '--root', book, '--out', alone, '--locale', 'ja', '--json', '--no-cache'])
    assert.equal((JSON.parse(run.stdout) as BuildJson).errors, 0)
    const full = filesUnder(path.join(out, 'html', 'ja'))
    const single = filesUnder(path.join(alone, 'html', 'ja'))
    assert.deepEqual([...single.keys()].sort(), [...full.keys()].sort())
    for (const [name, bytes] of full) assert.ok(bytes.equals(single.get(name)!), `html/ja/${name} differs`)
    for (const name of ['epub/real-world-0.3.0-ja.epub', 'pdf/real-world-0.3.0-ja.pdf']) {
      assert.ok(readFileSync(path.join(out, name)).equals(readFileSync(path.join(alone, name))), `${name} differs`)
    }
  })
})

describe('problems that do not block the edition (issue 13)', () => {
  test('a broken link, a missing chapter file and a missing image are marked, exit 1; --strict writes nothing', () => {
    const root = temporaryFolder('handbook-broken-links-')
    cpSync(book, root, { recursive: true })
    const chapter = path.join(root, 'en', 'meetings.md')
    writeFileSync(chapter, readFileSync(chapter, 'utf8') + '\nSee [the annex](annex.md), [nowhere](#no-such-place) and ![a lost photo](../assets/lost.png).\n')
    const out = temporaryFolder('handbook-broken-out-')
    const run = handbook(['build', '--root', root, '--out', out, '--format', 'html', '--locale', 'en', '--json'])
    const json = JSON.parse(run.stdout) as BuildJson
    assert.equal(run.code, 1)
    const rules = json.messages.filter((message) => message.severity === 'error').map((message) => message.ruleId).sort()
    assert.deepEqual(rules, ['image-missing', 'link-file-missing', 'xref-unresolved'])
    const missing = json.messages.find((message) => message.ruleId === 'link-file-missing')!
    assert.match(missing.message, /`annex\.md`/)
    assert.equal(json.editions[0]!.status, 'written')
    const html = readFileSync(path.join(out, 'html', 'en', 'meetings.html'), 'utf8')
    assert.match(html, /<span class="link-broken"[^>]*>the annex/)
    assert.match(html, /<span class="link-broken"[^>]*>nowhere/)
    assert.match(html, /<span class="image-missing">\[a lost photo: \.\.\/assets\/lost\.png\]<\/span>/)

    const strictOut = temporaryFolder('handbook-broken-strict-')
    const strict = handbook(['build', '--root', root, '--out', strictOut, '--format', 'html', '--locale', 'en', '--strict', '--json'])
    assert.equal(strict.code, 1)
    assert.equal((JSON.parse(strict.stdout) as BuildJson).editions[0]!.status, 'failed')
    assert.ok(!existsSync(path.join(strictOut, 'html', 'en', 'meetings.html')))
  })

  test('content that still overflows the text block is a content-overflow warning at its line', () => {
    const root = temporaryFolder('handbook-overflow-')
    cpSync(book, root, { recursive: true })
    const config = path.join(root, 'handbook.yaml')
    writeFileSync(config, readFileSync(config, 'utf8').replace('attributes: [lang, dir, title, class]', 'attributes: [lang, dir, title, class, style]'))
    const chapter = path.join(root, 'en', 'meetings.md')
    const lines = readFileSync(chapter, 'utf8').split('\n')
    lines.push('', '<p style="white-space: nowrap">' + 'An unbreakable line of prose that the author kept on one line on purpose. '.repeat(4) + '</p>', '')
    writeFileSync(chapter, lines.join('\n'))
    const out = temporaryFolder('handbook-overflow-out-')
    const run = handbook(['build', '--root', root, '--out', out, '--format', 'pdf', '--locale', 'en', '--json'])
    const json = JSON.parse(run.stdout) as BuildJson
    const overflow = json.messages.filter((message) => message.ruleId === 'content-overflow')
    assert.equal(overflow.length, 1, JSON.stringify(overflow))
    assert.equal(overflow[0]!.severity, 'warning')
    assert.match(overflow[0]!.message, new RegExp(`en/meetings\\.md:${lines.length - 1}:1\``))
    // The page keeps its size: A5.
    const info = spawnSync('pdfinfo', [path.join(out, 'pdf', 'real-world-0.3.0-en.pdf')], { encoding: 'utf8' }).stdout
    assert.match(info, /Page size:\s+4[12]\d(\.\d+)? x 59\d(\.\d+)? pts/)
  })
})

describe('check catches what used to pass silently (issue 13)', () => {
  test('unclosed directive, invalid id, undefined footnote, an id a translation invents', () => {
    const root = temporaryFolder('handbook-check-')
    cpSync(book, root, { recursive: true })
    const english = path.join(root, 'en', 'meetings.md')
    writeFileSync(english, readFileSync(english, 'utf8') + '\n## Follow-up {#Follow Up Notes}\n\nWrite minutes.[^nope]\n\n:::note\nThis note is never closed.\n\n## Swallowed section\n\nMore text with [a link](#nowhere-at-all).\n')
    const japanese = path.join(root, 'ja', 'meetings.md')
    writeFileSync(japanese, readFileSync(japanese, 'utf8') + '\n## 追加 {#made-up-id}\n\n本文。\n\n私用文字 \u{10FFFD} です。\n')
    const run = handbook(['check', '--root', root, '--json'])
    const json = JSON.parse(run.stdout) as BuildJson
    assert.equal(run.code, 1)
    const onEnglish = json.messages.filter((message) => message.file.endsWith('en/meetings.md') && message.severity === 'error')
    const lines = readFileSync(english, 'utf8').split('\n')
    const at = (text: string) => lines.findIndex((line) => line.startsWith(text)) + 1
    assert.deepEqual(
      onEnglish.map((message) => `${message.line}:${message.ruleId}`).sort(),
      [`${at('## Follow-up')}:id-invalid`, `${at('Write minutes')}:footnote-undefined`, `${at(':::note')}:directive-unclosed`].sort()
    )
    const invented = json.messages.find((message) => message.ruleId === 'id-not-in-source')
    assert.ok(invented && invented.file.endsWith('ja/meetings.md') && invented.message.includes('`made-up-id`'), JSON.stringify(invented))
    const glyph = json.messages.find((message) => message.ruleId === 'glyph-missing')
    assert.ok(glyph && glyph.file.endsWith('ja/meetings.md') && glyph.message.includes('U+10FFFD') && glyph.line! > 10, JSON.stringify(glyph))
    // The invalid id is not printed in the heading.
    const out = temporaryFolder('handbook-check-out-')
    handbook(['build', '--root', root, '--out', out, '--format', 'html', '--locale', 'en'])
    if (existsSync(path.join(out, 'html', 'en', 'meetings.html'))) assert.doesNotMatch(readFileSync(path.join(out, 'html', 'en', 'meetings.html'), 'utf8'), /\{#Follow/)
  })
})

describe('the build date outside git and in it (issue 13)', () => {
  test('is the newest source file\'s modification time, and --json says so', () => {
    const root = temporaryFolder('handbook-no-git-')
    cpSync(book, root, { recursive: true })
    const older = new Date('2021-03-04T05:06:07Z')
    const newest = new Date('2022-08-09T10:11:12Z')
    for (const name of filesUnder(root).keys()) utimesSync(path.join(root, name), older, older)
    utimesSync(path.join(root, 'ja', 'glossary.md'), newest, newest)
    const out = temporaryFolder('handbook-no-git-out-')
    const environment = { ...process.env }
    delete environment.SOURCE_DATE_EPOCH
    // Outside any git work tree: git finds no commit and the tool falls back to the files.
    const run = spawnSync(process.execPath, [bin, 'build', '--root', root, '--out', out, '--format', 'html', '--locale', 'en', '--json'], { cwd: root, encoding: 'utf8', timeout: 900_000, env: { ...environment, GIT_CEILING_DIRECTORIES: path.dirname(root) } })
    const json = JSON.parse(run.stdout) as BuildJson & { buildDate: { date: string; source: string } }
    assert.deepEqual(json.buildDate, { date: newest.toISOString(), source: 'newest-source-file' })
    assert.doesNotMatch(readFileSync(path.join(out, 'manifest.json'), 'utf8'), /2014-07-31/)
  })

  test('in git, the date and the commit of the manifest are the last commit\'s', () => {
    const root = temporaryFolder('handbook-in-git-')
    cpSync(book, root, { recursive: true })
    const committed = '2023-05-06T07:08:09Z'
    const environment: NodeJS.ProcessEnv = { ...process.env, GIT_COMMITTER_DATE: committed, GIT_AUTHOR_DATE: committed, GIT_CEILING_DIRECTORIES: path.dirname(root) }
    delete environment.SOURCE_DATE_EPOCH
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8', env: environment })
    git('init', '-q')
    git('add', '.')
    assert.equal(git('commit', '-q', '-m', 'the book').status, 0)
    const head = git('rev-parse', 'HEAD').stdout.trim()
    const out = temporaryFolder('handbook-in-git-out-')
    const run = spawnSync(process.execPath, [bin, 'build', '--root', root, '--out', out, '--format', 'html', '--locale', 'en', '--json'], { cwd: root, encoding: 'utf8', timeout: 900_000, env: environment })
    const json = JSON.parse(run.stdout) as BuildJson & { buildDate: { date: string; source: string } }
    assert.deepEqual(json.buildDate, { date: new Date(committed).toISOString(), source: 'git' })
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { sourceCommit: string; buildDate: string }
    assert.equal(manifest.sourceCommit, head)
    assert.equal(manifest.buildDate, new Date(committed).toISOString())
  })
})

describe('doctor --root (issue 13)', () => {
  test('checks the fonts of the book\'s own locales', () => {
    const run = handbook(['doctor', '--json', '--root', book])
    const fonts = (JSON.parse(run.stdout) as { checks: { name: string; ok: boolean; detail: string }[] }).checks.find((check) => check.name === 'fonts')!
    assert.equal(fonts.ok, true, fonts.detail)
    assert.equal(fonts.detail, 'system fonts cover en, ar, ja')
  })
})
