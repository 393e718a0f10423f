// Tagged PDF towards PDF/UA: painted content that Chromium leaves outside the structure becomes an
// artifact, figure groups stop posing as figures without alternative text, and XMP metadata names the title.
import { DOMImplementation, XMLSerializer, type Element } from '@xmldom/xmldom'
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFString, PDFHexString, type PDFDocument, type PDFObject } from 'pdf-lib'
import type { StreamEdits } from './pdf-text.js'

/**
 * Path painting, XObjects, shadings and inline images drawn outside any marked content are neither
 * tagged content nor artifacts, which PDF/UA forbids. Chromium leaves there what no element of the
 * structure owns: an image with empty alt text (a decorative image: Chromium closes the paragraph's
 * marked content just before it), the dotted leaders of the contents, the backgrounds and rules of
 * boxes, the cover's art. Each such graphics object becomes an `/Artifact` sequence; consecutive
 * ones share one. Returns how many sequences were added.
 */
export function markUntaggedArtifacts(document: PDFDocument, edits: StreamEdits): number {
  let added = 0
  for (const page of document.getPages()) {
    const contents = page.node.get(PDFName.of('Contents'))
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : []
    for (const ref of refs) {
      const text = edits.read(ref)
      if (text === undefined) continue
      const ranges = untaggedPainting(text)
      if (ranges.length === 0) continue
      let out = ''
      let at = 0
      for (const { start, end } of ranges) {
        out += text.slice(at, start) + '/Artifact BMC\n' + text.slice(start, end) + '\nEMC\n'
        at = end
      }
      edits.write(ref as PDFRef, out + text.slice(at))
      added += ranges.length
    }
  }
  return added
}

/** Operators that end a path object by painting it (`n` ends one without painting). */
const paintPath = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*'])

/**
 * Where a content stream paints outside marked content: the spans of whole graphics objects (from
 * their first operand to their painting operator), merged while no marked content lies between
 * them. An object that marked content opens or closes inside is left alone: part of it is tagged.
 *
 * Outside marked content the stream is read lexeme by lexeme; inside, only the marked-content
 * operators matter, and a search jumps from one to the next: nearly all of a page is inside, and
 * lexing it all cost more than the rest of the PDF's post-processing together.
 */
export function untaggedPainting(text: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = []
  let depth = 0
  // The current graphics object: where it started, and whether marked content began or ended in it.
  let object: { start: number; mixed: boolean } | undefined
  let markedSinceRange = true
  // Where the operands of the next operator begin: just after the previous operator.
  let operandsFrom = 0
  const close = (end: number, paints: boolean) => {
    const current = object!
    object = undefined
    if (!paints || current.mixed) return
    const last = ranges[ranges.length - 1]
    if (last && !markedSinceRange) last.end = end
    else ranges.push({ start: current.start, end })
    markedSinceRange = false
  }
  const lexer = new RegExp(lexeme.source, 'g')
  const marks = new RegExp(markOperator.source, 'g')
  for (let match = lexer.exec(text); match; match = lexer.exec(text)) {
    const word = match[0]
    const first = word.charCodeAt(0)
    // Strings, names and comments are operands (or nothing): skipped whole, so a string reading "EMC" is no operator.
    if (first === 0x28 || first === 0x3c || first === 0x2f || first === 0x25) continue
    if (word === 'true' || word === 'false' || word === 'null') continue
    const end = match.index + word.length
    let start = operandsFrom
    while (start < match.index && whitespace(text.charCodeAt(start))) start++
    operandsFrom = end
    if (word === 'BDC' || word === 'BMC') {
      if (object) object.mixed = true
      markedSinceRange = true
      // Inside marked content: jump from marked-content operator to operator until it closes.
      depth = 1
      marks.lastIndex = end
      let resume = text.length
      for (let mark = marks.exec(text); mark; mark = marks.exec(text)) {
        if (!mark[1] || !operatorAt(text, mark.index)) continue
        depth += mark[1] === 'EMC' ? -1 : 1
        if (depth === 0) {
          resume = mark.index + 3
          break
        }
      }
      depth = 0
      lexer.lastIndex = resume
      operandsFrom = resume
    } else if (word === 'EMC') {
      // One more EMC than BMCs: the sequence began in an earlier stream of the page.
      if (object) object.mixed = true
      markedSinceRange = true
    } else if (word === 'ID') {
      // Inline image data is binary: it runs to whitespace, `EI` and a delimiter.
      const data = /\sEI(?=[\s/[<(%]|$)/g
      data.lastIndex = end
      const found = data.exec(text)
      const after = found ? found.index + 3 : text.length
      if (object) close(after, true)
      lexer.lastIndex = after
      operandsFrom = after
    } else if (object) {
      if (word === 'ET' || paintPath.has(word)) close(end, true)
      else if (word === 'n') close(end, false)
    } else if (word === 'BT' || word === 'BI' || word === 'm' || word === 're') {
      object = { start, mixed: false }
    } else if (word === 'Do' || word === 'sh') {
      object = { start, mixed: false }
      close(end, true)
    }
  }
  return ranges
}

/**
 * A marked-content operator, or a literal string (Chromium's replacement texts), matched to be
 * stepped over whole. Hex strings are not stepped over (they are every glyph run: matching them
 * would cost more than all the rest), which is safe because they hold no whitespace where Chromium
 * writes them, and an operator stands between whitespace (or its properties' `>>`).
 */
const markOperator = /\((?:[^()\\]|\\[\s\S]|\((?:[^()\\]|\\[\s\S])*\))*\)|(BDC|BMC|EMC)/

/** Whether the three letters at `index` stand as an operator: after whitespace, `>` or `]`, before whitespace or the end. */
function operatorAt(text: string, index: number): boolean {
  const before = text.charCodeAt(index - 1)
  return (index === 0 || whitespace(before) || before === 0x3e || before === 0x5d) && (index + 3 === text.length || whitespace(text.charCodeAt(index + 3)))
}

/**
 * One lexeme of a content stream, as far as marking needs them: literal strings (with one level of
 * nested parentheses, all Chromium writes), hex strings, names, comments, and words (operators,
 * or the keywords true, false, null). Numbers, arrays and dictionary brackets are stepped over.
 */
const lexeme = /\((?:[^()\\]|\\[\s\S]|\((?:[^()\\]|\\[\s\S])*\))*\)|<[0-9A-Fa-f\s]*>|\/[^\s/[\]()<>{}%]*|%[^\r\n]*|[A-Za-z'"][^\s/[\]()<>{}%]*/

/** PDF whitespace: NUL, tab, line feed, form feed, carriage return, space. */
function whitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00
}

/**
 * Chromium tags an HTML `<figure>` as a `/Figure` that holds the image's own `/Figure` (with the
 * alt text) and the `/Caption`. Figures need alternative text in PDF/UA, and the outer one has
 * none: it only groups, so it becomes a `/Div`. A `/Figure` without alternative text that holds
 * content directly stays: no text can be invented for it. Returns how many were retagged.
 */
export function retagFigureGroups(document: PDFDocument): number {
  const figure = PDFName.of('Figure')
  const root = document.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict)
  if (!root) return 0
  let retagged = 0
  const seen = new Set<PDFDict>()
  const walk = (node: PDFObject | undefined): void => {
    const element = node instanceof PDFRef ? document.context.lookup(node) : node
    if (element instanceof PDFArray) {
      for (const kid of element.asArray()) walk(kid)
      return
    }
    if (!(element instanceof PDFDict) || seen.has(element)) return
    seen.add(element)
    const kids = element.get(PDFName.of('K'))
    if (element.get(PDFName.of('S')) === figure && !hasText(element, 'Alt') && !hasText(element, 'ActualText') && childElements(document, kids).length > 0) {
      element.set(PDFName.of('S'), PDFName.of('Div'))
      retagged++
    }
    walk(kids)
  }
  walk(root.get(PDFName.of('K')))
  return retagged
}

function hasText(element: PDFDict, key: string): boolean {
  const value = element.get(PDFName.of(key))
  return (value instanceof PDFString || value instanceof PDFHexString) && value.decodeText().trim() !== ''
}

/** The structure elements among the kids of an element (not marked-content or object references). */
function childElements(document: PDFDocument, kids: PDFObject | undefined): PDFDict[] {
  const list = kids instanceof PDFArray ? kids.asArray() : kids ? [kids] : []
  return list
    .map((kid) => (kid instanceof PDFRef ? document.context.lookup(kid) : kid))
    .filter((kid): kid is PDFDict => kid instanceof PDFDict && kid.has(PDFName.of('S')))
}

export interface XmpInfo {
  title: string
  lang: string
  authors: readonly string[]
  description?: string
  keywords: readonly string[]
  producer: string
  creator: string
  date: Date
}

/**
 * The XMP metadata stream the catalog points to: PDF/UA reads the title (`dc:title`) from here, and
 * the document information dictionary says the same. Written uncompressed, as XMP is meant to be
 * findable by tools that do not read PDF.
 */
export function setXmpMetadata(document: PDFDocument, info: XmpInfo): void {
  const ns = {
    x: 'adobe:ns:meta/',
    rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
    dc: 'http://purl.org/dc/elements/1.1/',
    xmp: 'http://ns.adobe.com/xap/1.0/',
    pdf: 'http://ns.adobe.com/pdf/1.3/'
  }
  const xml = new DOMImplementation().createDocument(ns.x, 'x:xmpmeta', null)
  const meta = xml.documentElement!
  const add = (parent: Element, namespace: string, name: string, text?: string): Element => {
    const child = xml.createElementNS(namespace, name)
    if (text !== undefined) child.appendChild(xml.createTextNode(text))
    parent.appendChild(child)
    return child
  }
  const rdf = add(meta, ns.rdf, 'rdf:RDF')
  const description = add(rdf, ns.rdf, 'rdf:Description')
  description.setAttributeNS(ns.rdf, 'rdf:about', '')
  for (const [prefix, uri] of Object.entries(ns)) if (prefix !== 'x' && prefix !== 'rdf') description.setAttributeNS('http://www.w3.org/2000/xmlns/', `xmlns:${prefix}`, uri)
  const alternative = (name: string, text: string) => {
    const entry = add(add(add(description, ns.dc, name), ns.rdf, 'rdf:Alt'), ns.rdf, 'rdf:li', text)
    entry.setAttributeNS('http://www.w3.org/XML/1998/namespace', 'xml:lang', 'x-default')
  }
  alternative('dc:title', info.title)
  if (info.description) alternative('dc:description', info.description)
  const creators = add(add(description, ns.dc, 'dc:creator'), ns.rdf, 'rdf:Seq')
  for (const author of info.authors) add(creators, ns.rdf, 'rdf:li', author)
  add(add(add(description, ns.dc, 'dc:language'), ns.rdf, 'rdf:Bag'), ns.rdf, 'rdf:li', info.lang)
  if (info.keywords.length > 0) {
    const subjects = add(add(description, ns.dc, 'dc:subject'), ns.rdf, 'rdf:Bag')
    for (const keyword of info.keywords) add(subjects, ns.rdf, 'rdf:li', keyword)
    add(description, ns.pdf, 'pdf:Keywords', info.keywords.join(', '))
  }
  add(description, ns.dc, 'dc:format', 'application/pdf')
  add(description, ns.pdf, 'pdf:Producer', info.producer)
  add(description, ns.xmp, 'xmp:CreatorTool', info.creator)
  const date = info.date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  for (const name of ['xmp:CreateDate', 'xmp:ModifyDate', 'xmp:MetadataDate']) add(description, ns.xmp, name, date)
  const body = new XMLSerializer().serializeToString(xml)
  const packet = `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n${body}\n<?xpacket end="r"?>`
  const { context } = document
  const stream = PDFRawStream.of(context.obj({ Type: 'Metadata', Subtype: 'XML' }) as PDFDict, new Uint8Array(Buffer.from(packet, 'utf8')))
  stream.dict.set(PDFName.of('Length'), context.obj(stream.contents.length))
  document.catalog.set(PDFName.of('Metadata'), context.register(stream))
}
