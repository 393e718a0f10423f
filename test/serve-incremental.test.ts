// What the preview re-renders after a save (issues 17 and 20): a body edit its page, a title edit the pages that show the title.
import assert from 'node:assert/strict'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { before, test } from 'node:test'
import { PreviewSite } from '../src/serve/site.js'
import { fixtures, temporaryFolder } from './helpers.js'
import { walk } from './html-support.js'
import { changeOneSection } from './translation-support.js'

let root: string
let site: PreviewSite

before(async () => {
  root = path.join(temporaryFolder('handbook-incremental-'), 'book')
  // html-site: lv lacks `second`, de has only `first`; both show the others from English.
  cpSync(path.join(fixtures, 'books', 'html-site'), root, { recursive: true })
  site = new PreviewSite({ root, out: temporaryFolder('handbook-incremental-out-') })
  const started = await site.start()
  assert.equal(started.configFailed, false)
})

/** The pages of `locales` in the site folder, as `lv/first.html`; the translation reports are refreshed apart. */
function pagesOf(folder: string, locales: readonly string[]): string[] {
  return walk(folder)
    .map((file) => path.relative(folder, file).split(path.sep).join('/'))
    .filter((page) => page.endsWith('.html') && locales.includes(page.split('/')[0]!) && !page.endsWith('/translation.html'))
    .sort()
}

/** Every page of a fresh preview of the book as it is now: what the incremental pages must equal. */
async function freshPages(): Promise<Map<string, string>> {
  const fresh = new PreviewSite({ root, out: temporaryFolder('handbook-incremental-fresh-') })
  await fresh.start()
  return new Map(pagesOf(fresh.folder, ['en', 'lv', 'de']).map((page) => [page, readFileSync(path.join(fresh.folder, page), 'utf8')]))
}

async function save(file: string, edit: (text: string) => string): Promise<{ rendered: string[]; summary: string; original: string }> {
  const full = path.join(root, file)
  const original = readFileSync(full, 'utf8')
  writeFileSync(full, edit(original))
  const change = await site.apply([full])
  await site.refreshDerived()
  return { rendered: [...change.rendered].sort(), summary: change.summary, original }
}

async function restore(file: string, text: string): Promise<void> {
  writeFileSync(path.join(root, file), text)
  await site.apply([path.join(root, file)])
  await site.refreshDerived()
}

async function assertSameAsFresh(): Promise<void> {
  const fresh = await freshPages()
  for (const [page, html] of fresh) assert.equal(readFileSync(path.join(site.folder, page), 'utf8'), html, `${page} after the incremental rebuild differs from a fresh build`)
}

test('a body edit re-renders that one page', async () => {
  const { rendered, original } = await save('lv/first.md', (text) => `${text.trimEnd()}\n\nJauns teikums.\n`)
  assert.deepEqual(rendered, ['lv/first.html'])
  await assertSameAsFresh()
  await restore('lv/first.md', original)
})

test("a translation's title edit re-renders its locale's pages alone, without loading the book again", async () => {
  const { rendered, summary, original } = await save('lv/first.md', (text) => text.replace(/^title: .*$/m, 'title: Pārdēvēta nodaļa'))
  assert.deepEqual(rendered, pagesOf(site.folder, ['lv']))
  assert.match(summary, /^rebuilt \d+ pages of lv \(outline of lv\/first changed\)/)
  for (const page of rendered) assert.match(readFileSync(path.join(site.folder, page), 'utf8'), /Pārdēvēta nodaļa/, page)
  await assertSameAsFresh()
  await restore('lv/first.md', original)
})

test('a source title edit re-renders its locale and the locales that show the chapter from the source, and renews cross-references to it', async () => {
  // `second` is in English only: lv and de show it (and their `first` refers to it).
  const { rendered, summary, original } = await save('en/second.md', (text) => text.replace(/^title: .*$/m, 'title: The renamed chapter'))
  assert.doesNotMatch(summary, /reloaded/, summary)
  assert.deepEqual(rendered, pagesOf(site.folder, ['en', 'lv', 'de']))
  // The generated text of `[](#second)` quotes the new title, in each locale's words.
  for (const page of ['en/first.html', 'lv/first.html', 'de/first.html']) {
    const html = readFileSync(path.join(site.folder, page), 'utf8')
    assert.match(html, /<a[^>]*class="xref xref-chapter"[^>]*>[^<]*The renamed chapter[^<]*<\/a>/, page)
  }
  await assertSameAsFresh()
  await restore('en/second.md', original)
})

test('a section title edit re-renders the pages that quote it in a cross-reference, not the whole locale', async () => {
  // `second` refers to `#getting-started` of `first`: "section 2.1, Getting started".
  const { rendered, original } = await save('en/first.md', (text) => text.replace('## Getting started {#getting-started}', '## Starting out {#getting-started}'))
  // `second` is shown from English in lv and de: their copies quote the English heading too.
  assert.deepEqual(rendered, ['de/second.html', 'en/first.html', 'en/second.html', 'lv/second.html'])
  assert.match(readFileSync(path.join(site.folder, 'en', 'second.html'), 'utf8'), /class="xref xref-section">section 2\.1, Starting out<\/a>/)
  assert.ok(!rendered.includes('en/index.html') && !rendered.includes('en/intro.html'), rendered.join(', '))
  await assertSameAsFresh()
  await restore('en/first.md', original)
})

test('a source edit that makes a translation stale re-renders that chapter in each translation for its notice, not the whole locales', async () => {
  const book = path.join(temporaryFolder('handbook-incremental-stale-'), 'book')
  cpSync(path.join(fixtures, 'books', 'translation-basic'), book, { recursive: true })
  const preview = new PreviewSite({ root: book, out: temporaryFolder('handbook-incremental-stale-out-') })
  await preview.start()
  const source = path.join(book, 'en', 'meetings.md')
  const original = readFileSync(source, 'utf8')
  assert.doesNotMatch(readFileSync(path.join(preview.folder, 'lv', 'meetings.html'), 'utf8'), /notice-stale/, 'current before the change')
  writeFileSync(source, changeOneSection(original))
  const change = await preview.apply([source])
  await preview.refreshDerived()
  assert.doesNotMatch(change.summary, /reloaded/, change.summary)
  assert.deepEqual([...change.rendered].sort(), ['de/meetings.html', 'en/meetings.html', 'lv/meetings.html'])
  assert.match(readFileSync(path.join(preview.folder, 'lv', 'meetings.html'), 'utf8'), /class="notice notice-stale"/)
  // The same pages, the translation reports included, as a preview started now.
  const fresh = new PreviewSite({ root: book, out: temporaryFolder('handbook-incremental-stale-fresh-') })
  await fresh.start()
  for (const page of walk(fresh.folder).filter((file) => file.endsWith('.html'))) {
    const name = path.relative(fresh.folder, page)
    assert.equal(readFileSync(path.join(preview.folder, name), 'utf8'), readFileSync(page, 'utf8'), `${name} differs from a fresh preview`)
  }
})
