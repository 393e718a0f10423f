// manifest.json and SHA256SUMS: what a build produced, for release pages and for checking downloads.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { headCommit } from './build-date.js'
import { safeRelative } from './cache.js'
import { hashFile } from './file-hash.js'
import type { Artifact } from './write.js'
import { writeFileAtomic } from './write.js'

export interface Coverage {
  locale: string
  /** Share of the source text translated and current, in percent. */
  coverage: number
}

export interface Manifest {
  book: string
  version: string
  /** The commit of the handbook's sources, when they are in git. */
  sourceCommit: string | null
  toolVersion: string
  /** ISO date of the build clock (SOURCE_DATE_EPOCH or the last commit). */
  buildDate: string
  coverage: Coverage[]
  artifacts: Artifact[]
}

/** The commit the handbook folder is at, or null outside git. Never the wall clock or a path. */
export function sourceCommit(root: string): string | null {
  return headCommit(root)?.hash ?? null
}

function byPath(a: Artifact, b: Artifact): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0
}

/** `sha256  path` lines, as `sha256sum -c` reads them. */
export function sha256Sums(artifacts: readonly Artifact[]): string {
  return [...artifacts].sort(byPath).map((artifact) => `${artifact.sha256}  ${artifact.path}\n`).join('')
}

/** Write manifest.json and SHA256SUMS into the output folder. */
export async function writeManifest(outDir: string, manifest: Manifest): Promise<void> {
  const sorted: Manifest = {
    ...manifest,
    coverage: [...manifest.coverage].sort((a, b) => (a.locale < b.locale ? -1 : 1)),
    artifacts: [...manifest.artifacts].sort(byPath)
  }
  await writeFileAtomic(path.join(outDir, 'manifest.json'), JSON.stringify(sorted, null, 2) + '\n')
  await writeFileAtomic(path.join(outDir, 'SHA256SUMS'), sha256Sums(sorted.artifacts))
}

/**
 * Merge the manifests of builds that each made some locales (a CI matrix) into one.
 * They must describe the same book, version and sources; shared files must agree.
 */
export async function mergeManifests(files: readonly string[]): Promise<Manifest> {
  const manifests = await Promise.all(
    files.map(async (file) => {
      let value: unknown
      try {
        value = JSON.parse(await readFile(file, 'utf8'))
      } catch (error) {
        throw new Error(`Cannot merge ${file}: ${(error as Error).message}`)
      }
      const problem = manifestProblem(value)
      if (problem) throw new Error(`Cannot merge ${file}: ${problem}`)
      return value as Manifest
    })
  )
  const first = manifests[0]
  if (!first) throw new Error('Cannot merge: no manifests given')
  const artifacts = new Map<string, Artifact>()
  const coverage = new Map<string, Coverage>()
  manifests.forEach((manifest, index) => {
    for (const key of ['book', 'version', 'sourceCommit', 'toolVersion', 'buildDate'] as const) {
      if (manifest[key] !== first[key]) {
        throw new Error(`Cannot merge ${files[index]}: its ${key} is ${String(manifest[key])}, ${files[0]} has ${String(first[key])}`)
      }
    }
    for (const artifact of manifest.artifacts) {
      const known = artifacts.get(artifact.path)
      if (known && known.sha256 !== artifact.sha256) {
        throw new Error(`Cannot merge: ${artifact.path} differs between the builds (${known.sha256} and ${artifact.sha256})`)
      }
      artifacts.set(artifact.path, artifact)
    }
    for (const entry of manifest.coverage) coverage.set(entry.locale, entry)
  })
  return { ...first, coverage: [...coverage.values()], artifacts: [...artifacts.values()] }
}

/**
 * What makes a parsed manifest unusable, if anything. Its paths go into SHA256SUMS, which
 * `sha256sum --check` opens: each must be a plain relative path inside the output folder (no `..`,
 * no absolute path, no line break or other control character), its checksum 64 hex digits.
 */
export function manifestProblem(value: unknown): string | undefined {
  const manifest = value as Partial<Manifest> | null
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return 'it is not a manifest (a JSON object)'
  if (!Array.isArray(manifest.artifacts)) return '`artifacts` is not a list'
  if (!Array.isArray(manifest.coverage)) return '`coverage` is not a list'
  for (const artifact of manifest.artifacts as unknown[]) {
    const entry = artifact as Partial<Artifact> | null
    if (typeof entry !== 'object' || entry === null || typeof entry.path !== 'string') return 'an artifact has no path'
    if (!safeRelative(entry.path)) return `the artifact path ${JSON.stringify(entry.path)} is not a plain path inside the output folder`
    if (typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) return `the artifact ${JSON.stringify(entry.path)} has no SHA-256 checksum`
    if (typeof entry.bytes !== 'number' || !Number.isSafeInteger(entry.bytes) || entry.bytes < 0) return `the artifact ${JSON.stringify(entry.path)} has no size`
  }
  return undefined
}

/** The manifest's fields other than its lists: fixed for a build. */
export type ManifestHeader = Omit<Manifest, 'coverage' | 'artifacts'>

/**
 * manifest.json and SHA256SUMS kept true while a build replaces files, whatever stops it. It starts
 * from the entries of the manifest in the folder whose files are still there, unchanged; before a
 * file is replaced its entry is dropped (and the manifest written), after it landed its new entry
 * is added (and written again). So at every moment, after a failed edition, SIGINT or SIGKILL too,
 * every entry matches its file, and `sha256sum --check SHA256SUMS` passes.
 */
export class ManifestLedger {
  private readonly entries = new Map<string, Artifact>()
  private readonly coverage = new Map<string, Coverage>()
  /** Writes in order, one at a time. */
  private queue: Promise<void> = Promise.resolve()
  /** Whether the folder has a manifest (else one is written only when there is something to list). */
  private exists = false
  /** Locales whose coverage this build computed. */
  private readonly current = new Set<string>()

  constructor(
    private readonly outDir: string,
    private readonly header: ManifestHeader
  ) {}

  /** Take over the entries of the folder's manifest, and `known` (already verified), that match their files. */
  async load(known: readonly Artifact[] = []): Promise<void> {
    for (const artifact of known) this.entries.set(artifact.path, artifact)
    let old: unknown
    try {
      old = JSON.parse(await readFile(path.join(this.outDir, 'manifest.json'), 'utf8'))
      this.exists = true
    } catch {
      return
    }
    if (manifestProblem(old)) return
    const manifest = old as Manifest
    for (const artifact of manifest.artifacts) {
      const same = this.entries.get(artifact.path)
      if (same?.sha256 === artifact.sha256) continue
      if ((await hashFile(path.join(this.outDir, artifact.path))) === artifact.sha256) this.entries.set(artifact.path, artifact)
    }
    for (const entry of manifest.coverage) if (typeof entry?.locale === 'string' && typeof entry.coverage === 'number') this.coverage.set(entry.locale, entry)
  }

  /** Drop the entries of `paths` (and of every file under a path ending in `/`) before they are replaced. */
  forget(paths: readonly string[]): Promise<void> {
    for (const key of [...this.entries.keys()]) {
      if (paths.some((prefix) => (prefix.endsWith('/') ? key.startsWith(prefix) : key === prefix))) this.entries.delete(key)
    }
    return this.write()
  }

  /** Add the entries of files that landed. */
  add(artifacts: readonly Artifact[]): Promise<void> {
    for (const artifact of artifacts) this.entries.set(artifact.path, artifact)
    return this.write()
  }

  /** Set the translation coverage of this build's locales (an earlier build's stays for locales that still have files). */
  setCoverage(coverage: readonly Coverage[]): Promise<void> {
    for (const entry of coverage) {
      this.coverage.set(entry.locale, entry)
      this.current.add(entry.locale)
    }
    return this.write()
  }

  /** The entries now, sorted by path. */
  artifacts(): Artifact[] {
    return [...this.entries.values()].sort(byPath)
  }

  private write(): Promise<void> {
    const next = this.queue.then(async () => {
      const artifacts = this.artifacts()
      if (!this.exists && artifacts.length === 0) return
      const locales = new Set(artifacts.map((artifact) => artifact.locale))
      const coverage = [...this.coverage.values()].filter((entry) => this.current.has(entry.locale) || locales.has(entry.locale))
      await writeManifest(this.outDir, { ...this.header, coverage, artifacts })
      this.exists = true
    })
    // A failed write (disk full) is the caller's error; the next write still runs.
    this.queue = next.catch(() => undefined)
    return next
  }
}
