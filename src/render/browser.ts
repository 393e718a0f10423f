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

/**
 * The headless shell first (Debian's `chromium-headless-shell`): the same Blink prints the same
 * bytes, but without the full browser it starts and prints a first page in 0.70 s instead of 1.73 s
 * (median of 5 on this 2-core machine), and a Latvian PDF build takes 6.6 s instead of 9.0 s.
 * Its binary, not Debian's /usr/bin script: the script starts it as a child instead of replacing
 * itself, so killing the browser's process (a hung browser, the fault tests) would end only the script.
 */
const systemPaths = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']

/** Whether `executable` is a headless shell (Debian's `chromium-headless-shell`, Chrome for Testing's `chrome-headless-shell`), which runs in its own headless mode. */
export function isHeadlessShell(executable: string): boolean {
  return /(chromium|chrome)-headless-shell$/.test(executable)
}

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
