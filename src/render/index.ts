// The renderers this version ships, by format.
import type { Format } from '../config/schema.js'
import { epubRenderer } from './epub.js'
import { htmlRenderer } from './html.js'
import { pdfRenderer } from './pdf.js'
import type { Renderer } from './types.js'

export const renderers: ReadonlyMap<Format, Renderer> = new Map([
  [htmlRenderer.format, htmlRenderer],
  [epubRenderer.format, epubRenderer],
  [pdfRenderer.format, pdfRenderer]
])
