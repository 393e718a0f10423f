// The links a page gives beyond the site: the locale's PDF and EPUB with their sizes, and "edit this page".
import path from 'node:path'
import type { Element, ElementContent } from 'hast'
import { h } from 'hastscript'
import { format } from '../../i18n/strings.js'
import type { Book, Chapter, Edition, EditionDownload } from '../../model/types.js'

const mediaTypes: Readonly<Record<EditionDownload['format'], string>> = {
  pdf: 'application/pdf',
  epub: 'application/epub+zip'
}

const sizeFormats = new Map<string, Intl.NumberFormat>()

/**
 * A file size in the locale's own number format, in decimal units as file managers show them:
 * `1,3 MB` in Latvian, `1.3 MB` in English, `420 kB`. Intl knows the unit's spelling per language
 * (`Mo` in French).
 */
export function formatSize(bytes: number, tag: string): string {
  const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : bytes >= 1000 ? [bytes / 1000, 'kilobyte'] : [bytes, 'byte']
  const digits = value < 10 ? 1 : 0
  // Every page shows the sizes: a new Intl.NumberFormat each time cost an edition's pages 14 ms.
  const key = `${tag} ${unit} ${digits}`
  let formatter = sizeFormats.get(key)
  if (!formatter) sizeFormats.set(key, (formatter = new Intl.NumberFormat(tag, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits })))
  return formatter.format(value)
}

/** The label of one download: "PDF, 1,3 MB"; the format alone when the size is not known. */
export function downloadLabel(edition: Edition, download: EditionDownload): string {
  const name = download.format.toUpperCase()
  return download.bytes === undefined ? name : format(edition.strings, 'download-file', { format: name, size: formatSize(download.bytes, edition.locale.tag) })
}

/**
 * "Download: PDF, 1,3 MB · EPUB, 420 kB", or nothing when the build made neither. Each link's text
 * is its accessible name, so it says the format and the size; `type` tells browsers what comes.
 */
export function downloadLinks(edition: Edition, className: string): Element | undefined {
  const downloads = edition.downloads ?? []
  if (downloads.length === 0) return undefined
  const links: ElementContent[] = []
  for (const download of downloads) {
    if (links.length > 0) links.push({ type: 'text', value: ' · ' })
    links.push(h('a', { href: download.href, type: mediaTypes[download.format], download: download.format === 'epub' ? '' : undefined }, downloadLabel(edition, download)))
  }
  return h(`p.${className}`, [h('span.downloads-label', `${edition.strings.downloads}:`), ' ', ...links])
}

/**
 * The file a chapter's page shows, relative to the handbook folder with `/`: the translation, or the
 * source file for a chapter shown from the source.
 */
export function chapterSourcePath(book: Book, chapter: Chapter): string {
  return path.relative(book.root, path.resolve(chapter.sourceFile)).split(path.sep).join('/')
}

/** The "edit this page" link of a chapter, from `editions.edit-url`; none without the setting. */
export function editLink(book: Book, edition: Edition, chapter: Chapter): Element | undefined {
  const template = book.config.editions['edit-url']
  if (!template) return undefined
  // Each segment is encoded (a space or `#` in a file name), the slashes kept: repository hosts expect them.
  const file = chapterSourcePath(book, chapter).split('/').map(encodeURIComponent).join('/')
  const href = template.replaceAll('{path}', file)
  // A fallback page is edited in the source language: the link says which language the file is in.
  return h('p.edit-page', [h('a', { href, hrefLang: chapter.isFallback ? chapter.lang : undefined, rel: 'external' }, edition.strings['edit-page'])])
}
