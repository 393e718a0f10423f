// The HTML edition: a static site per locale (cover and contents, a page per chapter, a search index), shared assets once.
import type { Book, Chapter, Edition } from '../model/types.js'
import type { OutputFile } from '../output/write.js'
import { mediaFiles, staticFiles } from './html/assets.js'
import { chapterPage } from './html/chapter.js'
import { contentsPage, languageIndex } from './html/cover.js'
import { page } from './html/document.js'
import { localeFolder, mediaFolder, pageOf, searchIndexName, staticFolder } from './html/paths.js'
import { searchIndexScript } from './html/search.js'
import { translationReport, translationReportName } from './translation-report.js'
import type { OutputUnit, RenderContext, Renderer } from './types.js'

export { mediaFiles, staticFiles, stylesheet } from './html/assets.js'
export { languageIndex } from './html/cover.js'

/** The page of one chapter: what `handbook serve` rewrites when only that chapter changed. */
export function renderChapterFile(book: Book, edition: Edition, chapter: Chapter): OutputFile {
  return { path: `${localeFolder(edition.locale.tag)}/${pageOf(chapter.id)}`, data: chapterPage(book, edition, chapter) }
}

/** A locale's contents page. */
export function renderContentsFile(book: Book, edition: Edition): OutputFile {
  return { path: `${localeFolder(edition.locale.tag)}/index.html`, data: contentsPage(book, edition) }
}

/** A locale's search index. */
export function renderSearchIndexFile(edition: Edition): OutputFile {
  return { path: `${localeFolder(edition.locale.tag)}/${searchIndexName}`, data: searchIndexScript(edition) }
}

/** The root page listing the editions. */
export function renderLanguageIndexFile(book: Book): OutputFile {
  return { path: 'html/index.html', data: languageIndex(book) }
}

/** A translation's report page (coverage, sections to update), or none for the source edition. */
export function renderTranslationReportFile(book: Book, edition: Edition): OutputFile[] {
  const main = translationReport(book, edition, pageOf)
  if (!main) return []
  const title = `${edition.strings['translation-report']} – ${edition.title}`
  const data = page({ book, edition, chapterId: undefined, title, description: undefined, kind: 'page-translation', sidebar: true, main })
  return [{ path: `${localeFolder(edition.locale.tag)}/${translationReportName}`, data }]
}

/** Every file of a locale's folder. */
export function renderEditionFiles(book: Book, edition: Edition): OutputFile[] {
  return [
    renderContentsFile(book, edition),
    ...edition.chapters.map((chapter) => renderChapterFile(book, edition, chapter)),
    renderSearchIndexFile(edition),
    ...renderTranslationReportFile(book, edition)
  ]
}

export const htmlRenderer: Renderer = {
  format: 'html',

  async renderEdition({ book, edition }: RenderContext): Promise<OutputUnit[]> {
    const folder = localeFolder(edition.locale.tag)
    return [{ path: folder, isDirectory: true, locale: edition.locale.tag, files: renderEditionFiles(book, edition) }]
  },

  async renderShared(book: Book, editions: readonly Edition[]): Promise<OutputUnit[]> {
    const index = renderLanguageIndexFile(book)
    return [
      // Written file by file, not replaced: a build of one locale must keep the other locales' images.
      { path: mediaFolder, isDirectory: false, locale: null, files: await mediaFiles(editions) },
      { path: staticFolder, isDirectory: true, locale: null, files: await staticFiles() },
      { path: index.path, isDirectory: false, locale: null, files: [index] }
    ]
  }
}
