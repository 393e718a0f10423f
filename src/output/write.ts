// Writing results: every file lands under a temporary name first, so output/ never holds half a file.
import { createHash } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** A file a renderer produced, not yet written. */
export interface OutputFile {
  /** Path relative to the output folder, with `/`. */
  path: string
  data: Buffer | string
}

/** A file that was written, as listed by `build --json`. */
export interface Artifact {
  locale: string | null
  format: string
  path: string
  bytes: number
  sha256: string
}

let counter = 0
/** `<target>.tmp-<pid>-<n>`: the process id tells the next build whether its maker still runs (leftovers.ts). */
export function temporaryName(target: string): string {
  return `${target}.tmp-${process.pid}-${++counter}`
}

/** Write `data` to `target` through a temporary file and a rename. */
export async function writeFileAtomic(target: string, data: Buffer | string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true })
  const temporary = temporaryName(target)
  try {
    await writeFile(temporary, data)
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/**
 * Replace the folder `directory` with exactly `files`: they are written to a sibling folder,
 * which then takes the old one's place, so readers see the old set or the new one, never a mix.
 */
export async function replaceDirectory(directory: string, files: readonly OutputFile[], base: string): Promise<void> {
  const staging = temporaryName(directory)
  const old = `${staging}.old`
  const prefix = path.relative(base, directory).split(path.sep).join('/') + '/'
  try {
    for (const file of files) {
      if (!file.path.startsWith(prefix)) throw new Error(`Output file ${file.path} is outside ${prefix}`)
      const target = path.join(staging, file.path.slice(prefix.length))
      await mkdir(path.dirname(target), { recursive: true })
      await writeFile(target, file.data)
    }
    await mkdir(path.dirname(directory), { recursive: true })
    await rename(directory, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
    await rename(staging, directory)
  } finally {
    await rm(staging, { recursive: true, force: true })
    await rm(old, { recursive: true, force: true })
  }
}

/** The artifact record of a file. */
export function describe(file: OutputFile, locale: string | null, format: string): Artifact {
  const data = typeof file.data === 'string' ? Buffer.from(file.data) : file.data
  return { locale, format, path: file.path, bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') }
}
