// The preview keeps up with editors (issue 17): atomic saves, new images, front-matter edits, PDF and EPUB on demand.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { fixtures, temporaryFolder } from './helpers.js'
import { fetchPage, startServe, until, type RunningServe } from './serve-support.js'

let work: string
let serve: RunningServe

const page = async (target: string) => (await fetchPage(serve.port, target)).body.toString('utf8')

before(async () => {
  work = temporaryFolder('handbook-serve-watch-')
  cpSync(path.join(fixtures, 'books', 'html-site'), path.join(work, 'book'), { recursive: true })
  serve = await startServe(work, ['--root', 'book', '--out', 'out'])
})

after(async () => {
  await serve.stop()
})

/** Save `text` as an editor with "safe write" does: a temporary file beside it, renamed over it. */
function saveByRename(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.swp-${process.hrtime.bigint()}`)
  writeFileSync(temporary, text)
  renameSync(temporary, file)
}

test('saves that rename a temporary file over the chapter are all served, then an in-place write too', async () => {
  const chapter = path.join(work, 'book', 'lv', 'first.md')
  const original = readFileSync(chapter, 'utf8')
  for (let save = 1; save <= 5; save++) {
    const marker = `Atomic save number ${save}`
    saveByRename(chapter, `${original.trimEnd()}\n\n${marker}.\n`)
    await until(async () => (await page('/lv/first.html')).includes(marker), `save ${save} to be served`)
  }
  // vim's default ("backupcopy=auto" on a plain file): the chapter is renamed away, a new file written.
  renameSync(chapter, `${chapter}~`)
  writeFileSync(chapter, `${original.trimEnd()}\n\nWritten anew after a rename.\n`)
  await until(async () => (await page('/lv/first.html')).includes('Written anew after a rename'), 'the vim-style save')
  writeFileSync(chapter, `${original.trimEnd()}\n\nWritten in place.\n`)
  await until(async () => (await page('/lv/first.html')).includes('Written in place'), 'the in-place write after atomic saves')
  unlinkSync(`${chapter}~`)
})

test('a new folder with an image, and a chapter that wanted it: the image appears, the page re-renders', async () => {
  const chapter = path.join(work, 'book', 'lv', 'intro.md')
  const original = readFileSync(chapter, 'utf8')
  writeFileSync(chapter, `${original.trimEnd()}\n\n![Jauns attēls](../assets/new/late.svg)\n`)
  const broken = await until(async () => {
    const html = await page('/lv/intro.html')
    return html.includes('Jauns attēls') && html
  }, 'the chapter with the missing image')
  assert.doesNotMatch(broken, /src="[^"]*late\.svg"/, 'no image to show yet')
  mkdirSync(path.join(work, 'book', 'assets', 'new'))
  writeFileSync(path.join(work, 'book', 'assets', 'new', 'late.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n')
  const fixed = await until(async () => {
    const html = await page('/lv/intro.html')
    return /<img[^>]+src="[^"]*late\.svg"/.test(html) && html
  }, 'the page to show the image that appeared')
  const src = /<img[^>]+src="([^"]*late\.svg)"/.exec(fixed)![1]!
  const image = await fetchPage(serve.port, new URL(src, `http://127.0.0.1/lv/intro.html`).pathname)
  assert.equal(image.status, 200, 'the image is served')
  // And when the folder goes again, the chapter reports the missing image once more.
  rmSync(path.join(work, 'book', 'assets', 'new'), { recursive: true })
  writeFileSync(chapter, original)
  await until(async () => !(await page('/lv/intro.html')).includes('Jauns attēls'), 'the edit to be undone')
})

/** Modification times of the pages of `locale` in the preview's output. */
function pageTimes(locale: string): Map<string, number> {
  const folder = path.join(work, 'out', 'html', locale)
  return new Map(readdirSync(folder).filter((name) => name.endsWith('.html')).map((name) => [name, statSync(path.join(folder, name)).mtimeMs]))
}

test('a title edited in the front matter re-renders its locale and the fallback copies, not the other translations', async () => {
  const chapter = path.join(work, 'book', 'en', 'intro.md')
  const original = readFileSync(chapter, 'utf8')
  const lvBefore = pageTimes('lv')
  const enBefore = pageTimes('en')
  writeFileSync(chapter, original.replace(/^title: .*$/m, 'title: A Renamed Introduction'))
  // The new title shows in the navigation of every English page and of the German fallback's pages.
  for (const target of ['/en/first.html', '/en/intro.html', '/de/first.html', '/de/intro.html']) {
    await until(async () => (await page(target)).includes('A Renamed Introduction'), `the new title on ${target}`)
  }
  // Only the edited chapter is parsed again; the pages of en and de (which shows intro from English) are rendered.
  await until(() => /rebuilt \d+ pages of en, de \(outline of en\/intro changed\)/.test(serve.stderr()), 'the summary of the scoped rebuild')
  assert.doesNotMatch(serve.stderr(), /reloaded/, 'no locale is loaded again')
  const lvAfter = pageTimes('lv')
  // Latvian pages show their own translated title: none is written again but the switcher of the edited chapter.
  const rewritten = [...lvAfter].filter(([name, time]) => lvBefore.get(name) !== time).map(([name]) => name)
  assert.ok(rewritten.every((name) => name === 'intro.html'), `lv pages rewritten: ${rewritten.join(', ')}`)
  assert.ok([...pageTimes('en')].some(([name, time]) => name !== 'intro.html' && enBefore.get(name) !== time), 'other English pages got the new navigation')
  writeFileSync(chapter, original)
  await until(async () => !(await page('/en/first.html')).includes('A Renamed Introduction'), 'the title to be restored')
})

test('the preview serves each locale PDF and EPUB made from the current sources, again after an edit, cached until then', async () => {
  const pdfText = (data: Buffer) => {
    const file = path.join(work, 'preview.pdf')
    writeFileSync(file, data)
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
  }
  const first = await fetchPage(serve.port, '/__handbook/editions/lv.pdf')
  assert.equal(first.status, 200, first.body.toString('utf8').slice(0, 500))
  assert.equal(first.headers['content-type'], 'application/pdf')
  assert.match(String(first.headers['content-disposition']), /^inline; filename="[^"]+-lv\.pdf"$/)
  assert.equal(first.body.subarray(0, 5).toString('latin1'), '%PDF-')
  const again = await fetchPage(serve.port, '/__handbook/editions/lv.pdf')
  assert.deepEqual(again.body, first.body, 'nothing changed: the same file')

  const chapter = path.join(work, 'book', 'lv', 'first.md')
  const original = readFileSync(chapter, 'utf8')
  writeFileSync(chapter, `${original.trimEnd()}\n\nZīme QXZ 4217.\n`)
  await until(async () => (await page('/lv/first.html')).includes("QXZ 4217"), 'the edit in the page')
  const edited = await fetchPage(serve.port, '/__handbook/editions/lv.pdf')
  assert.equal(edited.status, 200)
  assert.match(pdfText(edited.body).replace(/\s+/g, ' '), /QXZ 4217/, 'the PDF shows the saved text')
  assert.doesNotMatch(pdfText(first.body).replace(/\s+/g, ' '), /QXZ 4217/)

  const epub = await fetchPage(serve.port, '/__handbook/editions/lv.epub')
  assert.equal(epub.status, 200, epub.body.toString('utf8').slice(0, 500))
  assert.equal(epub.headers['content-type'], 'application/epub+zip')
  assert.equal(epub.body.subarray(0, 2).toString('latin1'), 'PK')
  assert.equal((await fetchPage(serve.port, '/__handbook/editions/xx.pdf')).status, 409, 'an unknown locale is refused with the reason')
  // Every page links the PDF and EPUB of its locale (added by the preview's script).
  assert.match(await page('/lv/first.html'), /__handbook\/editions\//)
  writeFileSync(chapter, original)
})
