// Shared by the robustness tests: a temporary copy of the hostile fixture book and generated large chapters.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fixtures } from './helpers.js'

/** Written to a temporary folder next to the handbook copy: it must never reach any output. */
export const secret = 'TOP-SECRET-OUTSIDE-7f3a'

/**
 * Copy test/fixtures/books/hostile to a temporary folder and add what git cannot hold or should not
 * carry: symbolic links pointing out of the handbook, files just outside it, a 5 MB chapter.
 */
export function prepareHostileBook(): { root: string; outside: string } {
  const outside = mkdtempSync(path.join(tmpdir(), 'handbook-hostile-'))
  const root = path.join(outside, 'book')
  cpSync(path.join(fixtures, 'books', 'hostile'), root, { recursive: true })
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>${secret}</title></svg>\n`
  writeFileSync(path.join(outside, 'secret.md'), `---\ntitle: ${secret}\n---\n\n${secret}\n`)
  writeFileSync(path.join(outside, 'secret.svg'), svg)
  writeFileSync(path.join(outside, 'outside.svg'), svg)
  symlinkSync(path.join('..', '..', 'secret.md'), path.join(root, 'lv', 'escape.md'))
  symlinkSync(path.join('..', '..', 'secret.svg'), path.join(root, 'assets', 'escape.svg'))
  writeFileSync(path.join(root, 'lv', 'huge.md'), largeChapter(5 * 1024 * 1024))
  // Interface strings with a byte that is not UTF-8 (0xff) on line 2.
  mkdirSync(path.join(root, 'strings'))
  writeFileSync(path.join(root, 'strings', 'lv.yaml'), Buffer.concat([Buffer.from('contents: Saturs\nchapter: "Nodaļa '), Buffer.from([0xff]), Buffer.from(' {number}"\n')]))
  return { root, outside }
}

/** Realistic Markdown of at least `bytes` bytes: sections with emphasis, links, lists, quotes, tables and notes. */
export function largeChapter(bytes: number): string {
  const parts = ['---\ntitle: Milzīga nodaļa\n---\n']
  let size = Buffer.byteLength(parts[0]!)
  for (let section = 1; size < bytes; section++) {
    const block = `
## Sadaļa ${section} {#s-${section}}

Šī ir *rindkopa* ar **treknu** tekstu, [saiti](#s-${section}), \`kodu\` un vārdiem.[^n${section}]
Otrā rinda turpina to pašu domu.

- pirmais punkts ar _uzsvaru_
- otrais punkts
  1. iekšējais numurēts

> Citāts ar [tīmekļa saiti](https://europa.eu/) sadaļā ${section}.

| Loma | Uzdevums |
|---|---|
| Vadītājs | Koordinē ${section} |

[^n${section}]: Piezīme ${section}.
`
    parts.push(block)
    size += Buffer.byteLength(block)
  }
  return parts.join('')
}
