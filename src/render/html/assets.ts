// Files the HTML edition ships besides its pages: stylesheet, fonts, scripts, and the book's images.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Edition } from '../../model/types.js'
import type { OutputFile } from '../../output/write.js'
import { readStyles } from '../styles.js'
import { clientScriptName, mediaFolder, searchEngineName, staticFolder, stylesheetName } from './paths.js'

const require = createRequire(import.meta.url)

/** The client scripts, plain JS next to this module's source (dist/src/render/html -> src/render/html/client); no bundler. */
export const clientDirectory = fileURLToPath(new URL('../../../../src/render/html/client/', import.meta.url))

/**
 * The fonts, from @fontsource (SIL OFL): Latin and Latin Extended cover English, Latvian, German, Danish,
 * Hungarian and Italian. Serif for text in the weights and styles it uses, sans for headings and interface.
 */
const fonts: readonly { family: 'noto-serif' | 'noto-sans'; weight: 400 | 700; style: 'normal' | 'italic' }[] = [
  { family: 'noto-serif', weight: 400, style: 'normal' },
  { family: 'noto-serif', weight: 400, style: 'italic' },
  { family: 'noto-serif', weight: 700, style: 'normal' },
  { family: 'noto-serif', weight: 700, style: 'italic' },
  { family: 'noto-sans', weight: 400, style: 'normal' },
  { family: 'noto-sans', weight: 700, style: 'normal' }
]
const subsets = ['latin', 'latin-ext'] as const

/** The folder of an installed package: up from its entry point (not every package exports `package.json`). */
function packageFolder(name: string): string {
  const suffix = path.sep + name.split('/').join(path.sep)
  let folder = path.dirname(require.resolve(name))
  while (!folder.endsWith(suffix)) {
    const parent = path.dirname(folder)
    if (parent === folder) throw new Error(`Cannot find the folder of the package ${name}: run npm install`)
    folder = parent
  }
  return folder
}

/** The font files `styles/web.css` names in its `@font-face` rules, with the license. */
export async function fontFiles(): Promise<OutputFile[]> {
  const files: OutputFile[] = []
  for (const family of ['noto-serif', 'noto-sans'] as const) {
    const folder = packageFolder(`@fontsource/${family}`)
    for (const font of fonts.filter((entry) => entry.family === family)) {
      for (const subset of subsets) {
        const name = `${family}-${subset}-${font.weight}-${font.style}.woff2`
        files.push({ path: `${staticFolder}/fonts/${name}`, data: await readFile(path.join(folder, 'files', name)) })
      }
    }
    files.push({ path: `${staticFolder}/fonts/${family}-LICENSE.txt`, data: await readFile(path.join(folder, 'LICENSE')) })
  }
  return files
}

/** The stylesheet: the shared base, then the screen edition's rules. */
export async function stylesheet(): Promise<OutputFile> {
  return { path: `${staticFolder}/${stylesheetName}`, data: await readStyles(['base.css', 'web.css']) }
}

/** Everything in the static folder, sorted by path. */
export async function staticFiles(): Promise<OutputFile[]> {
  const files = [
    await stylesheet(),
    { path: `${staticFolder}/${clientScriptName}`, data: await readFile(path.join(clientDirectory, clientScriptName)) },
    { path: `${staticFolder}/${searchEngineName}`, data: await readFile(path.join(clientDirectory, searchEngineName)) },
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
