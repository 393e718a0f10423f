// Temporaries a killed build leaves behind, and their removal by the next build: each is named after the process that made it.
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * The prefix of a temporary folder of this process in the system's temporary folder, for
 * `mkdtemp`: `handbook-<kind>-<pid>-`. A build killed with SIGKILL cannot remove its folders; the
 * process id in the name tells the next build whose they are.
 */
export function temporaryPrefix(kind: 'chromium' | 'print' | 'pdfx' | 'images'): string {
  return path.join(tmpdir(), `handbook-${kind}-${process.pid}-`)
}

/** Whether a process with this id runs (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** `<name>.tmp-<pid>-<n>` (write.ts), and a replaced folder's `.old` beside it. */
const outputTemporary = /\.tmp-(\d+)-\d+(?:\.old)?$/
const systemTemporary = /^handbook-(?:chromium|print|pdfx|images)-(\d+)-/

/**
 * Remove what builds that no longer run left behind: temporary files and folders in `outDir` (the
 * caller holds its lock, so no other build writes there) and this tool's folders in the system's
 * temporary folder (Chromium profiles, print folders). A process that still runs keeps its own.
 * Returns the paths removed.
 */
export function removeLeftovers(outDir: string): string[] {
  const removed: string[] = []
  const stale = (pid: string) => Number(pid) !== process.pid && !processAlive(Number(pid))
  const walk = (folder: string) => {
    let entries
    try {
      entries = readdirSync(folder, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name)
      const match = outputTemporary.exec(entry.name)
      if (match && stale(match[1]!)) {
        rmSync(full, { recursive: true, force: true })
        removed.push(full)
      } else if (entry.isDirectory()) walk(full)
    }
  }
  walk(outDir)
  let system: string[] = []
  try {
    system = readdirSync(tmpdir())
  } catch {
    // No temporary folder to read: nothing of ours there either.
  }
  for (const name of system) {
    const match = systemTemporary.exec(name)
    if (!match || !stale(match[1]!)) continue
    const full = path.join(tmpdir(), name)
    // A Chromium of a killed build ends when its pipe closes; one that did not is ended here.
    if (name.startsWith('handbook-chromium-')) killProcessesNaming(full)
    rmSync(full, { recursive: true, force: true })
    removed.push(full)
  }
  return removed
}

/** Kill every process whose command line names `folder` (Linux: read from /proc; elsewhere nothing is found). */
export function killProcessesNaming(folder: string): number[] {
  const killed: number[] = []
  let entries: string[] = []
  try {
    entries = readdirSync('/proc')
  } catch {
    return killed
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    let command = ''
    try {
      command = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
    } catch {
      continue
    }
    if (!command.includes(folder)) continue
    try {
      process.kill(Number(entry), 'SIGKILL')
      killed.push(Number(entry))
    } catch {
      // Gone already.
    }
  }
  return killed
}
