// Page-break rules Chromium's fragmentation does not hold: found in a print, fixed by the next one.
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, type PDFDocument } from 'pdf-lib'
import type { Edition, Target } from '../model/types.js'

const pointsPerMillimetre = 72 / 25.4

/** A target that landed where the rule it keeps does not hold. */
export interface BreakViolation {
  id: string
  page: number
  target: Target
  /** What stands alone at the page bottom, for the message. */
  what: string
}

/**
 * How much room, in body lines, a target needs below its top so that it does not end a page: a
 * section heading with two lines of its text, a glossary term with two lines of its definition,
 * a table's caption with its header and two rows.
 */
const linesNeeded: Partial<Record<Target['kind'], number>> = { section: 3.5, term: 3, table: 5 }

/** A named destination: the id it names, its page (1-based) and its top above the page bottom, in points. */
export interface NamedDestination {
  name: string
  page: number
  top: number | undefined
}

/**
 * Every named destination Chromium wrote, by the element id it names (Chromium percent-encodes
 * non-ASCII ids), with its page (1-based) and, where given, the distance of its top from the page
 * bottom in points. The one walk of the PDF's `Dests` that page numbers and break rules both read.
 */
export function namedDestinations(document: PDFDocument): NamedDestination[] {
  const pages = new Map(document.getPages().map((page, index) => [page.ref.toString(), index + 1]))
  const dests = document.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict)
  if (!dests) return []
  const result: NamedDestination[] = []
  for (const [name, value] of dests.entries()) {
    const target = document.context.lookup(value)
    const array = target instanceof PDFArray ? target : target instanceof PDFDict ? target.lookupMaybe(PDFName.of('D'), PDFArray) : undefined
    const pageRef = array?.get(0)
    const top = array?.get(3)
    const page = pageRef instanceof PDFRef ? pages.get(pageRef.toString()) : undefined
    if (page !== undefined) result.push({ name: decodeDestination(name.decodeText()), page, top: top instanceof PDFNumber ? top.asNumber() : undefined })
  }
  return result
}

/** An id from its destination name; a name that is not valid percent-encoding is the id itself. */
function decodeDestination(name: string): string {
  try {
    return decodeURIComponent(name)
  } catch {
    return name
  }
}

/**
 * Targets (section headings, glossary terms, tables) whose top is so close to the bottom of the
 * text block that what must follow them went overleaf, from a print's `destinations`
 * (`namedDestinations`). `margins` are the page's top and bottom margins in millimetres (bleed
 * included), `lineHeight` one body line in points.
 */
export function breakViolations(destinations: readonly NamedDestination[], edition: Edition, margins: { top: number; bottom: number }, lineHeight: number): BreakViolation[] {
  const violations: BreakViolation[] = []
  const bottom = margins.bottom * pointsPerMillimetre
  for (const { name: id, page, top: destinationTop } of destinations) {
    if (destinationTop === undefined) continue
    // Chromium measures a destination from the top of the page area, forgetting the top margin.
    const top = destinationTop - margins.top * pointsPerMillimetre
    const target = edition.targets.get(id)
    const needed = target ? linesNeeded[target.kind] : undefined
    if (!target || needed === undefined) continue
    if (top - bottom < needed * lineHeight) violations.push({ id, page, target, what: target.kind === 'table' ? 'table caption' : target.kind === 'term' ? 'glossary term' : 'heading' })
  }
  return violations.sort((a, b) => a.page - b.page)
}

/** The style that makes each violating target start a new page in the next print. */
export function breakFixCss(ids: Iterable<string>): string {
  return [...ids]
    .map((id) => {
      const quoted = `"${id.replace(/["\\]/g, '\\$&')}"`
      // A table breaks before its float wrapper, which holds nothing else.
      return `[id=${quoted}]:not(table), .table-float:has(> table[id=${quoted}]) { break-before: page; }`
    })
    .join('\n')
}
