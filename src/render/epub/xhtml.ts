// Serializing hast as XHTML for EPUB content documents: well-formed XML, UTF-8 text, no HTML-only shortcuts.
import type { Element, Nodes, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { visit } from 'unist-util-visit'

/**
 * hast-util-to-html writes a boolean attribute as a bare name (`checked`), which is not XML,
 * and drops a value equal to the name or empty. An uppercase name is a valid value of an HTML
 * boolean attribute (matched case-insensitively) that the serializer keeps.
 */
function spellOutBooleans(tree: Nodes): void {
  visit(tree, 'element', (node: Element) => {
    for (const [key, value] of Object.entries(node.properties)) {
      if (value === true) node.properties[key] = toHtml({ type: 'element', tagName: 'x', properties: { [key]: true }, children: [] }).slice(3, -5).toUpperCase()
    }
  })
}

/**
 * XML forbids a raw `<` in an attribute value, which HTML (and so hast-util-to-html) allows. It has
 * no option for that: each `<` in an attribute is swapped for a NUL, which the serializer always
 * writes as `&#x0;`, and that reference becomes `&#x3C;` afterwards. No input NUL can collide:
 * the Markdown and HTML parsers turn NUL into U+FFFD, and any other is replaced here first.
 */
const nul = '\u0000'

function markLessThan(tree: Nodes): void {
  const mark = (value: unknown) => (typeof value === 'string' ? value.replaceAll(nul, '\ufffd').replaceAll('<', nul) : value)
  visit(tree, 'element', (node: Element) => {
    for (const [key, value] of Object.entries(node.properties)) {
      node.properties[key] = Array.isArray(value) ? value.map(mark) as typeof value : mark(value) as typeof value
    }
  })
}

/**
 * Serialize `tree` as XHTML: void elements closed (`<br />`), every attribute quoted with a value,
 * comments dropped, characters written as themselves (only `&`, `<` and quotes escaped).
 * `tree` is changed (boolean attributes are spelt out): pass a copy.
 */
export function toXhtml(tree: Root | Element): string {
  spellOutBooleans(tree)
  markLessThan(tree)
  visit(tree, 'comment', (_node, index, parent) => {
    if (parent && index !== undefined) {
      parent.children.splice(index, 1)
      return index
    }
    return undefined
  })
  const xhtml = toHtml(tree, {
    allowDangerousHtml: false,
    closeSelfClosing: true,
    closeEmptyElements: false,
    tightSelfClosing: false,
    collapseEmptyAttributes: false,
    omitOptionalTags: false,
    preferUnquoted: false,
    quote: '"',
    quoteSmart: false,
    characterReferences: { useNamedReferences: false, useShortestReferences: false }
  })
  return xhtml.replaceAll('&#x0;', '&#x3C;')
}

/** Escape text for XML content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
