// What an image file must be before any edition embeds it: a known type, intact, and (for SVG) self-contained and script-free.
import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import { sanitizeSvg } from './svg-sanitize.js'
import { scanXml } from './xml-scan.js'

export type ImageRule = 'image-format' | 'image-corrupt' | 'image-unsafe' | 'image-remote' | 'image-too-large'

/** The largest image file read, in bytes: an SVG is parsed whole, a raster image copied into every edition. */
export const imageSizeLimits = { svg: 4 * 1024 * 1024, raster: 32 * 1024 * 1024 }

/** The result of checking one image file. */
export interface ImageCheck {
  problems: ImageProblem[]
  /** An SVG as it ships: cut down to the allow-list and serialized anew (only when there is no problem). */
  svg?: string
  /** What the SVG allow-list removed that was harmless (for a warning). */
  removed: string[]
}

export interface ImageProblem {
  ruleId: ImageRule
  /** The message, without the image's name: "Cannot use image `x`: " goes before it. */
  reason: string
}

/** The image types every edition can carry (EPUB 3 core media types), by extension. */
export const imageTypes: Readonly<Record<string, string>> = {
  '.svg': 'SVG',
  '.png': 'PNG',
  '.jpg': 'JPEG',
  '.jpeg': 'JPEG',
  '.gif': 'GIF',
  '.webp': 'WebP'
}

const cache = new Map<string, Promise<ImageCheck>>()

/** The problems of the image file at `absolute` (see `checkImage`). */
export async function checkImageFile(absolute: string): Promise<ImageProblem[]> {
  return (await checkImage(absolute)).problems
}

/**
 * Check the image file at `absolute` (already known to be inside the handbook). Results are
 * cached per path, size and modification time: every locale links the same figures.
 */
export async function checkImage(absolute: string): Promise<ImageCheck> {
  const only = (problem: ImageProblem): ImageCheck => ({ problems: [problem], removed: [] })
  const extension = path.extname(absolute).toLowerCase()
  const type = imageTypes[extension]
  if (!type) {
    const known = [...new Set(Object.values(imageTypes))].join(', ')
    return only({ ruleId: 'image-format', reason: `\`${extension || 'no extension'}\` is not an image type every edition can show; use ${known}` })
  }
  let info: Awaited<ReturnType<typeof stat>>
  try {
    info = await stat(absolute)
  } catch (error) {
    return only({ ruleId: 'image-corrupt', reason: `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` })
  }
  if (!info.isFile()) return only({ ruleId: 'image-corrupt', reason: info.isDirectory() ? 'it is a folder, not a file' : 'it is not a regular file' })
  if (info.size === 0) return only({ ruleId: 'image-corrupt', reason: 'the file is empty' })
  const limit = type === 'SVG' ? imageSizeLimits.svg : imageSizeLimits.raster
  if (info.size > limit) {
    return only({ ruleId: 'image-too-large', reason: `it has ${mebibytes(info.size)}, more than the ${mebibytes(limit)} a ${type} image may have; make it smaller` })
  }
  const key = `${absolute}\0${info.size}\0${info.mtimeMs}`
  let result = cache.get(key)
  if (!result) {
    result = readAndCheck(absolute, type, info.size)
    cache.set(key, result)
  }
  return result
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

async function readAndCheck(absolute: string, type: string, size: number): Promise<ImageCheck> {
  try {
    const handle = await open(absolute, 'r')
    try {
      // Raster types are recognised by their first bytes; an SVG is read whole to parse it.
      const length = type === 'SVG' ? size : Math.min(size, 32)
      const bytes = Buffer.alloc(length)
      await handle.read(bytes, 0, length, 0)
      if (type !== 'SVG') return { problems: checkImageBytes(type, bytes), removed: [] }
      return checkSvgBytes(bytes)
    } finally {
      await handle.close()
    }
  } catch (error) {
    return { problems: [{ ruleId: 'image-corrupt', reason: `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }], removed: [] }
  }
}

/**
 * An SVG file's bytes: first the checks that name each problem at its place, then the allow-list,
 * which refuses what is dangerous and gives the text that ships.
 */
export function checkSvgBytes(bytes: Uint8Array): ImageCheck {
  const problems = checkImageBytes('SVG', bytes)
  if (problems.length > 0) return { problems, removed: [] }
  const sanitized = sanitizeSvg(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  if (sanitized.problems.length > 0) return { problems: sanitized.problems, removed: [] }
  return { problems: [], svg: sanitized.text, removed: sanitized.removed }
}

/** Check the bytes of an image of `type` (`PNG`, `SVG`, ...). Raster types need only their first 32 bytes. */
export function checkImageBytes(type: string, bytes: Uint8Array): ImageProblem[] {
  if (type === 'SVG') {
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      return [{ ruleId: 'image-corrupt', reason: 'it is not an SVG file (not UTF-8 text)' }]
    }
    return checkSvg(text)
  }
  const found = sniff(bytes)
  if (found === type) return []
  return [{ ruleId: 'image-corrupt', reason: found ? `its content is ${found}, not ${type}: save it with the matching extension` : `it is not a valid ${type} file (damaged or not an image)` }]
}

/** The raster type the first bytes announce. */
function sniff(bytes: Uint8Array): string | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end))
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (png.every((byte, index) => bytes[index] === byte) && ascii(12, 16) === 'IHDR') return 'PNG'
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG'
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'GIF'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP'
  return undefined
}

/**
 * Check an SVG document: well-formed XML with an `<svg>` root, no scripts or event handlers,
 * no references to other files or the network (SVGs are served as files by the HTML edition,
 * where a script would run, and embedded in EPUB, which must not load remote resources).
 */
export function checkSvg(text: string): ImageProblem[] {
  const scan = scanXml(text)
  if (scan.error) {
    const { line, column } = lineColumn(text, scan.error.offset)
    return [{ ruleId: 'image-corrupt', reason: `it is not well-formed SVG: ${lowerFirst(scan.error.reason)} at ${line}:${column} of the image` }]
  }
  const root = scan.elements[0]
  if (!root || localName(root.name) !== 'svg') return [{ ruleId: 'image-corrupt', reason: `it is not an SVG image (its root element is \`<${root?.name ?? ''}>\`)` }]
  const problems: ImageProblem[] = []
  const add = (problem: ImageProblem) => {
    if (!problems.some((known) => known.reason === problem.reason)) problems.push(problem)
  }
  for (const entity of scan.entities) {
    if (entity.external) add({ ruleId: 'image-unsafe', reason: `it declares the external entity \`${entity.name}\`, which would read another file` })
    else if (entity.nested) add({ ruleId: 'image-unsafe', reason: `its entity \`${entity.name}\` refers to other entities (an expansion attack); write the text out` })
  }
  for (const element of scan.elements) {
    const name = localName(element.name).toLowerCase()
    if (name === 'script' || name === 'handler') add({ ruleId: 'image-unsafe', reason: `it contains a \`<${element.name}>\`; remove the script` })
    if (name === 'foreignobject') add({ ruleId: 'image-unsafe', reason: 'it contains a `<foreignObject>`, which can carry any HTML; convert its content to SVG shapes and text' })
    for (const [attribute, value] of element.attributes) {
      const attributeName = localName(attribute).toLowerCase()
      if (attributeName.startsWith('on')) add({ ruleId: 'image-unsafe', reason: `it has an event handler \`${attribute}\` on \`<${element.name}>\`; remove it` })
      else if (attributeName === 'href' || attributeName === 'src') {
        const problem = classifyReference(value, name === 'a')
        if (problem) add(problem)
      } else if (attributeName === 'style') for (const problem of cssProblems(value)) add(problem)
      else if (/^\s*(?:javascript|vbscript):/i.test(value.replace(/[\u0000-\u0020]/g, ''))) add({ ruleId: 'image-unsafe', reason: `its attribute \`${attribute}\` holds a script URL` })
      else if (/url\s*\(/i.test(value)) for (const problem of cssProblems(value)) add(problem)
    }
  }
  for (const style of scan.styles) for (const problem of cssProblems(style.text)) add(problem)
  return problems
}

/** A reference inside an image: `#fragment` and `data:` stay in the file; links may point to web pages. */
function classifyReference(raw: string, isLink: boolean): ImageProblem | undefined {
  const value = raw.trim()
  if (value === '' || value.startsWith('#') || /^data:/i.test(value)) return undefined
  const compact = value.replace(/[\u0000-\u0020]/g, '')
  if (/^(?:javascript|vbscript):/i.test(compact)) return { ruleId: 'image-unsafe', reason: `it links a script URL \`${truncate(value)}\`` }
  if (isLink && /^(?:https?|mailto):/i.test(value)) return undefined
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) {
    return { ruleId: 'image-remote', reason: `it loads \`${truncate(value)}\` from the network; builds are offline: embed the resource in the SVG` }
  }
  return { ruleId: 'image-unsafe', reason: `it refers to the file \`${truncate(value)}\`; an image must be self-contained: embed the resource in the SVG` }
}

/** `url(...)` and `@import` in CSS text: anything but a fragment or `data:` loads another file. */
export function cssProblems(css: string): ImageProblem[] {
  const problems: ImageProblem[] = []
  if (/\\/.test(css) && /url|import|image/i.test(css.replace(/\\/g, ''))) {
    problems.push({ ruleId: 'image-unsafe', reason: 'its CSS hides a URL behind escapes' })
  }
  for (const match of css.matchAll(/@import\s*(?:url\(\s*)?(["']?)([^"')\s;]*)\1/gi)) {
    problems.push(classifyReference(match[2]!, false) ?? { ruleId: 'image-unsafe', reason: 'its CSS imports another style sheet' })
  }
  for (const match of css.matchAll(/\b(?:url|src|image-set|image)\s*\(\s*(["']?)([^"')]*)\1\s*\)?/gi)) {
    const problem = classifyReference(match[2]!, false)
    if (problem) problems.push(problem)
  }
  return problems
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1)
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value
}
