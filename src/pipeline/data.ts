// What the pipeline's plugins read from and record on each chapter's vfile.
import type { Position } from 'unist'

export type ChapterKind = 'chapter' | 'part' | 'glossary'
export type Matter = 'front' | 'body' | 'back'

/** The chapter being processed, set on `file.data.chapter` before the run. */
export interface ChapterContext {
  id: string
  /** The language of the content (the source locale for a fallback chapter). */
  locale: string
  kind: ChapterKind
  /** The chapter number, or `null` in front and back matter. */
  number: number | null
  /** Absolute path of the handbook folder. */
  root: string
  /** Absolute path of the chapter file. */
  sourcePath: string
}

export interface HeadingInfo {
  depth: number
  id: string
  text: string
  /** "2.3" for sections of numbered chapters. */
  number: string | null
  explicit: boolean
  position?: Position
}

export interface FloatInfo {
  kind: 'figure' | 'table'
  id: string
  number: string
  caption: string
  position?: Position
}

export interface AssetInfo {
  /** Absolute path of the file. */
  source: string
  /** Path relative to the handbook folder, with `/`: the image's `src` in the model. */
  ref: string
}

export interface FootnoteInfo {
  id: string
  label: string
}

export interface TermInfo {
  /** The id authors use, without the `term-` prefix. */
  id: string
  term: string
  position?: Position
}

declare module 'vfile' {
  interface DataMap {
    chapter: ChapterContext
    headings: HeadingInfo[]
    floats: FloatInfo[]
    assets: AssetInfo[]
    footnotes: FootnoteInfo[]
    terms: TermInfo[]
  }
}

/** The element id of a glossary entry. */
export function termAnchor(id: string): string {
  return `term-${id}`
}

/** Ids are lowercase words joined by hyphens; `--` separates a chapter prefix. */
export const idPattern = /^[a-z0-9][a-z0-9-]*$/
