// Issue 18, finding 2: SVG images with script, entities, style-sheet instructions, animations or HTML
// are refused with `image-unsafe`; what ships is the allow-listed SVG, serialized anew.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { checkSvgBytes } from '../src/pipeline/image-check.js'
import { launchBrowser, openPage } from '../src/render/chromium.js'
import { bundledHandbook, temporaryFolder } from './helpers.js'
import { copyBook, runCliAsync, summary } from './security-support.js'

/** 100 KB of entity text referenced 5,000 times: half a gigabyte once expanded. */
function amplification(): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE svg [\n  <!ENTITY big "${'A'.repeat(100_000)}">\n]>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>${'&big;'.repeat(5000)}</text></svg>\n`
}

test('finding 2: hostile SVG images are refused with image-unsafe, and a cleaned drawing ships without what the allow-list removed', async () => {
  const root = copyBook('sec-svg')
  writeFileSync(path.join(root, 'assets', 'amplify.svg'), amplification())
  const checked = await runCliAsync(['check', '--root', root, '--json'])
  const messages = summary(checked).messages
  const at = (line: number) => messages.filter((message) => message.file.endsWith('images.md') && message.line === line).map((message) => message.ruleId)
  // One line per attack (entity with a script, xml-stylesheet, animated href, XHTML elements, entity amplification).
  for (const line of [5, 7, 9, 11, 13]) assert.ok(at(line).length > 0 && at(line).every((rule) => rule === 'image-unsafe'), `line ${line}: ${JSON.stringify(messages)}`)
  const xhtml = messages.filter((message) => message.line === 11).map((message) => message.message).join('\n')
  for (const element of ['h:img', 'h:video', 'h:iframe', 'h:meta']) assert.ok(xhtml.includes(`\`<${element}>\``), xhtml)
  const removed = messages.filter((message) => message.file.endsWith('clean.md'))
  assert.deepEqual(removed.map((message) => `${message.line}:${message.column} ${message.severity} ${message.ruleId}`), ['5:1 warning image-svg-removed'])
  assert.match(removed[0]!.message, /`data-note=""`/)

  // The clean chapter alone builds; the HTML edition ships the rewritten image.
  const config = path.join(root, 'handbook.yaml')
  writeFileSync(config, readFileSync(config, 'utf8').replace('body: [images, clean]', 'body: [clean]'))
  const out = temporaryFolder('handbook-sec-svg-')
  const built = await runCliAsync(['build', '--root', root, '--out', out, '--format', 'html', '--json'])
  assert.equal(built.code, 0, built.stderr)
  const shipped = findFile(out, 'editor.svg')
  assert.ok(shipped, 'the image is in the HTML edition')
  const text = readFileSync(shipped, 'utf8')
  assert.doesNotMatch(text, /sodipodi|inkscape|data-note|metadata|<!--/)
  assert.match(text, /<rect width="10" height="10" fill="#c00"\/>/)
  assert.deepEqual(checkSvgBytes(Buffer.from(text)), { problems: [], svg: text, removed: [] }, 'what ships passes the check unchanged')
})

test('finding 2: every SVG attack of the issue is refused by the check itself', () => {
  const attacks: Record<string, string> = {
    'internal entity with a script': `<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>`,
    'xml-stylesheet': `<?xml-stylesheet href="http://127.0.0.1:9/a.css"?><svg xmlns="http://www.w3.org/2000/svg"/>`,
    'animate href': `<svg xmlns="http://www.w3.org/2000/svg"><a href="#a"><animate attributeName="href" values="https://x/;javascript:alert(1)"/></a></svg>`,
    'set href': `<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>`,
    'img srcset': `<svg xmlns="http://www.w3.org/2000/svg"><img xmlns="http://www.w3.org/1999/xhtml" srcset="http://x/a.png 1x"/></svg>`,
    'video poster': `<svg xmlns="http://www.w3.org/2000/svg"><video xmlns="http://www.w3.org/1999/xhtml" poster="http://x/a.png"/></svg>`,
    'iframe srcdoc': `<svg xmlns="http://www.w3.org/2000/svg"><iframe xmlns="http://www.w3.org/1999/xhtml" srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"/></svg>`,
    'meta refresh': `<svg xmlns="http://www.w3.org/2000/svg"><meta xmlns="http://www.w3.org/1999/xhtml" http-equiv="refresh" content="0;url=http://x/"/></svg>`,
    'use of another file': `<svg xmlns="http://www.w3.org/2000/svg"><use href="other.svg#a"/></svg>`,
    'feImage of the network': `<svg xmlns="http://www.w3.org/2000/svg"><filter id="f"><feImage href="http://x/a.png"/></filter></svg>`,
    'event handler': `<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>`,
    'entity amplification': amplification()
  }
  for (const [name, svg] of Object.entries(attacks)) {
    const result = checkSvgBytes(Buffer.from(svg))
    assert.ok(result.problems.length > 0, `${name} is refused`)
    assert.equal(result.svg, undefined, `${name}: nothing ships`)
    assert.ok(result.problems.every((problem) => problem.ruleId === 'image-unsafe' || problem.ruleId === 'image-remote'), `${name}: ${JSON.stringify(result.problems)}`)
  }
})

test('finding 2: the bundled figures pass the allow-list untouched and render pixel for pixel as before', async () => {
  const figures = walk(bundledHandbook).filter((file) => file.endsWith('.svg'))
  assert.ok(figures.length >= 20, 'the handbook has its figures')
  const browser = await launchBrowser()
  try {
    const page = await openPage(browser.browser, { allow: () => false, onProblem: (problem) => assert.fail(problem.text) })
    const shot = async (svg: string, width: number, height: number) => {
      await page.setViewport({ width, height })
      await page.setContent(`<!DOCTYPE html><style>html,body{margin:0}</style><img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" width="${width}" height="${height}">`, { waitUntil: 'load' })
      return Buffer.from(await page.screenshot({ type: 'png' }))
    }
    for (const figure of figures) {
      const original = readFileSync(figure, 'utf8')
      const result = checkSvgBytes(Buffer.from(original))
      assert.deepEqual([result.problems, result.removed], [[], []], figure)
      const [, width, height] = /viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"/.exec(original)!.map(Number)
      const size = [Math.ceil(width!), Math.ceil(height!)] as const
      const before = await shot(original, ...size)
      assert.ok(before.equals(await shot(result.svg!, ...size)), `${path.relative(bundledHandbook, figure)} renders the same`)
      // The comparison means something only if the figure drew anything at all.
      assert.ok(!before.equals(await shot('<svg xmlns="http://www.w3.org/2000/svg"/>', ...size)), `${figure} is drawn`)
    }
  } finally {
    await browser.close()
  }
})

function walk(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const file = path.join(folder, entry)
    return statSync(file).isDirectory() ? walk(file) : [file]
  })
}

function findFile(folder: string, name: string): string | undefined {
  return walk(folder).find((file) => path.basename(file) === name)
}
