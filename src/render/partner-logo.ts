// A partner edition's logo for covers and title pages: as a `data:` URL, so no renderer has to copy or serve one more file.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { PartnerEdition } from '../model/types.js'

const mediaTypes: Record<string, string> = { svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' }

/** The edition's partner logo as `{ src, alt }` with a `data:` URL, or `undefined` for a book edition. */
export function partnerLogo(edition: { partner?: PartnerEdition }): { src: string; alt: string } | undefined {
  const logo = edition.partner?.logo
  if (!logo) return undefined
  const extension = path.extname(logo.source).slice(1).toLowerCase()
  const type = mediaTypes[extension]
  if (!type) throw new Error(`Cannot use the logo \`${logo.ref}\`: use an SVG, PNG, JPEG or GIF image`)
  return { src: `data:${type};base64,${readFileSync(logo.source).toString('base64')}`, alt: logo.alt }
}
