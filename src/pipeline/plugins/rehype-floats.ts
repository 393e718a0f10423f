// Tables: the caption goes inside `<table>` and the id onto it, as screen readers expect.
import type { Element, Root } from 'hast'
import { visit } from 'unist-util-visit'

/** Finish the `:::table` blocks made by remark-floats. */
export default function rehypeFloats() {
  return function (tree: Root) {
    visit(tree, 'element', (node: Element) => {
      const id = node.properties.dataTableId
      if (typeof id !== 'string') return
      delete node.properties.dataTableId
      const caption = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'caption')
      const table = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'table')
      if (!caption || !table) return
      node.children = node.children.filter((child) => child !== caption)
      table.properties.id = id
      table.children.unshift(caption)
    })
  }
}
