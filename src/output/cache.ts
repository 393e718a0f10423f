// The build cache: an edition is rendered again only when something it is made from has changed.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Config, Format } from '../config/schema.js'
import type { JsonMessage } from '../report/report.js'
import { writeFileAtomic, type Artifact } from './write.js'

/** Where the cache index lives, inside the output folder. */
export const cacheFileName = '.handbook-cache.json'

export interface CacheEntry {
  key: string
  artifacts: Artifact[]
  /** The messages of the edition's files when it was rendered, shown again when it is reused. */
  messages: JsonMessage[]
}

export interface CacheIndex {
  version: 1
  editions: Record<string, CacheEntry>
}

/** The cache slot of one edition. */
export function slot(locale: string, format: Format): string {
  return `${format}/${locale}`
}

const toolRoot = fileURLToPath(new URL('../../../', import.meta.url))

async function filesUnder(directory: string): Promise<string[]> {
  if (!existsSync(directory)) return []
  const entries = await readdir(directory, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name))
    .sort()
}

let toolHash: Promise<string> | undefined

/** A hash of the tool itself: its compiled code, stylesheets and the versions of what it depends on. */
function hashTool(): Promise<string> {
  toolHash ??= (async () => {
    const hash = createHash('sha256')
    const files = [
      ...(await filesUnder(path.join(toolRoot, 'dist', 'src'))).filter((file) => file.endsWith('.js')),
      ...(await filesUnder(path.join(toolRoot, 'styles'))),
      // The HTML edition's browser scripts ship as plain JS from the source tree, not from dist/.
      ...(await filesUnder(path.join(toolRoot, 'src', 'render', 'html', 'client'))),
      path.join(toolRoot, 'package-lock.json')
    ]
    for (const file of files) {
      if (!existsSync(file)) continue
      hash.update(path.relative(toolRoot, file)).update('\0').update(await readFile(file)).update('\0')
    }
    return hash.digest('hex')
  })()
  return toolHash
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
    hash.update(existsSync(file) ? await readFile(file) : '\u0000missing').update('\0')
  }
  hash.update(await hashTool()).update(format).update(locale).update(JSON.stringify(inputs.settings))
  await add(path.join(root, 'handbook.yaml'))
  for (const tag of new Set([source, locale])) await add(path.join(root, 'strings', `${tag}.yaml`))
  // The translation record decides the notices (stale or not) and the translation report.
  if (locale !== source) await add(path.join(root, 'translations', `${locale}.json`))
  for (const file of [...(await filesUnder(path.join(root, source))), ...(locale === source ? [] : await filesUnder(path.join(root, locale)))]) await add(file)
  for (const file of await filesUnder(path.join(root, 'assets'))) await add(file)
  return hash.digest('hex')
}

export async function readCache(outDir: string): Promise<CacheIndex> {
  try {
    const index = JSON.parse(await readFile(path.join(outDir, cacheFileName), 'utf8')) as CacheIndex
    if (index.version === 1 && typeof index.editions === 'object') return index
  } catch {
    // No cache yet, or an unreadable one: build everything.
  }
  return { version: 1, editions: {} }
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
