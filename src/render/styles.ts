// The tool's stylesheets in styles/, read by the renderers that ship CSS.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { toolRoot } from '../tool-root.js'

/** The folder `styles/` of this package. */
export const stylesDirectory = path.join(toolRoot, 'styles') + path.sep

/** Join the named stylesheets, in order, into one CSS text. */
export async function readStyles(names: readonly string[]): Promise<string> {
  const parts = await Promise.all(names.map((name) => readFile(new URL(name, `file://${stylesDirectory}`), 'utf8')))
  return parts.join('\n')
}
