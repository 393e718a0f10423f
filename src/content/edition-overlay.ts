// Partner editions: `editions/<name>.yaml` picks a locale and adds or replaces unnumbered chapters, the title texts, the logo and the output name.
import { createHash } from 'node:crypto'
import { existsSync, realpathSync } from 'node:fs'
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml'
import { z } from 'zod'
import type { Config } from '../config/schema.js'
import type { PartnerEdition } from '../model/types.js'
import { fail, warn } from '../report/messages.js'
import { hashFile } from '../output/file-hash.js'
import { checkImage } from '../pipeline/image-check.js'
import { storeSanitizedSvg } from '../pipeline/sanitized-images.js'
import { readUtf8File } from './utf8.js'
import type { PlannedChapter } from './contents-plan.js'

/** The folder of the overlays, inside the handbook folder. */
export const overlayFolder = 'editions'

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and hyphens')

const chapterEntry = z
  .object({
    file: z.string().min(1).describe('the chapter\'s Markdown file, relative to `editions/`; an added chapter\'s id is its file name without `.md`'),
    replaces: id.optional().describe('the id of an unnumbered chapter (front or back matter) this one replaces; it keeps that id'),
    before: id.optional().describe('insert before this unnumbered chapter'),
    after: id.optional().describe('insert after this unnumbered chapter')
  })
  .strict()

/** The schema of `editions/<name>.yaml`. */
export const overlaySchema = z
  .object({
    locale: z.string().min(1).describe('the locale of the edition: one of `locales` in handbook.yaml'),
    'output-name': id.optional().describe('the name of the edition\'s files instead of `book.id` (default: `<book.id>-<name>`)'),
    title: z.string().min(1).optional().describe('the title, instead of the book\'s'),
    subtitle: z.string().min(1).optional().describe('the subtitle, instead of the book\'s'),
    publisher: z.string().min(1).optional().describe('the publisher, for example the partner organisation'),
    identifier: z.string().min(1).optional().describe('the identifier of this edition (a URN or ISBN), instead of the book\'s'),
    logo: z
      .object({
        file: z.string().min(1).describe('the image, relative to `editions/` (SVG or PNG)'),
        alt: z.string().min(1).describe('what the logo shows, for readers who cannot see it')
      })
      .strict()
      .optional()
      .describe('the partner\'s logo, on the cover and the title page'),
    chapters: z.array(chapterEntry).default([]).describe('chapters added to or replaced in the front and back matter, each with exactly one of `replaces`, `before`, `after`')
  })
  .strict()

export type OverlayInput = z.infer<typeof overlaySchema>

/** A chapter of the overlay, resolved. */
export interface OverlayChapter {
  id: string
  /** Absolute path of the Markdown file. */
  file: string
  placement: { replaces: string } | { before: string } | { after: string }
}

/** An overlay checked against the book. */
export interface EditionOverlay {
  name: string
  locale: string
  outputName: string
  title?: string
  subtitle?: string
  publisher?: string
  identifier?: string
  logo?: { source: string; ref: string; alt: string }
  chapters: OverlayChapter[]
}

type Locate = (keys: readonly (string | number)[]) => { line: number; column: number } | undefined

/** Read `editions/<name>.yaml` and check it against the config. Problems are messages on `file`. */
export async function loadOverlay(root: string, name: string, config: Config): Promise<{ overlay: EditionOverlay | undefined; file: VFile }> {
  const filePath = path.join(root, overlayFolder, `${name}.yaml`)
  const file = new VFile({ path: path.relative(process.cwd(), filePath) || filePath })
  const read = await readUtf8File(filePath, file, 'edition-encoding')
  if (read.exists && read.text === undefined) return { overlay: undefined, file }
  const text = read.text
  if (text === undefined) {
    fail(file, `Cannot find the edition \`${name}\`: create \`${file.path}\` (see docs/translation.md, "Partner editions")`, undefined, 'edition-missing')
    return { overlay: undefined, file }
  }
  file.value = text
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' })
  const pointAt = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  const locate: Locate = (keys) => {
    const node = nodeAt(document, keys)
    return node?.range ? pointAt(node.range[0]) : undefined
  }
  // An unknown key is pointed at itself, not at its value.
  const locateKey: Locate = (keys) => {
    const parent = nodeAt(document, keys.slice(0, -1))
    const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === keys.at(-1)) : undefined
    return pair && isScalar(pair.key) && pair.key.range ? pointAt(pair.key.range[0]) : undefined
  }
  for (const error of document.errors) fail(file, `Cannot parse YAML: ${error.message.split('\n')[0]}`, pointAt(error.pos[0]), 'edition-yaml')
  for (const warning of document.warnings) warn(file, `Unexpected YAML: ${warning.message.split('\n')[0]}; remove the tag, the value is read as plain text`, pointAt(warning.pos[0]), 'edition-yaml')
  if (document.errors.length > 0) return { overlay: undefined, file }
  const parsed = overlaySchema.safeParse(document.toJS() ?? {})
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path
      const reason =
        issue.code === 'unrecognized_keys'
          ? `Unexpected key ${issue.keys.map((key) => `\`${key}\``).join(', ')} in the edition: valid keys are ${validKeys(issue.path).map((key) => `\`${key}\``).join(', ')}`
          : `Invalid \`${issue.path.join('.')}\` in the edition: ${issue.message}`
      fail(file, reason, (issue.code === 'unrecognized_keys' ? locateKey(keys) : locate(keys)) ?? locate(issue.path) ?? { line: 1, column: 1 }, 'edition-invalid')
    }
    return { overlay: undefined, file }
  }
  const overlay = resolve(root, name, parsed.data, config, file, locate)
  if (overlay?.logo) {
    // The logo is an image like any figure: intact, of a known type, and an SVG ships as checked.
    const checked = await checkImage(await realpath(overlay.logo.source))
    for (const problem of checked.problems) fail(file, `Cannot use the logo \`${parsed.data.logo!.file}\`: ${problem.reason}`, locate(['logo', 'file']), problem.ruleId)
    if (checked.problems.length > 0) return { overlay: undefined, file }
    if (checked.svg !== undefined) overlay.logo = { ...overlay.logo, source: storeSanitizedSvg(checked.svg) }
  }
  return { overlay, file }
}

function validKeys(at: readonly (string | number)[]): string[] {
  return at.length === 0 ? Object.keys(overlaySchema.shape) : at[0] === 'logo' ? ['file', 'alt'] : Object.keys(chapterEntry.shape)
}

function nodeAt(document: Document, keys: readonly (string | number)[]): YamlNode | undefined {
  let node: unknown = document.contents
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key)
      node = pair?.value
    } else if (isSeq(node) && typeof key === 'number') node = node.items[key]
    else return undefined
  }
  return node as YamlNode | undefined
}

/** A path of the overlay, inside the handbook folder, or an error. */
function inside(root: string, relative: string, file: VFile, place: ReturnType<Locate>, what: string): string | undefined {
  const absolute = path.resolve(root, overlayFolder, relative)
  if (!absolute.startsWith(path.resolve(root) + path.sep)) {
    fail(file, `Cannot use ${what} \`${relative}\`: it is outside the handbook folder`, place, 'edition-path')
    return undefined
  }
  if (!existsSync(absolute)) {
    fail(file, `Cannot find ${what} \`${relative}\` (relative to \`${overlayFolder}/\`)`, place, 'edition-path')
    return undefined
  }
  // The path as written is inside; a symbolic link on the way may still lead out.
  const real = realpathSync(absolute)
  const fromRoot = path.relative(realpathSync(root), real)
  if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) {
    fail(file, `Cannot use ${what} \`${relative}\`: it is a link to \`${real}\`, outside the handbook folder; copy the file into the handbook`, place, 'edition-path')
    return undefined
  }
  return absolute
}

function resolve(root: string, name: string, input: OverlayInput, config: Config, file: VFile, locate: Locate): EditionOverlay | undefined {
  let ok = true
  if (!config.locales.some((locale) => locale.tag === input.locale)) {
    fail(file, `Unknown locale \`${input.locale}\`: pick one of ${config.locales.map((locale) => `\`${locale.tag}\``).join(', ')}`, locate(['locale']), 'edition-invalid')
    ok = false
  }
  const unnumbered = new Set([...config.contents.front, ...config.contents.back])
  const all = new Set<string>([...unnumbered])
  for (const entry of config.contents.body) {
    if (typeof entry === 'string') all.add(entry)
    else [entry.part, ...entry.chapters].forEach((chapter) => all.add(chapter))
  }
  const chapters: OverlayChapter[] = []
  input.chapters.forEach((entry, index) => {
    const place = locate(['chapters', index])
    const anchors = (['replaces', 'before', 'after'] as const).filter((key) => entry[key] !== undefined)
    if (anchors.length !== 1) {
      fail(file, 'Expected exactly one of `replaces`, `before`, `after` for the chapter', place, 'edition-invalid')
      ok = false
      return
    }
    const key = anchors[0]!
    const anchor = entry[key]!
    if (!unnumbered.has(anchor)) {
      const reason = all.has(anchor)
        ? `Cannot place a partner chapter at \`${anchor}\`: it is numbered; partner chapters go in the front or back matter so the numbers stay those of the book`
        : `Unknown chapter \`${anchor}\`: pick one from \`contents.front\` or \`contents.back\` of handbook.yaml`
      fail(file, reason, locate(['chapters', index, key]) ?? place, 'edition-invalid')
      ok = false
      return
    }
    const absolute = inside(root, entry.file, file, locate(['chapters', index, 'file']) ?? place, 'the chapter file')
    if (!absolute) {
      ok = false
      return
    }
    const chapterId = key === 'replaces' ? anchor : path.basename(absolute, '.md')
    if (key !== 'replaces' && (all.has(chapterId) || !/^[a-z0-9][a-z0-9-]*$/.test(chapterId))) {
      fail(file, `Cannot add \`${entry.file}\` as chapter \`${chapterId}\`: ${all.has(chapterId) ? 'the book has a chapter with that id; rename the file' : 'name the file with lowercase letters, digits and hyphens'}`, place, 'edition-invalid')
      ok = false
      return
    }
    chapters.push({ id: chapterId, file: absolute, placement: key === 'replaces' ? { replaces: anchor } : key === 'before' ? { before: anchor } : { after: anchor } })
  })
  let logo: EditionOverlay['logo']
  if (input.logo) {
    const absolute = inside(root, input.logo.file, file, locate(['logo', 'file']), 'the logo')
    if (absolute) logo = { source: absolute, ref: path.relative(root, absolute).split(path.sep).join('/'), alt: input.logo.alt }
    else ok = false
  }
  if (!ok) return undefined
  return {
    name,
    locale: input.locale,
    outputName: input['output-name'] ?? `${config.book.id}-${name}`,
    title: input.title,
    subtitle: input.subtitle,
    publisher: input.publisher,
    identifier: input.identifier,
    logo,
    chapters
  }
}

/** The reading order with the overlay's chapters placed; each planned chapter carries its file when it is the partner's. */
export function applyOverlay(plan: readonly PlannedChapter[], overlay: EditionOverlay): PlannedChapter[] {
  const result: PlannedChapter[] = plan.map((entry) => {
    const replacement = overlay.chapters.find((chapter) => 'replaces' in chapter.placement && chapter.placement.replaces === entry.id)
    return replacement ? { ...entry, file: replacement.file, local: true } : entry
  })
  for (const chapter of overlay.chapters) {
    if ('replaces' in chapter.placement) continue
    const anchor = 'before' in chapter.placement ? chapter.placement.before : chapter.placement.after
    const index = result.findIndex((entry) => entry.id === anchor)
    const matter = result[index]!.matter
    const added: PlannedChapter = { id: chapter.id, kind: 'chapter', matter, number: null, partNumber: null, partId: null, configPath: [], file: chapter.file, local: true }
    result.splice('before' in chapter.placement ? index : index + 1, 0, added)
  }
  return result
}

/** What a partner edition adds to its edition besides chapters and texts: its name and logo. */
export function partnerEdition(overlay: EditionOverlay): PartnerEdition {
  return { name: overlay.name, ...(overlay.logo ? { logo: overlay.logo } : {}) }
}

/** The config of a partner edition: its output name, identifier and title texts in its locale. */
export function overlayConfig(config: Config, overlay: EditionOverlay): Config {
  const inLocale = (value: Config['book']['title'] | undefined, text: string | undefined) => {
    if (text === undefined) return value
    const base = typeof value === 'string' ? { [config['source-locale']]: value } : { ...(value ?? {}) }
    return { ...base, [overlay.locale]: text }
  }
  return {
    ...config,
    book: {
      ...config.book,
      id: overlay.outputName,
      identifier: overlay.identifier ?? `${config.book.identifier}:${overlay.name}`,
      title: inLocale(config.book.title, overlay.title)!,
      subtitle: inLocale(config.book.subtitle, overlay.subtitle),
      publisher: inLocale(config.book.publisher, overlay.publisher)!
    }
  }
}

/** A digest of everything the overlay brings (its file, chapters and logo), for the build cache's key. */
export async function overlayDigest(root: string, overlay: EditionOverlay): Promise<string> {
  const hash = createHash('sha256')
  const files = [path.join(root, overlayFolder, `${overlay.name}.yaml`), ...overlay.chapters.map((chapter) => chapter.file), ...(overlay.logo ? [overlay.logo.source] : [])]
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(await hashFile(file)).update('\0')
  return hash.digest('hex')
}
