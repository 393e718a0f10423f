// manifest.json and SHA256SUMS: what a build produced, for release pages and for checking downloads.
import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
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
  const result = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : null
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
  const manifests = await Promise.all(files.map(async (file) => JSON.parse(await readFile(file, 'utf8')) as Manifest))
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
