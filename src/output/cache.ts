// The build cache: an edition is rendered again only when something it is made from has changed.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config, Format } from '../config/schema.js'
import type { JsonMessage } from '../report/report.js'
import { toolRoot } from '../tool-root.js'
import { hashFile, realInside } from './file-hash.js'
import { writeFileAtomic, type Artifact } from './write.js'

/** Where the cache index lives, inside the output folder. */
export const cacheFileName = '.handbook-cache.json'

export interface CacheEntry {
  key: string
  artifacts: Artifact[]
  /** The messages of the edition's files when it was rendered, shown again when it is reused. */
  messages: JsonMessage[]
  /**
   * Files the edition read besides those its key covers (its images, wherever they are in the
   * handbook), relative to the handbook, with their SHA-256: the entry holds while they are unchanged.
   */
  inputs?: { path: string; sha256: string }[]
}

export interface CacheIndex {
  version: 1
  editions: Record<string, CacheEntry>
}

/** The cache slot of one edition. */
export function slot(locale: string, format: Format): string {
  return `${format}/${locale}`
}


async function filesUnder(directory: string): Promise<string[]> {
  if (!existsSync(directory)) return []
  const entries = await readdir(directory, { withFileTypes: true, recursive: true })
  return entries
    // Symbolic links too: a linked chapter is read through the link (when it stays inside the handbook).
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name))
    .sort()
}

let toolHash: Promise<string> | undefined

/** A hash of the tool itself: its compiled code, stylesheets and the versions of what it depends on. */
export function hashTool(): Promise<string> {
  toolHash ??= (async () => {
    const files = [
      // Compiled and bundled: bin/handbook runs whichever is newer.
      ...(await filesUnder(path.join(toolRoot, 'dist', 'src'))).filter((file) => file.endsWith('.js')),
      ...(await filesUnder(path.join(toolRoot, 'dist', 'bundle'))).filter((file) => file.endsWith('.js')),
      ...(await filesUnder(path.join(toolRoot, 'styles'))),
      // The HTML edition's browser scripts ship as plain JS from the source tree, not from dist/.
      ...(await filesUnder(path.join(toolRoot, 'src', 'render', 'html', 'client'))),
      path.join(toolRoot, 'package-lock.json')
    ]
    // Hashing the 5 MB of compiled code costs every build and check about 70 ms; looking at the files, 3 ms.
    return hashFiles(toolRoot, files, path.join(toolRoot, 'dist', '.tool-hash.json'))
  })()
  return toolHash
}

/**
 * The SHA-256 of `files` (paths relative to `root`, and contents; missing files skipped), kept in
 * `memo` with the files' sizes, times and inodes, and taken from there while none of those changed:
 * a file added, removed, rewritten or touched makes it compute the hash again.
 */
export async function hashFiles(root: string, files: readonly string[], memo: string): Promise<string> {
  const present = files.filter((file) => existsSync(file))
  const signature = createHash('sha256')
  for (const file of present) {
    const info = statSync(file)
    signature.update(`${path.relative(root, file)}\0${info.size}\0${info.mtimeMs}\0${info.ino}\n`)
  }
  const seen = signature.digest('hex')
  try {
    const kept = JSON.parse(readFileSync(memo, 'utf8')) as { signature?: unknown; hash?: unknown }
    if (kept.signature === seen && typeof kept.hash === 'string') return kept.hash
  } catch {
    // None yet, or unreadable: computed below.
  }
  const hash = createHash('sha256')
  for (const file of present) hash.update(path.relative(root, file)).update('\0').update(await readFile(file)).update('\0')
  const digest = hash.digest('hex')
  try {
    await writeFileAtomic(memo, JSON.stringify({ signature: seen, hash: digest }) + '\n')
  } catch {
    // A folder this user cannot write to: the hash is computed every time.
  }
  return digest
}

export interface KeyInputs {
  root: string
  config: Config
  locale: string
  format: Format
  /** Everything else that changes the output: build date, print-ready, edition overlay. */
  settings: Record<string, string | number | boolean | undefined>
}

/**
 * The content address of one edition: the tool, the config, the chapters it shows (translations,
 * or the source where one is missing), the interface strings, every asset, and the settings.
 * Read from the files, without parsing them, so a build with nothing to do stays fast.
 */
export async function editionKey(inputs: KeyInputs): Promise<string> {
  const { root, config, locale, format } = inputs
  const source = config['source-locale']
  const hash = createHash('sha256')
  const add = async (file: string) => {
    hash.update(path.relative(root, file)).update('\0')
    // Through symbolic links, but never out of the handbook: a link out hashes as such, unread.
    const real = await realInside(root, file)
    hash.update(real ? `${path.relative(root, real)}\0${await hashFile(real)}` : existsSync(file) ? '\u0000outside' : '\u0000missing').update('\0')
  }
  hash.update(await hashTool()).update(format).update(locale).update(JSON.stringify(inputs.settings))
  await add(path.join(root, 'handbook.yaml'))
  for (const tag of new Set([source, locale])) await add(path.join(root, 'strings', `${tag}.yaml`))
  // The translation record decides the notices (stale or not) and the translation report.
  if (locale !== source) await add(path.join(root, 'translations', `${locale}.json`))
  for (const file of [...(await filesUnder(path.join(root, source))), ...(locale === source ? [] : await filesUnder(path.join(root, locale)))]) await add(file)
  for (const file of await filesUnder(path.join(root, 'terms'))) await add(file)
  // Images are not in the key: only those an edition uses count, recorded on its entry (`inputs`).
  return hash.digest('hex')
}

/** The files an edition read that its key does not cover: the images of its chapters, by their path in the handbook. */
export async function editionInputs(root: string, refs: Iterable<string>): Promise<{ path: string; sha256: string }[]> {
  const inputs: { path: string; sha256: string }[] = []
  for (const ref of [...new Set(refs)].sort()) {
    const real = await realInside(root, path.join(root, ref))
    inputs.push({ path: ref, sha256: real ? await hashFile(real) : 'missing' })
  }
  return inputs
}

/** Whether the files an entry recorded as read are all unchanged. */
export async function inputsUnchanged(root: string, entry: CacheEntry): Promise<boolean> {
  for (const input of entry.inputs ?? []) {
    const real = await realInside(root, path.join(root, input.path))
    if ((real ? await hashFile(real) : 'missing') !== input.sha256) return false
  }
  return true
}

/** The cache index, or an empty one; `problem` says why a file that exists was not used. */
export async function readCache(outDir: string): Promise<{ index: CacheIndex; problem?: string }> {
  const empty: CacheIndex = { version: 1, editions: {} }
  let text: string
  try {
    text = await readFile(path.join(outDir, cacheFileName), 'utf8')
  } catch {
    // No cache yet: build everything.
    return { index: empty }
  }
  try {
    const index = JSON.parse(text) as unknown
    const problem = cacheShapeProblem(index)
    return problem ? { index: empty, problem } : { index: index as CacheIndex }
  } catch (error) {
    return { index: empty, problem: `it is not JSON (${(error as Error).message})` }
  }
}

/** What is wrong with the shape of a parsed cache index, if anything. */
function cacheShapeProblem(value: unknown): string | undefined {
  const isObject = (item: unknown): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item)
  if (!isObject(value) || value.version !== 1) return 'it is not a version 1 cache index'
  if (!isObject(value.editions)) return '`editions` is not an object'
  for (const [name, entry] of Object.entries(value.editions)) {
    if (!isObject(entry) || typeof entry.key !== 'string') return `the entry \`${name}\` has no key`
    if (!Array.isArray(entry.artifacts) || !entry.artifacts.every((artifact) => isObject(artifact) && typeof artifact.path === 'string' && typeof artifact.sha256 === 'string' && typeof artifact.bytes === 'number')) {
      return `the entry \`${name}\` has no valid \`artifacts\` list`
    }
    // An edition entry lists at least its own file: an empty list would call a deleted edition cached.
    if (!name.endsWith('/shared') && entry.artifacts.length === 0) return `the entry \`${name}\` lists no files`
    if (entry.artifacts.some((artifact) => !safeRelative(artifact.path as string))) return `the entry \`${name}\` lists a path outside the output folder`
    if (!Array.isArray(entry.messages)) return `the entry \`${name}\` has no \`messages\` list`
    if (entry.inputs !== undefined && !(Array.isArray(entry.inputs) && entry.inputs.every((input) => isObject(input) && typeof input.path === 'string' && typeof input.sha256 === 'string'))) {
      return `the entry \`${name}\` has an invalid \`inputs\` list`
    }
  }
  return undefined
}

/** A path relative to a folder that stays inside it: no `..`, not absolute, no control characters. */
export function safeRelative(value: string): boolean {
  if (value === '' || path.isAbsolute(value) || /[\u0000-\u001f\u007f\\]/.test(value)) return false
  return value.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
}

export async function writeCache(outDir: string, index: CacheIndex): Promise<void> {
  const sorted: CacheIndex = { version: 1, editions: Object.fromEntries(Object.entries(index.editions).sort(([a], [b]) => (a < b ? -1 : 1))) }
  await writeFileAtomic(path.join(outDir, cacheFileName), JSON.stringify(sorted, null, 2) + '\n')
}

/** Whether the files an entry lists are still in the output folder, unchanged. */
export async function stillThere(outDir: string, entry: CacheEntry): Promise<boolean> {
  for (const artifact of entry.artifacts) {
    const file = path.join(outDir, artifact.path)
    try {
      const data = await readFile(file)
      if (data.byteLength !== artifact.bytes || createHash('sha256').update(data).digest('hex') !== artifact.sha256) return false
    } catch {
      return false
    }
  }
  return true
}
