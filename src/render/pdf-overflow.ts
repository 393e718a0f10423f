// Finding content wider than the print's text block, before Chromium would shrink every page to fit it.
import type { Element, Root } from 'hast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { Edition } from '../model/types.js'
import { warn } from '../report/messages.js'

/** One element that is wider than its chapter's text block. */
export interface Overflow {
  /** The id of the chapter's section. */
  chapter: string
  /** `line:column` in the chapter's source file. */
  src: string
  tag: string
  /** How far it sticks out, in CSS pixels (1/96 in). */
  px: number
}

/**
 * Record every element's place in its source file as `data-src="line:column"`, so an element the
 * browser finds too wide can be reported at the line that wrote it.
 */
export function markSourcePositions(tree: Root): void {
  visit(tree, 'element', (node: Element) => {
    const start = node.position?.start
    if (start) node.properties.dataSrc = `${start.line}:${start.column}`
  })
}

// Runs in the page (a string: the page runs no script of its own, the protocol's evaluate still works).
// Reports the outermost element of each overflow: a table too wide makes its cells too wide too.
const probe = `(() => {
  const found = [];
  const seen = new Set();
  for (const section of document.querySelectorAll('section.book-page[id]')) {
    const box = section.getBoundingClientRect();
    for (const element of section.querySelectorAll('[data-src]')) {
      let ancestor = element.parentElement;
      let inside = false;
      while (ancestor && ancestor !== section) { if (seen.has(ancestor)) { inside = true; break } ancestor = ancestor.parentElement }
      if (inside) continue;
      const inline = getComputedStyle(element).display === 'inline';
      let over = inline ? 0 : element.scrollWidth - element.clientWidth;
      for (const rect of element.getClientRects()) over = Math.max(over, rect.right - box.right, box.left - rect.left);
      if (over > 1) {
        seen.add(element);
        found.push({ chapter: section.id, src: element.getAttribute('data-src'), tag: element.tagName.toLowerCase(), px: Math.round(over) });
      }
    }
  }
  return found;
})()`

/**
 * The style that lays the print document out on screen as the print lays out its text: the root
 * exactly as wide as the text block (a viewport has whole pixels only, and a line breaks
 * differently a fraction of a pixel narrower). Screen only: the print itself has its page boxes.
 * It goes into the loaded document, not the print document others print in other ways.
 */
export function textWidthStyle(textWidthMm: number): string {
  return `@media screen { html { width: ${textWidthMm}mm !important; } }`
}

/** The page expression that lists what is wider than the text block, in a document with `textWidthStyle`. */
export const overflowProbe = probe

/** A `content-overflow` warning per element, naming the chapter file, line and column. */
export function reportOverflow(file: VFile, edition: Edition, found: readonly Overflow[]): void {
  for (const overflow of found) {
    const chapter = edition.chapters.find((entry) => entry.id === overflow.chapter)
    const [line, column] = overflow.src.split(':').map(Number)
    const mm = Math.round((overflow.px / 96) * 25.4)
    const message = warn(
      file,
      `Unexpected \`<${overflow.tag}>\` at \`${chapter?.sourceFile ?? overflow.chapter}:${overflow.src}\` wider than the text block by ${mm} mm: it is cut off in print; make it narrower (shorter lines, fewer table columns, a smaller image) or remove the fixed width`,
      line && column ? { line, column } : undefined,
      'content-overflow'
    )
    if (chapter) message.file = chapter.sourceFile
  }
}
