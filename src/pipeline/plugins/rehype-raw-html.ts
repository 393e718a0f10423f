// Raw HTML in chapters: parsed (rehype-raw), then every element it made is cleaned to the allow-list (rehype-sanitize).
import { randomUUID } from 'node:crypto'
import type { Element, ElementContent, Nodes, Properties, Root, RootContent } from 'hast'
import rehypeRaw from 'rehype-raw'
import rehypeSanitize, { type Options as Schema } from 'rehype-sanitize'
import type { VFile } from 'vfile'
import { defaultRawHtml, rawHtmlElements } from '../../config/schema.js'
import { fail, warn } from '../../report/messages.js'
import { maxNesting, maxTreeDepth, scanHtmlNesting, treeDepth } from '../nesting.js'

export interface Options {
  /** Element names raw HTML may keep. Default: `raw-html.elements`' default in the config schema. */
  elements?: readonly string[]
  /** Attribute names those elements may keep. Default: `raw-html.attributes`' default in the config schema. */
  attributes?: readonly string[]
  /**
   * The accessible label of the mark left where HTML was removed, in the content's language
   * (`html-removed` of the interface strings). Default: English.
   */
  removedLabel?: (what: string) => string
}

/** Elements removed together with their content: their text is code, style or fallback, not prose. */
export const strippedElements = [
  'script', 'style', 'iframe', 'object', 'embed', 'applet', 'template', 'noscript', 'noembed', 'noframes',
  'frameset', 'frame', 'svg', 'math', 'textarea', 'select', 'title', 'xmp', 'plaintext', 'head'
]

/** HTML attribute -> hast property, for the attributes `raw-html.attributes` may name. */
const propertyOf: Readonly<Record<string, string>> = {
  abbr: 'abbr',
  'aria-hidden': 'ariaHidden',
  'aria-label': 'ariaLabel',
  cite: 'cite',
  class: 'className',
  colspan: 'colSpan',
  datetime: 'dateTime',
  dir: 'dir',
  headers: 'headers',
  href: 'href',
  lang: 'lang',
  open: 'open',
  reversed: 'reversed',
  role: 'role',
  rowspan: 'rowSpan',
  scope: 'scope',
  span: 'span',
  start: 'start',
  style: 'style',
  title: 'title',
  translate: 'translate',
  value: 'value'
}
const attributeOf = new Map(Object.entries(propertyOf).map(([attribute, property]) => [property, attribute]))

/** A `style` value that loads nothing: no `url()`, `image()`, `@import`, escapes or old script hooks. */
export const safeStyle = /^(?![\s\S]*(?:url\s*\(|src\s*\(|image(?:-set)?\s*\(|expression\s*\(|@import|\\|behavior\s*:|-moz-binding))/i

const linkProtocols = ['http', 'https', 'mailto', 'tel']

/** The rehype-sanitize schema for an allow-list. Exported for tests and docs. */
export function schemaFor(elements: readonly string[], attributes: readonly string[]): Schema {
  const allowed = attributes.flatMap((attribute) => {
    const property = propertyOf[attribute]
    if (!property) return []
    return [property === 'style' ? (['style', safeStyle] as [string, RegExp]) : property]
  })
  return {
    tagNames: [...elements],
    attributes: { '*': allowed },
    protocols: { href: linkProtocols, cite: ['http', 'https'] },
    strip: strippedElements,
    ancestors: {},
    required: {},
    clobber: [],
    clobberPrefix: '',
    allowComments: false,
    allowDoctypes: false
  }
}

/**
 * Parse raw HTML, then keep from it only what the allow-list names; every removal is a
 * warning (`html-element-removed`, `html-attribute-removed`) at the element. Elements the
 * Markdown made are left alone: they are marked with a per-run token before parsing, which
 * raw HTML cannot guess. Chapters without raw HTML are not re-parsed at all.
 */
export default function rehypeRawHtml(options?: Options) {
  const elements = options?.elements ?? defaultRawHtml.elements
  const attributes = options?.attributes ?? defaultRawHtml.attributes
  const sanitize = rehypeSanitize(schemaFor(elements, attributes))
  const parse = rehypeRaw()
  const removedLabel = options?.removedLabel ?? ((what: string) => `Removed HTML: ${what}`)
  return function (tree: Root, file: VFile): Root {
    const fragments = collectRaw(tree)
    if (fragments.length === 0) return tree
    const empty: Root = { type: 'root', children: [] }
    const tooDeep = scanHtmlNesting(fragments.map((fragment) => fragment.value))
    if (tooDeep !== undefined) {
      fail(file, `Cannot build chapter: its HTML nests more than ${maxNesting} elements deep; simplify it`, fragments[0]!.node, 'nesting-too-deep')
      return empty
    }
    const token = randomUUID()
    const originals = mark(tree, token)
    let parsed: Root
    try {
      parsed = parse(tree, file)
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      fail(file, 'Cannot build chapter: its HTML nests too deeply to parse; simplify it', fragments[0]!.node, 'nesting-too-deep')
      return empty
    }
    const depth = treeDepth(parsed)
    if (depth.depth > maxTreeDepth) {
      fail(file, `Cannot build chapter: it nests ${depth.depth} levels deep (at most ${maxTreeDepth}); simplify it`, depth.deepest.position ?? fragments[0]!.node, 'nesting-too-deep')
      return empty
    }
    clean(parsed, { token, originals, sanitize, file, attributes: new Set(attributes), reported: new Set(), removedLabel })
    return parsed
  }
}

interface CleanContext {
  token: string
  /** The properties of the Markdown's elements before parsing, by mark: restored exactly. */
  originals: Properties[]
  sanitize: (tree: Root) => Root
  file: VFile
  /** The allowed attributes, to tell "not listed" from "listed, but this value is unsafe". */
  attributes: ReadonlySet<string>
  /** Warnings given, by place and text: the HTML parser may reopen one element in several places. */
  reported: Set<string>
  removedLabel: (what: string) => string
}

/**
 * The visible mark left where raw HTML was removed: `[?]` styled like a broken link's, with
 * what went as its accessible name (a `role="img"` span is read by its label, not its text).
 */
function removedMark(what: string, context: CleanContext): Element {
  const label = context.removedLabel(what)
  return { type: 'element', tagName: 'span', properties: { className: ['html-removed'], role: 'img', ariaLabel: label, title: label }, children: [{ type: 'text', value: '[?]' }] }
}

const marker = 'dataHandbookOrigin'

/** The raw HTML fragments of `tree`, in document order. */
function collectRaw(tree: Nodes): { value: string; node: Nodes }[] {
  const stack: Nodes[] = [tree]
  const found: { value: string; node: Nodes }[] = []
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'raw') found.push({ value: node.value, node })
    if ('children' in node) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!)
  }
  return found
}

/** Mark every element with `<token>:<n>`; returns their properties by `n`. */
function mark(tree: Root, token: string): Properties[] {
  const originals: Properties[] = []
  const stack: Nodes[] = [tree]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'element') {
      originals.push({ ...node.properties })
      node.properties[marker] = `${token}:${originals.length - 1}`
    }
    if ('children' in node) stack.push(...node.children)
  }
  return originals
}

/** The original properties of a Markdown element, or `undefined` for an element of raw HTML. */
function original(element: Element, context: CleanContext): Properties | undefined {
  const value = element.properties[marker]
  if (typeof value !== 'string' || !value.startsWith(`${context.token}:`)) return undefined
  return context.originals[Number(value.slice(context.token.length + 1))]
}

/** Clean the children of `parent`: trusted elements lose their mark, raw ones are sanitized. */
function clean(parent: Root | Element, context: CleanContext): void {
  const kept: (RootContent | ElementContent)[] = []
  for (const child of parent.children) {
    if (child.type === 'comment' || child.type === 'doctype') continue
    if (child.type !== 'element') {
      kept.push(child)
      continue
    }
    const properties = original(child, context)
    if (properties) {
      // Parsing turned properties into attributes and back (`true` into `''`): the originals are exact.
      child.properties = properties
      const before = child.children.length
      clean(child, context)
      // A Markdown paragraph that held only removed HTML would print as an empty gap.
      if (child.tagName === 'p' && before > 0 && child.children.every((node) => node.type === 'text' && node.value.trim() === '')) continue
      kept.push(child)
      continue
    }
    const { properties: verdict, removed } = judge(child, context)
    if (!verdict) {
      // Marked only where reported: copies the HTML parser made of one element are not marked twice.
      if (removed.length > 0) kept.push(removedMark(removed.join(', '), context))
      if (strippedElements.includes(child.tagName)) continue
      clean(child, context)
      kept.push(...child.children)
      continue
    }
    child.properties = verdict
    clean(child, context)
    kept.push(child)
    if (removed.length > 0) kept.push(removedMark(removed.join(', '), context))
  }
  if (parent.type === 'element' && !phrasingHosts.has(parent.tagName) && noPhrasing.has(parent.tagName)) rehome(kept)
  parent.children = kept as typeof parent.children
}

/** Elements whose children may not be text or spans: a mark inside them moves into a cell or item. */
const noPhrasing = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup', 'ul', 'ol', 'dl', 'menu', 'hgroup'])
/** Elements that take a mark at their start when it could not stay where the HTML was. */
const phrasingHosts = new Set(['td', 'th', 'li', 'dt', 'dd', 'caption'])

/** Move marks out of a table or list part into the next cell or item (else the previous one). */
function rehome(children: (RootContent | ElementContent)[]): void {
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!
    if (child.type !== 'element' || !isMark(child)) continue
    const host = children.slice(index + 1).map(hostIn).find(Boolean) ?? children.slice(0, index).reverse().map(hostIn).find(Boolean)
    children.splice(index--, 1)
    host?.children.unshift(child)
  }
}

function isMark(element: Element): boolean {
  return Array.isArray(element.properties.className) && element.properties.className.includes('html-removed')
}

/** The first cell or item in `node`, itself included. */
function hostIn(node: RootContent | ElementContent): Element | undefined {
  if (node.type !== 'element' || isMark(node)) return undefined
  if (phrasingHosts.has(node.tagName)) return node
  for (const child of node.children) {
    const host = hostIn(child)
    if (host) return host
  }
  return undefined
}

/**
 * Sanitize one raw element alone; report what went. `properties` is `undefined` when the element
 * itself goes; `removed` names what was reported removed (`script`, `a[onclick]`).
 * Elements the HTML parser made up have no position and are cleaned silently: implied ones
 * (`<tbody>`) carry nothing, copies (an unclosed `<a>` reopened in the next paragraph) were
 * reported where they were written.
 */
function judge(element: Element, context: CleanContext): { properties: Properties | undefined; removed: string[] } {
  const removed: string[] = []
  const report = (reason: string, ruleId: string, what: string) => {
    const start = element.position?.start
    const key = `${start?.line}:${start?.column}:${reason}`
    if (!start || context.reported.has(key)) return
    context.reported.add(key)
    removed.push(what)
    warn(context.file, reason, element, ruleId)
  }
  const name = element.tagName
  const shallow: Element = { type: 'element', tagName: name, properties: element.properties, children: [] }
  const result = context.sanitize({ type: 'root', children: [shallow] })
  const survivor = result.children[0]
  if (!survivor || survivor.type !== 'element') {
    const content = element.children.length === 0 ? 'removed' : strippedElements.includes(name) ? 'removed with its content' : 'removed, its text stays'
    const reason = (rawHtmlElements as readonly string[]).includes(name) ? 'it is not in `raw-html.elements` of handbook.yaml' : whyNever(name)
    report(`Cannot keep HTML element \`<${name}>\`: ${reason}; ${content}`, 'html-element-removed', name)
    return { properties: undefined, removed }
  }
  for (const property of Object.keys(element.properties)) {
    if (property in survivor.properties) continue
    const attribute = attributeName(property)
    const value = String(element.properties[property])
    let reason: string
    if (/^on/i.test(property)) reason = 'event handlers are never allowed'
    else if (context.attributes.has(attribute) && (attribute === 'href' || attribute === 'cite')) reason = `\`${shorten(value)}\` is not an http, https, mailto or tel URL or a relative path`
    else if (context.attributes.has(attribute) && attribute === 'style') reason = 'the style loads a resource (`url()`, `@import`, ...), and builds are offline'
    else if (propertyOf[attribute]) reason = 'it is not in `raw-html.attributes` of handbook.yaml'
    else reason = 'it is not an attribute raw HTML may use'
    report(`Cannot keep attribute \`${attribute}\` on \`<${name}>\`: ${reason}; removed`, 'html-attribute-removed', `${name}[${attribute}]`)
  }
  return { properties: survivor.properties, removed }
}

/** Why raw HTML may never use `name`, and what to do instead. */
function whyNever(name: string): string {
  if (['script', 'noscript'].includes(name)) return 'it runs code, which no edition allows'
  if (['style', 'link'].includes(name)) return 'it loads or changes styles for the whole book'
  if (['iframe', 'object', 'embed', 'applet', 'frame', 'frameset', 'portal'].includes(name)) return 'it embeds another document or program, which builds never fetch'
  if (['img', 'picture', 'video', 'audio', 'source', 'track', 'canvas', 'map', 'area', 'image'].includes(name)) return 'embed images with Markdown, `![alt](../assets/file.svg)`, so they are checked and packaged'
  if (['svg', 'math'].includes(name)) return 'save it as an image file under `assets/` and embed it with Markdown'
  if (['form', 'input', 'button', 'select', 'option', 'textarea', 'label', 'fieldset', 'legend', 'output', 'datalist'].includes(name)) return 'forms cannot work in print or EPUB'
  if (['meta', 'base', 'head', 'title', 'html', 'body'].includes(name)) return 'it changes the page itself'
  if (/^h[1-6]$/.test(name)) return 'write headings in Markdown (`## Title`) so they are numbered and listed in the contents'
  return 'it is not an element raw HTML may use'
}

/** The HTML name of a hast property, for messages: `onClick` -> `onclick`, `dataX` -> `data-x`. */
function attributeName(property: string): string {
  const known = attributeOf.get(property)
  if (known) return known
  if (/^(data|aria)[A-Z]/.test(property)) return property.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
  return property.toLowerCase()
}

function shorten(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value
}
