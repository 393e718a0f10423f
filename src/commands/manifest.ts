// `handbook manifest merge`: one manifest.json and SHA256SUMS from the builds of a CI matrix.
import path from 'node:path'
import { mergeManifests, writeManifest } from '../output/manifest.js'
import { UsageError } from './options.js'

/** Merge manifests into `out`; returns the exit code. */
export async function runManifestMerge(files: readonly string[], options: { out: string; quiet: boolean }): Promise<number> {
  if (files.length === 0) throw new UsageError('Cannot merge: name the manifest.json files of the builds to merge')
  let merged
  try {
    merged = await mergeManifests(files.map((file) => path.resolve(file)))
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  await writeManifest(path.resolve(options.out), merged)
  if (!options.quiet) process.stderr.write(`merged ${files.length} manifests: ${merged.artifacts.length} files, ${merged.coverage.length} locales\n`)
  return 0
}
