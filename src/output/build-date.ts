// The only clock that reaches an output file: SOURCE_DATE_EPOCH, else the last commit, else a fixed date.
import { spawnSync } from 'node:child_process'

/** Used when neither SOURCE_DATE_EPOCH nor git history is available: the partnership's last day. */
const fallback = new Date('2014-07-31T00:00:00Z')

let cached: { key: string; date: Date } | undefined

/**
 * The build date of the outputs. `cwd` is where to ask git (the handbook folder).
 * Reproducible builds set SOURCE_DATE_EPOCH (seconds since 1970).
 */
export function buildDate(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH
  const key = `${epoch ?? ''}|${cwd}`
  if (cached?.key === key) return cached.date
  let date = fallback
  if (epoch !== undefined) {
    const problem = epochProblem(epoch)
    if (problem) throw new Error(problem)
    date = new Date(Number(epoch.trim()) * 1000)
  } else {
    const git = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd, encoding: 'utf8' })
    const seconds = git.status === 0 ? Number(git.stdout.trim()) : Number.NaN
    if (Number.isFinite(seconds) && seconds > 0) date = new Date(seconds * 1000)
  }
  cached = { key, date }
  return date
}

/** Why `value` is not a usable SOURCE_DATE_EPOCH (whole seconds since 1970, at most year 9999), if it is not. */
export function epochProblem(value: string): string | undefined {
  const seconds = Number(value.trim())
  if (/^\d+$/.test(value.trim()) && Number.isSafeInteger(seconds) && seconds <= 253_402_300_799) return undefined
  return `Invalid SOURCE_DATE_EPOCH \`${value.length > 40 ? value.slice(0, 37) + '...' : value}\`: set it to whole seconds since 1970 (for example \`git log -1 --format=%ct\`) or unset it`
}
