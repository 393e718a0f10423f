// Accessibility of the content documents of the bundled handbook's EPUBs: axe-core in the real Chromium, wide and narrow.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { bundledEditions, auditDocuments, graveLines, tally, unpackEpub, views, viewsOf } from './a11y-support.js'
import { temporaryFolder } from './helpers.js'
import { startBrowser, type TestBrowser } from './html-support.js'

let out: string
let locales: string[]
let browser: TestBrowser
before(async () => {
  ;({ out, locales } = await bundledEditions())
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

test('axe at 1280 px and 320 px: no serious or critical violation in the content documents of the EPUBs, each document position in one locale', async (t) => {
  const documents: { url: string; label: string; views: ReturnType<typeof viewsOf> }[] = []
  const folder = path.join(out, 'epub')
  const unpackedRoot = temporaryFolder('handbook-a11y-epub-')
  for (const [localeIndex, locale] of locales.entries()) {
    const name = readdirSync(folder).find((file) => file.endsWith(`-${locale}.epub`))
    assert.ok(name, `${locale}: an EPUB`)
    const unpacked = path.join(unpackedRoot, locale)
    const contents = await unpackEpub(path.join(folder, name), unpacked)
    assert.ok(contents.length > 2, `${locale}: content documents`)
    // A reading system chooses the colours: the book's own (light) styles, on a wide and a narrow
    // screen. Each document position is audited in one locale, the locales taking turns: the
    // locales' documents are the same templates, and what each locale's text brings is audited on
    // every page of every locale's HTML edition (a11y-html.test.ts), rendered from the same tree.
    // Ace (a11y-ace.test.ts) runs every rule on every document of two locales.
    contents.forEach((file, index) => documents.push({ url: pathToFileURL(file).href, label: `${locale}.epub/${path.relative(unpacked, file)}`, views: viewsOf(index, localeIndex, locales.length, [views.wide, views.narrow], []) }))
  }
  const result = await auditDocuments(browser, documents)
  const runs = documents.reduce((sum, document) => sum + document.views.filter((view) => view.rules !== 'none').length, 0)
  t.diagnostic(`EPUB content documents: ${documents.length}, ${documents.filter((document) => document.views.length > 0).length} audited at 1280 and 320 px (${runs} axe runs)`)
  for (const line of tally(result.findings)) t.diagnostic(`EPUB ${line}`)
  // Reported, not failed: reading systems lay out wide tables their own way (scaled, scrolled, rotated).
  t.diagnostic(`EPUB documents wider than a 320 px screen: ${new Set(result.overflow.map((line) => line.split(' ')[0])).size}`)
  assert.deepEqual(graveLines(result.findings), [])
  assert.deepEqual(result.problems, [], 'the documents load without errors or failed requests')
})
