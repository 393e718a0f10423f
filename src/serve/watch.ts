// Watching the handbook and the stylesheets: changed paths, gathered over a few milliseconds, one rebuild at a time.
import { watch, type FSWatcher } from 'node:fs'
import path from 'node:path'

export interface Watcher {
  close(): void
}

/**
 * Call `rebuild` with the absolute paths changed under `folders`. Editors save in several steps
 * (write, rename, chmod): events within `settle` ms form one batch. Batches never overlap: changes
 * arriving during a rebuild form the next one.
 */
export function watchFolders(folders: readonly string[], rebuild: (files: string[]) => Promise<void>, settle = 15): Watcher {
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined

  const flush = () => {
    timer = undefined
    if (running || pending.size === 0) return
    const batch = [...pending]
    pending = new Set()
    running = rebuild(batch).finally(() => {
      running = undefined
      if (pending.size > 0) timer ??= setTimeout(flush, settle)
    })
  }

  const watchers: FSWatcher[] = folders.map((folder) =>
    watch(folder, { recursive: true }, (_event, name) => {
      if (!name) return
      pending.add(path.join(folder, name.toString()))
      if (!running) {
        if (timer) clearTimeout(timer)
        timer = setTimeout(flush, settle)
      }
    })
  )
  return {
    close() {
      if (timer) clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
    }
  }
}
