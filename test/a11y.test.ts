// Accessibility of everything a reader opens: axe-core on every page of every locale's HTML edition and on every
// EPUB content document, in the real Chromium, and DAISY Ace on every locale's EPUB; one build of the bundled handbook.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import JSZip from 'jszip'
import { findBrowser } from '../src/render/browser.js'
import { bundledHandbook, inPool, repoRoot, runCli, temporaryFolder } from './helpers.js'
import { fileUrl, pagesOf, startBrowser, type TestBrowser } from './html-support.js'

const run = promisify(execFile)
const aceCli = path.join(repoRoot, 'node_modules', '.bin', 'ace-cli')
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']
/**
 * Every page is checked in each of these. A width changes layout and what is shown (a menu button only
 * at 320 px), so every rule runs again; a colour scheme changes colours only (the styles switch custom
 * properties, border colours and a white ground behind figures), so the dark views run the rules that
 * read colours. That halves the time of the dark views and leaves out nothing they could find.
 */
const views = [
  { width: 1280, scheme: 'light', rules: 'all' },
  { width: 1280, scheme: 'dark', rules: 'colour' },
  { width: 320, scheme: 'light', rules: 'all' },
  { width: 320, scheme: 'dark', rules: 'colour' }
] as const
type View = (typeof views)[number]

interface Finding {
  impact: string
  rule: string
  help: string
  document: string
  view: string
  nodes: number
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[]
}

/**
 * axe on the whole document, with `preload: false`: axe would re-fetch the stylesheets to read them,
 * which file:// refuses (one failed request per sheet), and only css-orientation-lock needs them.
 */
const runAxe = `axe.run(document, { preload: false, runOnly: { type: 'tag', values: ${JSON.stringify(tags)} }, resultTypes: ['violations'] })`
/** The axe rules whose result depends on colours: contrast of text, and links told apart from text by colour. */
const colourRules = ['color-contrast', 'color-contrast-enhanced', 'link-in-text-block']
const runColourAxe = `axe.run(document, { preload: false, runOnly: { type: 'rule', values: ${JSON.stringify(colourRules)} }, resultTypes: ['violations'] })`

function findingsOf(result: AxeResult, document: string, view: string): Finding[] {
  return result.violations.map((violation) => ({ impact: violation.impact ?? 'unknown', rule: violation.id, help: violation.help, document, view, nodes: violation.nodes.length }))
}

interface Audited {
  findings: Finding[]
  /** Documents that need sideways scrolling at 320 px (WCAG 1.4.10 reflow). */
  overflow: string[]
  /** Errors and failed requests while loading the documents. */
  problems: string[]
}

/**
 * Audit documents one after the other in one page: each document is opened once, axe is put into it
 * once and run in every view. One page, not several: Chromium does not run the frames (requestAnimationFrame,
 * media query change events) of a page in the background, so a second page would wait or be audited stale.
 */
async function auditDocuments(browser: TestBrowser, documents: readonly { url: string; label: string }[], audited: readonly View[]): Promise<Audited> {
  const result: Audited = { findings: [], overflow: [], problems: [] }
  const { page, problems } = await browser.open()
  for (const document of documents) {
    problems.length = 0
    await page.setViewport({ width: audited[0]!.width, height: 800 })
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: audited[0]!.scheme }])
    await page.goto(document.url, { waitUntil: 'load' })
    // Fonts change line breaks and so what overlaps and what overflows: audit the page once they are in.
    await page.waitForFunction('document.fonts.status === "loaded"')
    result.problems.push(...problems.map((problem) => `${document.label}: ${problem.text}`))
    await page.evaluate(axeSource)
    for (const view of audited) {
      await page.setViewport({ width: view.width, height: 800 })
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: view.scheme }])
      // Two frames: the new width or scheme is styled, laid out and its media query events are handled before axe reads the page.
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))')
      result.findings.push(...findingsOf((await page.evaluate(view.rules === 'all' ? runAxe : runColourAxe)) as AxeResult, document.label, `${view.width} px ${view.scheme}`))
      if (view.width === 320) {
        const sideways = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number
        if (sideways > 0) result.overflow.push(`${document.label} (${view.scheme}): the page scrolls sideways by ${sideways} px`)
      }
    }
  }
  await page.close()
  return result
}

const grave = (finding: Finding) => finding.impact === 'serious' || finding.impact === 'critical'

/** One line per impact: how many findings (one rule failing in one document in one view), on how many documents, of which rules. */
function tally(findings: readonly Finding[]): string[] {
  return ['critical', 'serious', 'moderate', 'minor'].map((impact) => {
    const some = findings.filter((finding) => finding.impact === impact)
    const rules = [...new Set(some.map((finding) => finding.rule))].sort()
    const documents = new Set(some.map((finding) => finding.document)).size
    return `${impact}: ${some.length} findings on ${documents} documents${rules.length ? ` (${rules.join(', ')})` : ''}`
  })
}

/** The grave findings, one line per document and rule, naming the views it failed in. */
function graveLines(findings: readonly Finding[]): string[] {
  const lines = new Map<string, string[]>()
  for (const finding of findings.filter(grave)) {
    const key = `${finding.impact} ${finding.rule} in ${finding.document} (${finding.help}, ${finding.nodes} elements)`
    lines.set(key, [...(lines.get(key) ?? []), finding.view])
  }
  return [...lines].map(([key, views]) => `${key}: ${views.join(', ')}`)
}

interface AceViolation {
  impact: string
  rule: string
  file: string
}

/** `ace-cli` on one file; returns every violation from its JSON report. */
async function ace(file: string): Promise<AceViolation[]> {
  const outdir = `${file}.ace`
  const browser = findBrowser().found?.path
  await run(aceCli, ['-f', '-s', '-o', outdir, file], { env: { ...process.env, ...(browser ? { PUPPETEER_EXECUTABLE_PATH: browser } : {}) }, maxBuffer: 16 << 20 })
  const report = JSON.parse(readFileSync(path.join(outdir, 'report.json'), 'utf8')) as {
    assertions: { 'earl:testSubject': { url: string }; assertions?: { 'earl:test': { 'earl:impact': string; 'dct:title': string } }[] }[]
  }
  return report.assertions.flatMap((subject) =>
    (subject.assertions ?? []).map((assertion) => ({ impact: assertion['earl:test']['earl:impact'], rule: assertion['earl:test']['dct:title'], file: subject['earl:testSubject'].url }))
  )
}

/** Unpack an EPUB into `folder`; returns its content documents (the manifest's XHTML items) as paths under `folder`. */
async function unpackEpub(file: string, folder: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(file))
  for (const entry of Object.values(zip.files)) {
    const target = path.join(folder, entry.name)
    if (entry.dir) continue
    mkdirSync(path.dirname(target), { recursive: true })
    writeFileSync(target, await entry.async('nodebuffer'))
  }
  const container = readFileSync(path.join(folder, 'META-INF', 'container.xml'), 'utf8')
  const opfPath = /full-path="([^"]+)"/.exec(container)![1]!
  const opf = readFileSync(path.join(folder, opfPath), 'utf8')
  return [...opf.matchAll(/<item [^>]*href="([^"]+)"[^>]*media-type="application\/xhtml\+xml"/g)].map((match) => path.join(folder, path.dirname(opfPath), match[1]!))
}

describe('accessibility of every page of the bundled handbook', () => {
  let out: string
  let browser: TestBrowser
  let locales: string[]

  before(async () => {
    out = temporaryFolder('handbook-a11y-')
    const result = runCli(['build', '--root', bundledHandbook, '--format', 'html,epub', '--out', out, '--quiet'])
    assert.equal(result.code, 0, result.stderr)
    const config = readFileSync(path.join(bundledHandbook, 'handbook.yaml'), 'utf8')
    locales = [...config.matchAll(/^ {2}- tag: (\S+)$/gm)].map((match) => match[1]!)
    assert.equal(locales.length, 6)
    browser = await startBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('axe: no serious or critical violation on any page of any locale, light and dark, 1280 px and 320 px', async (t) => {
    const site = path.join(out, 'html')
    const pages = pagesOf(site).map((file) => path.relative(site, file))
    for (const locale of locales) assert.ok(pages.some((file) => file.startsWith(`${locale}/`)), `${locale} has pages`)
    const result = await auditDocuments(browser, pages.map((file) => ({ url: fileUrl(site, file), label: file })), views)

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

    t.diagnostic(`HTML pages audited: ${pages.length}, each in ${views.length} views (${pages.length * views.length} axe runs), and ${locales.length} with the switcher and search open`)
    for (const line of tally(result.findings)) t.diagnostic(`HTML ${line}`)
    assert.deepEqual(graveLines(result.findings), [])
    assert.deepEqual(result.overflow, [])
    assert.deepEqual(result.problems, [], 'the pages load without errors or failed requests')
  })

  test("axe: no serious or critical violation in any content document of any locale's EPUB, in Chromium at 1280 px and 320 px", async (t) => {
    const documents: { url: string; label: string }[] = []
    const folder = path.join(out, 'epub')
    for (const locale of locales) {
      const name = readdirSync(folder).find((file) => file.endsWith(`-${locale}.epub`))
      assert.ok(name, `${locale}: an EPUB`)
      const unpacked = path.join(out, 'unpacked', locale)
      const contents = await unpackEpub(path.join(folder, name), unpacked)
      assert.ok(contents.length > 2, `${locale}: content documents`)
      for (const file of contents) documents.push({ url: pathToFileURL(file).href, label: `${locale}.epub/${path.relative(unpacked, file)}` })
    }
    // A reading system chooses the colours: the book's own (light) styles, on a wide and a narrow screen.
    const result = await auditDocuments(browser, documents, [views[0], views[2]])
    t.diagnostic(`EPUB content documents audited: ${documents.length}, each in 2 views (${documents.length * 2} axe runs)`)
    for (const line of tally(result.findings)) t.diagnostic(`EPUB ${line}`)
    // Reported, not failed: reading systems lay out wide tables their own way (scaled, scrolled, rotated).
    t.diagnostic(`EPUB documents wider than a 320 px screen: ${new Set(result.overflow.map((line) => line.split(' ')[0])).size}`)
    assert.deepEqual(graveLines(result.findings), [])
    assert.deepEqual(result.problems, [], 'the documents load without errors or failed requests')
  })

  test('DAISY Ace: no critical and no serious violation in any locale\'s EPUB', async (t) => {
    const folder = path.join(out, 'epub')
    const files = locales.map((locale) => path.join(folder, readdirSync(folder).find((name) => name.endsWith(`-${locale}.epub`))!))
    // Ace starts its own browser per file: two at a time on a two-core machine.
    const results = await inPool(files, 2, (file) => ace(file))
    locales.forEach((locale, index) => {
      const count = (impact: string) => results[index]!.filter((violation) => violation.impact === impact).length
      t.diagnostic(`${locale}: ${['critical', 'serious', 'moderate', 'minor'].map((impact) => `${count(impact)} ${impact}`).join(' / ')}`)
    })
    const graveAce = results.flatMap((violations, index) => violations.filter((violation) => violation.impact === 'critical' || violation.impact === 'serious').map((violation) => `${locales[index]}: ${violation.impact} ${violation.rule} in ${violation.file}`))
    assert.deepEqual(graveAce, [])
  })
})
