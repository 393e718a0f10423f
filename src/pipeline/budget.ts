// Parse budgets: a linear scan of a chapter's Markdown that refuses what the parser would take minutes or gigabytes on.
//
// micromark (under remark-parse) is linear for ordinary prose, but not everywhere: matching emphasis
// delimiters compares every closer with the openers before it in the same paragraph (quadratic: 10,000
// `_a*` runs take 24 s of CPU, 40,000 several minutes), and every table row, list item and bracket
// costs tens of kilobytes and a fraction of a millisecond in the token stream, the syntax tree and
// their copies (150,000 table rows: 3 GB). The limits below are counted on the source before it is
// parsed, so a chapter over one is never handed to the parser: it gets `chapter-too-complex` at the
// place the limit was passed, and the rest of the book still builds.

/**
 * The limits: each more than 30 times the handbook's largest count (over every chapter of every
 * locale, given below; the test books stay lower still, but for 72 `*` YAML aliases in a hostile
 * fixture's front matter), and low enough that a chapter just under all of them at once is checked
 * in about 5 s of CPU and 200 MB (test/security-budgets.test.ts; docs/security.md).
 */
export const budgets = {
  /**
   * Emphasis and strikethrough delimiter runs (`*`, `_`, `~`) in one paragraph, table row or
   * heading: the quadratic case (measured, parsing alone: 2,000 runs 1.2 s, 5,000 6.4 s, 10,000 24 s). Handbook: 16.
   */
  delimitersPerParagraph: 1_000,
  /** The same in the whole chapter: each costs time and memory however they are spread out. Handbook: 56. */
  delimitersPerChapter: 5_000,
  /** `[` and `]` (links, images, footnote references, plain brackets) in a chapter: some 0.27 ms each. Handbook: 62. */
  bracketsPerChapter: 5_000,
  /** Table rows in a chapter, header rows included (each some 27 KB of memory while parsing: 20,000 rows 530 MB). Handbook: 10. */
  tableRowsPerChapter: 2_000,
  /** List items in a chapter, nested ones included (each some 20 KB while parsing: 20,000 items 400 MB). Handbook: 31. */
  listItemsPerChapter: 2_000
} as const

export type BudgetName = keyof typeof budgets

export interface BudgetProblem {
  budget: BudgetName
  limit: number
  line: number
  column: number
}

/** What each limit counts, for the message. */
export const budgetWhat: Record<BudgetName, string> = {
  delimitersPerParagraph: 'emphasis or strikethrough delimiters (`*`, `_`, `~`) in one paragraph',
  delimitersPerChapter: 'emphasis or strikethrough delimiters (`*`, `_`, `~`) in the chapter',
  bracketsPerChapter: 'brackets (`[`, `]`: links, images, references) in the chapter',
  tableRowsPerChapter: 'table rows in the chapter',
  listItemsPerChapter: 'list items in the chapter'
}

/** The fix for each limit, for the message. */
export const budgetFix: Record<BudgetName, string> = {
  delimitersPerParagraph: 'split the paragraph, or escape literal `*` and `_` as `\\*` and `\\_`',
  delimitersPerChapter: 'split the chapter into several chapters',
  bracketsPerChapter: 'split the chapter into several chapters',
  tableRowsPerChapter: 'split the chapter, or move the data into a file readers download',
  listItemsPerChapter: 'split the chapter into several chapters'
}

const space = 0x20
const tab = 0x09

/** A GFM table's delimiter row: cells of dashes with optional alignment colons, at least one pipe. */
const delimiterRow = /^[ \t]{0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/

/**
 * Count what the budgets limit, in one pass over the lines, and return the first limit passed. Code
 * (fenced blocks, code spans) and backslash-escaped characters are not counted: the parser does not
 * treat them as delimiters either. The counts err high, never low (a `*` that cannot open or close
 * is still counted).
 */
export function scanBudget(text: string, limits: Record<BudgetName, number> = budgets): BudgetProblem | undefined {
  return measureBudget(text, limits).problem
}

/** The counts `scanBudget` compares with the limits (the largest paragraph's for the per-paragraph one), and the first limit passed. */
export function measureBudget(text: string, limits: Record<BudgetName, number> = budgets): { problem?: BudgetProblem; counts: Record<BudgetName, number> } {
  const counts = { delimitersPerParagraph: 0, delimitersPerChapter: 0, bracketsPerChapter: 0, tableRowsPerChapter: 0, listItemsPerChapter: 0 }
  const problem = scan(text, limits, counts)
  return { problem, counts }
}

function scan(text: string, limits: Record<BudgetName, number>, counts: Record<BudgetName, number>): BudgetProblem | undefined {
  let line = 0
  let index = 0
  let fence: string | undefined
  let inTable = false
  let previousLine = ''
  let delimitersInParagraph = 0
  let delimiters = 0
  let brackets = 0
  let tableRows = 0
  let listItems = 0
  const over = (budget: BudgetName, column: number): BudgetProblem => ({ budget, limit: limits[budget], line, column })
  while (index <= text.length) {
    line++
    counts.delimitersPerChapter = delimiters
    counts.bracketsPerChapter = brackets
    counts.tableRowsPerChapter = tableRows
    counts.listItemsPerChapter = listItems
    let end = text.indexOf('\n', index)
    if (end < 0) end = text.length
    const lineStart = index
    const content = text.slice(lineStart, end).replace(/\r$/, '')
    index = end + 1
    const blank = /^[ \t]*$/.test(content)

    // Block prefix: indentation, block quote markers and list markers.
    let cursor = 0
    for (;;) {
      const code = content.charCodeAt(cursor)
      if (code === space || code === tab || code === 0x3e /* > */) {
        cursor++
        continue
      }
      const marker = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/.exec(content.slice(cursor, cursor + 12))
      // `***` or `- - -` is a thematic break, not a list: the marker needs text or nothing after it.
      if (marker && !(fence === undefined && /^([-*_])[ \t]*(?:\1[ \t]*){2,}$/.test(content.slice(cursor)))) {
        if (fence === undefined && ++listItems > limits.listItemsPerChapter) return over('listItemsPerChapter', cursor + 1)
        cursor += marker[0].length
        continue
      }
      break
    }
    const rest = content.slice(cursor)

    const fenceMatch = /^(`{3,}|~{3,})/.exec(rest)
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length && /^[`~]+[ \t]*$/.test(rest)) fence = undefined
      previousLine = ''
      continue
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!
      delimitersInParagraph = 0
      inTable = false
      previousLine = ''
      continue
    }
    if (blank) {
      delimitersInParagraph = 0
      inTable = false
      previousLine = ''
      continue
    }

    // Tables: the header row and the delimiter row, then every line up to a blank one.
    if (!inTable && previousLine.includes('|') && delimiterRow.test(content) && content.includes('|')) {
      inTable = true
      tableRows += 1
    }
    if (inTable) {
      // Each row is inline content of its own: the per-paragraph count starts again.
      delimitersInParagraph = 0
      if (++tableRows > limits.tableRowsPerChapter) return over('tableRowsPerChapter', 1)
    }
    // A heading is inline content of its own too.
    if (/^#{1,6}([ \t]|$)/.test(rest)) delimitersInParagraph = 0

    for (let position = cursor; position < content.length; position++) {
      const code = content.charCodeAt(position)
      if (code === 0x5c /* \ */) {
        position++
        continue
      }
      if (code === 0x60 /* ` */) {
        // A code span: skip to the closing run of the same length on this line, if any.
        let run = position
        while (content.charCodeAt(run) === 0x60) run++
        const close = content.indexOf(content.slice(position, run), run)
        position = (close >= 0 ? close + (run - position) : run) - 1
        continue
      }
      if (code === 0x5b /* [ */ || code === 0x5d /* ] */) {
        if (++brackets > limits.bracketsPerChapter) return over('bracketsPerChapter', position + 1)
        continue
      }
      if (code === 0x2a || code === 0x5f || code === 0x7e /* * _ ~ */) {
        let run = position
        while (content.charCodeAt(run) === code) run++
        counts.delimitersPerParagraph = Math.max(counts.delimitersPerParagraph, delimitersInParagraph + 1)
        if (++delimitersInParagraph > limits.delimitersPerParagraph) return over('delimitersPerParagraph', position + 1)
        if (++delimiters > limits.delimitersPerChapter) return over('delimitersPerChapter', position + 1)
        position = run - 1
      }
    }
    previousLine = content
  }
  Object.assign(counts, { delimitersPerChapter: delimiters, bracketsPerChapter: brackets, tableRowsPerChapter: tableRows, listItemsPerChapter: listItems })
  return undefined
}

/** The message of a budget problem: which limit, how far, and what to do. */
export function budgetMessage(problem: BudgetProblem): string {
  const limit = problem.limit.toLocaleString('en')
  return `Cannot build chapter: more than ${limit} ${budgetWhat[problem.budget]} (the limit is ${limit}: more would take the parser minutes or gigabytes); ${budgetFix[problem.budget]}`
}
