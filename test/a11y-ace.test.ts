// DAISY Ace on every locale's EPUB of the bundled handbook.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { ace, bundledEditions, grave } from './a11y-support.js'
import { inPool, temporaryFolder } from './helpers.js'

test("DAISY Ace: no critical and no serious violation in any locale's EPUB", async (t) => {
  const { out, locales } = await bundledEditions()
  const folder = path.join(out, 'epub')
  const reports = temporaryFolder('handbook-ace-')
  const files = locales.map((locale) => path.join(folder, readdirSync(folder).find((name) => name.endsWith(`-${locale}.epub`))!))
  // Ace starts its own browser per file: two at a time on a two-core machine.
  const results = await inPool(files, 2, (file) => ace(file, path.join(reports, path.basename(file))))
  locales.forEach((locale, index) => {
    const count = (impact: string) => results[index]!.filter((violation) => violation.impact === impact).length
    t.diagnostic(`${locale}: ${['critical', 'serious', 'moderate', 'minor'].map((impact) => `${count(impact)} ${impact}`).join(' / ')}`)
  })
  const graveAce = results.flatMap((violations, index) => violations.filter(grave).map((violation) => `${locales[index]}: ${violation.impact} ${violation.rule} in ${violation.file}`))
  assert.deepEqual(graveAce, [])
})
