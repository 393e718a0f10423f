// Template tags of site generators (Liquid `{% ... %}`, `{{ ... }}`): reported and left out, never printed.
import type { Parent, Root, Text } from 'mdast'
import { visit, SKIP } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { warn } from '../../report/messages.js'

const tag = /\{%-?[\s\S]*?-?%\}|\{\{-?[\s\S]*?-?\}\}/g

/**
 * Remove every Liquid/Jekyll tag from the prose (code keeps its text: a tag there is an example)
 * with a `template-tag` warning at the tag. The book has no template engine, so the tag's output
 * cannot be known; a paragraph left empty goes too.
 */
export default function remarkTemplateTags() {
  return function (tree: Root, file: VFile) {
    visit(tree, 'text', (node: Text, index, parent: Parent | undefined) => {
      if (!tag.test(node.value)) return
      tag.lastIndex = 0
      const start = node.position?.start
      for (const match of node.value.matchAll(tag)) {
        const before = node.value.slice(0, match.index)
        const lines = before.split('\n')
        const place = start
          ? { line: start.line + lines.length - 1, column: lines.length === 1 ? start.column + before.length : lines.at(-1)!.length + 1 }
          : undefined
        const shown = match[0].replace(/\s+/g, ' ')
        warn(
          file,
          `Unexpected template tag \`${shown.length > 60 ? shown.slice(0, 57) + '...' : shown}\`: the handbook has no template engine, so it is left out; write the text it stood for, or remove it`,
          place,
          'template-tag'
        )
      }
      node.value = node.value.replace(tag, '').replace(/^[ \t]*\n|\n[ \t]*$/g, '')
      if (node.value.trim() === '' && parent && index !== undefined) {
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
      return undefined
    })
    // A paragraph that held only tags is gone, not an empty gap.
    visit(tree, 'paragraph', (node, index, parent) => {
      if (node.children.length === 0 && parent && index !== undefined) {
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
      return undefined
    })
  }
}
