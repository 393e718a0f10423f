// Images: paths are checked (inside the handbook, existing, intact, with alt text) and rewritten relative to the handbook.
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import type { Emphasis, Image, Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { AssetInfo } from '../data.js'
import { checkImage } from '../image-check.js'
import { storeSanitizedSvg } from '../sanitized-images.js'
import { fail, warn } from '../../report/messages.js'

const remote = /^[a-z][a-z0-9+.-]*:/i

/**
 * Check every image and set its `url` to the path relative to the handbook folder
 * (`assets/x.svg`), recording it on `file.data.assets`. Renderers map that path to their layout.
 */
export interface Options {
  /** The folder, relative to the handbook, that site-root paths (`/assets/x.png`) stand for; none by default. */
  siteRoot?: string
}

export default function remarkImages(options?: Options) {
  const siteRoot = options?.siteRoot
  return async function (tree: Root, file: VFile) {
    const chapter = file.data.chapter!
    const root = await realpath(chapter.root)
    const assets: AssetInfo[] = []
    const images: Image[] = []
    visit(tree, 'image', (node: Image) => {
      images.push(node)
    })
    for (const node of images) {
      if (!node.alt?.trim()) {
        warn(file, 'Missing alt text: describe what the image shows in `![...]`', node, 'image-alt-missing')
      }
      const ref = await resolveImage(node, file, root, chapter.sourcePath, siteRoot)
      if (ref) {
        // A URL: a file name with `#`, `?` or `%` would otherwise cut the path or decode wrongly.
        node.url = refUrl(ref.ref)
        if (!assets.some((asset) => asset.ref === ref.ref)) assets.push(ref)
      } else {
        markMissing(node)
      }
    }
    file.data.assets = assets
  }
}

/**
 * An image that cannot be used becomes a visible placeholder with its alt text and path, so an
 * edition written despite the error shows where the picture is missing.
 */
function markMissing(node: Image): void {
  const text = `[${node.alt?.trim() || 'image'}: ${node.url || '?'}]`
  const image = node as Partial<Image>
  delete image.url
  delete image.alt
  delete image.title
  const placeholder = node as unknown as Emphasis
  placeholder.type = 'emphasis'
  placeholder.data = { hName: 'span', hProperties: { className: ['image-missing'] } }
  placeholder.children = [{ type: 'text', value: text }]
}

async function resolveImage(node: Image, file: VFile, root: string, sourcePath: string, siteRoot?: string): Promise<AssetInfo | undefined> {
  const url = node.url
  if (/^data:/i.test(url)) {
    fail(file, 'Unexpected `data:` image: save the image under `assets/` and link it by relative path', node, 'image-data-url')
    return undefined
  }
  if (remote.test(url) || url.startsWith('//')) {
    fail(file, `Unexpected remote image \`${url}\`: builds are offline; save the image under \`assets/\` and link it by relative path`, node, 'image-remote')
    return undefined
  }
  if (url === '') {
    fail(file, 'Missing image path in `![alt](path)`', node, 'image-missing')
    return undefined
  }
  let decoded: string
  try {
    decoded = decodeURIComponent(url.split(/[?#]/)[0] ?? url)
  } catch {
    decoded = url
  }
  // A site-root path, as a website writes it: relative to the `site-root` folder of the handbook.
  if (siteRoot !== undefined && decoded.startsWith('/') && !decoded.startsWith('//')) {
    decoded = path.relative(path.dirname(sourcePath), path.join(file.data.chapter!.root, siteRoot, decoded.slice(1)))
  } else if (path.isAbsolute(decoded) || decoded.startsWith('\\') || /^[a-z]:/i.test(decoded)) {
    fail(
      file,
      `Unexpected absolute image path \`${url}\`: use a path relative to the chapter, like \`../assets/figure.svg\`, or set \`site-root\` in handbook.yaml to the folder such paths stand for`,
      node,
      'image-outside-root'
    )
    return undefined
  }
  const outside = () => fail(file, `Unexpected image \`${url}\` outside the handbook folder: copy it into \`assets/\``, node, 'image-outside-root')
  // Judge the path as written before touching the disk: a path out of the handbook is never even looked at.
  const absolute = path.resolve(path.dirname(sourcePath), decoded.replace(/\\/g, '/'))
  if (!isInside(path.resolve(file.data.chapter!.root), absolute)) {
    outside()
    return undefined
  }
  let real: string
  try {
    real = await realpath(absolute)
  } catch {
    fail(file, `Cannot find image \`${url}\` (looked for \`${path.relative(process.cwd(), absolute)}\`): check the path, relative to this chapter`, node, 'image-missing')
    return undefined
  }
  // A symbolic link may point out of the handbook.
  if (!isInside(root, real)) {
    outside()
    return undefined
  }
  const checked = await checkImage(real)
  for (const problem of checked.problems) fail(file, `Cannot use image \`${url}\`: ${problem.reason}`, node, problem.ruleId)
  if (checked.problems.length > 0) return undefined
  if (checked.removed.length > 0) {
    const list = checked.removed.slice(0, 8).map((item) => `\`${item}\``).join(', ') + (checked.removed.length > 8 ? `, and ${checked.removed.length - 8} more` : '')
    warn(file, `Removed from image \`${url}\`: ${list}, which an SVG image may not carry; remove them from the file`, node, 'image-svg-removed')
  }
  // An SVG ships as checked: its sanitized text, not the file on disk.
  const source = checked.svg === undefined ? real : storeSanitizedSvg(checked.svg)
  return { source, ref: path.relative(root, real).split(path.sep).join('/') }
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** The URL form of an image path relative to the handbook: each segment percent-encoded. */
export function refUrl(ref: string): string {
  return ref.split('/').map(encodeURIComponent).join('/')
}
