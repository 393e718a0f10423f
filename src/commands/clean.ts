// `handbook clean`: remove what builds wrote to the output folder (editions, manifest, cache).
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { cacheFileName } from '../output/cache.js'
import { parseCacheFolder } from '../pipeline/parse-cache.js'

/** The entries of the output folder that builds create; anything else there is left alone. */
const built = ['html', 'epub', 'pdf', 'manifest.json', 'SHA256SUMS', cacheFileName, parseCacheFolder]

/** Remove the build results from `out`; returns the exit code. */
export async function runClean(options: { out: string; quiet: boolean }): Promise<number> {
  const outDir = path.resolve(options.out)
  for (const name of built) await rm(path.join(outDir, name), { recursive: true, force: true })
  if (!options.quiet) process.stderr.write(`removed the build results from ${path.relative(process.cwd(), outDir) || '.'}\n`)
  return 0
}
