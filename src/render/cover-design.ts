// The book's one cover design (colours, motif, layout), drawn at any size: the EPUB cover image, the printed cover, the favicon.
import type { Element, ElementContent } from 'hast'
import { h, s } from 'hastscript'
import { toHtml } from 'hast-util-to-html'

/** The cover's colours; the favicon takes them too, so the site's tab looks like the book. */
export const coverColors = {
  background: '#173f73',
  text: '#ffffff',
  subtitle: '#e6edf6',
  publisher: '#c9d6e8',
  rule: '#f2c230',
  /** One ring per partner language. */
  rings: ['#f2c230', '#e8833a', '#d9534f', '#5bb5a2', '#7fb3e6', '#b9a2e0']
} as const

/** What the cover says. */
export interface CoverWords {
  title: string
  subtitle: string | undefined
  publisher: string
  /** A partner edition's logo. */
  logo?: { src: string; alt: string }
}

/** The motif: six rings linked in a circle, in a square of `size` user units. Pure decoration. */
export function motif(size: number, strokeWidth = size * 0.018): Element {
  const center = size / 2
  const orbit = size * 0.3
  const radius = size * 0.17
  const rings = coverColors.rings.map((color, index) => {
    const angle = (Math.PI * 2 * index) / coverColors.rings.length - Math.PI / 2
    return s('circle', {
      cx: (center + orbit * Math.cos(angle)).toFixed(2),
      cy: (center + orbit * Math.sin(angle)).toFixed(2),
      r: radius.toFixed(2),
      fill: 'none',
      stroke: color,
      strokeWidth: strokeWidth.toFixed(2),
      opacity: '0.9'
    })
  })
  return s('svg.motif', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${size} ${size}`, ariaHidden: 'true' }, rings)
}

/** The cover's elements, in reading order: what extracts as the cover's text in a PDF is title, subtitle, logo, publisher. */
export function coverElements(words: CoverWords): ElementContent[] {
  return [
    motif(100),
    h('p.cover-title', words.title),
    h('div.cover-rule'),
    ...(words.subtitle ? [h('p.cover-subtitle', words.subtitle)] : []),
    ...(words.logo ? [h('img.cover-logo', { src: words.logo.src, alt: words.logo.alt })] : []),
    h('p.cover-publisher', words.publisher)
  ]
}

/** The cover's elements as HTML. */
export function coverMarkup(words: CoverWords): string {
  return toHtml({ type: 'root', children: coverElements(words) })
}

/**
 * The cover's rules for an element `selector` of `width` by `height` in `unit` (px for the image,
 * mm for print). Every length is a share of the width, so both covers are one design at two sizes;
 * `bleed` (print) grows the box on every side without moving the design inside the trim.
 */
export function coverCss(selector: string, size: { width: number; height: number; unit: 'px' | 'mm'; bleed?: number }): string {
  const share = size.width / 100
  const bleed = size.bleed ?? 0
  const len = (value: number, extra = 0) => `${(value * share + extra).toFixed(2)}${size.unit}`
  const c = coverColors
  return `${selector} {
  background: ${c.background}; color: ${c.text}; width: ${len(0, size.width + 2 * bleed)}; height: ${len(0, size.height)};
  display: flex; flex-direction: column; box-sizing: border-box; overflow: hidden; margin: 0;
  padding: ${len(9, bleed)} ${len(9, bleed)} ${len(8, bleed)};
  font-family: "Noto Sans", sans-serif; text-align: start; hyphens: manual;
}
${selector} .motif { display: block; width: ${len(46)}; height: ${len(46)}; margin: ${len(2)} 0 ${len(8)} auto; flex: none; }
${selector} .cover-title { font-weight: 700; font-size: ${len(10.5)}; line-height: 1.08; margin: 0; overflow-wrap: break-word; }
${selector} .cover-rule { width: ${len(18)}; height: ${len(1.1)}; background: ${c.rule}; margin: ${len(5)} 0 ${len(4.5)}; flex: none; }
${selector} .cover-subtitle { font-family: "Noto Serif", serif; font-size: ${len(4.6)}; line-height: 1.3; margin: 0; color: ${c.subtitle}; }
${selector} .cover-publisher { margin: auto 0 0; font-size: ${len(2.9)}; line-height: 1.35; color: ${c.publisher}; }
${selector} .cover-logo { display: block; margin: auto 0 ${len(3)}; max-width: ${len(40)}; max-height: ${len(14)}; object-fit: contain; object-position: left; }
${selector} .cover-logo + .cover-publisher { margin-top: 0; }`
}

/**
 * The site's favicon: the cover's motif on its background, as an SVG. Rings drawn thicker than on the
 * cover stay visible at 16 px.
 */
export function faviconSvg(): string {
  const size = 64
  const svg = s('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${size} ${size}` }, [
    s('rect', { width: size, height: size, rx: 12, fill: coverColors.background }),
    s('g', { transform: 'translate(4 4)' }, motif(size - 8, 4.2).children)
  ])
  return toHtml(svg, { space: 'svg' }) + '\n'
}
