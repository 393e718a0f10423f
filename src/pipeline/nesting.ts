// Limits on nesting: a cheap scan of the Markdown source before parsing, and iterative depth checks of trees.
import type { Node, Parent } from 'unist'

/**
 * The deepest nesting a chapter may have: block containers (block quotes, list items, directives)
 * at the start of a line, inline openers (emphasis, brackets) in a paragraph, raw HTML elements.
 * Real chapters stay below 10; parsing cost grows with the square of the depth, and tree walkers
 * recurse, so far deeper input would hang the parser or overflow the stack.
 */
export const maxNesting = 100

/**
 * The deepest tree (mdast or hast, wrappers included) the renderers are given: serializers and
 * structuredClone recurse and overflow the stack near 1,500 levels.
 */
export const maxTreeDepth = 500

export interface NestingProblem {
  /** What nests too deeply, for the message: containers at line starts or openers in a paragraph. */
  what: 'block' | 'inline'
  /** The estimated depth where the limit was first passed. */
  depth: number
  line: number
  column: number
}

const space = 0x20
const tab = 0x09
const newline = 0x0a
const carriageReturn = 0x0d

/**
 * Scan Markdown for nesting beyond `limit`, without parsing it: linear, no recursion.
 * The estimate errs high, never low for the constructs that nest: `>`, list markers, indentation (2 columns per level),
 * `:::` directive fences at the start of a line and the directive containers they leave open; `[`, `*`, `_` and `~` openers left open in a paragraph (code skipped).
 */
export function scanNesting(text: string, limit: number = maxNesting): NestingProblem | undefined {
  let line = 1
  let index = 0
  let inline = 0
  let fence: string | undefined
  /**
   * The colons of each directive container still open: `:::note` lines nest until a fence of at least
   * as many colons closes the innermost (parsing 3,000 of them takes micromark 150 s).
   */
  const directives: number[] = []
  while (index < text.length) {
    const lineStart = index
    let end = text.indexOf('\n', index)
    if (end < 0) end = text.length
    // Block prefix: whitespace, `>`, list markers, then maybe a directive fence.
    let columns = 0
    let markers = 0
    // Up to 4 columns right after a list marker are its padding, not indentation.
    let padding = 0
    let cursor = lineStart
    for (;;) {
      const code = text.charCodeAt(cursor)
      if (code === space || code === tab) {
        const width = code === tab ? 4 : 1
        const absorbed = Math.min(padding, width)
        padding -= absorbed
        columns += width - absorbed
        cursor++
      } else if (code === 0x3e /* > */) {
        markers++
        padding = 1
        cursor++
      } else if ((code === 0x2d || code === 0x2a || code === 0x2b) /* - * + */ && isBreak(text.charCodeAt(cursor + 1))) {
        markers++
        padding = 4
        cursor++
      } else if (code >= 0x30 && code <= 0x39) {
        let digits = cursor
        while (digits < end && digits - cursor < 9 && isDigit(text.charCodeAt(digits))) digits++
        const delimiter = text.charCodeAt(digits)
        if ((delimiter === 0x2e || delimiter === 0x29) /* . ) */ && isBreak(text.charCodeAt(digits + 1))) {
          markers++
          padding = 4
          cursor = digits + 1
        } else break
      } else break
    }
    let colons = 0
    while (text.charCodeAt(cursor + colons) === 0x3a /* : */) colons++
    const enclosing = directives.length
    if (colons >= 3 && fence === undefined) {
      if (isLetter(text.charCodeAt(cursor + colons))) {
        markers += colons - 2
        directives.push(colons)
      } else if (isBlank(text, cursor + colons, end) && directives.length > 0 && directives.at(-1)! <= colons) directives.pop()
    }
    const block = markers + Math.floor(columns / 2) + enclosing
    if (block > limit) return { what: 'block', depth: block, line, column: 1 }

    // Fenced code: no inline constructs inside.
    const fenceMatch = /^(`{3,}|~{3,})/.exec(text.slice(cursor, Math.min(end, cursor + 64)))
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = undefined
    } else if (fenceMatch) {
      fence = fenceMatch[1]!
      inline = 0
    } else if (cursor >= end || isBlank(text, cursor, end)) {
      inline = 0
    } else {
      let position = cursor
      while (position < end) {
        const code = text.charCodeAt(position)
        if (code === 0x5c /* \ */) {
          position += 2
          continue
        }
        if (code === 0x60 /* ` */) {
          // A code span: skip to the closing run of the same length on this line, if any.
          let run = position
          while (text.charCodeAt(run) === 0x60) run++
          const ticks = text.slice(position, run)
          const close = text.indexOf(ticks, run)
          position = close >= 0 && close < end ? close + ticks.length : run
          continue
        }
        if (code === 0x5b /* [ */) inline++
        else if (code === 0x5d /* ] */) inline = Math.max(0, inline - 1)
        else if (code === 0x2a || code === 0x5f || code === 0x7e /* * _ ~ */) {
          let run = position
          while (text.charCodeAt(run) === code) run++
          const before = position > lineStart ? text.charCodeAt(position - 1) : space
          const after = run < end ? text.charCodeAt(run) : space
          const opens = !isWhitespace(after) && (isWhitespace(before) || isPunctuation(before))
          const closes = !isWhitespace(before) && (isWhitespace(after) || isPunctuation(after))
          if (opens && !closes) inline += run - position
          else if (closes && !opens) inline = Math.max(0, inline - (run - position))
          position = run
          if (inline > limit) return { what: 'inline', depth: inline, line, column: position - lineStart }
          continue
        }
        if (inline > limit) return { what: 'inline', depth: inline, line, column: position - lineStart + 1 }
        position++
      }
    }
    index = end + 1
    line++
  }
  return undefined
}

/**
 * Estimate how deeply raw HTML fragments nest, in document order, without parsing them:
 * start tags open, end tags close; void and self-closed elements and those whose end tag
 * may be left out (`p`, `li`, `td`, ...) do not count, so pasted tables and lists stay low.
 */
export function scanHtmlNesting(fragments: readonly string[], limit: number = maxNesting): number | undefined {
  let depth = 0
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g
  for (const fragment of fragments) {
    tag.lastIndex = 0
    for (let match = tag.exec(fragment); match; match = tag.exec(fragment)) {
      const name = match[2]!.toLowerCase()
      if (voidOrOptional.has(name) || match[3] === '/') continue
      if (match[1] === '/') depth = Math.max(0, depth - 1)
      else if (++depth > limit) return depth
    }
  }
  return undefined
}

const voidOrOptional = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
  'p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'option', 'optgroup', 'rt', 'rp', 'colgroup', 'caption'
])

/** The depth of `tree` (the root is 1) and its deepest node, walked with an explicit stack. */
export function treeDepth(tree: Node): { depth: number; deepest: Node } {
  let best = { depth: 1, deepest: tree }
  const stack: [Node, number][] = [[tree, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (depth > best.depth) best = { depth, deepest: node }
    const children = (node as Partial<Parent>).children
    if (Array.isArray(children)) for (const child of children) stack.push([child, depth + 1])
  }
  return best
}

function isBreak(code: number): boolean {
  return Number.isNaN(code) || code === space || code === tab || code === newline || code === carriageReturn
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39
}

function isLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)
}

function isWhitespace(code: number): boolean {
  return Number.isNaN(code) || code === space || code === tab || code === newline || code === carriageReturn || code === 0xa0
}

function isPunctuation(code: number): boolean {
  return (code >= 0x21 && code <= 0x2f) || (code >= 0x3a && code <= 0x40) || (code >= 0x5b && code <= 0x60) || (code >= 0x7b && code <= 0x7e)
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (!isWhitespace(text.charCodeAt(index))) return false
  return true
}
