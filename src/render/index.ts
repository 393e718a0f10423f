// The renderers this version ships, by format. Each is loaded when a build renders that format:
// PDF alone brings pdf-lib and puppeteer, EPUB resvg, and a build with nothing to render loads none.
import type { Format } from '../config/schema.js'
import type { Renderer } from './types.js'

export interface RendererEntry {
  /** Whether it renders with Chromium: the build then starts the browser while it reads the book. */
  usesBrowser: boolean
  load(): Promise<Renderer>
}

export const renderers: ReadonlyMap<Format, RendererEntry> = new Map<Format, RendererEntry>([
  ['html', { usesBrowser: false, load: async () => (await import('./html.js')).htmlRenderer }],
  ['epub', { usesBrowser: false, load: async () => (await import('./epub.js')).epubRenderer }],
  ['pdf', { usesBrowser: true, load: async () => (await import('./pdf.js')).pdfRenderer }]
])
