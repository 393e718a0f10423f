// SVG images as they ship: parsed with a real XML parser (saxes), cut down to an allow-list of SVG elements and attributes, and serialized anew.
import { SaxesParser, type SaxesTagNS } from 'saxes'
import type { ImageProblem } from './image-check.js'

const svgNamespace = 'http://www.w3.org/2000/svg'
const xlinkNamespace = 'http://www.w3.org/1999/xlink'
const xmlNamespace = 'http://www.w3.org/XML/1998/namespace'

/** Limits of one SVG image: a figure of a handbook is far below each. */
export const svgLimits = { elements: 50_000, depth: 200 }

/**
 * SVG elements a static figure needs. Not here, and so removed: `script`, `foreignObject`, the
 * animation elements (`animate`, `set`, ... can rewrite links and load URLs), `iframe`, `video`,
 * `audio`, `canvas`, and every element of another namespace.
 */
const elements = new Set(
  (
    'a circle clipPath defs desc ellipse feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting ' +
    'feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode ' +
    'feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence filter g image line linearGradient marker mask ' +
    'metadata path pattern polygon polyline radialGradient rect stop style svg switch symbol text textPath title tspan use view'
  ).split(' ')
)

/** Elements that are dropped with everything inside them (their content is not figure content). */
const dropWithContent = new Set(['metadata'])

/** Elements whose removal is an error, not a warning: they carry script or load other documents. */
const dangerous = new Set(['script', 'handler', 'foreignobject', 'iframe', 'embed', 'object', 'animate', 'set', 'animatemotion', 'animatetransform', 'animatecolor', 'discard', 'listener'])

/** Attributes without a namespace that a static figure needs (geometry, presentation, text, filters, accessibility). */
const attributes = new Set(
  (
    'id class style transform viewBox preserveAspectRatio width height x y x1 y1 x2 y2 cx cy r rx ry fx fy fr d points pathLength ' +
    'fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset ' +
    'stroke-opacity opacity color display visibility overflow clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits filter ' +
    'filterUnits primitiveUnits gradientUnits gradientTransform spreadMethod offset stop-color stop-opacity patternUnits patternContentUnits ' +
    'patternTransform marker-start marker-mid marker-end markerWidth markerHeight markerUnits refX refY orient font-family font-size ' +
    'font-size-adjust font-weight font-style font-variant font-stretch text-anchor dominant-baseline alignment-baseline baseline-shift ' +
    'letter-spacing word-spacing text-decoration writing-mode direction unicode-bidi dx dy rotate textLength lengthAdjust startOffset ' +
    'method spacing side href lang role aria-label aria-hidden aria-labelledby aria-describedby focusable tabindex version baseProfile in in2 result ' +
    'stdDeviation mode operator k1 k2 k3 k4 values type tableValues slope intercept amplitude exponent kernelMatrix order divisor bias ' +
    'targetX targetY edgeMode preserveAlpha surfaceScale diffuseConstant specularConstant specularExponent kernelUnitLength azimuth ' +
    'elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle scale xChannelSelector yChannelSelector radius baseFrequency numOctaves ' +
    'seed stitchTiles flood-color flood-opacity lighting-color color-interpolation color-interpolation-filters shape-rendering ' +
    'text-rendering image-rendering vector-effect paint-order mix-blend-mode isolation systemLanguage media title'
  ).split(' ')
)

/** Attributes whose value is a reference: only a fragment of the same document may stay. */
const references = new Set(['href'])

/** Namespaces of drawing programs' own bookkeeping: removed without a word. */
const editorNamespaces = [
  'http://www.inkscape.org/namespaces/inkscape',
  'http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  'http://purl.org/dc/elements/1.1/',
  'http://creativecommons.org/ns#',
  'http://ns.adobe.com/'
]

export interface SanitizedSvg {
  /** The image as it ships: only allowed elements and attributes, serialized anew. */
  text: string
  /** Errors: the image is not used. */
  problems: ImageProblem[]
  /** What was removed because it is not on the allow-list (harmless, but not shipped), for a warning. */
  removed: string[]
}

interface Node {
  name: string
  attributes: [string, string][]
  children: (Node | string)[]
}

/**
 * Parse `text` as XML and keep only the allow-listed SVG. Errors: anything that would run script,
 * load another file or the network, or declare entities. Serialization writes every element in the
 * SVG namespace without a prefix, `xlink:href` and `xml:*` with theirs, text with `&`, `<` and `>`
 * escaped: what the check saw is exactly what a browser parses.
 */
export function sanitizeSvg(text: string): SanitizedSvg {
  const problems: ImageProblem[] = []
  const removed = new Set<string>()
  const add = (problem: ImageProblem) => {
    if (!problems.some((known) => known.reason === problem.reason)) problems.push(problem)
  }
  const parser = new SaxesParser({ xmlns: true, position: true })
  const stack: (Node | null)[] = []
  let root: Node | undefined
  let count = 0
  let skipping = 0
  let failed: string | undefined
  parser.on('error', (error) => {
    failed ??= error.message
  })
  parser.on('doctype', (doctype) => {
    // A document type may declare entities, whose text a browser would splice in unchecked.
    if (/<!ENTITY/i.test(doctype)) add({ ruleId: 'image-unsafe', reason: 'it declares entities in its document type; write the text out and remove the `<!DOCTYPE ...>`' })
  })
  parser.on('processinginstruction', (instruction) => {
    if (/^xml-stylesheet$/i.test(instruction.target)) add({ ruleId: 'image-unsafe', reason: 'it loads a style sheet with `<?xml-stylesheet?>`; put the styles into a `<style>` element' })
    else removed.add(`<?${instruction.target}?>`)
  })
  parser.on('opentag', (tag: SaxesTagNS) => {
    count++
    if (count > svgLimits.elements) {
      failed ??= `it has more than ${svgLimits.elements} elements`
      return
    }
    if (stack.length >= svgLimits.depth) {
      failed ??= `its elements nest deeper than ${svgLimits.depth} levels`
      return
    }
    const inSvg = tag.uri === svgNamespace || (tag.uri === '' && !tag.prefix)
    const local = tag.local
    if (stack.length === 0 && !(inSvg && local === 'svg')) {
      failed ??= `it is not an SVG image (its root element is \`<${tag.name}>\`)`
    }
    const parent = stack.at(-1)
    if (skipping > 0 || parent === null) {
      stack.push(null)
      if (skipping > 0) skipping++
      checkDangerous(tag, add)
      return
    }
    if (!inSvg || !elements.has(local)) {
      checkDangerous(tag, add)
      if (!editorNamespaces.some((namespace) => tag.uri.startsWith(namespace))) removed.add(`<${tag.name}>`)
      stack.push(null)
      skipping = 1
      return
    }
    if (dropWithContent.has(local)) {
      stack.push(null)
      skipping = 1
      return
    }
    const node: Node = { name: local, attributes: [], children: [] }
    for (const attribute of Object.values(tag.attributes)) {
      const kept = keepAttribute(tag, attribute.local, attribute.uri, attribute.prefix, attribute.name, attribute.value, add)
      if (kept) node.attributes.push(kept)
      else if (kept === null && !editorNamespaces.some((namespace) => attribute.uri.startsWith(namespace)) && attribute.prefix !== 'xmlns' && attribute.name !== 'xmlns') {
        removed.add(`${attribute.name}=""`)
      }
    }
    if (parent) parent.children.push(node)
    else root ??= node
    stack.push(node)
  })
  parser.on('closetag', () => {
    stack.pop()
    if (skipping > 0) skipping--
  })
  const onText = (value: string) => {
    const parent = stack.at(-1)
    if (parent && skipping === 0) parent.children.push(value)
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  try {
    parser.write(text).close()
  } catch (error) {
    failed ??= (error as Error).message
  }
  // Entities declared in a document type are refused above; their references then fail to parse too.
  if (failed !== undefined && problems.length > 0) return { text: '', problems, removed: [] }
  if (failed !== undefined) return { text: '', problems: [{ ruleId: /^it /.test(failed) ? 'image-unsafe' : 'image-corrupt', reason: /^it /.test(failed) ? failed : `it is not well-formed SVG: ${failed}` }, ...problems], removed: [] }
  if (!root) return { text: '', problems: [{ ruleId: 'image-corrupt', reason: 'it has no `<svg>` element' }, ...problems], removed: [] }
  return { text: serialize(root), problems, removed: [...removed].sort() }
}

/** Report an element that is not just removed but dangerous: script, frames, animations, other namespaces' markup. */
function checkDangerous(tag: SaxesTagNS, add: (problem: ImageProblem) => void): void {
  const local = tag.local.toLowerCase()
  if (dangerous.has(local)) add({ ruleId: 'image-unsafe', reason: `it contains a \`<${tag.name}>\`, which can run script or load other documents; remove it` })
  else if (tag.uri === 'http://www.w3.org/1999/xhtml') add({ ruleId: 'image-unsafe', reason: `it contains the HTML element \`<${tag.name}>\`; an SVG image holds SVG only` })
  for (const attribute of Object.values(tag.attributes)) {
    if (/^on/i.test(attribute.local)) add({ ruleId: 'image-unsafe', reason: `it has an event handler \`${attribute.name}\` on \`<${tag.name}>\`; remove it` })
  }
}

/**
 * The attribute as it ships, `null` when it is removed as not allowed, `undefined` when it is
 * removed with an error (reported through `add`).
 */
function keepAttribute(
  tag: SaxesTagNS,
  local: string,
  uri: string,
  prefix: string,
  name: string,
  value: string,
  add: (problem: ImageProblem) => void
): [string, string] | null | undefined {
  if (/^on/i.test(local)) {
    add({ ruleId: 'image-unsafe', reason: `it has an event handler \`${name}\` on \`<${tag.name}>\`; remove it` })
    return undefined
  }
  let qualified: string
  if (uri === '' && prefix === '' && attributes.has(local)) qualified = local
  else if (uri === xlinkNamespace && local === 'href') qualified = 'xlink:href'
  else if (uri === xmlNamespace && (local === 'space' || local === 'lang')) qualified = `xml:${local}`
  else return null
  if (references.has(local)) {
    const reference = value.trim()
    const isRaster = tag.local === 'image' && /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/i.test(reference)
    if (!reference.startsWith('#') && !isRaster) {
      // The check before this one names remote and file references; anything else left is refused here.
      add({ ruleId: 'image-unsafe', reason: `it refers to \`${reference.length > 80 ? reference.slice(0, 77) + '...' : reference}\` from \`<${tag.name}>\`; an image may refer only to its own parts (\`#id\`)` })
      return undefined
    }
  }
  return [qualified, value]
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function escapeAttribute(value: string): string {
  // Line breaks and tabs as references: an XML parser would otherwise turn them into spaces.
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;')
}

function serialize(root: Node): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
  const usesXlink = (node: Node): boolean => node.attributes.some(([name]) => name === 'xlink:href') || node.children.some((child) => typeof child !== 'string' && usesXlink(child))
  const declarations = ` xmlns="${svgNamespace}"` + (usesXlink(root) ? ` xmlns:xlink="${xlinkNamespace}"` : '')
  // Iterative: the depth is limited, but a recursion would still cost a stack frame per level.
  const work: (Node | string | { close: string })[] = [root]
  let first = true
  while (work.length > 0) {
    const item = work.pop()!
    if (typeof item === 'string') out.push(escapeText(item))
    else if ('close' in item) out.push(`</${item.close}>`)
    else {
      const attributeText = item.attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('')
      out.push(`<${item.name}${first ? declarations : ''}${attributeText}`)
      first = false
      if (item.children.length === 0) out.push('/>')
      else {
        out.push('>')
        work.push({ close: item.name })
        for (let index = item.children.length - 1; index >= 0; index--) work.push(item.children[index]!)
      }
    }
  }
  return out.join('') + '\n'
}
