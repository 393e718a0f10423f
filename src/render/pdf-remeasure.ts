// Measuring again only the chapters a page-break fix changed. Every chapter opens a new page and
// every page has a text block of the same size (the margins mirror), so a chapter lays out alone
// exactly as it does in the whole book: on the Latvian book, the 42 destinations of 4 chapters
// printed alone landed on the same page of their chapter at the same height as in the whole print.
// A print of the chapters alone costs a fraction of the whole book's (192 ms for 4 of 18 chapters,
// against 790 ms), and where the other chapters' pages go follows from how much these grew or shrank.
import { markLinksId } from './pdf-widows.js'

/** Where the named destinations of one print landed. */
export interface Measure {
  /** Page (1-based) of each destination. */
  landed: ReadonlyMap<string, number>
  pageCount: number
}

export interface Span {
  start: number
  /** Pages from the chapter's first to its last, not counting a blank page before the next chapter. */
  length: number
}

/**
 * Where each chapter of `order` (all of them in a print, in order) opens and how many pages it
 * takes; `blankBefore` the chapters the print put a blank page before. Undefined when a chapter's
 * own destination is missing or the chapters are not in order: then nothing is derived from the print.
 */
export function chapterSpans(print: Measure, order: readonly string[], blankBefore: ReadonlySet<string>): Map<string, Span> | undefined {
  const starts = order.map((id) => print.landed.get(id))
  if (starts.some((start, index) => start === undefined || (index > 0 && start <= starts[index - 1]!))) return undefined
  const spans = new Map<string, Span>()
  order.forEach((id, index) => {
    const start = starts[index]!
    const end = index + 1 < order.length ? starts[index + 1]! - (blankBefore.has(order[index + 1]!) ? 1 : 0) : print.pageCount + 1
    spans.set(id, { start, length: end - start })
  })
  return spans
}

/** The chapter of `spans` that `page` falls in, if any (front matter has none). */
export function chapterAt(spans: ReadonlyMap<string, Span>, page: number): string | undefined {
  for (const [id, span] of spans) if (page >= span.start && page < span.start + span.length) return id
  return undefined
}

/**
 * The whole book's destinations as if it had been printed again with the chapters of `partial`
 * laid out as that print of them alone shows: their destinations from it, moved to where they now
 * open, and every later chapter moved by what the earlier ones grew or shrank. Undefined when the
 * partial print lacks a destination the whole one had in those chapters.
 */
export function mergeMeasures(
  whole: { print: Measure; spans: ReadonlyMap<string, Span> },
  partial: { print: Measure; spans: ReadonlyMap<string, Span> }
): { print: Measure; spans: Map<string, Span> } | undefined {
  const spans = new Map<string, Span>()
  const shiftOf = new Map<string, number>()
  let shift = 0
  for (const [id, span] of whole.spans) {
    shiftOf.set(id, shift)
    const remeasured = partial.spans.get(id)
    spans.set(id, { start: span.start + shift, length: remeasured?.length ?? span.length })
    if (remeasured) shift += remeasured.length - span.length
  }
  const landed = new Map<string, number>()
  for (const [name, page] of whole.print.landed) {
    const chapter = chapterAt(whole.spans, page)
    if (chapter !== undefined && partial.spans.has(chapter)) {
      if (!partial.print.landed.has(name)) return undefined
      continue
    }
    landed.set(name, page + (chapter === undefined ? 0 : shiftOf.get(chapter)!))
  }
  for (const [name, page] of partial.print.landed) {
    const chapter = chapterAt(partial.spans, page)
    if (chapter === undefined) return undefined
    landed.set(name, spans.get(chapter)!.start + page - partial.spans.get(chapter)!.start)
  }
  return { print: { landed, pageCount: whole.print.pageCount + shift }, spans }
}

/**
 * The page expression that shows only the chapter sections `chapters` (and the box of the marks'
 * links) and applies the break fixes `css`: the next print lays out those chapters alone.
 */
export function showOnlyChapters(chapters: readonly string[], css: string): string {
  return `((chapters, css) => {
  let style = document.getElementById('remeasure-fixes');
  if (!style) {
    style = document.createElement('style');
    style.id = 'remeasure-fixes';
    document.head.append(style);
  }
  style.textContent = css;
  for (const child of document.body.children) {
    const shown = child.id === '${markLinksId}' || (child.matches('section.book-page') && chapters.includes(child.id));
    child.style.display = shown ? '' : 'none';
  }
})(${JSON.stringify(chapters)}, ${JSON.stringify(css)})`
}
