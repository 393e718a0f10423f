// Where this package's own files are (package.json, styles/, the browser scripts under src/), found
// from the running code whether it runs compiled (dist/src/...) or bundled (dist/bundle/).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const packageName = 'ready-for-europe-handbook'

function findToolRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = path.join(folder, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === packageName) return folder
    const parent = path.dirname(folder)
    if (parent === folder) throw new Error(`Cannot find the package.json of ${packageName} above ${fileURLToPath(import.meta.url)}`)
    folder = parent
  }
}

/** The package's root folder. */
export const toolRoot = findToolRoot()

/** This tool's version, from its package.json. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(path.join(toolRoot, 'package.json'), 'utf8')) as { version: string }).version
}
