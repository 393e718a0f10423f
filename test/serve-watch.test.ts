// The preview keeps up with editors (issue 17): atomic saves, new images, front-matter edits, PDF and EPUB on demand.
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
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
