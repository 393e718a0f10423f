// Watching the handbook and the stylesheets: changed paths, gathered over a few milliseconds, one rebuild at a time.
import path from 'node:path'
import { watch as chokidarWatch } from 'chokidar'

export interface Watcher {
  /** Resolves once every folder is being watched: changes from then on are seen. */
  ready: Promise<void>
  close(): Promise<void>
}

/**
 * Call `rebuild` with the absolute paths changed under `folders`. Editors save in several steps
 * (write, rename, chmod): events within `settle` ms form one batch. Batches never overlap: changes
 * arriving during a rebuild form the next one.
 *
 * chokidar watches each folder (not each inode), so a save that renames a temporary file over the
 * chapter (vim, Emacs, gedit, JetBrains "safe write") keeps being seen: Node's recursive `fs.watch`
 * on Linux follows the replaced inode and goes silent after the first such save. New and deleted
 * files and folders are reported too, so an image added after its chapter asked for it is seen.
 */
export function watchFolders(folders: readonly string[], rebuild: (files: string[]) => Promise<void>, settle = 15): Watcher {
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let closed = false

  const flush = () => {
    timer = undefined
    if (closed || running || pending.size === 0) return
    const batch = [...pending]
    pending = new Set()
    running = rebuild(batch).finally(() => {
      running = undefined
      if (pending.size > 0) timer ??= setTimeout(flush, settle)
    })
  }

  const watcher = chokidarWatch([...folders], {
    ignoreInitial: true,
    // Editor swap files and backups change on every keystroke in some editors: not worth an event.
    ignored: (file) => /(^|[/\\])(\.[^/\\]*\.sw[a-p]|[^/\\]*~|\.#[^/\\]*|4913)$/.test(file) || /[/\\]node_modules([/\\]|$)/.test(file)
  })
  watcher.on('all', (_event, file) => {
    pending.add(path.resolve(file))
    if (!running) {
      if (timer) clearTimeout(timer)
      timer = setTimeout(flush, settle)
    }
  })
  // A folder that cannot be watched (gone, no permission) must not end the preview.
  watcher.on('error', (error) => process.stderr.write(`handbook serve: watching: ${(error as Error).message}\n`))
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    ready,
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      await watcher.close()
    }
  }
}
