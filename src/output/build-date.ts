// The only clock that reaches an output file: SOURCE_DATE_EPOCH, else the last commit, else the newest source file.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

/** Where the build date came from, as `build --json` reports it. */
export type BuildDateSource = 'SOURCE_DATE_EPOCH' | 'git' | 'newest-source-file'

let cached: { key: string; date: Date; source: BuildDateSource } | undefined
const heads = new Map<string, { hash: string; seconds: number } | undefined>()

/**
 * The commit `cwd` is at and its commit time, from one `git log` per folder and process (undefined
 * outside git or before the first commit). One call, not one for the date and one for the hash: in
 * CPU profiles of a one-locale build the two calls kept it waiting 160 to 180 ms, the one about 20 ms.
 */
export function headCommit(cwd: string): { hash: string; seconds: number } | undefined {
  if (heads.has(cwd)) return heads.get(cwd)
  const git = spawnSync('git', ['-c', 'log.showSignature=false', 'log', '-1', '--format=%H %ct'], { cwd, encoding: 'utf8' })
  const [hash, seconds] = git.status === 0 ? git.stdout.trim().split(' ') : []
  const head = hash && /^[0-9a-f]{40,64}$/.test(hash) && Number(seconds) > 0 ? { hash, seconds: Number(seconds) } : undefined
  heads.set(cwd, head)
  return head
}

/**
 * The modification time of the newest file in the handbook folder (hidden files and folders
 * aside): outside git, the date of the sources themselves, not a date written into the tool.
 */
function newestFile(folder: string): Date {
  let newest = 0
  const walk = (current: string, depth: number) => {
    if (depth > 16) return
    let entries: import('node:fs').Dirent[]
    try {
      entries = readdirSync(current, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const full = path.join(current, entry.name)
      if (entry.isDirectory()) walk(full, depth + 1)
      else if (entry.isFile()) newest = Math.max(newest, Math.floor(statSync(full).mtimeMs / 1000) * 1000)
    }
  }
  walk(folder, 0)
  return new Date(newest)
}

/**
 * The build date of the outputs. `cwd` is where to ask git (the handbook folder).
 * Reproducible builds set SOURCE_DATE_EPOCH (seconds since 1970).
 */
export function buildDate(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): Date {
  return buildDateWithSource(cwd, env).date
}

/** The build date and where it came from: SOURCE_DATE_EPOCH, the last commit, or the newest file of `cwd`. */
export function buildDateWithSource(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): { date: Date; source: BuildDateSource } {
  const epoch = env.SOURCE_DATE_EPOCH
  const key = `${epoch ?? ''}|${cwd}`
  if (cached?.key === key) return cached
  let result: { date: Date; source: BuildDateSource } | undefined
  if (epoch !== undefined) {
    const problem = epochProblem(epoch)
    if (problem) throw new Error(problem)
    result = { date: new Date(Number(epoch.trim()) * 1000), source: 'SOURCE_DATE_EPOCH' }
  } else {
    const head = headCommit(cwd)
    if (head) result = { date: new Date(head.seconds * 1000), source: 'git' }
  }
  result ??= { date: newestFile(cwd), source: 'newest-source-file' }
  cached = { key, ...result }
  return result
}

/** Why `value` is not a usable SOURCE_DATE_EPOCH (whole seconds since 1970, at most year 9999), if it is not. */
export function epochProblem(value: string): string | undefined {
  const seconds = Number(value.trim())
  if (/^\d+$/.test(value.trim()) && Number.isSafeInteger(seconds) && seconds <= 253_402_300_799) return undefined
  return `Invalid SOURCE_DATE_EPOCH \`${value.length > 40 ? value.slice(0, 37) + '...' : value}\`: set it to whole seconds since 1970 (for example \`git log -1 --format=%ct\`) or unset it`
}
