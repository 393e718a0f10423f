// Fixture tests of the unified chain: test/fixtures/plugins/<case>/input.md -> output.html and messages.txt.
// Run with UPDATE=1 to regenerate the expected files, then review their diff like code.
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { fixtures, renderFixture, type FixtureOptions } from './helpers.js'

const root = path.join(fixtures, 'plugins')
const update = process.env.UPDATE === '1'

for (const name of readdirSync(root).sort()) {
  const folder = path.join(root, name)
  test(`plugin fixture: ${name}`, async () => {
    const optionsPath = path.join(folder, 'options.json')
    const options: FixtureOptions = existsSync(optionsPath) ? JSON.parse(await readFile(optionsPath, 'utf8')) : {}
    const { html, messages } = await renderFixture(path.join(folder, 'input.md'), options)
    const expected = { 'output.html': html, 'messages.txt': messages }
    for (const [file, actual] of Object.entries(expected)) {
      const expectedPath = path.join(folder, file)
      if (update) {
        if (actual !== '' || existsSync(expectedPath)) await writeFile(expectedPath, actual)
        continue
      }
      const wanted = existsSync(expectedPath) ? await readFile(expectedPath, 'utf8') : ''
      assert.equal(actual, wanted, `${name}/${file} differs (run UPDATE=1 npm test to regenerate, then review the diff)`)
    }
  })
}
