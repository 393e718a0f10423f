// Single lines of a paragraph alone at a page top or bottom, which Chromium 156 leaves despite
// `widows`/`orphans`: found with marks in the measuring print, fixed by keeping the paragraph whole.
import type { NamedDestination } from './pdf-breaks.js'

/** The paragraphs the marks and fixes count: text blocks that hold no other block. */
const paragraphs = 'p, li:not(:has(p, ul, ol, div, table, pre, blockquote)), dd:not(:has(p, ul, ol, div, table, pre, blockquote))'

/** Prefix of the marks' ids: `<prefix><index>-s` at a paragraph's start, `-e` at its end. */
const markPrefix = 'hb-line-'

/** Id of the box of links that makes the print write the marks' destinations. */
export const markLinksId = `${markPrefix}links`

/**
 * The page expression that keeps each paragraph of `whole` (indices in document order of
 * `paragraphs`) from breaking across pages and, with `mark`, keeps paragraphs of two or three
 * lines whole too (two lines on each side of a break leave them no place to break) and puts an
 * empty anchor at the start and end of every longer one, each the target of a link in an
 * invisible box, so that the print writes a named destination for both: their pages and heights
 * tell a single line at a page top or bottom. The marks take no room: the lines stay as the final
 * print sets them. Each mark costs the print time (on the Latvian book, 170 ms of a 630 ms
 * measuring print for all multi-line paragraphs, 85 ms for half of them), so the short paragraphs
 * get none. With `mark`, gives the indices of the short paragraphs it kept whole.
 */
export function markParagraphs(whole: readonly number[], mark: boolean): string {
  return `((whole, mark) => {
  const blocks = [...document.body.querySelectorAll(${JSON.stringify(paragraphs)})];
  for (const index of whole) if (blocks[index]) blocks[index].style.breakInside = 'avoid';
  if (!mark) return [];
  const links = document.createElement('div');
  links.id = '${markLinksId}';
  links.style.cssText = 'position: absolute; width: 0; height: 0; overflow: hidden;';
  // All measured first, then all marked: a mark put in before the next measurement would make
  // the browser lay the book out again for each paragraph.
  const marked = [];
  const short = [];
  blocks.forEach((block, index) => {
    if (block.closest('nav, table, figure, .toc')) return;
    const rects = block.getClientRects();
    if (rects.length === 0) return;
    const style = getComputedStyle(block);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    const lines = Math.round(rects[0].height / line);
    if (lines === 2 || lines === 3) short.push([block, index]);
    else if (lines > 3) marked.push([block, index]);
  });
  for (const [block] of short) block.style.breakInside = 'avoid';
  for (const [block, index] of marked) {
    for (const [end, where] of [['s', 'prepend'], ['e', 'append']]) {
      const anchor = document.createElement('a');
      anchor.id = '${markPrefix}' + index + '-' + end;
      block[where](anchor);
      const link = document.createElement('a');
      link.href = '#' + anchor.id;
      links.append(link);
    }
  }
  document.body.prepend(links);
  return short.map(([, index]) => index);
})(${JSON.stringify(whole)}, ${mark})`
}

/** A paragraph that left one of its lines alone on a page. */
export interface StrandedLine {
  /** Index of the paragraph (see `markParagraphs`). */
  index: number
  /** The page (1-based) the single line stands on. */
  page: number
  where: 'top' | 'bottom'
}

/**
 * From the marks' destinations (`namedDestinations` of the print), the paragraphs whose first line
 * ends a page alone (the start mark less than two lines above the text block's bottom, the end
 * mark overleaf) or whose last line starts one alone (the end mark on the text block's first
 * line, the start mark on an earlier page). Heights in points as Chromium writes them: from the
 * page bottom, plus the top margin (`blockTop` is the text block's top on that scale: the page
 * height; `blockBottom` the top margin plus the bottom margin).
 */
export function strandedLines(destinations: readonly NamedDestination[], page: { height: number; blockBottom: number }, lineHeight: number): StrandedLine[] {
  const marks = new Map<number, { s?: { page: number; top: number }; e?: { page: number; top: number } }>()
  for (const { name, page: at, top } of destinations) {
    const match = new RegExp(`^${markPrefix}(\\d+)-([se])$`).exec(name)
    if (!match || top === undefined) continue
    const index = Number(match[1])
    const entry = marks.get(index) ?? {}
    entry[match[2] as 's' | 'e'] = { page: at, top }
    marks.set(index, entry)
  }
  const found: StrandedLine[] = []
  for (const [index, { s, e }] of marks) {
    if (!s || !e || s.page === e.page) continue
    // The start mark stands at its line's top: below it, room for one line only.
    if (s.top - page.blockBottom < 1.9 * lineHeight) found.push({ index, page: s.page, where: 'bottom' })
    // The end mark on the first line of its page.
    else if (page.height - e.top < 0.9 * lineHeight) found.push({ index, page: e.page, where: 'top' })
  }
  return found.sort((a, b) => a.page - b.page)
}

/** The page expression that gives, per paragraph index, its chapter section's id and its `data-src` (`line:column`). */
export function paragraphPlaces(indices: readonly number[]): string {
  return `(() => {
  const blocks = [...document.body.querySelectorAll(${JSON.stringify(paragraphs)})];
  return ${JSON.stringify(indices)}.map((index) => {
    const block = blocks[index];
    const section = block && block.closest('section.book-page[id]');
    const located = block && block.closest('[data-src]');
    return { chapter: section ? section.id : '', src: located ? located.getAttribute('data-src') : null };
  });
})()`
}
