// Break rules read the PDF's named destinations by the ids they name, non-ASCII ids included.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PDFDocument, PDFName, PDFNumber } from 'pdf-lib'
import type { Edition, Target } from '../src/model/types.js'
import { breakViolations, namedDestinations } from '../src/render/pdf-breaks.js'

/** A one-page A5 PDF whose `Dests` names each id as Chromium writes it: percent-encoded UTF-8. */
async function pdfWithDestinations(tops: Record<string, number>): Promise<PDFDocument> {
  const document = await PDFDocument.create()
  const page = document.addPage([419.53, 595.28])
  const dests = document.context.obj({})
  for (const [id, top] of Object.entries(tops)) {
    const name = encodeURIComponent(id)
    dests.set(PDFName.of(name), document.context.obj([page.ref, PDFName.of('XYZ'), PDFNumber.of(0), PDFNumber.of(top), PDFNumber.of(0)]))
  }
  document.catalog.set(PDFName.of('Dests'), dests)
  // Through bytes and back, as the build reads a print.
  return PDFDocument.load(await document.save())
}

test('a heading with a non-ASCII id at a page bottom is found by its id and reported', async () => {
  const ids = ['sec-café', 'sec-日本語', 'sec-plain']
  // 18 mm top and 20 mm bottom margins; 14.25 pt lines. Measured from the page area's top, as Chromium does.
  const low = 18 * (72 / 25.4) + 20 * (72 / 25.4) + 14.25
  const high = 400
  const document = await pdfWithDestinations({ [ids[0]!]: low, [ids[1]!]: low, [ids[2]!]: high })
  assert.deepEqual(namedDestinations(document).map(({ name }) => name).sort(), [...ids].sort())
  const targets = new Map<string, Target>(ids.map((id) => [id, { id, kind: 'section', chapterId: 'c', number: null, title: id, sourceFile: 'c.md' }]))
  const violations = breakViolations(namedDestinations(document), { targets } as unknown as Edition, { top: 18, bottom: 20 }, 14.25)
  assert.deepEqual(violations.map(({ id, what }) => `${id} ${what}`).sort(), ['sec-café heading', 'sec-日本語 heading'])
})
