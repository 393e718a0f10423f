// The EPUB edition: one EPUB 3 per locale, with cover, title page, imprint, nested navigation, notes, fonts and accessibility metadata.
import { rmSync } from 'node:fs'
import path from 'node:path'
import { refUrl } from './../pipeline/plugins/remark-images.js'
import type { Element, Root } from 'hast'
import { visit } from 'unist-util-visit'
import type { Book, Chapter, Edition } from '../model/types.js'
import { buildDate } from '../output/build-date.js'
import { warn } from '../report/messages.js'
import { coverPng } from './cover-image.js'
import { coverDescription, coverText } from './cover.js'
import { chapterFile, chapterPage, type EpubImage } from './epub/chapter.js'
import { webFontFaceRules, webFonts } from './fonts.js'
import { scriptFontsFor, subsetFontFaceRules, subsetFonts, type FontSubset } from './script-fonts.js'
import { packageMetadata, type ContentFacts } from './epub/metadata.js'
import { packEpub, type PackagePage } from './epub/package.js'
import { coverPage, imprintPage, titlePage } from './epub/pages.js'
import { toXhtml } from './epub/xhtml.js'
import { readStyles } from './styles.js'
import type { OutputUnit, RenderContext, Renderer } from './types.js'

/** The EPUB's path in the output folder. */
export function epubPath(book: Book, edition: Edition): string {
  return `epub/${book.config.book.id}-${book.config.book.version}-${edition.locale.tag}.epub`
}

export const epubRenderer: Renderer = {
  format: 'epub',
  async renderEdition(context: RenderContext): Promise<OutputUnit[]> {
    const file = epubPath(context.book, context.edition)
    const data = await renderEpub(context)
    return [{ path: file, isDirectory: false, locale: context.edition.locale.tag, files: [{ path: file, data }] }]
  }
}

/** An entry of the navigation document and the NCX. */
export interface NavEntry {
  label: string
  href: string
  /** The language of the label. */
  lang: string
  /** Position in reading order, for the NCX `playOrder`. */
  order: number
  children: NavEntry[]
}

interface Landmark {
  type: string
  label: string
  href: string
}

/** Image types EPUB 3.2 reading systems must support, by extension. */
const imageTypes: Record<string, string> = { svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif' }

/** Special pages; chapter ids cannot contain `_`, so their names cannot clash. */
const coverFile = 'cover_page.xhtml'
const titleFile = 'title_page.xhtml'
const imprintFile = 'imprint_page.xhtml'

/** Render the EPUB of one edition. */
export async function renderEpub({ book, edition, file, cache }: RenderContext): Promise<Buffer> {
  const date = buildDate(book.root)
  const locale = edition.locale.tag
  const dir = edition.locale.dir
  const images = collectImages(edition)
  // Chapters name images by their URL form (`refUrl`), which differs from the path for names with `#`, `?`, `%` or spaces.
  const byUrl = new Map([...images].map(([ref, image]) => [refUrl(ref), image]))
  const chapters = edition.chapters.map((chapter) => ({ chapter, page: chapterPage(book, edition, chapter, byUrl) }))
  if (file) {
    for (const { chapter, page } of chapters) {
      for (const id of page.droppedLinks) {
        warn(
          file,
          `Cannot link \`#${id}\` in \`${chapter.id}\` (shown from ${chapter.lang}): the ${locale} edition has no such target, so the EPUB keeps the words without the link; add it to the ${locale} translation`,
          undefined,
          'epub-link-dropped'
        )
      }
    }
  }
  const meta = packageMetadata(book, edition, date, contentFacts(images, chapters.map((entry) => entry.page.body)))

  const cover = coverText(book, edition)
  // Drawing the cover takes 0.3 to 0.5 s (measuring its lines included); its texts and the tool decide it.
  const coverImage = cache ? Buffer.from(cache.value(`epub-cover\0${JSON.stringify(cover)}`, () => coverPng(cover))) : coverPng(cover)

  const { strings } = edition
  const pages: PackagePage[] = [
    { filename: coverFile, itemId: 'page-cover', title: strings.cover, xhtml: toXhtml(coverPage(edition, 'cover.png', coverDescription(cover))), lang: locale, dir, matter: 'cover', beforeNav: true },
    { filename: titleFile, itemId: 'page-title', title: strings['title-page'], xhtml: toXhtml(titlePage(book, edition, edition.partner?.logo ? images.get(edition.partner.logo.ref)?.href : undefined)), lang: locale, dir, matter: 'frontmatter', beforeNav: true },
    { filename: imprintFile, itemId: 'page-imprint', title: strings.imprint, xhtml: toXhtml(imprintPage(book, edition, date, meta.identifier)), lang: locale, dir, matter: 'frontmatter', beforeNav: true },
    ...chapters.map(({ chapter, page }): PackagePage => ({
      filename: chapterFile(chapter.id),
      itemId: `chapter-${chapter.id}`,
      title: chapter.title,
      xhtml: toXhtml(page.body),
      lang: page.lang,
      // A fallback chapter keeps its own language's direction.
      dir: book.config.locales.find((entry) => entry.tag === page.lang)?.dir ?? dir,
      matter: page.matter,
      beforeNav: false
    }))
  ]
  const nav = navEntries(edition)
  const fonts = webFonts()
  const scripts = embedScriptFonts(pages.map((page) => `${page.title}\n${page.xhtml}`).join('\n') + edition.title, locale, file)
  try {
    return await packEpub({
      identifier: meta.identifier,
      templateData: { meta, nav, navDepth: depthOf(nav), navTitle: strings.contents, landmarks: landmarks(edition) },
      css: webFontFaceRules((font) => `fonts/${font.name}`) + subsetFontFaceRules(scripts.subsets) + '\n' + (await readStyles(['epub.css', 'content.css'])),
      pages,
      images: [...images.values()],
      fonts: [...fonts.map((font) => ({ filename: font.name, source: font.source })), ...scripts.subsets.map((font) => ({ filename: font.name, source: font.source }))],
      cover: coverImage,
      date
    })
  } finally {
    if (scripts.folder) rmSync(scripts.folder, { recursive: true, force: true })
  }
}

/**
 * Subsets of the installed Arabic and CJK Noto fonts for the characters of the EPUB's text, so
 * that a reading system without them still shows the book as designed. What cannot be embedded is
 * a `font-not-embedded` warning: the EPUB then names the fonts and the reader's own are used.
 */
function embedScriptFonts(text: string, locale: string, file: RenderContext['file']): { folder?: string; subsets: FontSubset[] } {
  const { fonts, missing } = scriptFontsFor(text, locale)
  for (const family of missing) {
    if (file) warn(file, `Cannot embed ${family} in the ${locale} EPUB: it is not installed; install it (Debian: \`fonts-noto-core\`, \`fonts-noto-cjk\`), or readers use their own fonts`, undefined, 'font-not-embedded')
  }
  if (fonts.length === 0) return { subsets: [] }
  try {
    return subsetFonts(fonts)
  } catch (error) {
    if (file) warn(file, `Cannot embed ${fonts.map((font) => font.family).join(', ')} in the ${locale} EPUB: ${(error as Error).message.split('\n')[0]}; readers use their own fonts`, undefined, 'font-not-embedded')
    return { subsets: [] }
  }
}

/** Every image the edition's chapters use, named after its path so the names are stable. */
function collectImages(edition: Edition): Map<string, EpubImage> {
  const sources = new Map<string, string>()
  for (const chapter of edition.chapters) for (const asset of chapter.assets) sources.set(asset.ref, asset.source)
  // A partner edition's logo goes on the title page.
  if (edition.partner?.logo) sources.set(edition.partner.logo.ref, edition.partner.logo.source)
  const images = new Map<string, EpubImage>()
  const taken = new Set<string>()
  for (const ref of [...sources.keys()].sort()) {
    const extension = path.extname(ref).slice(1).toLowerCase()
    const mediaType = imageTypes[extension]
    if (!mediaType) throw new Error(`Cannot put \`${ref}\` into the EPUB: use SVG, PNG, JPEG or GIF images`)
    const stem = ref.replace(/^assets\//, '').slice(0, -(extension.length + 1)).replace(/[^A-Za-z0-9-]+/g, '-')
    let id = stem
    for (let counter = 2; taken.has(id); counter++) id = `${stem}-${counter}`
    taken.add(id)
    images.set(ref, { ref, source: sources.get(ref)!, id, extension, mediaType, href: `images/${id}.${extension}` })
  }
  return images
}

/** What the accessibility metadata may claim about the chapters' images. */
function contentFacts(images: ReadonlyMap<string, EpubImage>, bodies: readonly Root[]): ContentFacts {
  let allImagesDescribed = true
  for (const body of bodies) {
    visit(body, 'element', (node: Element) => {
      if (node.tagName === 'img' && !(typeof node.properties.alt === 'string' && node.properties.alt.trim() !== '')) allImagesDescribed = false
    })
  }
  return { hasImages: images.size > 0, allImagesDescribed }
}

function entryLabel(chapter: Chapter): string {
  return chapter.number === null ? chapter.title : `${chapter.number}. ${chapter.title}`
}

/** Parts hold their chapters, chapters their sections (level-2 headings), in reading order. */
export function navEntries(edition: Edition): NavEntry[] {
  const entries: NavEntry[] = []
  let part: NavEntry | undefined
  for (const chapter of edition.chapters) {
    const file = chapterFile(chapter.id)
    const sections = chapter.headings
      .filter((heading) => heading.depth === 2)
      .map((heading): NavEntry => ({ label: heading.number === null ? heading.text : `${heading.number} ${heading.text}`, href: `${file}#${heading.id}`, lang: chapter.lang, order: 0, children: [] }))
    const entry: NavEntry = { label: entryLabel(chapter), href: file, lang: chapter.lang, order: 0, children: sections }
    if (chapter.kind === 'part') {
      part = entry
      entries.push(entry)
    } else if (chapter.partId !== null && part) {
      part.children.push(entry)
    } else {
      part = undefined
      entries.push(entry)
    }
  }
  let order = 0
  const number = (list: NavEntry[]) => {
    for (const entry of list) {
      entry.order = ++order
      number(entry.children)
    }
  }
  number(entries)
  return entries
}

function depthOf(entries: readonly NavEntry[]): number {
  return entries.length === 0 ? 0 : 1 + Math.max(...entries.map((entry) => depthOf(entry.children)))
}

function landmarks(edition: Edition): Landmark[] {
  const { strings } = edition
  const list: Landmark[] = [
    { type: 'cover', label: strings.cover, href: coverFile },
    { type: 'titlepage', label: strings['title-page'], href: titleFile },
    { type: 'copyright-page', label: strings.imprint, href: imprintFile },
    { type: 'toc', label: strings.contents, href: 'toc.xhtml#toc' }
  ]
  const start = edition.chapters.find((chapter) => chapter.matter === 'body')
  if (start) list.push({ type: 'bodymatter', label: start.title, href: chapterFile(start.id) })
  const glossary = edition.chapters.find((chapter) => chapter.kind === 'glossary')
  if (glossary) list.push({ type: 'glossary', label: glossary.title, href: chapterFile(glossary.id) })
  return list
}
