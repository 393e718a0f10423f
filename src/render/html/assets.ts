// Files the HTML edition ships besides its pages: stylesheet, fonts, scripts, and the book's images.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Edition } from '../../model/types.js'
import type { OutputFile } from '../../output/write.js'
import { toolRoot } from '../../tool-root.js'
import { faviconSvg } from '../cover-design.js'
import { webFonts } from '../fonts.js'
import { readStyles } from '../styles.js'
import { clientScriptName, faviconName, mediaFolder, searchEngineName, staticFolder, stylesheetName } from './paths.js'


/** The client scripts, plain JS in the source tree (src/render/html/client), shipped as written. */
export const clientDirectory = path.join(toolRoot, 'src', 'render', 'html', 'client') + path.sep

/** The woff2 files `styles/web.css` names in its `@font-face` rules (src/render/fonts.ts), with the licenses. */
export async function fontFiles(): Promise<OutputFile[]> {
  const files: OutputFile[] = []
  const folders = new Map<string, string>()
  for (const font of webFonts()) {
    files.push({ path: `${staticFolder}/fonts/${font.name}`, data: await readFile(font.source) })
    folders.set(path.basename(path.dirname(path.dirname(font.source))), path.dirname(path.dirname(font.source)))
  }
  for (const [family, folder] of folders) files.push({ path: `${staticFolder}/fonts/${family}-LICENSE.txt`, data: await readFile(path.join(folder, 'LICENSE')) })
  return files
}

/** The stylesheet: the shared base, then the screen edition's rules. */
export async function stylesheet(): Promise<OutputFile> {
  return { path: `${staticFolder}/${stylesheetName}`, data: await readStyles(['base.css', 'content.css', 'web.css']) }
}

/** Everything in the static folder, sorted by path. */
export async function staticFiles(): Promise<OutputFile[]> {
  const files = [
    await stylesheet(),
    { path: `${staticFolder}/${clientScriptName}`, data: await readFile(path.join(clientDirectory, clientScriptName)) },
    { path: `${staticFolder}/${searchEngineName}`, data: await readFile(path.join(clientDirectory, searchEngineName)) },
    { path: `${staticFolder}/${faviconName}`, data: faviconSvg() },
    ...(await fontFiles())
  ]
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** The images the editions use, each once, under their path relative to the handbook. */
export async function mediaFiles(editions: readonly Edition[]): Promise<OutputFile[]> {
  const files: OutputFile[] = []
  const seen = new Set<string>()
  for (const edition of editions) {
    for (const chapter of edition.chapters) {
      for (const asset of chapter.assets) {
        if (seen.has(asset.ref)) continue
        seen.add(asset.ref)
        files.push({ path: `${mediaFolder}/${asset.ref}`, data: await readFile(asset.source) })
      }
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
