// Content hashes of the files a build's cache key covers, without ever reading a file whole that is too large to read.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { lstat, realpath, stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * The SHA-256 of a file's content, streamed (a 2 GiB file neither crashes with ERR_FS_FILE_TOO_LARGE
 * nor fills the memory). A missing or unreadable file hashes as such; a file that is not a regular
 * file (a folder, a FIFO, a device) is never opened.
 */
export async function hashFile(file: string): Promise<string> {
  const info = await stat(file).catch(() => undefined)
  if (!info) return 'missing'
  if (!info.isFile()) return 'not-a-file'
  const hash = createHash('sha256')
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  } catch (error) {
    return `unreadable:${(error as NodeJS.ErrnoException).code ?? ''}`
  }
  return hash.digest('hex')
}

/**
 * Where `file` really is when that is inside `root` (resolved through every symbolic link), else
 * `undefined`: a build reads nothing outside the handbook, and its cache key neither.
 */
export async function realInside(root: string, file: string): Promise<string | undefined> {
  if (!(await lstat(file).catch(() => undefined))) return undefined
  const real = await realpath(file).catch(() => undefined)
  if (!real) return undefined
  const relative = path.relative(await realpath(root), real)
  return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : real
}
