// The interface every renderer implements: one edition in, files out; writing is not its business.
import type { VFile } from 'vfile'
import type { Format } from '../config/schema.js'
import type { Book, Edition } from '../model/types.js'
import type { OutputFile } from '../output/write.js'
import type { ParseCache } from '../pipeline/parse-cache.js'

export interface RenderContext {
  book: Book
  edition: Edition
  signal?: AbortSignal
  /** Where a renderer reports problems found while rendering (for example, Chromium's console errors). */
  file?: VFile
  /** Print edition for a print shop: bleed and crop marks. */
  printReady?: boolean
  /** Results kept by content across builds (the EPUB cover image); none with `--no-cache`. */
  cache?: ParseCache
}

/** A group of files that replaces one folder (or one file) of the output as a whole. */
export interface OutputUnit {
  /** The folder (or single file) this unit owns, relative to the output folder, with `/`. */
  path: string
  /** Whether `path` is a folder that the unit replaces entirely. */
  isDirectory: boolean
  locale: string | null
  files: OutputFile[]
}

export interface Renderer {
  format: Format
  /** The files of one edition. */
  renderEdition(context: RenderContext): Promise<OutputUnit[]>
  /** Files shared by all editions of the format (assets, a language index). */
  renderShared?(book: Book, editions: readonly Edition[]): Promise<OutputUnit[]>
}
