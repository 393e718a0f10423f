// Mistakes that otherwise pass silently: an unclosed `:::` directive, a footnote reference with no definition.
import type { Root, Text } from 'mdast'
import type { ContainerDirective } from 'mdast-util-directive'
import { visit, SKIP } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { fail } from '../../report/messages.js'

const footnoteReference = /\[\^([^\]\s]+)\]/g

/**
 * An unclosed container directive runs to the end of the file and swallows the rest of the
 * chapter: one error at its opening line, nothing else. A `[^label]` left as text had no
 * definition: remark-gfm prints it literally.
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
      file.data.swallowedFrom = Math.min(file.data.swallowedFrom ?? Infinity, node.position!.start.line)
      return SKIP
    })
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

declare module 'vfile' {
  interface DataMap {
    /** The line of an unclosed directive: problems after it are follow-on errors, not reported. */
    swallowedFrom: number
  }
}
