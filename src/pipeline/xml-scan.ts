// A small XML well-formedness scanner for SVG images: elements, attributes, style text and the first error.
// No library in the dependency tree checks XML strictly; this reads only what an SVG check needs.

export interface XmlElement {
  /** The qualified name as written, `svg:image` or `image`. */
  name: string
  attributes: Map<string, string>
  /** Offset of the `<` of the start tag. */
  offset: number
}

export interface XmlEntity {
  name: string
  /** The entity refers to another file (`SYSTEM`/`PUBLIC`). */
  external: boolean
  /** The replacement text refers to other entities (how "billion laughs" attacks grow). */
  nested: boolean
  offset: number
}

export interface XmlScan {
  elements: XmlElement[]
  /** Text inside `<style>` elements, with its offset. */
  styles: { text: string; offset: number }[]
  entities: XmlEntity[]
  /** The first well-formedness error; the lists above stop there. */
  error?: { reason: string; offset: number }
}

const nameStart = /[A-Za-z_:\u00c0-\u02ff\u0370-\u1fff\u200c-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufffd]/
const nameAt = /[A-Za-z_:\u00c0-\u02ff\u0370-\u1fff\u200c-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufffd][-\w.:\u00b7\u00c0-\u02ff\u0300-\u036f\u0370-\u1fff\u200c-\u218f\u203f\u2040\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufffd]*/y
const predefined = new Set(['lt', 'gt', 'amp', 'quot', 'apos'])

class XmlError extends Error {
  constructor(
    reason: string,
    readonly offset: number
  ) {
    super(reason)
  }
}

/** Scan `text` as an XML document; never throws. */
export function scanXml(text: string): XmlScan {
  const result: XmlScan = { elements: [], styles: [], entities: [] }
  try {
    scan(text, result)
  } catch (error) {
    if (!(error instanceof XmlError)) throw error
    result.error = { reason: error.message, offset: error.offset }
  }
  return result
}

function scan(text: string, result: XmlScan): void {
  const stack: string[] = []
  const declared = new Set<string>()
  let rootSeen = false
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0
  while (index < text.length) {
    const open = text.indexOf('<', index)
    const textEnd = open < 0 ? text.length : open
    if (textEnd > index) {
      const segment = text.slice(index, textEnd)
      if (stack.length === 0) {
        if (segment.trim() !== '') throw new XmlError(rootSeen ? 'Unexpected text after the root element' : 'Unexpected text before the root element', index + segment.search(/\S/))
      } else {
        checkReferences(segment, index, declared)
        if (stack.at(-1)!.replace(/^.*:/, '') === 'style') result.styles.push({ text: segment, offset: index })
      }
    }
    if (open < 0) break
    if (text.startsWith('<!--', open)) {
      const close = text.indexOf('-->', open + 4)
      if (close < 0) throw new XmlError('Unclosed comment', open)
      index = close + 3
    } else if (text.startsWith('<![CDATA[', open)) {
      if (stack.length === 0) throw new XmlError('Unexpected CDATA outside the root element', open)
      const close = text.indexOf(']]>', open + 9)
      if (close < 0) throw new XmlError('Unclosed CDATA section', open)
      if (stack.at(-1)!.replace(/^.*:/, '') === 'style') result.styles.push({ text: text.slice(open + 9, close), offset: open + 9 })
      index = close + 3
    } else if (text.startsWith('<?', open)) {
      const close = text.indexOf('?>', open + 2)
      if (close < 0) throw new XmlError('Unclosed processing instruction', open)
      index = close + 2
    } else if (text.startsWith('<!DOCTYPE', open)) {
      if (rootSeen) throw new XmlError('Unexpected DOCTYPE after the root element', open)
      index = doctype(text, open, result, declared)
    } else if (text.charCodeAt(open + 1) === 0x2f /* / */) {
      nameAt.lastIndex = open + 2
      const match = nameAt.exec(text)
      if (!match) throw new XmlError('Expected an element name after `</`', open)
      let cursor = skipSpace(text, nameAt.lastIndex)
      if (text[cursor] !== '>') throw new XmlError(`Expected \`>\` to end \`</${match[0]}\``, cursor)
      const expected = stack.pop()
      if (expected !== match[0]) throw new XmlError(expected ? `Expected \`</${expected}>\`, found \`</${match[0]}>\`` : `Unexpected \`</${match[0]}>\``, open)
      index = cursor + 1
    } else {
      if (!nameStart.test(text[open + 1] ?? '')) throw new XmlError('Unexpected `<` (write `&lt;` in text)', open)
      if (rootSeen && stack.length === 0) throw new XmlError('Unexpected second root element', open)
      const { element, end, selfClosing } = startTag(text, open, declared)
      result.elements.push(element)
      rootSeen = true
      if (!selfClosing) stack.push(element.name)
      index = end
    }
  }
  if (stack.length > 0) throw new XmlError(`Unclosed element \`<${stack.at(-1)}>\``, text.length)
  if (!rootSeen) throw new XmlError('Missing root element', 0)
}

function startTag(text: string, open: number, declared: ReadonlySet<string>): { element: XmlElement; end: number; selfClosing: boolean } {
  nameAt.lastIndex = open + 1
  const name = nameAt.exec(text)![0]
  const attributes = new Map<string, string>()
  let cursor = nameAt.lastIndex
  for (;;) {
    const afterSpace = skipSpace(text, cursor)
    if (text[afterSpace] === '>') return { element: { name, attributes, offset: open }, end: afterSpace + 1, selfClosing: false }
    if (text.startsWith('/>', afterSpace)) return { element: { name, attributes, offset: open }, end: afterSpace + 2, selfClosing: true }
    if (afterSpace >= text.length) throw new XmlError(`Unclosed start tag \`<${name}\``, open)
    if (afterSpace === cursor) throw new XmlError('Expected whitespace between attributes', cursor)
    nameAt.lastIndex = afterSpace
    const attribute = nameAt.exec(text)
    if (!attribute) throw new XmlError(`Expected an attribute name in \`<${name}\``, afterSpace)
    let position = skipSpace(text, nameAt.lastIndex)
    if (text[position] !== '=') throw new XmlError(`Expected \`=\` after attribute \`${attribute[0]}\``, position)
    position = skipSpace(text, position + 1)
    const quote = text[position]
    if (quote !== '"' && quote !== "'") throw new XmlError(`Expected a quoted value for attribute \`${attribute[0]}\``, position)
    const close = text.indexOf(quote, position + 1)
    if (close < 0) throw new XmlError(`Unclosed value of attribute \`${attribute[0]}\``, position)
    const value = text.slice(position + 1, close)
    const lessThan = value.indexOf('<')
    if (lessThan >= 0) throw new XmlError(`Unexpected \`<\` in attribute \`${attribute[0]}\``, position + 1 + lessThan)
    checkReferences(value, position + 1, declared)
    if (attributes.has(attribute[0])) throw new XmlError(`Duplicate attribute \`${attribute[0]}\``, afterSpace)
    attributes.set(attribute[0], decode(value))
    cursor = close + 1
  }
}

/** Skip `<!DOCTYPE ...>`, recording entity declarations of its internal subset. */
function doctype(text: string, open: number, result: XmlScan, declared: Set<string>): number {
  const bracket = text.indexOf('[', open)
  const close = text.indexOf('>', open)
  if (close < 0) throw new XmlError('Unclosed DOCTYPE', open)
  if (bracket < 0 || bracket > close) return close + 1
  const subsetEnd = text.indexOf(']', bracket)
  if (subsetEnd < 0) throw new XmlError('Unclosed DOCTYPE internal subset', bracket)
  const end = text.indexOf('>', subsetEnd)
  if (end < 0) throw new XmlError('Unclosed DOCTYPE', open)
  const subset = text.slice(bracket + 1, subsetEnd)
  const declaration = /<!ENTITY\s+(%\s+)?(\S+)\s+(?:(SYSTEM|PUBLIC)\b|(["'])([\s\S]*?)\4)/g
  for (let match = declaration.exec(subset); match; match = declaration.exec(subset)) {
    const value = match[5] ?? ''
    result.entities.push({ name: match[2]!, external: match[3] !== undefined, nested: /[&%]/.test(value), offset: bracket + 1 + match.index })
    if (!match[1]) declared.add(match[2]!)
  }
  return end + 1
}

function checkReferences(value: string, offset: number, declared: ReadonlySet<string>): void {
  for (let amp = value.indexOf('&'); amp >= 0; amp = value.indexOf('&', amp + 1)) {
    const match = /^&(?:#[0-9]+|#x[0-9a-fA-F]+|([A-Za-z_:][-\w.:]*));/.exec(value.slice(amp, amp + 64))
    if (!match) throw new XmlError('Unexpected `&` (write `&amp;`)', offset + amp)
    if (match[1] && !predefined.has(match[1]) && !declared.has(match[1])) throw new XmlError(`Undefined entity \`&${match[1]};\``, offset + amp)
  }
}

function decode(value: string): string {
  return value.replace(/&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g, (whole, decimal?: string, hex?: string, name?: string) => {
    if (name) return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[name]!
    const code = decimal ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

function skipSpace(text: string, index: number): number {
  let cursor = index
  while (cursor < text.length && ' \t\r\n'.includes(text[cursor]!)) cursor++
  return cursor
}
