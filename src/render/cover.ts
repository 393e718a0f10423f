// What the cover of an edition says: its localized title, subtitle, publisher and partner logo.
import { localize } from '../config/load.js'
import { editionTitles } from '../model/titles.js'
import type { Book, Edition } from '../model/types.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'
import { partnerLogo } from './partner-logo.js'

/** What the cover says, in the edition's language. */
export interface CoverText {
  title: string
  subtitle: string | undefined
  publisher: string
  /** The language of the texts (BCP 47). */
  lang: string
  dir: 'ltr' | 'rtl'
  /** A partner edition's logo (a `data:` URL). */
  logo?: { src: string; alt: string }
}

/** The cover texts of an edition, typeset for its language. */
export function coverText(book: Book, edition: Edition): CoverText {
  const { config } = book
  const tag = edition.locale.tag
  return {
    ...editionTitles(config, tag),
    publisher: typeset(localize(config.book.publisher, tag, config['source-locale']), tag),
    lang: tag,
    dir: edition.locale.dir,
    ...(edition.partner?.logo ? { logo: partnerLogo(edition) } : {})
  }
}

/** The text alternative of the cover image: everything the cover says. */
export function coverDescription(text: CoverText): string {
  return [text.title, text.subtitle, text.logo?.alt, text.publisher].filter((part) => part !== undefined && part !== '').join('. ')
}
