// Issue 18, finding 12: file names that need URL encoding, an invalid SOURCE_DATE_EPOCH, YAML tags
// that ask for code, hostile manifests to merge, and a full disk each get a clear answer.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { temporaryFolder } from './helpers.js'
import { copyBook, runCliAsync, summary } from './security-support.js'

test('finding 12: odd image names are URL-encoded, SOURCE_DATE_EPOCH and YAML tags are checked, merged manifests are validated, a full disk is a clean message', async (t) => {
  const root = copyBook('sec-paths')
  const odd = 'a#b%c?d.svg'
  copyFileSync(path.join(root, 'assets', 'square.svg'), path.join(root, 'assets', odd))
  writeFileSync(
    path.join(root, 'en', 'one.md'),
    '---\ntitle: One chapter\ndescription: !!js/function "function () { return 1 }"\n---\n\n![A grey square](../assets/a%23b%25c%3Fd.svg)\n'
  )
  const out = temporaryFolder('handbook-sec-inputs-')
  const built = await runCliAsync(['build', '--root', root, '--out', out, '--json'])
  assert.equal(built.code, 0, built.stderr)
  // The tag is reported at its column; the value is plain text. (Front matter lines are reported one
  // line low for every front matter rule, a known offset left to its own fix.)
  assert.deepEqual(summary(built).messages.map((message) => `${path.basename(message.file)}:${message.column} ${message.severity} ${message.ruleId}`), ['one.md:14 warning front-matter-yaml'])
  assert.match(summary(built).messages[0]!.message, /js\/function/)
  const page = readFileSync(path.join(out, 'html', 'en', 'one.html'), 'utf8')
  assert.match(page, /src="\.\.\/media\/assets\/a%23b%25c%3Fd\.svg"/)
  assert.ok(existsSync(path.join(out, 'html', 'media', 'assets', odd)), 'the file is where the encoded URL points')

  for (const epoch of ['yesterday', '-5', '1e9', '99999999999999999999']) {
    const invalid = await runCliAsync(['build', '--root', root, '--out', temporaryFolder(), '--json'], { SOURCE_DATE_EPOCH: epoch })
    assert.equal(invalid.code, 2, epoch)
    assert.match(invalid.stderr, /Invalid SOURCE_DATE_EPOCH/)
  }

  // Manifests of a hostile build: paths that leave the folder or break SHA256SUMS lines.
  const mergeOut = temporaryFolder('handbook-sec-merge-')
  const good = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))
  for (const hostile of ['../../etc/passwd', 'html/a\n0000  /etc/shadow', '/etc/passwd', 'html/./x']) {
    const part = path.join(mergeOut, 'part.json')
    writeFileSync(part, JSON.stringify({ ...good, artifacts: [...good.artifacts, { ...good.artifacts[0], path: hostile }] }))
    const merged = await runCliAsync(['manifest', 'merge', path.join(out, 'manifest.json'), part, '--out', mergeOut])
    assert.equal(merged.code, 2, JSON.stringify(hostile))
    assert.match(merged.stderr, /not a plain path inside the output folder/)
    assert.ok(!existsSync(path.join(mergeOut, 'SHA256SUMS')), 'nothing written')
  }

  // A full disk: a 64 KiB file system as the output folder (needs the right to mount; skipped elsewhere).
  const tiny = temporaryFolder('handbook-sec-full-')
  mkdirSync(path.join(tiny, 'out'))
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', path.join(tiny, 'out')])
  if (mounted.status !== 0) return t.skip('cannot mount a small file system here')
  try {
    const full = await runCliAsync(['build', '--root', root, '--out', path.join(tiny, 'out'), '--format', 'html,epub', '--no-cache'])
    assert.notEqual(full.code, 0)
    assert.match(full.stderr, /ENOSPC|disk is full/)
    assert.doesNotMatch(full.stderr, /^\s+at /m, 'no stack trace')
  } finally {
    spawnSync('umount', [path.join(tiny, 'out')])
  }
})
