// The book model: Book -> Edition (one per locale) -> Chapter. Built once; renderers only read it.
import type { Root } from 'hast'
import type { Position } from 'unist'
import type { Config, LocaleConfig } from '../config/schema.js'
import type { Strings } from '../i18n/defaults.js'
import type { AssetInfo, ChapterKind, FloatInfo, FootnoteInfo, HeadingInfo, Matter, TermInfo } from '../pipeline/data.js'
import type { ChapterState, LocaleStatus } from '../content/translation-state.js'

export type { AssetInfo, ChapterKind, FloatInfo, FootnoteInfo, HeadingInfo, Matter, TermInfo }

export interface Chapter {
  /** The file name without `.md`, shared by every locale. */
  id: string
  kind: ChapterKind
  matter: Matter
  /** Chapter number in the body, `null` in front and back matter and for parts. */
  number: number | null
  /** For a part opener, the part's number. */
  partNumber: number | null
  /** The id of the part this chapter belongs to. */
  partId: string | null
  title: string
  shortTitle: string
  description: string | undefined
  /** The language of the content: the source locale when `isFallback`. */
  lang: string
  /** Shown from the source locale because the edition's locale has no translation. */
  isFallback: boolean
  /** The translation is marked unfinished in its front matter. */
  draft: boolean
  headings: readonly HeadingInfo[]
  figures: readonly FloatInfo[]
  tables: readonly FloatInfo[]
  footnotes: readonly FootnoteInfo[]
  terms: readonly TermInfo[]
  assets: readonly AssetInfo[]
  /** Words of running text, for translation status. */
  words: number
  hast: Root
  /** The Markdown file, relative to the working directory. */
  sourceFile: string
  /**
   * Ids the text after an unclosed code fence, directive or HTML comment would have defined:
   * links to them are follow-ons of that one error, in this edition and in translations.
   */
  swallowedIds?: readonly string[]
  /**
   * How this locale's chapter stands against its source (see content/translation-state.ts):
   * `source` in the source edition; in a translation `current`, `stale`, `draft`, `untracked` or
   * `missing` (then `isFallback`). A stale chapter shown from the source (`translations.stale:
   * fallback`) is `isFallback` with state `stale`. Absent for a partner edition's own chapters.
   */
  translation?: ChapterTranslation
}

/** A chapter's translation state, for notices and the translation report. */
export interface ChapterTranslation {
  state: ChapterState
  /** Ids of sections whose source changed since the translation (and of sections gone from the source). */
  staleSections: readonly string[]
  /** Ids of source sections the translation lacks. */
  missingSections: readonly string[]
}

/** Anything a cross-reference can point at. */
export interface Target {
  id: string
  kind: 'chapter' | 'part' | 'section' | 'figure' | 'table' | 'term'
  chapterId: string
  number: string | null
  title: string
  position?: Position
  sourceFile: string
}

export interface Edition {
  locale: LocaleConfig
  /** True for the locale the chapters are written in. */
  isSource: boolean
  title: string
  subtitle: string | undefined
  strings: Strings
  chapters: readonly Chapter[]
  targets: ReadonlyMap<string, Target>
  /** Set when the edition is a partner edition (`build --edition <name>`). */
  partner?: PartnerEdition
  /**
   * The PDF and EPUB of this locale that its HTML pages link to: set by `build` (files it wrote, or
   * found in the output folder) and by `serve` (its on-demand routes), never by the loader.
   */
  downloads?: readonly EditionDownload[]
}

/** A file of another format of the same edition, as the HTML site links it. */
export interface EditionDownload {
  format: 'pdf' | 'epub'
  /** The link, relative to the locale's pages (or a route of the preview). */
  href: string
  /** Its size in bytes; unknown for the preview's files, which are made on request. */
  bytes?: number
}

/** What a partner edition overlay adds to an edition besides its chapters (see content/edition-overlay.ts). */
export interface PartnerEdition {
  /** The overlay's name: `editions/<name>.yaml`. */
  name: string
  /** The partner's logo for the cover and title page. */
  logo?: {
    /** Absolute path of the image. */
    source: string
    /** Path relative to the handbook folder, with `/`, as chapter images give it. */
    ref: string
    alt: string
  }
}

export interface Book {
  config: Config
  /** Absolute path of the handbook folder. */
  root: string
  sourceLocale: string
  editions: readonly Edition[]
  /** The translation state of every configured locale (the source first), for the translation report. */
  translationStatus?: readonly LocaleStatus[]
  /** Loaded for the editors' preview (`handbook serve`), not for publishing. */
  preview?: boolean
}
