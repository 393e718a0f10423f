// XLIFF 1.2 for CAT tools: writing a locale's units (codes as <g>, <ph> and <x/>) and reading a translated file back with the place of every unit.
import { DOMParser, type Element, type Node as XmlNode } from '@xmldom/xmldom'
import type { Part } from './segments.js'
import type { LocaleUnits, Unit } from './units.js'

/** A code as an exchange file carries it: its id and kind, never its Markdown. */
export interface TokenCode {
  id: number
  kind: 'open' | 'close' | 'ph'
}
export type Token = string | TokenCode

/** One unit read from an exchange file. */
export interface ReadUnit {
  id: string
  source: Token[]
  /** `undefined` when the file has no (or an empty) target. */
  target: Token[] | undefined
  /** Translated, not only pre-filled or to be reviewed: the unit may count for a section's record. */
  translated: boolean
  line: number
  column: number
}

export interface ReadFile {
  format: 'xliff' | 'po'
  sourceLocale: string | undefined
  locale: string | undefined
  units: ReadUnit[]
  /** Problems with the file itself (not well-formed, an unknown element in a target), with their place. */
  problems: { line: number; column: number; message: string; unit?: string }[]
}

const ns = 'urn:oasis:names:tc:xliff:document:1.2'

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
}

/** Parts as XLIFF inline content. */
export function inlineXliff(parts: readonly Part[]): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return escapeText(part)
      if (part.kind === 'open') return `<g id="${part.id}" ctype="${part.ctype}">`
      if (part.kind === 'close') return '</g>'
      if (part.kind === 'lb') return `<x id="${part.id}" ctype="lb"/>`
      return `<ph id="${part.id}" ctype="${part.ctype}">${escapeText(part.code)}</ph>`
    })
    .join('')
}

function unitXml(unit: Unit, indent: string): string {
  const lines = [`${indent}<trans-unit id="${escapeAttribute(unit.id)}" resname="${escapeAttribute(unit.id)}" restype="x-${unit.kind}" xml:space="preserve">`]
  lines.push(`${indent}  <source>${inlineXliff(unit.source)}</source>`)
  if (unit.target) lines.push(`${indent}  <target state="${unit.state}">${inlineXliff(unit.target)}</target>`)
  if (unit.previous !== undefined) lines.push(`${indent}  <note from="previous-source" annotates="source">${escapeText(unit.previous)}</note>`)
  for (const note of unit.notes) lines.push(`${indent}  <note from="handbook">${escapeText(note)}</note>`)
  lines.push(`${indent}  <note from="handbook" annotates="general">${escapeText(`${unit.kind}; ${unit.location}`)}</note>`)
  lines.push(`${indent}</trans-unit>`)
  return lines.join('\n')
}

/** A locale's units as one XLIFF 1.2 document: a `<file>` per chapter (and one for the strings), a `<group>` per section. */
export function writeXliff(model: LocaleUnits, options: { template?: boolean } = {}): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<xliff version="1.2" xmlns="${ns}">`]
  for (const group of model.groups) {
    const target = options.template ? '' : ` target-language="${escapeAttribute(model.locale)}"`
    out.push(`  <file original="${escapeAttribute(group.original)}" source-language="${escapeAttribute(model.sourceLocale)}"${target} datatype="plaintext" product-name="handbook">`)
    out.push(`    <header>`)
    out.push(`      <note from="handbook">${escapeText(group.title)}</note>`)
    out.push(`    </header>`)
    out.push('    <body>')
    let section: string | undefined
    for (const unit of group.units) {
      const grouped = group.id !== 'strings'
      if (grouped && unit.section !== section) {
        if (section !== undefined) out.push('      </group>')
        section = unit.section
        out.push(`      <group id="${escapeAttribute(`${group.id}/${unit.section}`)}" resname="${escapeAttribute(unit.section)}">`)
      }
      const shown = options.template ? { ...unit, target: undefined, previous: undefined, notes: [] } : unit
      out.push(unitXml(shown, grouped ? '        ' : '      '))
    }
    if (section !== undefined) out.push('      </group>')
    out.push('    </body>')
    out.push('  </file>')
  }
  out.push('</xliff>')
  return out.join('\n') + '\n'
}

function isElement(node: XmlNode): node is Element {
  return node.nodeType === 1
}

/** Read inline content; codes by id and kind; unknown elements are problems. */
function readInline(element: Element, problem: (node: XmlNode, message: string) => void): Token[] {
  const tokens: Token[] = []
  const text = (value: string) => {
    const last = tokens.at(-1)
    if (typeof last === 'string') tokens[tokens.length - 1] = last + value
    else if (value !== '') tokens.push(value)
  }
  const idOf = (node: Element): number | undefined => {
    const raw = node.getAttribute('id') ?? node.getAttribute('rid') ?? ''
    return /^[0-9]+$/.test(raw) ? Number(raw) : undefined
  }
  const walk = (node: Element) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3 || child.nodeType === 4) {
        text(child.nodeValue ?? '')
        continue
      }
      if (!isElement(child)) continue
      const name = child.localName
      const id = idOf(child)
      if (name === 'mrk') {
        // Tools mark terms and comments with <mrk>: its text is the translation.
        walk(child)
        continue
      }
      if ((name === 'g' || name === 'bx' || name === 'ex' || name === 'bpt' || name === 'ept' || name === 'ph' || name === 'x' || name === 'it') && id === undefined) {
        problem(child, `<${name}> without a numeric id: keep the codes of the source`)
        continue
      }
      if (name === 'g') {
        tokens.push({ id: id!, kind: 'open' })
        walk(child)
        tokens.push({ id: id!, kind: 'close' })
      } else if (name === 'bx' || name === 'bpt') tokens.push({ id: id!, kind: 'open' })
      else if (name === 'ex' || name === 'ept') tokens.push({ id: id!, kind: 'close' })
      else if (name === 'ph' || name === 'x' || name === 'it') tokens.push({ id: id!, kind: 'ph' })
      else problem(child, `Unexpected <${name}> in a target: only text and the source's codes (<g>, <ph>, <x/>) may be there`)
    }
  }
  walk(element)
  return tokens
}

function childElement(parent: Element, name: string): Element | undefined {
  for (let child = parent.firstChild; child; child = child.nextSibling) if (isElement(child) && child.localName === name) return child
  return undefined
}

/** Read an XLIFF 1.2 document. */
export function readXliff(text: string): ReadFile {
  const problems: ReadFile['problems'] = []
  const document = new DOMParser({
    onError: (level, message, context: unknown) => {
      if (level === 'warning') return
      const locator = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator
      problems.push({ line: locator?.lineNumber ?? 1, column: locator?.columnNumber ?? 1, message: `Cannot read the XLIFF: ${String(message).split('\n')[0]}` })
    }
  }).parseFromString(text, 'application/xml')
  const result: ReadFile = { format: 'xliff', sourceLocale: undefined, locale: undefined, units: [], problems }
  if (problems.length > 0) return result
  const root = document.documentElement
  if (!root || root.localName !== 'xliff' || (root.namespaceURI !== ns && root.namespaceURI !== null && root.namespaceURI !== '')) {
    problems.push({ line: 1, column: 1, message: 'Unexpected document: expected an XLIFF 1.2 file (<xliff version="1.2">)' })
    return result
  }
  const place = (node: XmlNode) => ({ line: (node as { lineNumber?: number }).lineNumber ?? 1, column: (node as { columnNumber?: number }).columnNumber ?? 1 })
  const files = root.getElementsByTagNameNS('*', 'file')
  for (let index = 0; index < files.length; index++) {
    const file = files.item(index)!
    result.sourceLocale ??= file.getAttribute('source-language') ?? undefined
    result.locale ??= file.getAttribute('target-language') ?? undefined
  }
  const units = root.getElementsByTagNameNS('*', 'trans-unit')
  for (let index = 0; index < units.length; index++) {
    const unit = units.item(index)!
    const id = unit.getAttribute('id') ?? ''
    const problem = (node: XmlNode, message: string) => problems.push({ ...place(node), message, unit: id })
    const sourceElement = childElement(unit, 'source')
    if (!sourceElement) {
      problem(unit, `Unit \`${id}\` has no <source>`)
      continue
    }
    const targetElement = childElement(unit, 'target')
    const source = readInline(sourceElement, problem)
    let target = targetElement ? readInline(targetElement, problem) : undefined
    if (target && target.length === 0) target = undefined
    const state = targetElement?.getAttribute('state') || undefined
    const translated = target !== undefined && (state === undefined || state === 'translated' || state === 'final' || state === 'signed-off')
    result.units.push({ id, source, target, translated, ...place(targetElement ?? unit) })
  }
  return result
}
