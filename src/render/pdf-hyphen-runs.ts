// No more than two hyphenated lines in a row: found and fixed in the laid-out print document, before each print.
import type { VFile } from 'vfile'
import type { Edition } from '../model/types.js'
import { warn } from '../report/messages.js'

/** A run of hyphenated lines that keeping a word whole could not shorten. */
export interface HyphenRun {
  /** The id of the chapter's section. */
  chapter: string
  /** `line:column` in the chapter's source file of the paragraph, if known. */
  src: string | null
  /** The line-end words of the run, as printed (`Kom-`). */
  words: string[]
  /** The paragraph, as the index of its first text node in the body. */
  block: number
}

export interface HyphenRunReport {
  /** Words kept whole so that a third hyphenated line in a row went away. */
  kept: number
  /** The same as edits of the body's text nodes, in order: [text node index, start, end of the word]. */
  edits: [number, number, number][]
  /** Runs of three or more that stayed. */
  left: HyphenRun[]
}

/** Runs in the page: an edit of `HyphenRunReport.edits` made again, the soft hyphens of a word taken out. */
const makeEdit = `((text, start, end) => {
  const data = text.data;
  text.data = data.slice(0, start) + data.slice(start, end).replaceAll('\\u00ad', '') + data.slice(end);
})`

/**
 * Runs in the page (a string: the page runs no script of its own, the protocol's evaluate still
 * works). Chromium has no `hyphenate-limit-lines` (CSS.supports says false in Chromium 156), so the
 * laid-out text is read instead: a soft hyphen where a line breaks is drawn as a hyphen and has a
 * width, one inside a line has none. Per paragraph, the lines come from the client rects of its
 * text; where a third line in a row ends in a break, the soft hyphens of one word of the run are
 * taken out, so the word moves whole to the next line: the third line's word first, else the
 * second's or the first's. A word that would stick out of its line (it starts the line) or leave
 * a line with spaces wider than `maxSpace` em stays broken. The paragraph is then measured again,
 * as the lines after the change are new; what cannot be shortened is reported.
 *
 * With `earlier`, the report of a document that differed only in its page numbers: its edits are
 * made again and its runs kept, but in the paragraphs that show a page number (`[data-page-ref]`),
 * which alone are measured again.
 */
const keepWhole = `((maxRun, maxSpace, earlier) => {
  const SHY = '\\u00ad';
  const isWordChar = (ch) => ch === SHY || /[\\p{L}\\p{M}]/u.test(ch);
  const blockOf = new Map();
  const blockCache = new Map();
  const nearestBlock = (node) => {
    let element = node.parentElement;
    while (element) {
      let inline = blockCache.get(element);
      if (inline === undefined) { inline = getComputedStyle(element).display.startsWith('inline'); blockCache.set(element, inline) }
      if (!inline) return element;
      element = element.parentElement;
    }
    return null;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const order = new Map();
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    order.set(node, order.size);
    texts.push(node);
    const block = nearestBlock(node);
    if (!block) continue;
    let entry = blockOf.get(block);
    if (!entry) blockOf.set(block, (entry = { texts: [], hyphenated: false, first: order.size - 1 }));
    entry.texts.push(node);
    if (node.data.includes(SHY)) entry.hyphenated = true;
  }
  const edits = [];
  const left = [];
  // The paragraphs measured again (all without \`earlier\`), by the index of their first text.
  let again = null;
  if (earlier) {
    again = new Set();
    for (const reference of document.querySelectorAll('[data-page-ref]')) {
      const block = nearestBlock(reference.firstChild || reference);
      if (block && blockOf.has(block)) again.add(blockOf.get(block).first);
    }
    const firstOf = (text) => { const block = nearestBlock(text); return block ? blockOf.get(block).first : -1 };
    const makeEdit = ${makeEdit};
    for (const edit of earlier.edits) {
      const text = texts[edit[0]];
      if (!text || again.has(firstOf(text))) continue;
      makeEdit(text, edit[1], edit[2]);
      edits.push(edit);
    }
    for (const run of earlier.left) if (!again.has(run.block)) left.push(run);
  }
  const range = document.createRange();
  // The lines of a block, top to bottom, as [top, bottom] bands. One text's rects are one per line,
  // but for the hyphen drawn at a soft-hyphen break, which is a rect of its own on the same line:
  // such a line is a candidate, and only the lines of a long run are searched for the break itself.
  const measure = (texts) => {
    const rects = [];
    for (const text of texts) {
      range.selectNodeContents(text);
      const own = range.getClientRects();
      const soft = text.data.includes(SHY);
      let previous = null;
      for (const rect of own) {
        if (rect.height <= 0) continue;
        const middle = (rect.top + rect.bottom) / 2;
        const hyphen = soft && previous !== null && middle >= previous.top && middle <= previous.bottom;
        rects.push({ top: rect.top, bottom: rect.bottom, hyphen: hyphen ? text : null });
        previous = rect;
      }
    }
    rects.sort((a, b) => a.top - b.top);
    const lines = [];
    for (const rect of rects) {
      const middle = (rect.top + rect.bottom) / 2;
      const line = lines.at(-1);
      if (line && middle >= line.top && middle <= line.bottom) {
        line.bottom = Math.max(line.bottom, rect.bottom);
        if (rect.hyphen) line.candidate = rect.hyphen;
        continue;
      }
      lines.push({ top: rect.top, bottom: rect.bottom, candidate: rect.hyphen, found: undefined });
    }
    return lines;
  };
  // The soft hyphen a line breaks at, { text, index }, or null: a soft hyphen inside a line has no width.
  const breakOf = (line) => {
    if (line.found !== undefined) return line.found;
    line.found = null;
    const text = line.candidate;
    if (!text) return null;
    const data = text.data;
    for (let index = data.indexOf(SHY); index >= 0; index = data.indexOf(SHY, index + 1)) {
      range.setStart(text, index);
      range.setEnd(text, index + 1);
      const rect = range.getBoundingClientRect();
      const middle = (rect.top + rect.bottom) / 2;
      if (rect.width > 0 && middle >= line.top && middle <= line.bottom) return (line.found = { text, index });
    }
    return null;
  };
  const wordAt = (text, index) => {
    const data = text.data;
    let start = index, end = index + 1;
    while (start > 0 && isWordChar(data[start - 1])) start--;
    while (end < data.length && isWordChar(data[end])) end++;
    return { start, end };
  };
  const shown = (text, index) => {
    const { start } = wordAt(text, index);
    return text.data.slice(start, index).replaceAll(SHY, '') + '-';
  };
  for (const [block, entry] of blockOf) {
    if (!entry.hyphenated || (again && !again.has(entry.first))) continue;
    // Keep the word broken at \`line\` whole, unless that makes a line too loose or overfull.
    const tryWhole = (line) => {
      const { text, index } = line.found;
      const { start, end } = wordAt(text, index);
      const before = text.data;
      const whole = before.slice(start, end).replaceAll(SHY, '');
      text.data = before.slice(0, start) + whole + before.slice(end);
      // A word that starts its line has nowhere to go: whole, it sticks out of the line.
      range.setStart(text, start);
      range.setEnd(text, start + whole.length);
      const style = getComputedStyle(block);
      const right = block.getBoundingClientRect().right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
      let fits = ![...range.getClientRects()].some((rect) => rect.right > right + 0.5);
      // The line the word left is justified over fewer words: a space wider than maxSpace em is a
      // hole in the text a typesetter takes a third hyphen over.
      const space = before.lastIndexOf(' ', start - 2);
      if (fits && space >= 0) {
        range.setStart(text, space);
        range.setEnd(text, space + 1);
        const rect = range.getBoundingClientRect();
        const middle = (rect.top + rect.bottom) / 2;
        const fontSize = parseFloat(getComputedStyle(text.parentElement).fontSize);
        if (middle >= line.top && middle <= line.bottom && rect.width > maxSpace * fontSize) fits = false;
      }
      if (!fits) text.data = before;
      else edits.push([order.get(text), start, end]);
      return fits;
    };
    const tried = new Set();
    for (let round = 0; round < 50; round++) {
      const lines = measure(entry.texts);
      let run = [];
      let fixed = false;
      for (const line of lines) {
        if (!line.candidate) { run = []; continue }
        run.push(line);
        if (run.length <= maxRun) continue;
        const stop = run.findLastIndex((entry) => !breakOf(entry));
        if (stop >= 0) run = run.slice(stop + 1);
        if (run.length <= maxRun) continue;
        // The run's last line first: it changes the fewest lines; then the lines above it.
        for (const candidate of run.slice(-maxRun - 1).reverse()) {
          const key = entry.texts.indexOf(candidate.found.text) + ':' + candidate.found.index + ':' + candidate.top;
          if (tried.has(key)) continue;
          tried.add(key);
          if (tryWhole(candidate)) { fixed = true; break }
        }
        if (fixed) break;
      }
      if (fixed) continue;
      // What stays: runs longer than maxRun in the final lines (searched only where the candidates run that long).
      const runs = [];
      run = [];
      for (const line of [...lines, { candidate: null }]) {
        if (line.candidate) { run.push(line); continue }
        if (run.length > maxRun) runs.push(run);
        run = [];
      }
      for (const candidates of runs) {
        let verified = [];
        for (const line of [...candidates, { candidate: null, found: null }]) {
          if (breakOf(line)) { verified.push(line); continue }
          if (verified.length > maxRun) {
            const section = block.closest('section.book-page[id]');
            const located = block.closest('[data-src]');
            left.push({ chapter: section ? section.id : '', src: located ? located.getAttribute('data-src') : null, words: verified.map((line) => shown(line.found.text, line.found.index)), block: entry.first });
          }
          verified = [];
        }
      }
      break;
    }
  }
  // Each word kept whole is one edit.
  return { kept: edits.length, left, edits };
})`

/**
 * The page expression that keeps words whole where a paragraph would otherwise end more than
 * `maxRun` lines in a row with a hyphen, and gives a `HyphenRunReport`. Evaluate it in the loaded
 * print document laid out at the text width (`textWidthStyle` of pdf-overflow.ts). With `earlier`,
 * the report of the same document with other page numbers, only the paragraphs showing a page
 * number are measured; the others get the fixes it made.
 */
export function limitHyphenRuns(earlier?: HyphenRunReport, maxRun = 2, maxSpace = 1): string {
  return `${keepWhole}(${maxRun}, ${maxSpace}, ${earlier ? JSON.stringify(earlier) : 'null'})`
}

/** A `hyphenation` warning per run that could not be shortened, at its paragraph in the chapter's source. */
export function reportHyphenRuns(file: VFile, edition: Edition, runs: readonly HyphenRun[], maxRun = 2): void {
  for (const run of runs) {
    const chapter = edition.chapters.find((entry) => entry.id === run.chapter)
    const [line, column] = (run.src ?? '').split(':').map(Number)
    const where = `${chapter?.sourceFile ?? run.chapter}${run.src ? `:${run.src}` : ''}`
    const message = warn(
      file,
      `${run.words.length} lines in a row end in a hyphen (${run.words.join(' ')}) in the paragraph at \`${where}\`, more than ${maxRun}: no word could be kept whole; reword the paragraph or give a long word fewer breaks in the hyphenation exception list`,
      line && column ? { line, column } : undefined,
      'hyphenation'
    )
    if (chapter) message.file = chapter.sourceFile
  }
}

/**
 * The page expression that makes the `edits` of an earlier `limitHyphenRuns` in a document with the
 * same body again, without laying it out: the final print's body is the measured one, and its
 * layout for the screen would cost half a print.
 */
export function replayHyphenEdits(edits: readonly [number, number, number][]): string {
  return `((edits) => {
  const makeEdit = ${makeEdit};
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node);
  for (const [index, start, end] of edits) if (texts[index]) makeEdit(texts[index], start, end);
  return edits.length;
})(${JSON.stringify(edits)})`
}
