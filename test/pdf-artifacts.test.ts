// Tagged PDF: running heads and folios are pagination artifacts, so no painted text stands outside
// the structure tree (PDF/UA asks every piece of content to be either tagged or an artifact).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import { bundledHandbook, runCli, temporaryFolder } from './helpers.js'

test('running heads and folios are artifacts: no page paints text outside marked content', () => {
  const root = path.join(bundledHandbook, '..', 'test', 'fixtures', 'books', 'print-options')
  const target = temporaryFolder('handbook-artifacts-')
  const result = runCli(['build', '--root', root, '--format', 'pdf', '--out', target, '--json'], { timeout: 600_000 })
  assert.equal(result.code, 0, result.stderr + result.stdout)
  const file = path.join(target, 'pdf', 'sample-book-0.0.1-en.pdf')
  const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('latin1')
  const pages = [...qdf.matchAll(/%% Contents for page (\d+)\n[\s\S]*?stream\n([\s\S]*?)endstream/g)]
  assert.ok(pages.length >= 10)
  let artifacts = 0
  for (const [, number, body] of pages) {
    if (body!.includes('/Artifact <</Type /Pagination>> BDC')) artifacts++
    // Take out artifacts and tagged content (Chromium does not nest them); what is left is untagged.
    const untagged = body!.replace(/\/Artifact\b[\s\S]*?\bEMC/g, '').replace(/\/\w+ <<\/MCID \d+ >>BDC[\s\S]*?\bEMC/g, '')
    assert.doesNotMatch(untagged, /\bBT\b/, `page ${number}: text outside marked content`)
  }
  assert.ok(artifacts >= 5, `${artifacts} pages with running heads or folios as artifacts`)
})
