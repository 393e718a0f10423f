// Task lists (`- [ ]`, `- [x]`): each box gets its item's words as its accessible name, by a `<label>` around both.
import type { Element, ElementContent, Root } from 'hast'
import { visit } from 'unist-util-visit'

/** Elements that end the item's first line: what follows them is not part of the box's name. */
const blocks = new Set(['p', 'ul', 'ol', 'div', 'blockquote', 'pre', 'table', 'figure', 'aside', 'section', 'dl', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'])

function isCheckbox(node: ElementContent | undefined): node is Element {
  return node?.type === 'element' && node.tagName === 'input' && node.properties.type === 'checkbox'
}

function classes(node: Element): string[] {
  return Array.isArray(node.properties.className) ? node.properties.className.map(String) : []
}

/**
 * remark-gfm renders a task item as a bare disabled `<input type="checkbox">` before the item's text,
 * which leaves the box nameless for screen readers (axe `label`, WCAG 4.1.2). The box and the words
 * up to the first block (a tight item's line, or a loose item's first paragraph) are wrapped in
 * `<label class="task-label">`; renderers that draw the box instead (EPUB) keep the label's words.
 */
export default function rehypeTaskList() {
  return function (tree: Root) {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'li' || !classes(node).includes('task-list-item')) return
      // A loose item holds its box in its first paragraph.
      const first = node.children.find((child): child is Element => child.type === 'element')
      const holder = first && first.tagName === 'p' && isCheckbox(first.children.find((child) => child.type === 'element')) ? first : node
      const start = holder.children.findIndex((child) => isCheckbox(child))
      if (start < 0) return
      let end = start + 1
      while (end < holder.children.length) {
        const child = holder.children[end]!
        if (child.type === 'element' && blocks.has(child.tagName)) break
        end++
      }
      // Keep a line break before a nested list outside the label, as the source had it.
      while (end > start + 1 && holder.children[end - 1]!.type === 'text' && (holder.children[end - 1] as { value: string }).value.trim() === '') end--
      const label: Element = { type: 'element', tagName: 'label', properties: { className: ['task-label'] }, children: holder.children.slice(start, end) }
      holder.children.splice(start, end - start, label)
    })
  }
}
