// Updating the book model after one chapter was saved: re-parse that chapter alone when no other page depends on what changed.
import path from 'node:path'
import type { Element } from 'hast'
import { unified } from 'unified'
import { EXIT, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { RawHtmlConfig } from '../config/schema.js'
import type { Strings } from '../i18n/defaults.js'
import { collectTranslationState, localeStatus, type ChapterStatus } from '../content/translation-state.js'
import { parseChapter, planContents, translationOf } from '../model/build.js'
import type { Book, Chapter, ChapterTranslation, Edition, Target } from '../model/types.js'
import { termAnchor } from '../pipeline/data.js'
import rehypeXref, { caseAfter, label, relabel as inEditionWords } from '../pipeline/plugins/rehype-xref.js'
import { createProcessor, type ChapterProcessor } from '../pipeline/processor.js'

export interface ChapterUpdate {
  /** The book with the new chapter in every edition that shows it. */
  book: Book
  /** The re-parsed chapter file, carrying its messages. */
  file: VFile
  /**
   * The editions that changed: its own, those that show it as a fallback (their page of the chapter
   * changed), and those whose fallback chapters quote it.
   */
  editions: Edition[]
  /**
   * Other pages of `editions` that show what changed, by locale: every page when the chapter's title
   * changed (each page shows the contents), else those quoting a changed section, figure or table
   * title in a cross-reference.
   */
  pages: Map<string, 'all' | string[]>
  /** Whether the chapter's outline (titles, numbers) changed, as opposed to its body alone. */
  outlineChanged: boolean
}

const processors = new WeakMap<Strings, { rawHtml: RawHtmlConfig; processor: ChapterProcessor }>()

/**
 * One processor per locale's strings, kept between saves: creating it is a good part of a small
 * rebuild. It sanitizes raw HTML with the book's allow-list, exactly as the full build does.
 */
function processorFor(locale: string, strings: Strings, rawHtml: RawHtmlConfig): ChapterProcessor {
  let cached = processors.get(strings)
  if (cached?.rawHtml !== rawHtml) processors.set(strings, (cached = { rawHtml, processor: createProcessor({ locale, strings, rawHtml }) }))
  return cached.processor
}

/**
 * What other pages read from a chapter: its title in contents, pager and cross-references, and the
 * numbers and titles of its sections, figures, tables and glossary entries. Equal outlines mean the
 * change stays on the chapter's own page.
 */
export function outline(chapter: Chapter): string {
  return JSON.stringify([
    chapter.kind,
    chapter.title,
    chapter.shortTitle,
    chapter.number,
    chapter.headings.map((heading) => [heading.id, heading.depth, heading.number, heading.text]),
    [...chapter.figures, ...chapter.tables].map((float) => [float.id, float.kind, float.number, float.caption]),
    chapter.terms.map((term) => [term.id, term.term])
  ])
}

/** The targets a chapter adds to its edition, as the model registers them. */
function chapterTargets(chapter: Chapter): Target[] {
  const base = { chapterId: chapter.id, sourceFile: chapter.sourceFile }
  const number = chapter.kind === 'part' ? chapter.partNumber : chapter.number
  return [
    { ...base, id: chapter.id, kind: chapter.kind === 'part' ? 'part' : 'chapter', number: number === null ? null : String(number), title: chapter.title },
    ...chapter.headings.map((heading): Target => ({ ...base, id: heading.id, kind: 'section', number: heading.number, title: heading.text, position: heading.position })),
    ...[...chapter.figures, ...chapter.tables].map((float): Target => ({ ...base, id: float.id, kind: float.kind, number: float.number, title: float.caption, position: float.position })),
    ...chapter.terms.map((term): Target => ({ ...base, id: termAnchor(term.id), kind: 'term', number: null, title: term.term, position: term.position }))
  ]
}

/** The locales whose translation state of `chapterId`, read from the files now, differs from what their edition shows. */
export async function movedTranslations(book: Book, chapterId: string): Promise<string[]> {
  // That chapter alone, in the locales shown: reading the whole book's state took most of a save's time.
  const state = await collectTranslationState({ root: book.root, config: book.config, locales: book.editions.map((edition) => edition.locale.tag), chapters: [chapterId] })
  return book.editions
    .filter((edition) => {
      const shown = edition.chapters.find((chapter) => chapter.id === chapterId)?.translation
      if (!shown) return false
      const status = state.locales.find((entry) => entry.locale === edition.locale.tag)?.chapters.find((entry) => entry.chapter === chapterId)
      return JSON.stringify(translationOf(status, edition.isSource)) !== JSON.stringify(shown)
    })
    .map((edition) => edition.locale.tag)
}

/** The translation state of one chapter, read from the files now, in each locale shown: as statuses and as what a page shows. */
async function chapterStates(book: Book, chapterId: string): Promise<{ statuses: Map<string, ChapterStatus>; translations: Map<string, ChapterTranslation> }> {
  const state = await collectTranslationState({ root: book.root, config: book.config, locales: book.editions.map((edition) => edition.locale.tag), chapters: [chapterId] })
  const statuses = new Map<string, ChapterStatus>()
  const translations = new Map<string, ChapterTranslation>()
  for (const entry of state.locales) {
    const status = entry.chapters.find((chapter) => chapter.chapter === chapterId)
    if (status) statuses.set(entry.locale, status)
    translations.set(entry.locale, translationOf(status, entry.isSource))
  }
  return { statuses, translations }
}

/** The book's translation status (the report pages) with one chapter's status renewed in each locale, and the totals recounted. */
function withChapterStates(current: Book['translationStatus'], statuses: ReadonlyMap<string, ChapterStatus>): Book['translationStatus'] {
  return current?.map((entry) => {
    const chapters = entry.chapters.map((chapter) => statuses.get(entry.locale)?.chapter === chapter.chapter ? statuses.get(entry.locale)! : chapter)
    return localeStatus(entry.locale, entry.label, entry.isSource, chapters)
  })
}

/** `edition` with `chapter` in place of the one with the same id, and that chapter's targets renewed. */
function withChapter(edition: Edition, chapter: Chapter): Edition {
  const targets = new Map(edition.targets)
  for (const target of chapterTargets(chapter)) targets.set(target.id, target)
  return { ...edition, chapters: edition.chapters.map((entry) => (entry.id === chapter.id ? chapter : entry)), targets }
}

/**
 * Re-parse `<locale>/<chapterId>.md` alone and put it into the book. Returns `undefined` when that is
 * not enough and the caller must reload the book: the chapter is new to the locale or gone, its outline
 * changed (other pages show its titles and numbers), or the source edition is not loaded.
 */
export async function updateChapter(book: Book, locale: string, chapterId: string): Promise<ChapterUpdate | undefined> {
  const edition = book.editions.find((candidate) => candidate.locale.tag === locale)
  const old = edition?.chapters.find((chapter) => chapter.id === chapterId)
  const entry = planContents(book.config).find((planned) => planned.id === chapterId)
  if (!edition || !old || old.isFallback || !entry) return undefined

  const sourcePath = path.join(book.root, locale, `${chapterId}.md`)
  // Its translation state is read alongside the parse (file reads overlap the CPU work).
  const reading = chapterStates(book, chapterId)
  reading.catch(() => undefined)
  const { chapter, file } = await parseChapter(processorFor(locale, edition.strings, book.config['raw-html']), book.root, locale, entry, sourcePath)
  const outlineChanged = outline(chapter) !== outline(old)
  // New or removed ids can break or mend links anywhere in the book (with messages): a reload finds them.
  if (outlineChanged && targetIds(chapter) !== targetIds(old)) return undefined
  // A changed source section makes its translations stale, an edited translation can become
  // current or complete: their notices and the report change. With `stale: notice` that is the
  // chapter's notice alone; the other policies swap in the source or fail, so the book is reloaded.
  const states = await reading
  const moved = new Map<string, ChapterTranslation>()
  for (const candidate of book.editions) {
    const shown = candidate.chapters.find((entry) => entry.id === chapterId)?.translation
    const now = states.translations.get(candidate.locale.tag)
    if (shown && now && JSON.stringify(now) !== JSON.stringify(shown)) moved.set(candidate.locale.tag, now)
  }
  if (moved.size > 0 && book.config.translations.stale !== 'notice') return undefined

  if (old.translation) chapter.translation = moved.get(locale) ?? old.translation
  let updated = withChapter(edition, chapter)
  unified().use(rehypeXref, { targets: updated.targets, strings: edition.strings }).runSync(chapter.hast, file)
  // The contents list chapter titles only: a changed section title shows where it is quoted.
  const titleChanged = chapter.title !== old.title || chapter.shortTitle !== old.shortTitle
  const pages = new Map<string, 'all' | string[]>()
  /** Record the pages of `after` besides the edited chapter's that differ from `before`'s. */
  const affected = (before: Edition, after: Edition, showsTitle: boolean) => {
    const ids = after.chapters.filter((entry, index) => entry.id !== chapterId && entry !== before.chapters[index]).map((entry) => entry.id)
    if (showsTitle && titleChanged) pages.set(after.locale.tag, 'all')
    else if (ids.length > 0) pages.set(after.locale.tag, ids)
  }
  if (outlineChanged) {
    const plain = updated
    updated = relabelled(updated, chapter, edition.strings)
    affected(plain, updated, true)
  }
  // Fallback chapters share the source chapter's tree (see loadEdition): the translations showing a
  // relabelled source chapter take its new tree, whether or not they show the edited chapter.
  const relabelledSource = new Map(
    edition.isSource ? updated.chapters.filter((entry, index) => entry.id !== chapterId && entry !== edition.chapters[index]).map((entry) => [entry.id, entry.hast]) : []
  )
  const changed: Edition[] = [updated]
  const editions = book.editions.map((candidate) => {
    if (candidate === edition) return updated
    if (!edition.isSource) return candidate
    // Translations show a missing chapter from the source: their page changes with it.
    const shown = candidate.chapters.find((entry) => entry.id === chapterId)
    const showsChapter = shown?.isFallback === true
    const sharesTree = candidate.chapters.some((entry) => entry.isFallback && relabelledSource.has(entry.id))
    const notice = moved.get(candidate.locale.tag)
    if (!showsChapter && !sharesTree && !notice) return candidate
    let next = candidate
    if (showsChapter) {
      const withShown = withChapter(candidate, { ...chapter, isFallback: true, translation: notice ?? shown.translation })
      next = { ...withShown, chapters: withShown.chapters.map((entry) => (entry.id === chapterId ? { ...entry, hast: shownFrom(chapter.hast, withShown) } : entry)) }
    }
    // Its own translation of the chapter has a new notice (stale, or current again): that page changes.
    if (notice && !showsChapter) {
      next = { ...next, chapters: next.chapters.map((entry) => (entry.id === chapterId ? { ...entry, translation: notice } : entry)) }
    }
    if (sharesTree) {
      const before = next
      next = { ...before, chapters: before.chapters.map((entry) => (entry.isFallback && relabelledSource.has(entry.id) ? { ...entry, hast: shownFrom(relabelledSource.get(entry.id)!, before) } : entry)) }
    }
    // Its own chapters quote the shown chapter in its words ("3. nodaļa „Title”"): relabelled with its strings.
    if (showsChapter && outlineChanged) next = relabelled(next, chapter, candidate.strings)
    affected(candidate, next, showsChapter)
    if (notice && !showsChapter) {
      const listed = pages.get(candidate.locale.tag)
      if (listed !== 'all') pages.set(candidate.locale.tag, [...(listed ?? []), chapterId])
    }
    changed.push(next)
    return next
  })
  return { book: { ...book, editions, translationStatus: withChapterStates(book.translationStatus, states.statuses) }, file, editions: changed, pages, outlineChanged }
}

/** A source chapter's tree as a translation shows it: its cross-references in the edition's words and titles, as loadBook makes it. */
function shownFrom(tree: Chapter['hast'], edition: Edition): Chapter['hast'] {
  return inEditionWords(tree, edition.targets, edition.strings, edition.locale.tag)
}

/** The ids a chapter adds to its edition, with their kinds: equal lists mean no link elsewhere breaks or mends. */
function targetIds(chapter: Chapter): string {
  return JSON.stringify([chapter.kind, chapter.number, chapterTargets(chapter).map((target) => [target.id, target.kind])])
}

/**
 * `edition` with the generated text of cross-references to `chapter` (`chapter 3, Title`, `section
 * 3.2, Title`) renewed in its other chapters, where the title or number they quote changed. Only
 * links whose text the tool made (`a.xref`) are touched; a chapter is copied only when one changed.
 */
function relabelled(edition: Edition, chapter: Chapter, strings: Strings): Edition {
  const ids = new Set(chapterTargets(chapter).map((target) => target.id))
  const chapters = edition.chapters.map((entry) => {
    // Fallback chapters keep the source's wording (the source edition's trees, relabelled there).
    if (entry.id === chapter.id || entry.isFallback) return entry
    const relabel = (tree: Chapter['hast']) => {
      let changed = false
      visit(tree, 'element', (node: Element, index, parent) => {
        const href = node.properties.href
        const classes = node.properties.className
        if (node.tagName !== 'a' || typeof href !== 'string' || !Array.isArray(classes) || !classes.includes('xref')) return
        const target = ids.has(href.slice(1)) ? edition.targets.get(href.slice(1)) : undefined
        if (!target) return
        // In the grammatical case the words before it ask for ("sk." takes the accusative in Latvian).
        const text = label(target, strings, caseAfter(parent, index, strings))
        const current = node.children.length === 1 && node.children[0]!.type === 'text' ? node.children[0]!.value : undefined
        if (current === text) return
        node.children = [{ type: 'text', value: text }]
        changed = true
      })
      return changed
    }
    // Trees are shared with earlier versions of the book (and fallback copies): a chapter that
    // refers to the edited one is copied before its links are relabelled.
    if (!containsXrefTo(entry.hast, ids)) return entry
    const hast = structuredClone(entry.hast)
    return relabel(hast) ? { ...entry, hast } : entry
  })
  return { ...edition, chapters }
}

/** Whether `tree` has a generated cross-reference to one of `ids`. */
function containsXrefTo(tree: Chapter['hast'], ids: ReadonlySet<string>): boolean {
  let found = false
  visit(tree, 'element', (node: Element) => {
    if (found) return EXIT
    const href = node.properties.href
    const classes = node.properties.className
    if (node.tagName === 'a' && typeof href === 'string' && Array.isArray(classes) && classes.includes('xref') && ids.has(href.slice(1))) found = true
    return undefined
  })
  return found
}
