// Where the SVG images that ship are kept during a run: the sanitized text, one file per content, in a temporary folder removed at exit.
import { temporaryPrefix } from '../output/leftovers.js'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

let folder: string | undefined

/**
 * Write the sanitized `text` of an SVG image and return its path. Renderers read images from
 * `AssetInfo.source`; pointing it here makes every edition ship the checked text, never the
 * original file (which may also change after the check).
 */
export function storeSanitizedSvg(text: string): string {
  if (!folder) {
    folder = mkdtempSync(temporaryPrefix('images'))
    const made = folder
    process.once('exit', () => rmSync(made, { recursive: true, force: true }))
  }
  const file = path.join(folder, `${createHash('sha256').update(text).digest('hex').slice(0, 32)}.svg`)
  writeFileSync(file, text)
  return file
}
