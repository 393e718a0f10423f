// Accessibility of every page template of a fixture site with fallback chapters: axe-core in the real headless Chromium, light and dark, wide and 320 px.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { AxePuppeteer } from '@axe-core/puppeteer'
import type { Page } from 'puppeteer'
import { fixtures } from './helpers.js'
import { buildSite, fileUrl, pagesOf, startBrowser, type TestBrowser } from './html-support.js'

const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']

/** The templates a page shows: the contents page, or a chapter, part opener or glossary, and whether it is a fallback. */
function templatesOf(file: string): string[] {
  const bodyClass = /<body class="([^"]+)"/.exec(readFileSync(file, 'utf8'))?.[1] ?? ''
  if (bodyClass.includes('page-contents')) return ['index']
  const kind = bodyClass.includes('page-glossary') ? 'glossary' : bodyClass.includes('page-part') ? 'part' : 'chapter'
  return bodyClass.includes('page-fallback') ? [kind, 'fallback chapter'] : [kind]
}

/** One page per template of a locale (contents, chapter, part opener, glossary, fallback chapter where the locale has one). */
function templates(site: string, locale: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of pagesOf(path.join(site, locale))) {
    const shown = templatesOf(file)
    if (shown.some((template) => !found.has(template))) for (const template of shown) if (!found.has(template)) found.set(template, path.relative(site, file))
  }
  return found
}

/** Serious and critical violations as readable lines; the rest is only reported. */
async function audit(page: Page, label: string, note: (text: string) => void): Promise<string[]> {
  const results = await new AxePuppeteer(page).withTags(tags).analyze()
  const lines: string[] = []
  for (const violation of results.violations) {
    const line = `${label}: ${violation.impact} ${violation.id} (${violation.help}) at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`
    if (violation.impact === 'serious' || violation.impact === 'critical') lines.push(line)
    else note(line)
  }
  return lines
}

let browser: TestBrowser
before(async () => {
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

for (const [name, root, only] of [
  // Every page of the bundled handbook: a11y.test.ts. Its Latvian edition is complete: the fixture has Latvian fallback chapters.
  ['the Latvian fixture site', path.join(fixtures, 'books', 'html-site'), ['lv']]
] as const) {
  test(`axe finds no serious or critical violation on any page template of ${name}`, async (t) => {
    const site = buildSite(root)
    const configured = [...new Set([...readFileSync(path.join(site, 'index.html'), 'utf8').matchAll(/hreflang="([^"]+)"/g)].map((match) => match[1]!))]
    const locales: readonly string[] = only ?? configured
    const { page, problems } = await browser.open()
    const violations: string[] = []
    const covered: string[] = []
    // axe reads stylesheets with XMLHttpRequest, which file:// pages refuse: its own failures are not the page's.
    const auditPage = async (label: string) => {
      const before = problems.length
      violations.push(...(await audit(page, label, (text) => t.diagnostic(text))))
      problems.splice(before)
    }
    const visit = async (file: string, width: number, scheme: 'light' | 'dark') => {
      await page.setViewport({ width, height: 800 })
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }])
      await page.goto(fileUrl(site, file), { waitUntil: 'load' })
      const label = `${file} (${width} px, ${scheme})`
      await auditPage(label)
      // Reflow (WCAG 1.4.10): nothing needs sideways scrolling of the page at 320 px.
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number
      assert.ok(overflow <= 0, `${label}: the page scrolls sideways by ${overflow} px`)
    }
    await visit('index.html', 1280, 'light')
    await visit('index.html', 320, 'dark')
    for (const locale of locales) {
      for (const [template, file] of templates(site, locale)) {
        covered.push(`${locale} ${template}`)
        await visit(file, 1280, 'light')
        await visit(file, 320, 'dark')
      }
      // The open switcher and search results are part of the page too.
      const chapter = templates(site, locale).get('chapter')!
      await page.setViewport({ width: 1280, height: 800 })
      await page.goto(fileUrl(site, chapter), { waitUntil: 'load' })
      await page.click('.language-switcher summary')
      await page.type('#search-input', 'a')
      await page.waitForSelector('#search-results:not([hidden]) a, #search-status:not(:empty)')
      await auditPage(`${chapter} (switcher and search open)`)
    }
    t.diagnostic(`templates checked: ${covered.join(', ')}`)
    for (const locale of locales) {
      for (const template of ['index', 'chapter', 'glossary']) assert.ok(covered.includes(`${locale} ${template}`), `${locale} ${template}`)
      if (only) assert.ok(covered.includes(`${locale} fallback chapter`), `${locale} fallback chapter`)
    }
    assert.deepEqual(violations, [])
    assert.deepEqual(problems, [], 'the pages load without errors or failed requests')
    await page.close()
  })
}
