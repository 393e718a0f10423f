// One build at a time per output folder: a lock file naming the process that writes there.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** The lock's name inside the output folder. */
export const lockFileName = '.handbook-lock'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Take the lock of `outDir` for this process until it exits. Two builds writing one folder would
 * mix their editions and leave a manifest that matches neither; the second one is refused with the
 * first one's process id. A lock left by a process that no longer runs (killed) is taken over.
 * Returns the reason it cannot be taken, if so.
 */
export function lockOutput(outDir: string): string | undefined {
  const file = path.join(outDir, lockFileName)
  mkdirSync(outDir, { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
      process.once('exit', () => {
        // Only our own lock: a later build may have taken over a stale one.
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true })
        } catch {
          // Removed already (`handbook clean`): nothing to release.
        }
      })
      return undefined
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = Number(readFileSync(file, 'utf8').trim())
    if (holder === process.pid) return undefined
    if (Number.isSafeInteger(holder) && holder > 0 && alive(holder)) {
      return `Cannot build into \`${outDir}\`: another build (process ${holder}) is writing there; wait for it to finish or pass another --out`
    }
    // Stale: its process is gone.
    rmSync(file, { force: true })
  }
  return `Cannot take the lock \`${file}\`: remove it if no build is running`
}
