// Serializing hast as XHTML for EPUB content documents: well-formed XML, UTF-8 text, no HTML-only shortcuts.
import type { Element, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { visit } from 'unist-util-visit'
import { forbiddenXmlCharacters } from '../../content/xml-chars.js'

/**
 * XML forbids a raw `<` in an attribute value, which HTML (and so hast-util-to-html) allows. It has
 * no option for that: each `<` in an attribute is swapped for a NUL, which the serializer always
 * writes as `&#x0;`, and that reference becomes `&#x3C;` afterwards. No input NUL can collide:
 * the Markdown and HTML parsers turn NUL into U+FFFD, and any other is replaced here first.
 */
const nul = '\u0000'

function markLessThan<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('<') || value.includes(nul) ? value.replaceAll(nul, '\ufffd').replaceAll('<', nul) : value) as T
  if (Array.isArray(value)) return value.map(markLessThan) as T
  return value
}

/**
 * hast-util-to-html writes a boolean attribute as a bare name (`checked`), which is not XML,
 * and drops a value equal to the name or empty. An uppercase name is a valid value of an HTML
 * boolean attribute (matched case-insensitively) that the serializer keeps.
 */
function spelledOut(property: string): string {
  return toHtml({ type: 'element', tagName: 'x', properties: { [property]: true }, children: [] }).slice(3, -5).toUpperCase()
}

/**
 * Serialize `tree` as XHTML: void elements closed (`<br />`), every attribute quoted with a value,
 * comments dropped, characters written as themselves (only `&`, `<` and quotes escaped).
 * `tree` is changed (comments go, attributes are made XML-safe): pass a copy.
 */
export function toXhtml(tree: Root | Element): string {
  visit(tree, (node, index, parent) => {
    if (node.type === 'comment' && parent && index !== undefined) {
      parent.children.splice(index, 1)
      return index
    }
    if (node.type === 'element') {
      const { properties } = node
      for (const key in properties) {
        const value = properties[key]
        properties[key] = value === true ? spelledOut(key) : markLessThan(value)
      }
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
  // `]]>` may not stand in XML text; characters XML forbids are reported where they are read and must not get through from anywhere else.
  return xhtml.replaceAll('&#x0;', '&#x3C;').replaceAll(']]>', ']]&#x3E;').replace(forbiddenXmlCharacters, '')
}

/** Escape text for XML content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(forbiddenXmlCharacters, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
