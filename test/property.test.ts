// Property-based tests (fast-check): random Markdown, front matter and bytes through the whole chapter pipeline.
// Whatever comes in: no exception, no hang, every problem a located message, and no script or handler comes out.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import fc from 'fast-check'
import type { Element, Nodes, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { parseChapterText, readChapterFile } from '../src/content/chapter-file.js'
import { defaultStrings } from '../src/i18n/defaults.js'
import type { Target } from '../src/model/types.js'
import rehypeXref from '../src/pipeline/plugins/rehype-xref.js'
import { createProcessor, processChapter } from '../src/pipeline/processor.js'

const root = mkdtempSync(path.join(tmpdir(), 'handbook-property-'))
mkdirSync(path.join(root, 'en'))
mkdirSync(path.join(root, 'assets'))
writeFileSync(path.join(root, 'assets', 'ok.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n')
writeFileSync(path.join(root, 'assets', 'bad.png'), 'not a png')
after(() => rmSync(root, { recursive: true, force: true }))

const processor = createProcessor({ locale: 'en', strings: defaultStrings })
/** Runs per property; FC_RUNS raises it for a longer search, FC_SEED replays a reported failure. */
const numRuns = Number(process.env.FC_RUNS ?? 300)
const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) }

/** Pieces of Markdown that exercise every construct the chain handles, hostile ones included. */
const piece = fc.oneof(
  fc.constantFrom(
    '# ', '## ', '### ', '#### ', '{#id}', '{#fig-a}', '{#dup}', '- ', '* ', '+ ', '1. ', '2) ', '> ', '>', '   ', '\t', '    ',
    '*', '_', '**', '__', '~~', '`', '```', '~~~', '```js', '|', '|---|---|', ':--', '---', '***', '\\', '&amp;', '&#0;', '&#x110000;',
    '&nbsp;', '[', ']', '(', ')', '![', '](', '[^1]', '[^1]: ', '[link](#id)', '[](#fig-a)', '[](#nowhere)', '[x](other.md#id)',
    '[x](../../../etc/passwd)', '[x](/etc/passwd)', '[x](javascript:alert(1))', '[x](data:text/html,x)', '[x]: /url "title"',
    '![alt](../assets/ok.svg)', '![](../assets/bad.png)', '![x](missing.svg)', '![x](https://evil.example/x.png)', '![x](/etc/passwd)',
    ':::note', ':::warning[Careful]', ':::figure[Caption]{#fig-a}', ':::table[Roles]{#tab-a}', ':::unknown', ':::', '::::', '::leaf',
    ':term[Word]', ':term[Word]{#word}', ':span[x]{onclick="alert(1)"}', '<div>', '</div>', '<p>', '<b onclick="alert(1)">', '</b>',
    '<script>alert(1)</script>', '<script>', '<iframe src="https://evil.example">', '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">', '</a>', '<style>@import url(https://evil.example/x.css)</style>', '<!-- note -->', '<!--',
    '<svg><script>alert(1)</script></svg>', '<span style="background:url(https://evil.example/x)">', '</span>', '<abbr title="t">',
    '<details open>', '<table><tr><td>', '<?php ?>', '<![CDATA[x]]>', '<!DOCTYPE html>', 'https://europa.eu/', 'www.example.org',
    '\u0000', '\u200b', '\ufeff', '\u202e', 'ā', '„', '"', "'", '...', '--', ' ', '\r\n', '\r'
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 })
)

const separator = fc.constantFrom('', ' ', '\n', '\n\n', '\n  ', '\n> ')

/** Random Markdown: pieces joined by random separators, up to a few kilobytes. */
const markdown = fc
  .array(fc.tuple(piece, separator), { maxLength: 120 })
  .map((parts) => parts.map(([text, glue]) => text + glue).join(''))

/** Front matter: valid, hostile and broken YAML, other engines, anchors and tags. */
const frontMatter = fc.oneof(
  fc.constant('title: A chapter'),
  fc.constantFrom(
    'title: [1, 2]', 'title: A\ndraft: "yes"', 'title: A\nkind: glossary', 'title: A\nkind: part', 'title: A\nunknown: 1', 'title:',
    'title: &a x\nshort-title: *a', 'a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'title: !!binary aGVsbG8=', 'title: !!js/function "function(){}"', 'title: "unclosed', '{ title: x', '- a\n- b', '? x\n: y',
    'title: A\ntitle: B', '\ttitle: tab', 'title: "\\u0000"'
  ),
  fc.string({ maxLength: 40 }).map((text) => `title: ${text}`),
  fc.string({ maxLength: 40 })
)

/** A whole chapter: front matter in one of the fence styles (or none, or unclosed) and a body. */
const chapterText = fc
  .tuple(fc.constantFrom('---\n', '---js\n', '---yaml\n', '---\r\n', '--- coffee\n', '\ufeff---\n', ''), frontMatter, fc.constantFrom('\n---\n', '\r\n---\r\n', '\n', ''), markdown)
  .map(([open, matter, close, body]) => (open === '' ? body : open + matter + close + body))

let counter = 0

/** Run one chapter text through the chain and the whole-book link check, as a build does. */
async function runChapter(text: string): Promise<{ tree: Root; file: VFile }> {
  const sourcePath = path.join(root, 'en', `random-${counter++}.md`)
  const parsed = parseChapterText(text, new VFile({ path: sourcePath }))
  const file = parsed.file
  file.data.chapter = { id: 'random', locale: 'en', kind: parsed.data?.kind === 'glossary' ? 'glossary' : 'chapter', number: 1, root, sourcePath }
  const tree = await processChapter(processor, file)
  const targets = new Map<string, Target>()
  for (const heading of file.data.headings ?? []) targets.set(heading.id, { id: heading.id, chapterId: 'random', sourceFile: sourcePath, kind: 'section', number: heading.number, title: heading.text })
  unified().use(rehypeXref, { targets, strings: defaultStrings }).runSync(tree, file)
  toHtml(tree)
  return { tree, file }
}

const forbidden = new Set(['script', 'iframe', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form', 'input', 'svg', 'math', 'img'])

/** Elements and attributes no chapter tree may carry, whatever its source: scripts, handlers, script URLs, remote styles. */
function unsafeNodes(tree: Root): string[] {
  const found: string[] = []
  const stack: Nodes[] = [tree]
  while (stack.length > 0) {
    const node = stack.pop()!
    if ('children' in node) stack.push(...node.children)
    if (node.type === 'raw') found.push('raw node')
    if (node.type !== 'element') continue
    const element = node as Element
    // Markdown images are the one way in for <img>, with a checked path relative to the handbook.
    if (forbidden.has(element.tagName) && !(element.tagName === 'img' && !/^[a-z]+:|^\//i.test(String(element.properties.src ?? '')))) found.push(`<${element.tagName}>`)
    for (const [key, value] of Object.entries(element.properties)) {
      const text = String(value)
      if (/^on/i.test(key)) found.push(`${key} on <${element.tagName}>`)
      if ((key === 'href' || key === 'src') && /^\s*(?:javascript|vbscript|data):/i.test(text)) found.push(`${key}=${text}`)
      if (key === 'style' && /url\s*\(|@import/i.test(text)) found.push(`style=${text}`)
    }
  }
  return found
}

test('random chapters never throw, every message has a rule id and a line, and no script, handler or remote style comes out', { timeout: 600_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(chapterText, async (text) => {
      const { tree, file } = await runChapter(text)
      for (const message of file.messages) {
        assert.ok(message.ruleId, `message without rule id: ${message.reason}`)
        assert.ok(message.line !== undefined && message.line !== null, `message without a line: ${message.ruleId} ${message.reason}`)
        assert.notEqual(message.ruleId, 'chapter-crash')
      }
      assert.deepEqual(unsafeNodes(tree), [])
    }),
    { numRuns, ...seed }
  )
})

test('deeply nested random structures are refused or built, never a crash or a stack overflow', { timeout: 600_000 }, async () => {
  const opener = fc.constantFrom('> ', '- ', '1. ', '*a ', '**', '[', '<div>', '<span>', ':::note\n', '  ', '<b>', '_')
  await fc.assert(
    fc.asyncProperty(fc.array(opener, { minLength: 1, maxLength: 8 }), fc.integer({ min: 50, max: 3000 }), async (openers, depth) => {
      const text = Array.from({ length: depth }, (_, index) => openers[index % openers.length]).join('') + 'deep\n'
      const { tree, file } = await runChapter(`---\ntitle: Deep\n---\n\n${text}`)
      const refused = file.messages.some((message) => message.ruleId === 'nesting-too-deep')
      if (refused) assert.deepEqual(tree.children, [])
      assert.deepEqual(unsafeNodes(tree), [])
    }),
    { numRuns: Math.max(20, Math.round(numRuns / 10)), ...seed }
  )
})

test('random bytes as a chapter file are read, decoded or reported, never thrown', { timeout: 600_000 }, async () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    fc.tuple(fc.constantFrom('---\ntitle: Bytes\n---\n', '\ufeff---\ntitle: Bytes\n---\n', ''), fc.uint8Array({ maxLength: 200 })).map(([head, tail]) => Buffer.concat([Buffer.from(head), tail]))
  )
  await fc.assert(
    fc.asyncProperty(bytes, async (data) => {
      const filePath = path.join(root, 'en', `bytes-${counter++}.md`)
      writeFileSync(filePath, data)
      const { file } = await readChapterFile(filePath, root)
      file.data.chapter = { id: 'bytes', locale: 'en', kind: 'chapter', number: 1, root, sourcePath: filePath }
      await processChapter(processor, file)
      const invalid = !isUtf8(data)
      if (invalid) assert.ok(file.messages.some((message) => message.ruleId === 'encoding-invalid'), 'invalid UTF-8 is reported')
      for (const message of file.messages) assert.ok(message.ruleId && message.line, `${message.ruleId} ${message.reason}`)
    }),
    { numRuns, ...seed }
  )
})

function isUtf8(data: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data)
    return true
  } catch {
    return false
  }
}
