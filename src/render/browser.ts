// Finding the Chromium or Chrome executable that prints PDFs and renders covers.
import { accessSync, constants } from 'node:fs'

export interface FoundBrowser {
  path: string
  /** How it was found, for `handbook doctor`. */
  source: string
}

export interface BrowserSearch {
  found: FoundBrowser | undefined
  /** Why an explicitly requested browser was not used. */
  problem?: string
}

const systemPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Resolve the browser in this order: `HANDBOOK_BROWSER`, `PUPPETEER_EXECUTABLE_PATH`, the system
 * Chromium or Chrome. An explicit path that is not executable is a problem, not a reason to guess.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): BrowserSearch {
  for (const name of ['HANDBOOK_BROWSER', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const value = env[name]
    if (!value) continue
    if (isExecutable(value)) return { found: { path: value, source: `$${name}` } }
    return { found: undefined, problem: `$${name} is set to \`${value}\`, which is not an executable file` }
  }
  for (const candidate of systemPaths) {
    if (isExecutable(candidate)) return { found: { path: candidate, source: 'system installation' } }
  }
  return { found: undefined }
}
