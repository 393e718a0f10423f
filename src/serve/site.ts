// The preview's build: the book model kept in memory, written to the output folder, and rebuilt in part when files change.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import { loadBook } from '../model/build.js'
import type { Book, Edition } from '../model/types.js'
import { replaceDirectory, writeFileAtomic, type OutputFile } from '../output/write.js'
import {
  htmlRenderer,
  renderChapterFile,
  renderContentsFile,
  renderEditionFiles,
  renderLanguageIndexFile,
  renderSearchIndexFile,
  renderTranslationReportFile,
  stylesheet
} from '../render/html.js'
import { renderers } from '../render/index.js'
import { stylesDirectory } from '../render/styles.js'
import { movedTranslations, updateChapter } from './incremental.js'
import { editionsPath } from './server.js'

/** An error shown in the browser overlay and in the terminal. */
export interface Problem {
  file: string
  line: number | null
  column: number | null
  ruleId: string | null
  reason: string
}

/** What one rebuild did. */
export interface SiteChange {
  /** Pages rewritten, relative to the HTML folder (`lv/introduction.html`): browsers showing them reload. */
  pages: string[]
  /** Pages rendered in this rebuild (written or found unchanged), relative to the HTML folder: what an edit cost. */
  rendered: string[]
  /** Whether the stylesheet changed: browsers swap it without a reload. */
  css: boolean
  /** Files read in this rebuild, with their messages, for the terminal. */
  files: VFile[]
  /** One line for the terminal: what was rebuilt. */
  summary: string
}

/** What a changed file means for the site. */
export type Change =
  | { kind: 'styles' }
  | { kind: 'book' }
  | { kind: 'chapter'; locale: string; id: string }
  | { kind: 'asset'; ref: string }
  | { kind: 'ignore' }

/**
 * Classify a changed path. Only files the build reads count: the config, interface strings, chapters,
 * assets and stylesheets. Editor backups and swap files are ignored, so saving does not rebuild twice.
 */
export function classify(file: string, root: string, locales: readonly string[], styles = stylesDirectory): Change {
  const fromStyles = path.relative(styles, file)
  if (!fromStyles.startsWith('..') && !path.isAbsolute(fromStyles)) return fromStyles.endsWith('.css') ? { kind: 'styles' } : { kind: 'ignore' }
  const relative = path.relative(root, file)
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { kind: 'ignore' }
  const parts = relative.split(path.sep)
  const name = parts.at(-1) ?? ''
  if (name.startsWith('.') || name.endsWith('~') || name.includes('.tmp-')) return { kind: 'ignore' }
  if (relative === 'handbook.yaml') return { kind: 'book' }
  if (parts[0] === 'strings' && parts.length === 2 && name.endsWith('.yaml')) return { kind: 'book' }
  // A translation record (`handbook translate done`) changes which notices the pages show.
  if (parts[0] === 'translations' && parts.length === 2 && name.endsWith('.json')) return { kind: 'book' }
  if (parts[0] === 'assets' && parts.length > 1) return { kind: 'asset', ref: parts.join('/') }
  if (parts.length === 2 && locales.includes(parts[0]!) && name.endsWith('.md')) return { kind: 'chapter', locale: parts[0]!, id: name.slice(0, -3) }
  // Chapters may link images beside them, not only under assets/.
  if (imageExtensions.test(name)) return { kind: 'asset', ref: parts.join('/') }
  return { kind: 'ignore' }
}

/** Files a chapter may show as an image, by extension (what `checkImageFile` accepts, and a little more). */
const imageExtensions = /\.(png|jpe?g|gif|svg|webp|avif)$/i

function digest(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** `html/lv/x.html` -> `lv/x.html`: page paths as the server's URLs see them. */
function pagePath(outputPath: string): string {
  return outputPath.replace(/^html\//, '')
}

export interface SiteOptions {
  /** The handbook folder. */
  root: string
  /** The output folder; the site is its `html/` folder. */
  out: string
  /** Locales to preview; all when absent. */
  locales?: readonly string[]
  /** A partner edition (`editions/<name>.yaml`): its locale alone, with its chapters and texts. */
  edition?: string
}

/** A PDF or EPUB made on request from the sources as they are now. */
export interface EditionFile {
  /** The file name a build gives it. */
  name: string
  data: Buffer
}

/** The HTML edition under preview. */
export class PreviewSite {
  private book: Book | undefined
  /** Every file read, by path, with its latest messages. */
  private readonly messages = new Map<string, VFile>()
  /** What is on disk, by output path: a rebuild writes only files whose content changed. */
  private readonly written = new Map<string, string>()
  /** Editions whose search index and translation report wait for `refreshDerived`. */
  private readonly staleSearch = new Map<string, Edition>()
  /** Counts the changes seen: a PDF or EPUB made at an older revision is made again. */
  private revision = 0
  /** PDFs and EPUBs made on request, by `<format>/<locale>`, until the next change. */
  private readonly editionFiles = new Map<string, { revision: number; file: Promise<EditionFile> }>()

  constructor(private readonly options: SiteOptions) {}

  /** The HTML folder the server serves. */
  get folder(): string {
    return path.join(path.resolve(this.options.out), 'html')
  }

  /** Every error of the files read, in the order they were read. */
  get problems(): Problem[] {
    return [...this.messages.values()].flatMap((file) =>
      file.messages
        .filter((message) => message.fatal === true)
        .map((message) => ({ file: file.path, line: message.line ?? null, column: message.column ?? null, ruleId: message.ruleId ?? null, reason: message.reason }))
    )
  }

  /**
   * Build everything and replace the site's folders as `handbook build` does. Returns the load's
   * result: without a book (broken config, unknown locale) nothing is written.
   */
  async start(): Promise<{ files: VFile[]; configFailed: boolean; unknownLocales: string[] }> {
    const result = await loadBook({ root: this.options.root, locales: this.options.locales, edition: this.options.edition, preview: true })
    this.remember(result.files, true)
    if (!result.book) return result
    const book = (this.book = withPreviewDownloads(result.book))
    const out = path.resolve(this.options.out)
    const units = [
      ...(await Promise.all(book.editions.map((edition) => htmlRenderer.renderEdition({ book, edition })))).flat(),
      ...(await htmlRenderer.renderShared!(book, book.editions))
    ]
    for (const unit of units) {
      if (unit.isDirectory) await replaceDirectory(path.join(out, unit.path), unit.files, out)
      else for (const file of unit.files) await writeFileAtomic(path.join(out, file.path), file.data)
      for (const file of unit.files) this.written.set(file.path, digest(file.data))
    }
    return result
  }

  /**
   * Rebuild after `changed` files (absolute paths) were saved, created or deleted. `onPages` hears of
   * rewritten pages as soon as they are on disk, the edited locale's first: the page being edited
   * reloads before the fallback copies of a source chapter are rendered.
   */
  async apply(changed: readonly string[], onPages: (pages: string[]) => void = () => undefined): Promise<SiteChange> {
    const started = performance.now()
    const locales = this.book?.config.locales.map((locale) => locale.tag) ?? []
    const changes = changed.map((file) => classify(file, path.resolve(this.options.root), locales)).filter((change) => change.kind !== 'ignore')
    const result: SiteChange = { pages: [], rendered: [], css: false, files: [], summary: '' }
    const took = () => `${Math.round(performance.now() - started)} ms`
    if (changes.length === 0) return result
    this.revision++

    if (changes.some((change) => change.kind === 'styles')) {
      result.css = (await this.write([await stylesheet()])).length > 0
      result.summary = `rebuilt the stylesheet in ${took()}`
    }
    const chapters = changes.filter((change): change is Extract<Change, { kind: 'chapter' }> => change.kind === 'chapter')
    // An image that appears (or is fixed) re-renders the chapters that could not show it.
    if (changes.some((change) => change.kind === 'asset')) chapters.push(...this.chaptersWithImageErrors(locales))
    const needsReload =
      !this.book ||
      changes.some((change) => change.kind === 'book') ||
      chapters.some((change) => !existsSync(path.join(this.options.root, change.locale, `${change.id}.md`)))
    if (needsReload) return this.reload(result, took, onPages)

    // When a chapter's outline changes (its title in the front matter, a heading), the pages of its
    // own locale change (navigation, pager, cross-references), and those of the translations that
    // show it as a fallback: only those locales are reloaded, not the whole book.
    const current = this.book!
    const edited = new Set(chapters.map((change) => change.locale))
    const sourceIds = new Set(chapters.filter((change) => change.locale === current.sourceLocale).map((change) => change.id))
    const showing = current.editions.filter((edition) => edition.chapters.some((chapter) => chapter.isFallback && sourceIds.has(chapter.id))).map((edition) => edition.locale.tag)
    const scope = [...new Set([...edited, ...showing])]
    const rewritten: string[] = []
    const outlines: string[] = []
    for (const change of uniqueChapters(chapters)) {
      const update = await updateChapter(this.book!, change.locale, change.id)
      if (!update) {
        // A changed source section also makes its translations stale (or current again): their notices change.
        const moved = (await Promise.all([...sourceIds].map((id) => movedTranslations(current, id)))).flat()
        return this.reload(result, took, onPages, { locales: [...new Set([...scope, ...moved])], chapters: chapters.map((entry) => entry.id) })
      }
      const book = (this.book = update.book)
      this.remember([update.file], false)
      result.files.push(update.file)
      // Images first: the page that shows them reloads next.
      await this.writeMedia(update.editions.flatMap((edition) => edition.chapters.filter((chapter) => chapter.id === change.id)))
      for (const edition of update.editions) {
        this.staleSearch.set(edition.locale.tag, edition)
        const shown = edition.chapters.find((chapter) => chapter.id === change.id)!
        // A translation that has the chapter itself only shows other chapters quoting it: below.
        if (edition.locale.tag !== change.locale && !shown.isFallback) continue
        const file = renderChapterFile(book, edition, shown)
        result.rendered.push(pagePath(file.path))
        const written = await this.write([file])
        if (written.length > 0) onPages(written.map(pagePath))
        rewritten.push(...written)
      }
      if (update.pages.size > 0) {
        outlines.push(`${update.outlineChanged ? 'outline' : 'translation state'} of ${change.locale}/${change.id}`)
        // Its title or a section's changed, or a translation's notice: the pages that show it follow
        // the edited one. A title shows on every page of these editions (the contents), a section's
        // where it is quoted, a notice on the translation's own page.
        for (const edition of update.editions) {
          const wanted = update.pages.get(edition.locale.tag) ?? []
          const done = new Set(result.rendered)
          const others = edition.chapters.filter((chapter) => (wanted === 'all' || wanted.includes(chapter.id)) && !done.has(`${edition.locale.tag}/${chapter.id}.html`))
          const pages = [...(wanted === 'all' ? [() => renderContentsFile(book, edition)] : []), ...others.map((chapter) => () => renderChapterFile(book, edition, chapter))]
          for (const render of pages) {
            // One page at a time, with a turn for the server in between: the browser reloading the
            // edited page fetches it (and its stylesheet, script and fonts) while the rest is made.
            await yieldToServer()
            const file = render()
            result.rendered.push(pagePath(file.path))
            const written = await this.write([file])
            if (written.length > 0) onPages(written.map(pagePath))
            rewritten.push(...written)
          }
        }
      }
    }
    for (const change of changes) {
      if (change.kind !== 'asset') continue
      const written = await this.refreshAsset(change.ref)
      if (written.length > 0) onPages(written.map(pagePath))
      rewritten.push(...written)
    }
    result.pages = [...new Set(rewritten.map(pagePath))]
    if (outlines.length > 0) {
      result.summary = `rebuilt ${result.pages.length} pages of ${[...new Set(result.rendered.map((page) => page.split('/')[0]))].join(', ')} (${outlines.join(', ')} changed) in ${took()}`
    } else if (result.pages.length > 0 || chapters.length > 0) {
      result.summary = `rebuilt ${result.pages.length === 0 ? 'nothing (no page changed)' : result.pages.join(', ')} in ${took()}`
    }
    return result
  }

  /**
   * Write what `apply` left stale besides pages: the search index and the translation report of each
   * edition a chapter changed in. Kept apart so that the changed page is served first: these files
   * are made from all the edition's chapters.
   */
  async refreshDerived(): Promise<void> {
    const book = this.book
    const editions = [...this.staleSearch.values()]
    this.staleSearch.clear()
    if (!book) return
    const current = editions.map((edition) => book.editions.find((candidate) => candidate.locale.tag === edition.locale.tag) ?? edition)
    for (const edition of current) {
      await yieldToServer()
      await this.write([renderSearchIndexFile(edition)])
      await yieldToServer()
      await this.write(renderTranslationReportFile(book, edition))
    }
  }

  /**
   * Load the book again (config, strings, a chapter added or removed, an outline changed) and write
   * what differs. With `scope`, only those translations are loaded and rendered, and the changed
   * chapters' pages in the other locales, whose language switchers list the ids a translation lacks.
   */
  private async reload(
    result: SiteChange,
    took: () => string,
    onPages: (pages: string[]) => void,
    scope?: { locales: readonly string[]; chapters: readonly string[] }
  ): Promise<SiteChange> {
    const loaded = await loadBook({ root: this.options.root, locales: scope?.locales ?? this.options.locales, edition: this.options.edition, preview: true })
    this.remember(loaded.files, scope === undefined)
    result.files = loaded.files
    if (!loaded.book) {
      result.summary = `cannot reload the book: ${loaded.configFailed ? 'the config has errors' : 'unknown locale'}; showing the last good build`
      return result
    }
    const fresh = withPreviewDownloads(loaded.book).editions
    const book: Book = scope && this.book ? { ...loaded.book, editions: this.book.editions.map((edition) => fresh.find((candidate) => candidate.locale.tag === edition.locale.tag) ?? edition) } : { ...loaded.book, editions: fresh }
    this.book = book
    for (const edition of fresh) this.staleSearch.delete(edition.locale.tag)
    const files: OutputFile[] = fresh.flatMap((edition) => renderEditionFiles(book, edition))
    if (!scope) files.push(renderLanguageIndexFile(book))
    else {
      for (const edition of book.editions.filter((candidate) => !fresh.some((entry) => entry.locale.tag === candidate.locale.tag))) {
        for (const chapter of edition.chapters.filter((entry) => scope.chapters.includes(entry.id))) files.push(renderChapterFile(book, edition, chapter))
      }
    }
    result.rendered.push(...files.filter((file) => file.path.endsWith('.html')).map((file) => pagePath(file.path)))
    const rewritten = await this.write(files)
    await this.writeMedia(fresh.flatMap((edition) => edition.chapters))
    // Pages of chapters no longer in the book go, so that links to them fail as they will after a build.
    const kept = new Set(files.map((file) => file.path))
    for (const edition of fresh) {
      const prefix = `html/${edition.locale.tag}/`
      for (const old of [...this.written.keys()]) {
        if (old.startsWith(prefix) && !kept.has(old)) {
          await rm(path.join(path.resolve(this.options.out), old), { force: true })
          this.written.delete(old)
        }
      }
    }
    result.pages = [...new Set(rewritten.map(pagePath))]
    if (result.pages.length > 0) onPages(result.pages)
    result.summary = `reloaded ${scope ? scope.locales.join(', ') : 'the book'}, rewrote ${result.pages.length} pages in ${took()}`
    return result
  }

  /** Write the files whose content differs from what is on disk; returns their output paths. */
  private async write(files: readonly OutputFile[]): Promise<string[]> {
    const out = path.resolve(this.options.out)
    const changed: string[] = []
    for (const file of files) {
      const hash = digest(file.data)
      if (this.written.get(file.path) === hash) continue
      await writeFileAtomic(path.join(out, file.path), file.data)
      this.written.set(file.path, hash)
      changed.push(file.path)
    }
    return changed
  }

  /** Copy the images of `chapters` that are new or changed. */
  private async writeMedia(chapters: readonly { assets: readonly { source: string; ref: string }[] }[]): Promise<void> {
    const seen = new Set<string>()
    const files: OutputFile[] = []
    for (const asset of chapters.flatMap((chapter) => chapter.assets)) {
      if (seen.has(asset.ref)) continue
      seen.add(asset.ref)
      const data = await readFile(asset.source).catch(() => undefined)
      if (data) files.push({ path: `html/media/${asset.ref}`, data })
    }
    await this.write(files)
  }

  /** An image changed: copy it, and return the pages that show it so that they reload. */
  private async refreshAsset(ref: string): Promise<string[]> {
    if (!this.book) return []
    const users = this.book.editions.flatMap((edition) =>
      edition.chapters.filter((chapter) => chapter.assets.some((asset) => asset.ref === ref)).map((chapter) => ({ edition, chapter }))
    )
    if (users.length === 0) return []
    const before = this.written.get(`html/media/${ref}`)
    await this.writeMedia(users.map((user) => user.chapter))
    if (this.written.get(`html/media/${ref}`) === before) return []
    return users.map((user) => `html/${user.edition.locale.tag}/${user.chapter.id}.html`)
  }

  /** The chapters whose latest parse reported an image it could not use: missing, unreadable, of a wrong type. */
  private chaptersWithImageErrors(locales: readonly string[]): Extract<Change, { kind: 'chapter' }>[] {
    const root = path.resolve(this.options.root)
    return [...this.messages.values()]
      .filter((file) => file.messages.some((message) => message.fatal === true && message.ruleId?.startsWith('image-')))
      .map((file) => classify(path.resolve(file.path), root, locales))
      .filter((change): change is Extract<Change, { kind: 'chapter' }> => change.kind === 'chapter')
  }

  /** The locales whose PDF and EPUB the preview can make. */
  get locales(): string[] {
    return this.book?.editions.map((edition) => edition.locale.tag) ?? []
  }

  /**
   * The PDF or EPUB of `locale`, made from the book as it is now (in memory, so it shows the last
   * save), and kept until the next change. Rejects with the reason when it cannot be made: an
   * error in one of its files, or a failure of the renderer.
   */
  edition(locale: string, format: 'pdf' | 'epub'): Promise<EditionFile> {
    const key = `${format}/${locale}`
    const cached = this.editionFiles.get(key)
    if (cached && cached.revision === this.revision) return cached.file
    const file = this.makeEdition(locale, format)
    this.editionFiles.set(key, { revision: this.revision, file })
    // A failure is not kept: the next request tries again.
    file.catch(() => this.editionFiles.get(key)?.file === file && this.editionFiles.delete(key))
    return file
  }

  private async makeEdition(locale: string, format: 'pdf' | 'epub'): Promise<EditionFile> {
    const book = this.book
    const edition = book?.editions.find((candidate) => candidate.locale.tag === locale)
    if (!book || !edition) throw new Error(`No edition \`${locale}\` in this preview`)
    const problems = this.problems
    if (problems.length > 0) throw new Error(`Fix the errors first: ${problems.map((problem) => `${problem.file}:${problem.line ?? 1}: ${problem.reason}`).join('; ')}`)
    const renderer = await renderers.get(format)!.load()
    const file = new VFile({ path: `${format}/${locale}` })
    const units = await renderer.renderEdition({ book, edition, file })
    const output = units.flatMap((unit) => unit.files)[0]
    if (!output) throw new Error(`The ${format} renderer made no file for \`${locale}\``)
    return { name: path.basename(output.path), data: Buffer.from(output.data) }
  }

  /** Keep the latest messages of each file; a full load replaces them all. */
  private remember(files: readonly VFile[], replaceAll: boolean): void {
    if (replaceAll) this.messages.clear()
    for (const file of files) this.messages.set(file.path, file)
  }
}

/** Let pending I/O (the preview's HTTP requests) run before the next piece of CPU work. */
function yieldToServer(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** The book with each edition's PDF and EPUB linked to the routes that make them on request (sizes unknown). */
function withPreviewDownloads(book: Book): Book {
  const editions = book.editions.map((edition): Edition => ({
    ...edition,
    downloads: (['pdf', 'epub'] as const).map((format) => ({ format, href: `${editionsPath}${edition.locale.tag}.${format}` }))
  }))
  return { ...book, editions }
}

function uniqueChapters(changes: readonly Extract<Change, { kind: 'chapter' }>[]): Extract<Change, { kind: 'chapter' }>[] {
  const seen = new Set<string>()
  return changes.filter((change) => {
    const key = `${change.locale}/${change.id}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
