// Issue 18, findings 3 and 4: every file a build reads is resolved through its links and stays
// inside the handbook, a partner logo is checked as an image, and no file size crashes a build.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, ftruncateSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { checkSvgBytes } from '../src/pipeline/image-check.js'
import { temporaryFolder } from './helpers.js'
import { copyBook, runCliAsync, summary } from './security-support.js'

const secret = 'OUTSIDE-SECRET-5d1c'

/** Every file under `folder`, as text (binary files too: only a search for the secret). */
function allText(folder: string): string {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n')
}

/** A sparse file of `bytes` bytes: it takes no room on the disk. */
function sparse(file: string, bytes: number): void {
  const handle = openSync(file, 'w')
  ftruncateSync(handle, bytes)
  closeSync(handle)
}

test('finding 3: a partner logo linked to a file outside the handbook is an error, and a logo that is no image too', async () => {
  const root = copyBook('sec-paths')
  const outside = path.dirname(root)
  writeFileSync(path.join(outside, 'secret.svg'), `<svg xmlns="http://www.w3.org/2000/svg"><title>${secret}</title></svg>\n`)
  symlinkSync(path.join(outside, 'secret.svg'), path.join(root, 'editions', 'partner', 'linked.svg'))
  const out = temporaryFolder('handbook-sec-logo-')

  const linked = await runCliAsync(['build', '--root', root, '--out', out, '--edition', 'linked', '--json'])
  assert.notEqual(linked.code, 0)
  const linkedMessages = summary(linked).messages
  assert.deepEqual(linkedMessages.map((message) => `${path.basename(message.file)}:${message.line} ${message.ruleId}`), ['linked.yaml:4 edition-path'])
  assert.match(linkedMessages[0]!.message, /outside the handbook folder/)

  const notImage = await runCliAsync(['build', '--root', root, '--out', out, '--edition', 'not-image', '--json'])
  assert.notEqual(notImage.code, 0)
  assert.deepEqual(summary(notImage).messages.map((message) => `${path.basename(message.file)}:${message.line} ${message.ruleId}`), ['not-image.yaml:4 image-corrupt'])

  // A logo inside the handbook builds, and ships cut to the SVG allow-list.
  const good = await runCliAsync(['build', '--root', root, '--out', out, '--edition', 'good', '--format', 'html', '--json'])
  assert.equal(good.code, 0, good.stderr)
  const text = allText(out)
  assert.ok(!text.includes(secret), 'nothing from outside the handbook reached an output')
  const shipped = checkSvgBytes(readFileSync(path.join(root, 'editions', 'partner', 'logo.svg'))).svg!
  assert.ok(text.includes(Buffer.from(shipped).toString('base64')), 'the sanitized logo is on the cover')
  assert.ok(!text.includes('data-x'), 'the logo ships sanitized')
})

test('finding 4: a linked assets folder is not read outside the handbook, and a 2 GiB file under assets gives a diagnostic, not a crash', async () => {
  const root = copyBook('sec-paths')
  const out = temporaryFolder('handbook-sec-assets-')
  // An unreferenced 2 GiB file: never read. A referenced one: `image-too-large`, with JSON.
  sparse(path.join(root, 'assets', 'unused.png'), 2 * 1024 ** 3)
  const unused = await runCliAsync(['build', '--root', root, '--out', out, '--json'])
  assert.equal(unused.code, 0, unused.stderr)
  assert.deepEqual(summary(unused).editions.map((edition) => edition.status), ['written'])

  sparse(path.join(root, 'assets', 'huge.png'), 2 * 1024 ** 3)
  writeFileSync(path.join(root, 'en', 'one.md'), '---\ntitle: One chapter\n---\n\n![A huge picture](../assets/huge.png)\n')
  const huge = await runCliAsync(['build', '--root', root, '--out', out, '--json'])
  assert.equal(huge.code, 1, huge.stderr)
  assert.doesNotMatch(huge.stderr, /ERR_FS_FILE_TOO_LARGE|at .*\.js:\d+/)
  assert.deepEqual(summary(huge).messages.map((message) => `${path.basename(message.file)}:${message.line}:${message.column} ${message.ruleId}`), ['one.md:5:1 image-too-large'])

  // assets/ as a link to a folder outside, holding a FIFO (reading it would hang the build) and the secret.
  const outside = path.join(path.dirname(root), 'elsewhere')
  mkdirSync(outside)
  writeFileSync(path.join(outside, 'square.svg'), `<svg xmlns="http://www.w3.org/2000/svg"><title>${secret}</title></svg>\n`)
  execFileSync('mkfifo', [path.join(outside, 'pipe.png')])
  renameSync(path.join(root, 'assets'), path.join(path.dirname(root), 'old-assets'))
  symlinkSync(outside, path.join(root, 'assets'))
  writeFileSync(path.join(root, 'en', 'one.md'), '---\ntitle: One chapter\n---\n\n![A grey square](../assets/square.svg)\n')
  const linkedOut = temporaryFolder('handbook-sec-assets-')
  const linked = await runCliAsync(['build', '--root', root, '--out', linkedOut, '--json'])
  assert.equal(linked.code, 1, linked.stderr)
  assert.deepEqual(summary(linked).messages.map((message) => `${path.basename(message.file)}:${message.line}:${message.column} ${message.ruleId}`), ['one.md:5:1 image-outside-root'])
  assert.ok(!allText(linkedOut).includes(secret))
  assert.ok(statSync(path.join(outside, 'pipe.png')).isFIFO())
})
