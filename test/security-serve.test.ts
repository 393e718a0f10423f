// Issue 18, finding 5: the preview's files may not be read by pages of other sites: every response
// carries Cross-Origin-Resource-Policy, and a cross-site request is refused.
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import path from 'node:path'
import { test } from 'node:test'
import { startServer } from '../src/serve/server.js'
import { temporaryFolder } from './helpers.js'

function get(port: number, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path: target, headers: { host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    call.on('error', reject)
    call.end()
  })
}

test('finding 5: serve sends Cross-Origin-Resource-Policy: same-origin and refuses cross-site requests for the search index', async () => {
  const folder = temporaryFolder('handbook-sec-serve-')
  mkdirSync(path.join(folder, 'en'))
  writeFileSync(path.join(folder, 'en', 'search-index.js'), 'window.searchIndex = [{"text":"a draft section"}]\n')
  const preview = await startServer({ folder, port: 0, problems: () => [] })
  try {
    // A <script src> on another site's page: the browser says cross-site (or same-site, from another port).
    for (const site of ['cross-site', 'same-site']) {
      const refused = await get(preview.port, '/en/search-index.js', { 'sec-fetch-site': site, 'sec-fetch-dest': 'script' })
      assert.equal(refused.status, 403, site)
      assert.doesNotMatch(refused.body, /draft/)
      assert.equal(refused.headers['cross-origin-resource-policy'], 'same-origin')
    }
    for (const headers of [{ 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, {}] as Record<string, string>[]) {
      const allowed = await get(preview.port, '/en/search-index.js', headers)
      assert.equal(allowed.status, 200, JSON.stringify(headers))
      assert.equal(allowed.headers['cross-origin-resource-policy'], 'same-origin')
      assert.match(allowed.body, /draft/)
    }
  } finally {
    await preview.close()
  }
})
