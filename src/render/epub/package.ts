// Assembling the EPUB with epub-gen-memory, then writing its files into a zip of fixed order and dates.
import { pathToFileURL } from 'node:url'
import { EPub, type Chapter, type Options } from 'epub-gen-memory'
import { writeZip, type ZipEntry } from '../../output/zip.js'
import type { EpubImage } from './chapter.js'
import { navTemplate, ncxTemplate, packageTemplate, pageTemplate } from './templates.js'

/** One content document in spine order. */
export interface PackagePage {
  /** File name next to the package document. */
  filename: string
  /** Its manifest id (an XML name). */
  itemId: string
  /** The `<title>`. */
  title: string
  /** The body's XHTML. */
  xhtml: string
  lang: string
  dir: 'ltr' | 'rtl'
  /** `epub:type` of the body. */
  matter: string
  /** Whether it comes before the navigation document in the spine. */
  beforeNav: boolean
}

export interface PackageInput {
  identifier: string
  lang: string
  title: string
  /** What the templates read besides the generator's own data (`meta`, `nav`, `landmarks`, ...). */
  templateData: Record<string, unknown>
  css: string
  pages: readonly PackagePage[]
  images: readonly EpubImage[]
  fonts: readonly { filename: string; source: string }[]
  cover: Buffer
  /** The date of every zip entry. */
  date: Date
}

/** The earliest date a zip entry can carry (MS-DOS time starts in 1980). */
const earliestZipDate = Date.UTC(1980, 0, 1)

/** Formats that are compressed already: deflating them again costs time and saves nothing. */
const compressed = /\.(png|jpe?g|gif|woff2?)$/i

/** Files in the order reading systems and validators expect: `mimetype` first, then the container and package. */
function entryOrder(a: string, b: string): number {
  const rank = (name: string) => (name === 'mimetype' ? 0 : name === 'META-INF/container.xml' ? 1 : name.endsWith('.opf') ? 2 : 3)
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)
}

/**
 * epub-gen-memory with the parts that make its output vary or wrong replaced: our serialized
 * XHTML instead of its sanitizer's (which drops `start`, `scope` and empty `alt`), image names
 * from the book instead of random uuids, the edition identifier instead of a random one.
 */
class HandbookEpub extends EPub {
  constructor(input: PackageInput) {
    const chapters = input.pages.map(
      (page): Chapter & Record<string, unknown> => ({
        title: page.title,
        filename: page.filename,
        content: '',
        beforeToc: page.beforeNav,
        itemId: page.itemId,
        pageLang: page.lang,
        pageDir: page.dir,
        matter: page.matter
      })
    )
    const options: Options & Record<string, unknown> = {
      ...input.templateData,
      title: input.title,
      lang: input.lang,
      css: input.css,
      date: input.date.toISOString(),
      cover: new File([input.cover], 'cover.png', { type: 'image/png' }),
      fonts: input.fonts.map((font) => ({ filename: font.filename, url: pathToFileURL(font.source).href })),
      chapterXHTML: pageTemplate,
      contentOPF: packageTemplate,
      tocXHTML: navTemplate,
      tocNCX: ncxTemplate,
      version: 3,
      verbose: false,
      ignoreFailedDownloads: false
    }
    super(options, chapters)
    this.uuid = input.identifier
    this.content.forEach((page, index) => {
      page.content = input.pages[index]!.xhtml
    })
    this.images = input.images.map((image) => ({ url: pathToFileURL(image.source).href, id: image.id, extension: image.extension, mediaType: image.mediaType }))
  }

  /** Render every file, then write them into a new zip: fixed order, one fixed date, `mimetype` stored. */
  async pack(date: Date): Promise<Buffer> {
    await this.render()
    const entryDate = new Date(Math.max(date.getTime(), earliestZipDate))
    const names = Object.keys(this.zip.files)
      .filter((name) => !this.zip.files[name]!.dir)
      .sort(entryOrder)
    const cover = await this.zip.file('OEBPS/cover.png')?.async('nodebuffer')
    if (!cover || cover.byteLength === 0) throw new Error('Cannot find the cover image in the EPUB: epub-gen-memory wrote none')
    const entries: ZipEntry[] = []
    for (const name of names) entries.push({ name, data: await this.zip.file(name)!.async('nodebuffer'), store: name === 'mimetype' || compressed.test(name) })
    return writeZip(entries, entryDate)
  }
}

/** The EPUB file of `input`: the same input gives the same bytes. */
export async function packEpub(input: PackageInput): Promise<Buffer> {
  return new HandbookEpub(input).pack(input.date)
}
