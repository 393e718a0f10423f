// One build at a time per output folder: a lock file naming the process that writes there.
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { processAlive } from './leftovers.js'

/** The lock's name inside the output folder. */
export const lockFileName = '.handbook-lock'

/**
 * Take the lock of `outDir` for this process until it exits. Two builds writing one folder would
 * mix their editions and leave a manifest that matches neither; the second one is refused with the
 * first one's process id. A lock left by a process that no longer runs (killed) is taken over.
 * Returns the reason it cannot be taken, if so.
 */
export function lockOutput(outDir: string): string | undefined {
  const file = path.join(outDir, lockFileName)
  mkdirSync(outDir, { recursive: true })
  // The lock is made whole under a name of our own and then linked into place: a build that reads
  // it never sees it empty (an empty lock would look stale and be taken over). The names end like
  // every temporary (`.tmp-<pid>-<n>`), so a killed build's are removed by the next one.
  const mine = `${file}.tmp-${process.pid}-0`
  const aside = `${file}.tmp-${process.pid}-1`
  writeFileSync(mine, `${process.pid}\n`)
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        place(mine, file)
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
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        continue // Released meanwhile: try again.
      }
      const holder = Number(text.trim())
      if (holder === process.pid) return undefined
      if (processAlive(holder)) {
        return `Cannot build into \`${outDir}\`: another build (process ${holder}) is writing there; wait for it to finish or pass another --out`
      }
      // Stale: its process is gone. Move it aside, then make sure what moved is that stale lock
      // and not one another build took over in between (which goes back in place).
      try {
        renameSync(file, aside)
      } catch {
        continue
      }
      if (readFileSync(aside, 'utf8') !== text) {
        try {
          linkSync(aside, file)
        } catch {
          // A third build holds the lock now; its own refusal logic applies to us on the next attempt.
        }
      }
      rmSync(aside, { force: true })
    }
  } finally {
    rmSync(mine, { force: true })
  }
  return `Cannot take the lock \`${file}\`: remove it if no build is running`
}

/** Create `target` as a hard link to the finished `source` (EEXIST when it exists); without hard links, an exclusive create. */
function place(source: string, target: string): void {
  try {
    linkSync(source, target)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw error
    // File systems without hard links: an exclusive create (briefly empty, but still exclusive).
    writeFileSync(target, readFileSync(source), { flag: 'wx' })
  }
}
