// Issue 18, finding 1: a title that leaves the print document's <style> must print as text, run no
// script and open no connection.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { cssString } from '../src/render/escape.js'
import { temporaryFolder } from './helpers.js'
import { copyBook, listen, runCliAsync, summary } from './security-support.js'

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

test('finding 1: CSS strings escape everything outside a safe set, so no value ends the string or the style element', () => {
  for (const hostile of ['a"b', 'a\\b', 'a\nb', 'a\rb', 'a\fb', '</style><script>', 'a\u0000b', "it's", 'a;b}c{']) {
    const escaped = cssString(hostile)
    const inner = escaped.slice(1, -1)
    // No character that ends a string or an element, and every backslash starts a full escape.
    assert.doesNotMatch(inner, /["\n\r\f<>{}\u0000]|\\(?![0-9A-F]{6} )/u, `${JSON.stringify(hostile)} -> ${escaped}`)
  }
  assert.equal(cssString('Nodaļa 1: Ievads'), '"Nodaļa 1: Ievads"')
  assert.equal(cssString('</'), '"\\00003C \\00002F "')
})

test('finding 1: a hostile chapter, short and edition title prints as text in the PDF, runs no script and opens no connection', async () => {
  const listener = await listen()
  try {
    const root = copyBook('sec-print-script', { __PORT__: String(listener.port) })
    const out = temporaryFolder('handbook-sec-print-')
    const book = await runCliAsync(['build', '--root', root, '--out', out, '--format', 'pdf', '--json', '--no-cache'])
    const built = summary(book)
    // With --json the reasons are in the summary on stdout.
    assert.equal(book.code, 0, book.stderr + book.stdout.slice(0, 4000))
    assert.deepEqual(built.messages.filter((message) => message.ruleId.startsWith('pdf-')), [], 'Chromium reported nothing: no blocked request, no page error')
    const edition = await runCliAsync(['build', '--root', root, '--out', out, '--edition', 'partner', '--format', 'pdf', '--json', '--no-cache'])
    assert.equal(edition.code, 0, edition.stderr + edition.stdout.slice(0, 4000))

    const bookText = pdfText(path.join(out, 'pdf', 'print-script-0.0.1-en.pdf'))
    const partnerFolder = path.join(out, 'editions', 'partner', 'pdf')
    const editionText = pdfText(path.join(partnerFolder, readdirSync(partnerFolder)[0]!))
    for (const text of [bookText, editionText]) {
      assert.ok(!text.includes('PWNED'), 'no script rewrote the document')
      // The chapter title, the running head of its pages and the table of contents show the markup as text.
      assert.match(text, /Second<\/style><img src=x onerror=/)
      assert.match(text, /fills pages so that the/)
    }
    // Running heads: the book's title (left pages) and the second chapter's short title (right pages),
    // as text on top of the body pages.
    const heads = (text: string) => text.split('\f').filter((page) => page.includes('fills pages so that the')).map((page) => page.trim().split('\n')[0]!.trim())
    assert.ok(heads(bookText).some((head) => head.startsWith('Book</style><img src=x onerror=')), heads(bookText).join('\n'))
    assert.ok(heads(bookText).some((head) => head.startsWith('Short')), 'the short title runs on the right pages')
    assert.ok(heads(editionText).some((head) => head.startsWith('Partner')), heads(editionText).join('\n'))
    assert.deepEqual(listener.connections, [], 'nothing connected to the local listener')
  } finally {
    await listener.close()
  }
})
