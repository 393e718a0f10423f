// The tool's stylesheets in styles/, read by the renderers that ship CSS.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

/** The folder `styles/` of this package (dist/src/render -> styles). */
export const stylesDirectory = fileURLToPath(new URL('../../../styles/', import.meta.url))

/** Join the named stylesheets, in order, into one CSS text. */
export async function readStyles(names: readonly string[]): Promise<string> {
  const parts = await Promise.all(names.map((name) => readFile(new URL(name, `file://${stylesDirectory}`), 'utf8')))
  return parts.join('\n')
}
