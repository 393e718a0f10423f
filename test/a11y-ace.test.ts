// DAISY Ace on the EPUB of the bundled handbook in the project's own language (lv): a translation, so
// its language metadata and the source's words left in it are audited too; every locale with
// HANDBOOK_A11Y_FULL=1. The locales' EPUBs are the same documents in other words under the same
// stylesheet, and axe sees each document position of every locale in a11y-epub.test.ts. Ace costs
// about 40 s of CPU per EPUB here, 33 of them in its own browser (22 documents, every axe rule).
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { ace, bundledEditions, fullAudit, grave } from './a11y-support.js'
import { inPool, temporaryFolder } from './helpers.js'

test('DAISY Ace: no critical and no serious violation in the EPUBs', async (t) => {
  const { out, locales: all } = await bundledEditions()
  const locales = fullAudit ? all : ['lv']
  assert.ok(locales.every((locale) => all.includes(locale)), `the bundled handbook has ${locales.join(', ')}`)
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
