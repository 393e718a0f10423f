// Directives no plugin claimed: text ones go back to their literal text, block ones are reported.
import type { Root } from 'mdast'
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive'
import { visit, SKIP } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { warn } from '../../report/messages.js'

export interface Options {
  /** Names of the block directives the chain knows, for the message. */
  known: readonly string[]
}

/**
 * `Note:this` or `10:30am` parse as text directives; writers meant the text, so it is restored
 * from the source. An unknown `:::name` block is a warning and renders as a plain `<div>`.
 */
export default function remarkDirectiveFallback(options: Options) {
  const known = options.known.map((name) => `\`:::${name}\``).join(', ')
  return function (tree: Root, file: VFile) {
    const source = String(file.value)
    visit(tree, (node, index, parent) => {
      if (node.type !== 'textDirective' && node.type !== 'leafDirective' && node.type !== 'containerDirective') return
      const directive = node as TextDirective | LeafDirective | ContainerDirective
      if (directive.data?.hName) return
      if (directive.type === 'textDirective') {
        const start = directive.position?.start.offset
        const end = directive.position?.end.offset
        if (parent && index !== undefined && start !== undefined && end !== undefined) {
          parent.children[index] = { type: 'text', value: source.slice(start, end), position: directive.position }
          return SKIP
        }
        return
      }
      warn(file, `Unknown directive \`${directive.type === 'leafDirective' ? '::' : ':::'}${directive.name}\`: use one of ${known}`, directive, 'directive-unknown')
      directive.data = { hName: 'div', hProperties: { className: ['directive', `directive-${directive.name}`] } }
      return undefined
    })
  }
}
