// Shared by the accessibility tests: axe-core in the real Chromium on HTML pages and EPUB content
// documents, DAISY Ace on EPUBs, and the one build of the bundled handbook they all read.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import JSZip from 'jszip'
import { findBrowser } from '../src/render/browser.js'
import { bundledEditionsBuild, bundledHandbook, repoRoot } from './helpers.js'
import type { TestBrowser } from './html-support.js'

/** The HTML and EPUB editions of every locale of the bundled handbook, built once for every file that audits them. */
export async function bundledEditions(): Promise<{ out: string; locales: string[] }> {
  const { out } = await bundledEditionsBuild()
  const config = readFileSync(path.join(bundledHandbook, 'handbook.yaml'), 'utf8')
  const locales = [...config.matchAll(/^ {2}- tag: (\S+)$/gm)].map((match) => match[1]!)
  return { out, locales }
}

const run = promisify(execFile)
const aceCli = path.join(repoRoot, 'node_modules', '.bin', 'ace-cli')
export const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']
/**
 * The views a page is audited in. A width changes layout and what is shown (a menu button only at
 * 320 px), so every rule runs again; a colour scheme changes colours only (the styles switch custom
 * properties, border colours and a white ground behind figures), so the dark views run the rules that
 * read colours. `reflow` runs no rule: it measures whether a 320 px screen must scroll sideways.
 */
export const views = {
  wide: { width: 1280, scheme: 'light', rules: 'all' },
  wideDark: { width: 1280, scheme: 'dark', rules: 'colour' },
  narrow: { width: 320, scheme: 'light', rules: 'all' },
  narrowDark: { width: 320, scheme: 'dark', rules: 'colour' },
  reflow: { width: 320, scheme: 'light', rules: 'none' }
} as const
export type View = (typeof views)[keyof typeof views]

/**
 * The views of the `index`-th document of a locale's documents, locale `localeIndex` of the edition's
 * locales: `all`, or `rest`. The views change the styles only, and every locale's documents are the
 * same templates under the same stylesheet, differing in their text: each document position (a
 * chapter) gets every view in one locale, and the locales take turns, so every chapter and every
 * locale is seen in every view, at a sixth of the cost (an axe run takes 0.3 to 1 s on a chapter).
 * `HANDBOOK_A11Y_FULL=1` audits every document in every view, as a release check may.
 */
export function viewsOf(index: number, localeIndex: number, locales: number, all: readonly View[], rest: readonly View[]): View[] {
  return fullAudit || index % locales === localeIndex % locales ? [...all] : [...rest]
}

/** `HANDBOOK_A11Y_FULL=1`: every document in every view, and DAISY Ace on every locale's EPUB. */
export const fullAudit = process.env.HANDBOOK_A11Y_FULL === '1'

export interface Finding {
  impact: string
  rule: string
  help: string
  document: string
  view: string
  nodes: number
}

export interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[]
}

/**
 * axe on the whole document, with `preload: false`: axe would re-fetch the stylesheets to read them,
 * which file:// refuses (one failed request per sheet), and only css-orientation-lock needs them.
 */
export const runAxe = `axe.run(document, { preload: false, runOnly: { type: 'tag', values: ${JSON.stringify(tags)} }, resultTypes: ['violations'] })`
/** The axe rules whose result depends on colours: contrast of text, and links told apart from text by colour. */
const colourRules = ['color-contrast', 'color-contrast-enhanced', 'link-in-text-block']
export const runColourAxe = `axe.run(document, { preload: false, runOnly: { type: 'rule', values: ${JSON.stringify(colourRules)} }, resultTypes: ['violations'] })`

export function findingsOf(result: AxeResult, document: string, view: string): Finding[] {
  return result.violations.map((violation) => ({ impact: violation.impact ?? 'unknown', rule: violation.id, help: violation.help, document, view, nodes: violation.nodes.length }))
}

export interface Audited {
  findings: Finding[]
  /** Documents that need sideways scrolling at 320 px (WCAG 1.4.10 reflow). */
  overflow: string[]
  /** Errors and failed requests while loading the documents. */
  problems: string[]
}

/**
 * Audit documents one after the other in one page: each document is opened once, axe is put into it
 * once and run in each of its views. One page, not several: Chromium does not run the frames (requestAnimationFrame,
 * media query change events) of a page in the background, so a second page would wait or be audited stale.
 */
export async function auditDocuments(browser: TestBrowser, documents: readonly { url: string; label: string; views: readonly View[] }[]): Promise<Audited> {
  const result: Audited = { findings: [], overflow: [], problems: [] }
  const { page, problems } = await browser.open()
  // axe goes into every document as it is created: 75 ms less per document than evaluating it after
  // the load (118 ms against 7 to 11 ms more navigation, median of 12 pages).
  await page.evaluateOnNewDocument(axeSource)
  for (const document of documents) {
    const audited = document.views
    if (audited.length === 0) continue
    problems.length = 0
    await page.setViewport({ width: audited[0]!.width, height: 800 })
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: audited[0]!.scheme }])
    await page.goto(document.url, { waitUntil: 'load' })
    // Fonts change line breaks and so what overlaps and what overflows: audit the page once they are in.
    await page.waitForFunction('document.fonts.status === "loaded"')
    result.problems.push(...problems.map((problem) => `${document.label}: ${problem.text}`))
    for (const [index, view] of audited.entries()) {
      // The first view is the one the document was opened in.
      if (index > 0) {
        const previous = audited[index - 1]!
        if (view.width !== previous.width) await page.setViewport({ width: view.width, height: 800 })
        if (view.scheme !== previous.scheme) await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: view.scheme }])
        // Two frames: the new width or scheme is styled, laid out and its media query events are handled before axe reads the page.
        await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))')
      }
      if (view.rules !== 'none') result.findings.push(...findingsOf((await page.evaluate(view.rules === 'all' ? runAxe : runColourAxe)) as AxeResult, document.label, `${view.width} px ${view.scheme}`))
      if (view.width === 320) {
        const sideways = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number
        if (sideways > 0) result.overflow.push(`${document.label} (${view.scheme}): the page scrolls sideways by ${sideways} px`)
      }
    }
  }
  await page.close()
  return result
}

export const grave = (finding: { impact: string }) => finding.impact === 'serious' || finding.impact === 'critical'

/** One line per impact: how many findings (one rule failing in one document in one view), on how many documents, of which rules. */
export function tally(findings: readonly Finding[]): string[] {
  return ['critical', 'serious', 'moderate', 'minor'].map((impact) => {
    const some = findings.filter((finding) => finding.impact === impact)
    const rules = [...new Set(some.map((finding) => finding.rule))].sort()
    const documents = new Set(some.map((finding) => finding.document)).size
    return `${impact}: ${some.length} findings on ${documents} documents${rules.length ? ` (${rules.join(', ')})` : ''}`
  })
}

/** The grave findings, one line per document and rule, naming the views it failed in. */
export function graveLines(findings: readonly Finding[]): string[] {
  const lines = new Map<string, string[]>()
  for (const finding of findings.filter(grave)) {
    const key = `${finding.impact} ${finding.rule} in ${finding.document} (${finding.help}, ${finding.nodes} elements)`
    lines.set(key, [...(lines.get(key) ?? []), finding.view])
  }
  return [...lines].map(([key, views]) => `${key}: ${views.join(', ')}`)
}

export interface AceViolation {
  impact: string
  rule: string
  file: string
}

/**
 * `ace-cli` on one file, its report written to `outdir`; returns every violation from the report.
 * Ace gives its browser 5 s to start (`ACE_TIMEOUT_INITIAL`), which a loaded two-core machine can miss:
 * a CI run failed so, with exit code 1 and nothing said under `--silent`. The launch gets 2 minutes,
 * and Ace is not silenced, so a failure carries Ace's own error in the message.
 */
export async function ace(file: string, outdir: string): Promise<AceViolation[]> {
  const browser = findBrowser().found?.path
  const env = { ...process.env, ACE_TIMEOUT_INITIAL: '120000', ...(browser ? { PUPPETEER_EXECUTABLE_PATH: browser } : {}) }
  await run(aceCli, ['-f', '-o', outdir, file], { env, maxBuffer: 16 << 20 })
  const report = JSON.parse(readFileSync(path.join(outdir, 'report.json'), 'utf8')) as {
    assertions: { 'earl:testSubject': { url: string }; assertions?: { 'earl:test': { 'earl:impact': string; 'dct:title': string } }[] }[]
  }
  return report.assertions.flatMap((subject) =>
    (subject.assertions ?? []).map((assertion) => ({ impact: assertion['earl:test']['earl:impact'], rule: assertion['earl:test']['dct:title'], file: subject['earl:testSubject'].url }))
  )
}

/** Unpack an EPUB into `folder`; returns its content documents (the manifest's XHTML items) as paths under `folder`. */
export async function unpackEpub(file: string, folder: string): Promise<string[]> {
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

