// `handbook doctor`: is everything the editions need installed? Each missing piece comes with its fix.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { findBrowser } from '../render/browser.js'
import { printJson } from '../report/report.js'

export interface Check {
  name: string
  ok: boolean
  detail: string
  /** The command or step that fixes a failed check. */
  fix?: string
}

export const epubcheckJar = '/usr/share/java/epubcheck.jar'

function isDebianRoot(): boolean {
  return existsSync('/etc/debian_version') && process.getuid?.() === 0
}

function aptFix(packages: string): string {
  return isDebianRoot() ? `apt-get install -y ${packages}` : `install ${packages} with your system's package manager (on Debian/Ubuntu: sudo apt-get install -y ${packages})`
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 15000 })
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() }
}

/** Every check, in the order they are printed. */
export function runChecks(env: NodeJS.ProcessEnv = process.env, languages: readonly string[] = defaultLanguages): Check[] {
  const checks: Check[] = []
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  const nodeOk = major > 20 || (major === 20 && minor >= 10)
  checks.push({ name: 'node', ok: nodeOk, detail: `Node ${process.versions.node}`, fix: nodeOk ? undefined : 'install Node 20.10 or newer' })

  const browser = findBrowser(env)
  if (browser.found) {
    const version = run(browser.found.path, ['--version'])
    checks.push({ name: 'browser', ok: true, detail: `${version.output.split('\n')[0] || browser.found.path} at ${browser.found.path} (found via ${browser.found.source})` })
  } else {
    checks.push({
      name: 'browser',
      ok: false,
      detail: browser.problem ?? 'no Chromium or Chrome found',
      fix: browser.problem ? 'point HANDBOOK_BROWSER at a Chromium or Chrome executable, or unset it' : `${aptFix('chromium')}, or set HANDBOOK_BROWSER=/path/to/chrome`
    })
  }

  const java = run('java', ['-version'])
  const javaLine = java.output.split('\n')[0] ?? ''
  checks.push({ name: 'java', ok: java.ok, detail: java.ok ? javaLine : 'java not found', fix: java.ok ? undefined : aptFix('default-jre-headless') })

  const hasEpubcheck = existsSync(epubcheckJar)
  checks.push({
    name: 'epubcheck',
    ok: hasEpubcheck,
    detail: hasEpubcheck ? epubcheckJar : `${epubcheckJar} not found`,
    fix: hasEpubcheck ? undefined : aptFix('epubcheck')
  })

  const uncovered = languages.filter((language) => {
    const fonts = run('fc-list', [`:lang=${language}`, 'family'])
    return !fonts.ok || fonts.output === ''
  })
  checks.push({
    name: 'fonts',
    ok: uncovered.length === 0,
    detail: uncovered.length === 0 ? `system fonts cover ${languages.join(', ')}` : `no font covers ${uncovered.join(', ')} (or fontconfig is missing)`,
    fix: uncovered.length === 0 ? undefined : aptFix('fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk')
  })
  return checks
}

/** Print the checks; returns 1 when any failed. */
export function runDoctor(options: { json: boolean; root?: string }): number {
  const checks = runChecks(process.env, bookLanguages(options.root))
  const ok = checks.every((check) => check.ok)
  if (options.json) printJson({ command: 'doctor', ok, checks })
  else {
    for (const check of checks) {
      process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name.padEnd(9)} ${check.detail}\n`)
      if (check.fix) process.stdout.write(`      fix: ${check.fix}\n`)
    }
  }
  return ok ? 0 : 1
}

/** The languages of the bundled handbook, checked when no book is found. */
const defaultLanguages = ['en', 'lv', 'de', 'da', 'hu', 'it']

/**
 * The locale tags of the book in `root` (its handbook.yaml), whose fonts `doctor` checks; the
 * bundled handbook's when there is no readable config there. Only the primary subtag counts for
 * fontconfig (`pt-BR` is `pt`).
 */
function bookLanguages(root: string | undefined): readonly string[] {
  if (root === undefined) return defaultLanguages
  try {
    const config = parseYaml(readFileSync(path.join(root, 'handbook.yaml'), 'utf8')) as { locales?: { tag?: unknown }[] }
    const tags = (config.locales ?? []).map((locale) => String(locale.tag ?? '').split('-')[0]!.toLowerCase()).filter((tag) => /^[a-z]{2,3}$/.test(tag))
    return tags.length > 0 ? [...new Set(tags)] : defaultLanguages
  } catch {
    return defaultLanguages
  }
}
