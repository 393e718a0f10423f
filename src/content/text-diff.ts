// A word diff of two versions of a text, grouped into hunks with a little context: what changed in a source section.

/** One stretch of change: the words around it, what went, what came. */
export interface DiffHunk {
  /** Unchanged words before the change (a few, for orientation). */
  before: string
  removed: string
  added: string
  /** Unchanged words after the change. */
  after: string
}

type Operation = { kind: 'same' | 'removed' | 'added'; token: string }

/** Words and paragraph breaks; other whitespace does not matter, as in the hashes. */
function tokenize(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/\n[ \t]*\n\s*/)
    .map((paragraph) => paragraph.split(/\s+/).filter(Boolean))
    .filter((words) => words.length > 0)
    .flatMap((words, index) => (index === 0 ? words : ['\n\n', ...words]))
}

/** Longest common subsequence over the tokens between an equal head and tail. */
function operations(left: readonly string[], right: readonly string[]): Operation[] {
  let head = 0
  while (head < left.length && head < right.length && left[head] === right[head]) head++
  let tail = 0
  while (tail < left.length - head && tail < right.length - head && left[left.length - 1 - tail] === right[right.length - 1 - tail]) tail++
  const a = left.slice(head, left.length - tail)
  const b = right.slice(head, right.length - tail)
  const width = b.length + 1
  const table = new Uint32Array((a.length + 1) * width)
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!)
    }
  }
  const middle: Operation[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      middle.push({ kind: 'same', token: a[i]! })
      i++
      j++
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) middle.push({ kind: 'removed', token: a[i++]! })
    else middle.push({ kind: 'added', token: b[j++]! })
  }
  while (i < a.length) middle.push({ kind: 'removed', token: a[i++]! })
  while (j < b.length) middle.push({ kind: 'added', token: b[j++]! })
  const same = (token: string): Operation => ({ kind: 'same', token })
  return [...left.slice(0, head).map(same), ...middle, ...right.slice(right.length - tail).map(same)]
}

function join(tokens: readonly string[]): string {
  return tokens.join(' ').replace(/ ?\n\n ?/g, '\n\n')
}

/**
 * The changes from `before` to `after` as hunks. Whitespace-only edits produce none. Changes
 * fewer than `2 × context` words apart share a hunk.
 */
export function diffWords(before: string, after: string, context = 6): DiffHunk[] {
  const ops = operations(tokenize(before), tokenize(after))
  const hunks: DiffHunk[] = []
  let index = 0
  while (index < ops.length) {
    if (ops[index]!.kind === 'same') {
      index++
      continue
    }
    const start = index
    let end = index
    // Extend over changes separated by short unchanged runs.
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== 'same') end++
      let gap = end
      while (gap < ops.length && ops[gap]!.kind === 'same') gap++
      if (gap < ops.length && gap - end < 2 * context) end = gap
      else break
    }
    const span = ops.slice(start, end)
    // Context stays within the paragraph of the change.
    const beforeAll = ops.slice(Math.max(0, start - context), start).map((op) => op.token)
    const beforeTokens = beforeAll.slice(beforeAll.lastIndexOf('\n\n') + 1)
    const afterAll = ops.slice(end, end + context).map((op) => op.token)
    const afterTokens = afterAll.includes('\n\n') ? afterAll.slice(0, afterAll.indexOf('\n\n')) : afterAll
    hunks.push({
      before: join(beforeTokens),
      removed: join(span.filter((op) => op.kind !== 'added').map((op) => op.token)),
      added: join(span.filter((op) => op.kind !== 'removed').map((op) => op.token)),
      after: join(afterTokens)
    })
    index = end
  }
  return hunks
}
