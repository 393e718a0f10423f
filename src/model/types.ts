// The book model: Book -> Edition (one per locale) -> Chapter. Built once; renderers only read it.
import type { Root } from 'hast'
import type { Position } from 'unist'
import type { Config, LocaleConfig } from '../config/schema.js'
import type { Strings } from '../i18n/defaults.js'
import type { AssetInfo, ChapterKind, FloatInfo, FootnoteInfo, HeadingInfo, Matter, TermInfo } from '../pipeline/data.js'

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
}

export interface Book {
  config: Config
  /** Absolute path of the handbook folder. */
  root: string
  sourceLocale: string
  editions: readonly Edition[]
}
