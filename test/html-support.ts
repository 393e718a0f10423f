// Shared by the HTML edition's tests: building a site into a temporary folder, walking it, a browser on file:// pages.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'puppeteer'
import { launchBrowser, openPage, type BuildBrowser, type PageProblem } from '../src/render/chromium.js'
import { runCli, temporaryFolder } from './helpers.js'

/** Build the HTML edition of the handbook at `root` into a new temporary folder; returns its `html/` folder. */
export function buildSite(root: string, extra: readonly string[] = []): string {
  const out = temporaryFolder('handbook-html-')
  const result = runCli(['build', '--root', root, '--format', 'html', '--out', out, '--quiet', ...extra])
  assert.equal(result.code, 0, result.stderr)
  return path.join(out, 'html')
}

/** Every file under `directory`, as absolute paths, sorted. */
export function walk(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? walk(path.join(directory, entry.name)) : [path.join(directory, entry.name)]))
    .sort()
}

/** The HTML pages of a site folder. */
export function pagesOf(site: string): string[] {
  return walk(site).filter((file) => file.endsWith('.html'))
}

/** The `file://` URL of a page of the site. */
export function fileUrl(site: string, page: string): string {
  return pathToFileURL(path.join(site, page)).href
}

/** A browser whose pages may load `file:` URLs (and `http://127.0.0.1` for the preview) and nothing else. */
export interface TestBrowser {
  /** A page that records every problem it reports in `problems`. */
  open(): Promise<{ page: Page; problems: PageProblem[] }>
  close(): Promise<void>
}

export async function startBrowser(): Promise<TestBrowser> {
  const browser: BuildBrowser = await launchBrowser()
  return {
    async open() {
      const problems: PageProblem[] = []
      const page = await openPage(browser.browser, {
        allow: (url) => url.startsWith('file:') || url.startsWith('http://127.0.0.1:'),
        onProblem: (problem) => problems.push(problem),
        // The site's own client scripts are under test here.
        scripts: true
      })
      return { page, problems }
    },
    close: () => browser.close()
  }
}
