// Issue 18, finding 11: the cache covers every file an edition reads (an image outside assets/, a
// chapter behind a symbolic link) and ignores, with a warning, an index of the wrong shape.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { temporaryFolder } from './helpers.js'
import { copyBook, runCliAsync, summary } from './security-support.js'

const figure = (color: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="${color}"/></svg>\n`

test('finding 11: an edited image outside assets/ or a linked chapter is rebuilt, and a malformed cache index is discarded with a warning', async () => {
  const root = copyBook('sec-paths')
  // The chapter lives in shared/ and en/one.md links to it; its image lives in figures/.
  mkdirSync(path.join(root, 'shared'))
  mkdirSync(path.join(root, 'figures'))
  writeFileSync(path.join(root, 'figures', 'fig.svg'), figure('#111111'))
  renameSync(path.join(root, 'en', 'one.md'), path.join(root, 'shared', 'one.md'))
  writeFileSync(path.join(root, 'shared', 'one.md'), '---\ntitle: One chapter\n---\n\nFirst text.\n\n![A figure](../figures/fig.svg)\n')
  symlinkSync(path.join('..', 'shared', 'one.md'), path.join(root, 'en', 'one.md'))
  const out = temporaryFolder('handbook-sec-cache-')
  const build = async () => {
    const result = await runCliAsync(['build', '--root', root, '--out', out, '--json'])
    assert.equal(result.code, 0, result.stderr)
    return summary(result)
  }
  const status = async () => (await build()).editions.map((edition) => edition.status).join()
  const media = () => readFileSync(path.join(out, 'html', 'media', 'figures', 'fig.svg'), 'utf8')

  assert.equal(await status(), 'written')
  assert.equal(await status(), 'cached', 'nothing changed')
  writeFileSync(path.join(root, 'figures', 'fig.svg'), figure('#222222'))
  assert.equal(await status(), 'written', 'the edited image outside assets/ is seen')
  assert.match(media(), /#222222/)
  writeFileSync(path.join(root, 'shared', 'one.md'), '---\ntitle: One chapter\n---\n\nSecond text.\n\n![A figure](../figures/fig.svg)\n')
  assert.equal(await status(), 'written', 'the edited chapter behind the link is seen')
  assert.match(readFileSync(path.join(out, 'html', 'en', 'one.html'), 'utf8'), /Second text/)
  assert.equal(await status(), 'cached')

  // Valid JSON of the wrong shape: `artifacts: null` (crashed before), `artifacts: []` (a deleted edition called cached).
  const index = path.join(out, '.handbook-cache.json')
  const good = JSON.parse(readFileSync(index, 'utf8'))
  for (const artifacts of [null, []]) {
    const broken = { ...good, editions: { ...good.editions, 'html/en': { ...good.editions['html/en'], artifacts } } }
    writeFileSync(index, JSON.stringify(broken))
    const result = await build()
    assert.deepEqual(result.editions.map((edition) => edition.status), ['written'], JSON.stringify(artifacts))
    // (shared/ and figures/ also draw `locale-unlisted`: folders at the top look like locales.)
    const own = result.messages.filter((message) => message.ruleId !== 'locale-unlisted')
    assert.deepEqual(own.map((message) => `${path.basename(message.file)} ${message.severity} ${message.ruleId}`), ['.handbook-cache.json warning cache-invalid'])
  }
})
