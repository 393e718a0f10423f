// The EPUB cover drawn without a browser (resvg): the design's layout in every script, and EPUB and HTML builds that start no Chromium.
import assert from 'node:assert/strict'
import { appendFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { deserialize, serialize } from 'node:v8'
import path from 'node:path'
import { describe, test } from 'node:test'
import { Resvg } from '@resvg/resvg-js'
import JSZip from 'jszip'
import { coverColors } from '../src/render/cover-design.js'
import { coverPng, epubCoverSize } from '../src/render/cover-image.js'
import type { CoverText } from '../src/render/cover.js'
import { fixtures, runCli, temporaryFolder } from './helpers.js'

/** The pixels of a PNG, decoded by resvg. */
function decode(png: Buffer): { width: number; height: number; pixels: Buffer } {
  const image = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="${epubCoverSize.width}" height="${epubCoverSize.height}"><image width="${epubCoverSize.width}" height="${epubCoverSize.height}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`).render()
  return { width: image.width, height: image.height, pixels: image.pixels }
}

/** The horizontal extent of pixels of `color` (within a tolerance) between rows `top` and `bottom`. */
function inkSpan(image: ReturnType<typeof decode>, top: number, bottom: number, color: string): { left: number; right: number; count: number } {
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(color.slice(at, at + 2), 16))
  let [left, right, count] = [Infinity, -Infinity, 0]
  for (let y = top; y < bottom; y++) {
    for (let x = 0; x < image.width; x++) {
      const at = (y * image.width + x) * 4
      if (Math.abs(image.pixels[at]! - r!) + Math.abs(image.pixels[at + 1]! - g!) + Math.abs(image.pixels[at + 2]! - b!) > 30) continue
      left = Math.min(left, x)
      right = Math.max(right, x)
      count++
    }
  }
  return { left, right, count }
}

const base: CoverText = { title: 'Ready for Europe', subtitle: 'A training handbook', publisher: 'The AGE partnership', lang: 'en', dir: 'ltr' }
// The design's margins: 9 % of the width on either side.
const margin = epubCoverSize.width * 0.09
// The title's band: below the motif (ending at 65 % of the width from the top) to the middle of the page.
const titleBand = [Math.round(epubCoverSize.width * 0.65), Math.round(epubCoverSize.height * 0.75)] as const

describe('the EPUB cover without a browser', () => {
  test('is 1600 × 2400 in the cover colours, the title in white inside the margins', () => {
    const image = decode(coverPng(base))
    assert.deepEqual([image.width, image.height], [1600, 2400])
    assert.equal(inkSpan(image, 0, 4, coverColors.background).count, 1600 * 4, 'the background fills the top rows')
    const title = inkSpan(image, ...titleBand, coverColors.text)
    assert.ok(title.count > 5000, `the title is drawn (${title.count} white pixels)`)
    assert.ok(title.left >= margin - 2 && title.left < margin + 30, `the title starts at the left margin (${title.left})`)
    assert.ok(title.right <= epubCoverSize.width - margin, `the title ends inside the right margin (${title.right})`)
    assert.ok(inkSpan(image, 2000, 2400, coverColors.publisher).count > 500, 'the publisher is drawn at the foot')
  })

  test('a word longer than the line breaks inside the margins instead of running off the cover', () => {
    const image = decode(coverPng({ ...base, title: 'Verwaltungsausbildungshandbuchgrundlagen', lang: 'de' }))
    const title = inkSpan(image, titleBand[0], epubCoverSize.height, coverColors.text)
    assert.ok(title.right <= epubCoverSize.width - margin, `no title ink beyond the right margin (${title.right})`)
    assert.ok(title.left >= margin - 2, `no title ink before the left margin (${title.left})`)
  })

  test('Arabic is shaped and set from the right margin; Japanese draws with the CJK face', () => {
    const arabic = decode(coverPng({ ...base, title: 'مستعدون لأوروبا', subtitle: 'دليل تدريبي', publisher: 'شراكة', lang: 'ar', dir: 'rtl' }))
    const title = inkSpan(arabic, ...titleBand, coverColors.text)
    assert.ok(title.count > 5000, `the Arabic title is drawn (${title.count} white pixels)`)
    assert.ok(title.right > epubCoverSize.width - margin - 30 && title.right <= epubCoverSize.width - margin + 2, `the Arabic title ends at the right margin (${title.right})`)
    const japanese = decode(coverPng({ ...base, title: 'ヨーロッパへの準備', subtitle: '研修ハンドブック', lang: 'ja' }))
    assert.ok(inkSpan(japanese, ...titleBand, coverColors.text).count > 5000, 'the Japanese title is drawn')
  })

  test('an HTML and EPUB build starts no browser: it succeeds with none to be found, and the EPUB has the cover', async () => {
    const out = temporaryFolder('handbook-cover-')
    const root = path.join(fixtures, 'books', 'real-world')
    const result = runCli(['build', '--root', root, '--format', 'html,epub', '--out', out, '--json'], { env: { HANDBOOK_BROWSER: '/nonexistent/chromium', SOURCE_DATE_EPOCH: '1700000000' } })
    assert.notEqual(result.code, 2, result.stderr)
    const report = JSON.parse(result.stdout) as { artifacts: { format: string; path: string }[]; messages: { ruleId: string }[] }
    assert.ok(!report.messages.some((message) => /browser/.test(message.ruleId)), JSON.stringify(report.messages.filter((message) => /browser/.test(message.ruleId))))
    const epubs = report.artifacts.filter((artifact) => artifact.format === 'epub')
    assert.equal(epubs.length, 3, 'en, ar and ja')
    for (const artifact of epubs) {
      const zip = await JSZip.loadAsync(readFileSync(path.join(out, artifact.path)))
      const image = decode(await zip.file('OEBPS/cover.png')!.async('nodebuffer'))
      assert.ok(inkSpan(image, ...titleBand, coverColors.text).count > 5000, `${artifact.path}: the cover shows its title`)
    }
  })

  test('a rebuild after a chapter edit takes the EPUB cover from the cache; a new title draws it anew', async () => {
    const root = temporaryFolder('handbook-cover-cache-')
    cpSync(path.join(fixtures, 'books', 'two-locales'), root, { recursive: true })
    const out = path.join(root, 'out')
    const build = () => {
      const result = runCli(['build', '--root', root, '--format', 'epub', '--locale', 'en', '--out', out], { env: { SOURCE_DATE_EPOCH: '1700000000' } })
      assert.equal(result.code, 0, result.stderr)
    }
    const cover = async () => {
      const zip = await JSZip.loadAsync(readFileSync(path.join(out, 'epub', 'sample-book-0.0.1-en.epub')))
      return zip.file('OEBPS/cover.png')!.async('nodebuffer')
    }
    const cached = () => {
      const folder = path.join(out, '.handbook-parsed')
      return readdirSync(folder)
        .map((name) => path.join(folder, name))
        .filter((file) => {
          const value = deserialize(readFileSync(file)) as unknown
          return value instanceof Uint8Array && Buffer.from(value).subarray(1, 4).toString() === 'PNG'
        })
    }
    build()
    const drawn = await cover()
    const [entry, ...more] = cached()
    assert.equal(more.length, 0, 'one cover kept')
    assert.ok(Buffer.from(deserialize(readFileSync(entry!)) as Uint8Array).equals(drawn), 'the kept cover is the one in the EPUB')
    // A different picture in its place: a rebuild that shows it took the cover from the cache.
    const planted = Buffer.from(new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="6"><rect width="4" height="6" fill="red"/></svg>').render().asPng())
    writeFileSync(entry!, serialize(planted))
    appendFileSync(path.join(root, 'en', 'first.md'), '\nOne more sentence.\n')
    build()
    assert.ok((await cover()).equals(planted), 'the edited book reuses the kept cover')
    writeFileSync(path.join(root, 'handbook.yaml'), readFileSync(path.join(root, 'handbook.yaml'), 'utf8').replace('en: Sample Book', 'en: Another Sample Book'))
    build()
    const redrawn = await cover()
    assert.ok(!redrawn.equals(planted) && !redrawn.equals(drawn), 'a new title draws a new cover')
    assert.equal(cached().length, 2)
  })
})
