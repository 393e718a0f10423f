// The HTML edition in the real Chromium from file://: switch language at a section, search and open a result, previous/next.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import type { Page } from 'puppeteer'
import { bundledEditionsBuild, fixtures } from './helpers.js'
import { buildSite, fileUrl, startBrowser, type TestBrowser } from './html-support.js'

let browser: TestBrowser
let site: string
before(async () => {
  site = path.join((await bundledEditionsBuild()).out, 'html')
  browser = await startBrowser()
})
after(async () => {
  await browser?.close()
})

/** The page of chapter `number` in a locale, from its contents page. */
function chapterPage(locale: string, number: number): string {
  const contents = readFileSync(path.join(site, locale, 'index.html'), 'utf8')
  const match = new RegExp(`<a href="([^"]+)"[^>]*>${number}\\. `).exec(contents)
  assert.ok(match, `${locale} has a chapter ${number}`)
  return match[1]!
}

/** The site-relative path and hash of the page shown. */
function where(page: Page): { file: string; hash: string } {
  const url = new URL(page.url())
  return { file: path.relative(site, decodeURIComponent(url.pathname)).split(path.sep).join('/'), hash: decodeURIComponent(url.hash.slice(1)) }
}

/** Press Tab until the focused element matches `selector`; fails after `limit` presses. */
async function tabTo(page: Page, selector: string, limit = 60): Promise<void> {
  for (let press = 0; press < limit; press++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(`document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`)) return
  }
  assert.fail(`Tab never reached ${selector}`)
}

test('Latvian chapter 3: switch to German at the same section with the keyboard, search and open a result, go next and previous', async () => {
  const { page, problems } = await browser.open()
  await page.setViewport({ width: 1280, height: 900 })
  const lvChapter = chapterPage('lv', 3)
  const html = readFileSync(path.join(site, 'lv', lvChapter), 'utf8')
  // A section the German page has too (the switcher lists the ids German lacks).
  const missing = (/hreflang="de" lang="de" data-missing="([^"]*)"/.exec(html)?.[1] ?? '').split(' ')
  const section = [...html.matchAll(/<h2 id="([^"]+)"/g)].map((match) => match[1]!).find((id) => !missing.includes(id) && !id.endsWith('footnote-label'))
  assert.ok(section, 'chapter 3 has a section German shares')
  await page.goto(`${fileUrl(site, `lv/${lvChapter}`)}#${section}`, { waitUntil: 'load' })
  assert.equal(await page.evaluate('document.documentElement.lang'), 'lv')
  assert.equal(await page.evaluate('document.fonts.status === "loaded" || document.fonts.ready.then(() => true)'), true)
  const fonts = (await page.evaluate('[...document.fonts].filter((font) => font.status === "loaded").map((font) => font.family.replace(/"/g, ""))')) as string[]
  assert.ok(fonts.includes('Noto Serif') && fonts.includes('Noto Sans'), `bundled fonts loaded: ${fonts.join(', ')}`)

  // The language switcher, by keyboard: open it, Escape closes it, open again and follow German.
  await page.focus('.language-switcher summary')
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate('document.querySelector(".language-switcher details").open'), true)
  await page.keyboard.press('Tab')
  await page.keyboard.press('Escape')
  assert.equal(await page.evaluate('document.querySelector(".language-switcher details").open'), false)
  assert.equal(await page.evaluate('document.activeElement.tagName'), 'SUMMARY')
  await page.keyboard.press('Enter')
  await tabTo(page, '.language-switcher a[hreflang="de"]')
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')])
  assert.deepEqual(where(page), { file: `de/${lvChapter}`, hash: section })
  assert.equal(await page.evaluate('document.documentElement.lang'), 'de')
  const isFallback = (await page.evaluate('!!document.querySelector(".notice-fallback")')) as boolean
  if (isFallback) assert.equal(await page.evaluate('document.querySelector("article").lang'), 'en')
  const top = (await page.evaluate(`document.getElementById(${JSON.stringify(section)}).getBoundingClientRect().top`)) as number
  assert.ok(top >= 0 && top < 200, `the German page opens at the section (top ${top})`)

  // Search by keyboard, without diacritics: type, arrow down to the first result, open it.
  await page.goto(fileUrl(site, 'lv/' + lvChapter), { waitUntil: 'load' })
  await tabTo(page, '#search-input')
  await page.keyboard.type('latvija')
  await page.waitForSelector('#search-results[data-query="latvija"]:not([hidden]) li a')
  const results = (await page.$$eval('#search-results li a', (links) =>
    links.map((link) => ({
      href: link.getAttribute('href') ?? '',
      title: link.querySelector('.search-result-title')?.textContent ?? '',
      chapter: link.querySelector('.search-result-chapter')?.textContent ?? '',
      marked: [...link.querySelectorAll('mark')].map((mark) => mark.textContent ?? '')
    }))
  )) as { href: string; title: string; chapter: string; marked: string[] }[]
  assert.ok(results.length > 0)
  assert.ok(results.every((result) => result.marked.every((word) => /^latvij/i.test(word.normalize('NFD').replace(/\p{M}/gu, '')))), JSON.stringify(results))
  assert.ok(results.some((result) => result.marked.length > 0 && result.chapter !== ''), 'results show section, chapter and a snippet with the match')
  assert.match(await page.$eval('#search-status', (status) => status.textContent ?? ''), /\d/)
  await page.keyboard.press('ArrowDown')
  assert.equal(await page.evaluate('document.activeElement.getAttribute("href")'), results[0]!.href)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')])
  const [file, hash] = results[0]!.href.split('#') as [string, string | undefined]
  assert.deepEqual(where(page), { file: `lv/${file}`, hash: hash ?? '' })
  const sectionText = (await page.evaluate(
    hash ? `document.getElementById(${JSON.stringify(hash)}).parentElement.textContent` : 'document.querySelector("article").textContent'
  )) as string
  assert.match(sectionText.normalize('NFD').replace(/\p{M}/gu, ''), /latvij/i)

  // Next and previous.
  await page.goto(fileUrl(site, 'lv/' + lvChapter), { waitUntil: 'load' })
  const contents = (await page.$$eval('.toc-list a', (links) => links.map((link) => link.getAttribute('href')))) as string[]
  const index = contents.indexOf(lvChapter)
  await Promise.all([page.waitForNavigation(), page.click('.pager-next')])
  assert.equal(where(page).file, `lv/${contents[index + 1]}`)
  assert.equal(await page.$eval('.toc-list a[aria-current="page"]', (link) => link.getAttribute('href')), contents[index + 1])
  await Promise.all([page.waitForNavigation(), page.click('.pager-previous')])
  assert.equal(where(page).file, `lv/${lvChapter}`)
  await Promise.all([page.waitForNavigation(), page.click('.pager-previous')])
  assert.equal(where(page).file, `lv/${contents[index - 1]}`)
  assert.deepEqual(problems, [])
  await page.close()
})

test('switching language from a section, in every pair of locales, lands on that section; without scripts the links lead to the chapter', async () => {
  const { page, problems } = await browser.open()
  await page.setViewport({ width: 1280, height: 800 })
  const locales = [...new Set([...readFileSync(path.join(site, 'index.html'), 'utf8').matchAll(/hreflang="([^"]+)"/g)].map((match) => match[1]!))]
  assert.equal(locales.length, 6)
  // Chapters every locale has a page for, in the source's reading order.
  const contents = (locale: string) => [...readFileSync(path.join(site, locale, 'index.html'), 'utf8').matchAll(/<a href="([a-z0-9-]+\.html)">/g)].map((match) => match[1]!).filter((file) => file !== 'index.html')
  const chapters = contents(locales[0]!).filter((file) => locales.every((locale) => contents(locale).includes(file)))
  const sectionsOf = (locale: string, file: string) => {
    const html = readFileSync(path.join(site, locale, file), 'utf8')
    return { html, ids: [...html.matchAll(/<h[23] id="([^"]+)"/g)].map((match) => match[1]!).filter((id) => !id.endsWith('footnote-label')) }
  }
  let pair = 0
  for (const from of locales) {
    for (const to of locales) {
      if (from === to) continue
      pair++
      // Each pair its own chapter and section, so that together they cover much of the book.
      const candidates = chapters
        .map((file) => {
          const { html, ids } = sectionsOf(from, file)
          const missing = (new RegExp(`hreflang="${to}" lang="${to}" data-missing="([^"]*)"`).exec(html)?.[1] ?? '').split(' ')
          const theirs = new Set(sectionsOf(to, file).ids)
          // Not the last sections: a page cannot scroll its end to the top of the window.
          return { file, html, shared: ids.slice(0, -2).filter((id) => !missing.includes(id) && theirs.has(id)) }
        })
        .filter((candidate) => candidate.shared.length > 0)
      assert.ok(candidates.length > 0, `${from} -> ${to}: a chapter with a section both have`)
      const { file, html, shared } = candidates[pair % candidates.length]!
      const section = shared[pair % shared.length]!
      // Without scripts the link leads to the chapter, at its top.
      assert.match(html, new RegExp(`<a href="../${to}/${file.replace('.', '\\.')}" hreflang="${to}"`), `${from}/${file}: the plain link to ${to}`)
      await page.goto(fileUrl(site, `${from}/${file}`), { waitUntil: 'load' })
      const link = `.language-switcher a[hreflang="${to}"]`
      // Half the pairs scroll to the section, half follow its heading's "#" link.
      if (pair % 2 === 0) await page.evaluate(`document.getElementById(${JSON.stringify(section)}).scrollIntoView({ block: 'start' })`)
      else await page.$eval(`[id="${section}"] .heading-anchor`, (anchor) => (anchor as unknown as { click(): void }).click())
      const expected = `../${to}/${file}#${encodeURIComponent(section)}`
      await page.waitForFunction(`document.querySelector(${JSON.stringify(link)}).getAttribute('href') === ${JSON.stringify(expected)}`).catch(async (error: Error) => {
        const actual = await page.$eval(link, (anchor) => anchor.getAttribute('href'))
        throw new Error(`${from} -> ${to}: the switcher's link is ${actual}, expected ${expected}: ${error.message}`)
      })
      // Up to the switcher at the top of the page, as a reader goes: the place stays.
      await page.evaluate('window.scrollTo(0, 0)')
      await page.click('.language-switcher summary')
      await page.waitForSelector(link, { visible: true })
      assert.equal(await page.$eval(link, (anchor) => anchor.getAttribute('href')), expected, `${from} -> ${to}: the link keeps the place at the top of the page`)
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(link)])
      assert.deepEqual(where(page), { file: `${to}/${file}`, hash: section }, `${from} -> ${to}`)
      await page.waitForFunction(`document.querySelector(':target') && document.querySelector(':target').id === ${JSON.stringify(section)}`)
      const top = (await page.evaluate(`document.getElementById(${JSON.stringify(section)}).getBoundingClientRect().top`)) as number
      assert.ok(top >= 0 && top < 100, `${from} -> ${to}: ${file}#${section} is at the top of the window (top ${top})`)
    }
  }
  assert.equal(pair, 30)
  assert.deepEqual(problems, [])
  await page.close()
})

test('Escape and focus: search results fold away and come back; a heading anchor shows when focused', async () => {
  const { page, problems } = await browser.open()
  await page.goto(fileUrl(site, `lv/${chapterPage('lv', 3)}`), { waitUntil: 'load' })
  await page.focus('#search-input')
  await page.keyboard.type('neatrodamsvārdsxyz')
  await page.waitForSelector('#search-results[data-query="neatrodamsvārdsxyz"]')
  assert.match(await page.$eval('#search-status', (status) => status.textContent ?? ''), /neatrodamsvārdsxyz/)
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  assert.equal(await page.$eval('#search-input', (input) => (input as unknown as { value: string }).value), '')
  await page.keyboard.type('kultur')
  await page.waitForSelector('#search-results[data-query="kultur"]:not([hidden]) li')
  await page.keyboard.press('Escape')
  assert.equal(await page.$eval('#search-results', (list) => (list as unknown as { hidden: boolean }).hidden), true)
  await page.keyboard.press('ArrowDown')
  await page.focus('.heading-anchor')
  assert.equal(await page.evaluate('getComputedStyle(document.activeElement).opacity'), '1')
  assert.deepEqual(problems, [])
  await page.close()
})

test('narrow screens fold the contents; dark mode changes the colours; print shows the text alone; the root page leads to every language', async () => {
  const { page, problems } = await browser.open()
  const fixtureSite = buildSite(path.join(fixtures, 'books', 'html-site'))
  await page.setViewport({ width: 320, height: 700 })
  await page.goto(pathToFileURL(path.join(fixtureSite, 'lv', 'first.html')).href, { waitUntil: 'load' })
  assert.equal(await page.evaluate('document.querySelector(".toc-details").open'), false)
  const light = await page.evaluate('getComputedStyle(document.body).backgroundColor')
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }])
  const dark = await page.evaluate('getComputedStyle(document.body).backgroundColor')
  assert.notEqual(light, dark)
  await page.setViewport({ width: 1280, height: 800 })
  // The media query's change event opens the contents beside the text.
  await page.waitForFunction('document.querySelector(".toc-details").open === true')
  // Print: the text alone, in black on white.
  await page.emulateMediaType('print')
  const printed = (await page.evaluate(
    '[".toc", ".site-search", ".language-switcher", ".pager", ".skip-link"].map((selector) => getComputedStyle(document.querySelector(selector)).display)'
  )) as string[]
  assert.deepEqual(printed, ['none', 'none', 'none', 'none', 'none'])
  assert.equal(await page.evaluate('getComputedStyle(document.body).color'), 'rgb(0, 0, 0)')
  await page.emulateMediaType('screen')
  await page.goto(pathToFileURL(path.join(fixtureSite, 'index.html')).href, { waitUntil: 'load' })
  const editions = (await page.$$eval('.editions a', (links) => links.map((link) => [link.getAttribute('hreflang'), link.textContent]))) as [string, string][]
  assert.deepEqual(editions.map(([tag]) => tag), ['en', 'lv', 'de'])
  await Promise.all([page.waitForNavigation(), page.click('.editions a[hreflang="lv"]')])
  assert.equal(await page.evaluate('document.documentElement.lang'), 'lv')
  assert.deepEqual(problems, [])
  await page.close()
})
