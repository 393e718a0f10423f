// Every page of every locale, and the stylesheet, pass the W3C Nu HTML checker (vnu-jar) with no errors.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import { bundledEditionsBuild, fixtures, repoRoot } from './helpers.js'
import { buildSite, pagesOf } from './html-support.js'

const vnu = path.join(repoRoot, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar')

interface VnuMessage {
  type: string
  url: string
  lastLine?: number
  message: string
}

test('vnu reports 0 errors on every page of every locale of the bundled handbook and the fixture site, and on the stylesheet', async () => {
  const sites = [path.join((await bundledEditionsBuild()).out, 'html'), buildSite(path.join(fixtures, 'books', 'html-site'))]
  const files = sites.flatMap((site) => [...pagesOf(site), path.join(site, 'static', 'handbook.css')])
  assert.ok(files.length > 6 * 18, `${files.length} files`)
  // One run for all files: the checker takes seconds to start.
  const result = spawnSync('java', ['-jar', vnu, '--errors-only', '--also-check-css', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  assert.ok(result.status === 0 || result.status === 1, `vnu did not run: ${result.error?.message ?? result.stderr}`)
  // vnu writes its JSON report on stderr.
  const report = JSON.parse(result.stderr) as { messages: VnuMessage[] }
  const errors = report.messages.filter((message) => message.type === 'error' || message.type === 'non-document-error')
  assert.deepEqual(
    errors.map((error) => `${error.url}:${error.lastLine ?? 0}: ${error.message}`),
    [],
    'vnu errors'
  )
  assert.equal(result.status, 0)
})
