// The cover of an edition: its localized title, subtitle and publisher in the cover design, as HTML and as a PNG made by Chromium.
import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'puppeteer'
import { localize } from '../config/load.js'
import type { Config, LocaleConfig } from '../config/schema.js'
import { editionTitles } from '../model/titles.js'
import type { Book, Edition, PartnerEdition } from '../model/types.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'
import { browserTimeout, openPage, sharedBrowser, type PageProblem } from './chromium.js'
import { coverCss, coverMarkup } from './cover-design.js'
import { escapeHtml, renderPolicy } from './escape.js'
import { webFontFaceRules, webFonts } from './fonts.js'
import { partnerLogo } from './partner-logo.js'

/** What the cover says, in the edition's language. */
export interface CoverText {
  title: string
  subtitle: string | undefined
  publisher: string
  /** The language of the texts (BCP 47). */
  lang: string
  dir: 'ltr' | 'rtl'
  /** A partner edition's logo (a `data:` URL). */
  logo?: { src: string; alt: string }
}

/** The cover's size in CSS pixels; the PNG has exactly this many pixels. */
export interface CoverSize {
  width: number
  height: number
}

/** The EPUB cover: 1600 × 2400 pixels, the 2:3 shape reading systems and shops expect. */
export const epubCoverSize: CoverSize = { width: 1600, height: 2400 }

/** The cover texts of an edition, typeset for its language. */
export function coverText(book: Book, edition: Edition): CoverText {
  return coverTextOf(book.config, edition.locale, edition.partner)
}

/** The cover texts of the edition in `locale`, from the config alone (the build starts covers before the model exists). */
export function coverTextOf(config: Config, locale: LocaleConfig, partner?: PartnerEdition): CoverText {
  const tag = locale.tag
  return {
    ...editionTitles(config, tag),
    publisher: typeset(localize(config.book.publisher, tag, config['source-locale']), tag),
    lang: tag,
    dir: locale.dir,
    ...(partner?.logo ? { logo: partnerLogo({ partner }) } : {})
  }
}

/** The text alternative of the cover image: everything the cover says. */
export function coverDescription(text: CoverText): string {
  return [text.title, text.subtitle, text.logo?.alt, text.publisher].filter((part) => part !== undefined && part !== '').join('. ')
}


let inlineFonts: Promise<string> | undefined

/** The `@font-face` rules with every font as a `data:` URL, read once per process. */
function inlineFontRules(): Promise<string> {
  inlineFonts ??= (async () => {
    const urls = new Map<string, string>()
    for (const font of webFonts()) urls.set(font.source, `data:font/woff2;base64,${(await readFile(font.source)).toString('base64')}`)
    return webFontFaceRules((font) => urls.get(font.source)!)
  })()
  return inlineFonts
}

/**
 * The cover as a complete HTML document of `size` pixels, fonts embedded as `data:` URLs,
 * so it renders the same with no network and no installed fonts.
 */
export async function coverHtml(text: CoverText, size: CoverSize = epubCoverSize): Promise<string> {
  const css = `${await inlineFontRules()}
html { margin: 0; padding: 0; }
${coverCss('body', { width: size.width, height: size.height, unit: 'px' })}`
  return `<!DOCTYPE html>
<html lang="${escapeHtml(text.lang)}" dir="${escapeHtml(text.dir)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(renderPolicy(['data:']))}">
<title>${escapeHtml(text.title)}</title>
<style>
${css}
</style>
</head>
<body>
${coverMarkup(text)}
</body>
</html>
`
}

/** Covers started by `renderCoversAhead`, by their text; each is taken once (a retry renders anew). */
const ahead = new Map<string, Promise<Buffer>>()

/** Start rendering these covers in the build's browser, one after the other, while the build goes on. */
export function renderCoversAhead(texts: readonly CoverText[]): void {
  for (const text of texts) {
    const key = JSON.stringify(text)
    if (ahead.has(key)) continue
    const png = sharedBrowser().then(({ browser }) => renderCoverPng(browser, text))
    // Taken by the edition's render; one that never comes (its edition failed first) is no error.
    png.catch(() => undefined)
    ahead.set(key, png)
  }
}

/** The cover PNG of `text` in the build's browser: the one started ahead if there is one, else a new one. */
export function coverPng(text: CoverText): Promise<Buffer> {
  const key = JSON.stringify(text)
  const started = ahead.get(key)
  ahead.delete(key)
  return started ?? sharedBrowser().then(({ browser }) => renderCoverPng(browser, text))
}

/** Covers render one after the other (see `renderCoverPng`). */
let coverQueue: Promise<unknown> = Promise.resolve()
/** The page covers are drawn in, kept open for the next cover in the same browser. */
let coverPage: { browser: Browser; page: Page; problems: PageProblem[] } | undefined

/**
 * Render the cover to a PNG of exactly `size` pixels in `browser`. The page may load nothing
 * but its own `data:` URLs; any problem Chromium reports makes this fail.
 *
 * One cover at a time, in one page: two pages taking screenshots at once in one headless Chromium
 * wait for each other's frames, and both then take about 4.3 s instead of 0.4 s; reusing the page
 * saves a third of the time of six covers (both measured, Chromium 156).
 */
function renderCoverPng(browser: Browser, text: CoverText, size: CoverSize = epubCoverSize): Promise<Buffer> {
  const result = coverQueue.then(() => withinTimeout(screenshotCover(browser, text, size)))
  coverQueue = result.catch(() => undefined)
  return result
}

/**
 * A cover takes about half a second: one that takes 30 s (or the browser timeout, if shorter) hangs.
 * Its page is given up, and the error (a timeout) makes the build retry with a fresh browser.
 */
function withinTimeout(work: Promise<Buffer>): Promise<Buffer> {
  const limit = Math.min(30_000, browserTimeout())
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const hung = coverPage
      coverPage = undefined
      void hung?.page.close().catch(() => undefined)
      reject(new Error(`Cannot render the cover: timed out after ${limit / 1000} s`))
    }, limit)
  })
  return Promise.race([work, expired]).finally(() => clearTimeout(timer))
}

async function screenshotCover(browser: Browser, text: CoverText, size: CoverSize): Promise<Buffer> {
  if (coverPage?.browser !== browser || coverPage.page.isClosed()) {
    const problems: PageProblem[] = []
    coverPage = { browser, page: await openPage(browser, { allow: () => false, onProblem: (problem) => problems.push(problem) }), problems }
  }
  const { page, problems } = coverPage
  problems.length = 0
  try {
    await page.setViewport({ width: size.width, height: size.height, deviceScaleFactor: 1 })
    await page.setContent(await coverHtml(text, size), { waitUntil: 'load' })
    // Faces outside the text's unicode-range stay unloaded; a face that failed to load is an error.
    const failed = (await page.evaluate(
      'document.fonts.ready.then(() => Array.from(document.fonts).filter((face) => face.status === "error").map((face) => face.family))'
    )) as string[]
    if (failed.length > 0) problems.push({ kind: 'page-error', text: `Cannot load the font ${failed.join(', ')}` })
    if (problems.length > 0) throw new Error(`Cannot render the cover: ${problems.map((problem) => problem.text).join('; ')}`)
    const png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: size.width, height: size.height } })
    return Buffer.from(png)
  } catch (error) {
    // A page that failed is not trusted with the next cover.
    coverPage = undefined
    await page.close().catch(() => undefined)
    throw error
  }
}
