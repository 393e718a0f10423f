// Tables too wide for a page: marked by their column count, figures marked as such, wrapped to scroll on screens.
import type { Element, ElementContent, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { SKIP, visit } from 'unist-util-visit'

/** From this many columns a table gets the smaller type step (`table-wide`): an A5 text block holds about six at text size. */
export const wideColumns = 7
/** From this many, the smallest step and tightest cells (`table-wide-x`). */
export const veryWideColumns = 11

/** A cell that holds one number (`1 200`, `-3.5 %`, `€ 40`): set on one line, aligned to the end. */
const numeric = /^[-+−(]?[\d\s\u00a0\u202f.,'’%€$£()−+-]*\d[\d\s\u00a0\u202f.,'’%€$£()]*$/

function classes(node: Element): string[] {
  const value = node.properties.className
  return Array.isArray(value) ? value.map(String) : []
}

function columnsOf(table: Element): number {
  let widest = 0
  visit(table, 'element', (node: Element) => {
    if (node.tagName !== 'tr') return undefined
    let count = 0
    for (const cell of node.children) {
      if (cell.type === 'element' && (cell.tagName === 'td' || cell.tagName === 'th')) count += Number(cell.properties.colSpan ?? 1) || 1
    }
    widest = Math.max(widest, count)
    return SKIP
  })
  return widest
}

/**
 * Every table's number cells get `num`. A table of `wideColumns` or more columns gets
 * `table-wide` (and `table-wide-x` from `veryWideColumns`), for a smaller type step in print and
 * EPUB, and is wrapped in `div.table-scroll`, which scrolls sideways on a narrow screen instead of
 * breaking words letter by letter; the wrapper is focusable so keyboard users can scroll it, and
 * named by the caption when there is one.
 */
export default function rehypeWideTables() {
  return function (tree: Root) {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'table') return undefined
      visit(node, 'element', (cell: Element) => {
        if (cell.tagName !== 'td' && cell.tagName !== 'th') return undefined
        const text = toString(cell).trim()
        // `dir="auto"`: a number has no strong letter, so it reads left to right ("1 200", not "200 1") in a
        // right-to-left table too; EPUB style sheets may not use `unicode-bidi` for it (EPUBCheck CSS-001).
        if (text !== '' && numeric.test(text)) {
          cell.properties.className = [...classes(cell), 'num']
          cell.properties.dir = 'auto'
        }
        return SKIP
      })
      const columns = columnsOf(node)
      if (columns < wideColumns || !parent || index === undefined) return SKIP
      node.properties.className = [...classes(node), 'table-wide', ...(columns >= veryWideColumns ? ['table-wide-x'] : [])]
      // A numbered table's `div.table-float` already scrolls in the HTML edition, named by its caption.
      if (parent.type === 'element' && classes(parent).includes('table-float')) return SKIP
      const caption = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'caption')
      const wrapper: Element = {
        type: 'element',
        tagName: 'div',
        properties: { className: ['table-scroll'], tabIndex: 0, ...(caption && typeof node.properties.id === 'string' ? { role: 'region', ariaLabel: toString(caption).trim() } : {}) },
        children: [node]
      }
      parent.children[index] = wrapper as ElementContent
      return SKIP
    })
  }
}
