// Mistakes that otherwise pass silently: unclosed `:::` directives, code fences and HTML blocks, undefined footnotes.
import GithubSlugger from 'github-slugger'
import type { Code, Html, Root, Text } from 'mdast'
import type { ContainerDirective } from 'mdast-util-directive'
import { visit, SKIP } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { fail, warn } from '../../report/messages.js'
import { unclosedRawElement } from './remark-raw-html-blocks.js'

const footnoteReference = /\[\^([^\]\s]+)\]/g

/** HTML blocks that run until their own end marker, not to a blank line (CommonMark types 1 to 5). */
const htmlRunners: readonly { open: RegExp; close: RegExp; what: (match: RegExpExecArray) => string; fix: (match: RegExpExecArray) => string }[] = [
  { open: /^ {0,3}<!--/, close: /-->/, what: () => 'HTML comment `<!--`', fix: () => 'end it with `-->`' },
  {
    open: /^ {0,3}<(script|pre|style|textarea)(?=[\s>]|$)/i,
    close: /<\/(script|pre|style|textarea)>/i,
    what: (match) => `\`<${match[1]!.toLowerCase()}>\``,
    fix: (match) => `close it with \`</${match[1]!.toLowerCase()}>\``
  },
  { open: /^ {0,3}<\?/, close: /\?>/, what: () => 'processing instruction `<?`', fix: () => 'end it with `?>`' },
  { open: /^ {0,3}<![A-Za-z]/, close: />/, what: () => 'declaration `<!`', fix: () => 'end it with `>`' },
  { open: /^ {0,3}<!\[CDATA\[/, close: /\]\]>/, what: () => '`<![CDATA[` section', fix: () => 'end it with `]]>`' }
]

/**
 * A construct left open runs to the end of the file and swallows the rest of the chapter: an
 * unclosed container directive, code fence or HTML comment (or `<pre>`, `<script>`, ...). Each is
 * one error at its opening line with the fix; the ids the swallowed text would have had are kept
 * (`file.data.swallowedIds`) so that links to them, here or in other chapters, are not reported
 * as errors of their own. A `[^label]` left as text had no definition: remark-gfm prints it literally.
 */
export default function remarkDialectChecks() {
  return function (tree: Root, file: VFile) {
    const lines = String(file.value).split('\n')
    visit(tree, 'containerDirective', (node: ContainerDirective) => {
      const end = node.position?.end
      if (!end) return undefined
      const closing = lines[end.line - 1] ?? ''
      if (/^\s*:{3,}\s*$/.test(closing) && end.line !== node.position!.start.line) return undefined
      fail(
        file,
        `Missing closing \`:::\` for the \`:::${node.name}\` opened here: it runs to the end of the chapter; add a line \`:::\` where it ends`,
        node.position!.start,
        'directive-unclosed'
      )
      // One error for the whole run-away block: later checks leave what it swallowed alone.
      swallow(file, lines, node.position!.start.line)
      return SKIP
    })
    visit(tree, 'code', (node: Code) => {
      const position = node.position
      if (!position) return
      const opening = /^\s*(?:>\s*)*(`{3,}|~{3,})/.exec(lines[position.start.line - 1] ?? '')
      // Indented code has no fence to close.
      if (!opening) return
      const fence = opening[1]!
      const closing = new RegExp(`^\\s*(?:>\\s*)*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`)
      if (position.end.line > position.start.line && closing.test(lines[position.end.line - 1] ?? '')) return
      // Not closed: CommonMark ends it with its container (a list item, a quote) or the file.
      if (position.end.line < lastLine(lines)) return
      fail(
        file,
        `Missing closing fence ${fence} for the code block opened here: everything after it, to the end of the chapter, is shown as code; add a line ${fence} where the code ends`,
        position.start,
        'code-fence-unclosed'
      )
      swallow(file, lines, position.start.line)
    })
    visit(tree, 'html', (node: Html) => {
      const position = node.position
      if (!position || position.end.line < lastLine(lines)) return
      for (const runner of htmlRunners) {
        const match = runner.open.exec(node.value)
        if (!match) continue
        if (runner.close.test(node.value.slice(match[0].length))) return
        // A comment or `<script>` left open is remark-raw-html-blocks' error; the swallowed ids are this one's.
        if (unclosedRawElement(node.value) === undefined) fail(
          file,
          `Missing end of the ${runner.what(match)} opened here: it hides everything after it, to the end of the chapter; ${runner.fix(match)} where it should stop`,
          position.start,
          'html-unclosed'
        )
        swallow(file, lines, position.start.line)
        return
      }
    })
    checkContainers(tree, file)
    checkTableDelimiters(tree, file, lines)
    visit(tree, 'text', (node: Text) => {
      for (const match of node.value.matchAll(footnoteReference)) {
        const before = node.value.slice(0, match.index)
        const start = node.position?.start
        const rows = before.split('\n')
        const place = start ? { line: start.line + rows.length - 1, column: rows.length === 1 ? start.column + before.length : rows.at(-1)!.length + 1 } : undefined
        fail(file, `Cannot find footnote \`[^${match[1]}]\`: add a line \`[^${match[1]}]: The note.\` to the chapter, or remove the reference`, place, 'footnote-undefined')
      }
    })
  }
}

/**
 * Block elements that, left open, take every later paragraph and heading of the chapter into
 * themselves (rehype-raw parses the chapter's HTML as one document, closing them at its end).
 */
const containers = new Set(['div', 'aside', 'section', 'article', 'details', 'figure', 'blockquote', 'nav', 'header', 'footer', 'main', 'center', 'table', 'ul', 'ol', 'dl'])

/**
 * Match the opening and closing tags of `containers` across all raw HTML of the chapter, in
 * order (`<div>` in one block, Markdown, `</div>` in a later one is fine). One left open is one
 * `html-unclosed` error at its tag, and the tag is dropped so the rest reads as written.
 */
function checkContainers(tree: Root, file: VFile): void {
  const open: { name: string; node: Html; index: number; length: number }[] = []
  visit(tree, 'html', (node: Html) => {
    const value = node.value.replace(/<!--[\s\S]*?(?:-->|$)/g, (comment) => ' '.repeat(comment.length))
    for (const match of value.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g)) {
      const name = match[2]!.toLowerCase()
      if (!containers.has(name) || match[3] === '/') continue
      if (match[1] === '') {
        open.push({ name, node, index: match.index, length: match[0].length })
        continue
      }
      const at = open.findLastIndex((entry) => entry.name === name)
      if (at !== -1) open.splice(at, 1)
    }
  })
  // Later tags first, so that dropping one keeps the offsets of those before it in the same node.
  for (const entry of open.reverse()) {
    const start = entry.node.position?.start
    const before = entry.node.value.slice(0, entry.index).split('\n')
    const place = start ? { line: start.line + before.length - 1, column: before.length === 1 ? start.column + entry.index : before.at(-1)!.length + 1 } : undefined
    fail(
      file,
      `Missing \`</${entry.name}>\` for the \`<${entry.name}>\` opened here: it would take in the rest of the chapter; close it after the last line it should hold (a blank line before and after \`</${entry.name}>\`)`,
      place,
      'html-unclosed'
    )
    entry.node.value = entry.node.value.slice(0, entry.index) + entry.node.value.slice(entry.index + entry.length)
  }
}

const delimiterRow = /^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/

/** The cells of a table row's source line: unescaped pipes outside code spans split it. */
function cellCount(line: string): number {
  const text = line.trim().replace(/`[^`]*`/g, 'x').replace(/\\\|/g, 'x').replace(/^\|/, '').replace(/\|$/, '')
  return text.split('|').length
}

/**
 * A GFM table whose delimiter row (`|---|---|`) has another number of cells than its header row is
 * no table: it prints as a paragraph of pipes. One `table-invalid` warning at the header row.
 */
function checkTableDelimiters(tree: Root, file: VFile, lines: readonly string[]): void {
  visit(tree, 'paragraph', (node) => {
    const start = node.position?.start.line
    if (start === undefined) return
    const header = lines[start - 1] ?? ''
    const delimiter = lines[start] ?? ''
    if (!header.includes('|') || !delimiterRow.test(delimiter) || !delimiter.includes('|')) return
    const headerCells = cellCount(header)
    const delimiterCells = cellCount(delimiter)
    if (headerCells === delimiterCells) return
    warn(
      file,
      `Cannot read this table: its header row has ${headerCells} cells and the delimiter row below it ${delimiterCells}, so it prints as text; give the delimiter row ${headerCells} cells (\`|---|\` each)`,
      node.position!.start,
      'table-invalid'
    )
  })
}

/** The last line of the file with text: a swallowing block ends there (or on the empty line after). */
function lastLine(lines: readonly string[]): number {
  let last = lines.length
  while (last > 1 && lines[last - 1]!.trim() === '') last--
  return last
}

/**
 * Record that the text from `line` on was swallowed, with the ids its headings and `{#id}`
 * attributes would have had: links to them follow from the one error already reported.
 */
function swallow(file: VFile, lines: readonly string[], line: number): void {
  file.data.swallowedFrom = Math.min(file.data.swallowedFrom ?? Infinity, line)
  const chapter = file.data.chapter?.id ?? ''
  const slugger = new GithubSlugger()
  const ids = new Set(file.data.swallowedIds ?? [])
  for (const text of lines.slice(line)) {
    for (const match of text.matchAll(/\{[^}]*#([^\s}.]+)[^}]*\}/g)) ids.add(match[1]!)
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text)
    if (heading && !/\{[^}]*#[^}]*\}\s*$/.test(heading[1]!)) {
      const slug = slugger.slug(heading[1]!.replace(/[*_`[\]]/g, ''))
      ids.add(slug)
      ids.add(`${chapter}--${slug}`)
    }
  }
  file.data.swallowedIds = [...ids]
}

declare module 'vfile' {
  interface DataMap {
    /** The line of an unclosed construct: problems after it are follow-on errors, not reported. */
    swallowedFrom: number
    /** The ids the swallowed text would have defined (headings, `{#id}`), bare and chapter-prefixed. */
    swallowedIds: string[]
  }
}
