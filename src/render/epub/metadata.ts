// What the EPUB says about itself: identifier, localized Dublin Core, dates and accessibility metadata.
import { createHash } from 'node:crypto'
import { localize } from '../../config/load.js'
import type { LocalizedText } from '../../config/schema.js'
import { defaultStrings, type StringKey } from '../../i18n/defaults.js'
import { format } from '../../i18n/strings.js'
import type { Book, Edition } from '../../model/types.js'
import { typeset } from '../../pipeline/plugins/remark-typography.js'

/** A text and the language it is actually in (a translation may fall back to the source text). */
export interface LangText {
  text: string
  lang: string
}

/**
 * `value` in `locale`, else in the source locale, else the first given, with the language chosen.
 * A plain string stands for every locale, so it counts as the requested one.
 */
export function localizedIn(value: LocalizedText, locale: string, sourceLocale: string): LangText {
  const text = localize(value, locale, sourceLocale)
  // Which language localize() chose, by the same order it tries them in.
  const lang = typeof value === 'string' || value[locale] !== undefined ? locale : value[sourceLocale] !== undefined ? sourceLocale : Object.keys(value)[0]!
  return { text: typeset(text, lang), lang }
}

/**
 * The edition's `dc:identifier`: a name-based UUID (RFC 4122 version 5) of the book's identifier
 * and the locale, so the same book and locale always get the same id, and every locale its own.
 */
export function editionIdentifier(bookIdentifier: string, locale: string): string {
  // The RFC 4122 URL namespace: the name is a URL-like string of the book identifier and the locale.
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex')
  const hash = createHash('sha1').update(namespace).update(`${bookIdentifier}#${locale}`, 'utf8').digest()
  const bytes = hash.subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** `2024-05-01T10:00:00Z`: the form `dcterms:modified` requires (no milliseconds). */
export function modifiedStamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface Accessibility {
  accessModes: string[]
  sufficient: string[]
  features: string[]
  hazards: string[]
  summary: LangText
  conformsTo: string
  certifiedBy: string
}

export interface PackageMetadata {
  identifier: string
  title: string
  language: string
  dir: 'ltr' | 'rtl'
  creators: LangText[]
  publisher: LangText
  rights: LangText
  description: LangText | undefined
  subjects: LangText[]
  /** `YYYY-MM-DD` */
  date: string
  modified: string
  accessibility: Accessibility
}

/** Facts about the content that the accessibility claims depend on. */
export interface ContentFacts {
  /** Whether the book has images besides the cover. */
  hasImages: boolean
  /** Whether every image has a text alternative. */
  allImagesDescribed: boolean
}

/** The conformance claim: the EPUB Accessibility 1.1 form that Ace and EPUBCheck recognize. */
export const conformance = 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA'

/** The package metadata of an edition built on `date`. */
export function packageMetadata(book: Book, edition: Edition, date: Date, facts: ContentFacts): PackageMetadata {
  const { config, sourceLocale } = book
  const locale = edition.locale.tag
  const info = config.book
  const localized = (value: LocalizedText) => localizedIn(value, locale, sourceLocale)
  const publisher = localized(info.publisher)
  const rights = info.license.notice
    ? localized(info.license.notice)
    : { text: info.license.url ? `${info.license.name} (${info.license.url})` : info.license.name, lang: locale }
  // An empty dc:description is an EPUBCheck error (RSC-005): fall back to the subtitle, else leave it out.
  const description = info.description ? localized(info.description) : info.subtitle ? localized(info.subtitle) : undefined
  return {
    identifier: editionIdentifier(info.identifier, locale),
    title: edition.title,
    language: locale,
    dir: edition.locale.dir,
    creators: info.authors.map((author) => localized(author.name)),
    publisher,
    rights,
    description,
    subjects: (info.keywords ?? []).map(localized),
    date: date.toISOString().slice(0, 10),
    modified: modifiedStamp(date),
    accessibility: accessibility(edition, publisher.text, facts)
  }
}

/** The language of an interface string: a translation that lacks it shows the built-in English text. */
function stringLanguage(edition: Edition, key: StringKey): string {
  const locale = edition.locale.tag
  return edition.strings[key] === defaultStrings[key] && locale.split('-')[0] !== 'en' ? 'en' : locale
}

/** Claims that hold for every edition this renderer writes, and those that depend on the content. */
function accessibility(edition: Edition, publisher: string, facts: ContentFacts): Accessibility {
  const described = facts.allImagesDescribed
  return {
    // The cover is an image, so every edition has visual content.
    accessModes: ['textual', 'visual'],
    sufficient: described ? ['textual', 'textual,visual'] : ['textual,visual'],
    features: [
      ...(facts.hasImages && described ? ['alternativeText'] : []),
      'ARIA',
      'displayTransformability',
      'readingOrder',
      'structuralNavigation',
      'tableOfContents'
    ],
    hazards: ['none'],
    summary: { text: format(edition.strings, 'accessibility-summary', { conformance }), lang: stringLanguage(edition, 'accessibility-summary') },
    conformsTo: conformance,
    certifiedBy: publisher
  }
}
