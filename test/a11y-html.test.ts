// Accessibility of every page of the bundled handbook's HTML edition: axe-core in the real Chromium,
// in light and dark, wide and narrow (test/a11y-support.ts says which page gets which view).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { bundledEditions, auditDocuments, axeSource, findingsOf, graveLines, runAxe, tally, views, viewsOf, type AxeResult } from './a11y-support.js'
import { fileUrl, pagesOf, startBrowser, type TestBrowser } from './html-support.js'

let out: string
let locales: string[]
let browser: TestBrowser
before(async () => {
  ;({ out, locales } = await bundledEditions())
  assert.equal(locales.length, 6)
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

test('axe: no serious or critical violation on any page of any locale, light and dark, 1280 px and 320 px', async (t) => {
  const site = path.join(out, 'html')
  const pages = pagesOf(site).map((file) => path.relative(site, file))
  const everyView = Object.values(views).filter((view) => view !== views.reflow)
  // Pages outside the locales' folders (the language chooser at the root) are seen in every view.
  const shared = pages.filter((file) => !locales.some((locale) => file.startsWith(`${locale}/`)))
  const documents = [
    ...shared.map((file) => ({ url: fileUrl(site, file), label: file, views: everyView })),
    ...locales.flatMap((locale, localeIndex) => {
      const own = pages.filter((file) => file.startsWith(`${locale}/`))
      assert.ok(own.length > 0, `${locale} has pages`)
      return own.map((file, index) => ({ url: fileUrl(site, file), label: file, views: viewsOf(index, localeIndex, locales.length, everyView, [views.wide, views.reflow]) }))
    })
  ]
  const result = await auditDocuments(browser, documents)

  // The open language switcher and search results are part of the page too.
  const { page, problems } = await browser.open()
  await page.setViewport({ width: 1280, height: 800 })
  for (const locale of locales) {
    const chapter = pages.find((file) => file.startsWith(`${locale}/`) && readFileSync(path.join(site, file), 'utf8').includes('<article'))!
    await page.goto(fileUrl(site, chapter), { waitUntil: 'load' })
    await page.click('.language-switcher summary')
    await page.type('#search-input', 'a')
    await page.waitForSelector('#search-results:not([hidden]) a, #search-status:not(:empty)')
    await page.evaluate(axeSource)
    result.findings.push(...findingsOf((await page.evaluate(runAxe)) as AxeResult, chapter, 'switcher and search open'))
  }
  result.problems.push(...problems.map((problem) => problem.text))
  await page.close()

  const runs = documents.reduce((sum, document) => sum + document.views.filter((view) => view.rules !== 'none').length, 0)
  const inEveryView = documents.filter((document) => document.views.length === everyView.length).length
  t.diagnostic(`HTML pages audited: ${documents.length} (${inEveryView} in all 4 views, the rest wide and for reflow), ${runs} axe runs, and ${locales.length} with the switcher and search open`)
  for (const line of tally(result.findings)) t.diagnostic(`HTML ${line}`)
  assert.deepEqual(graveLines(result.findings), [])
  assert.deepEqual(result.overflow, [])
  assert.deepEqual(result.problems, [], 'the pages load without errors or failed requests')
})
