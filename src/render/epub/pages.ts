// The pages the EPUB adds before the chapters: cover, title page and imprint, from the config in the edition's language.
import type { ElementContent, Properties, Root } from 'hast'
import { longDate } from '../../i18n/dates.js'
import { h } from 'hastscript'
import { format } from '../../i18n/strings.js'
import type { Book, Edition } from '../../model/types.js'
import { typeset } from '../../pipeline/plugins/remark-typography.js'
import { localizedIn, type LangText } from './metadata.js'

/** `lang` and `xml:lang` where a text is not in the edition's language. */
function langOf(text: LangText, edition: Edition): Properties {
  return text.lang === edition.locale.tag ? {} : { lang: text.lang, xmlLang: text.lang }
}

function root(children: ElementContent[]): Root {
  return { type: 'root', children }
}

/** The cover page: the cover image, described by everything it says. */
export function coverPage(edition: Edition, imageHref: string, description: string): Root {
  return root([h('section.cover-page', { ariaLabel: edition.strings.cover }, [h('img.cover-image', { src: imageHref, alt: description, role: 'doc-cover' })])])
}

/** The title page: title, subtitle, authors with their roles, publisher. */
export function titlePage(book: Book, edition: Edition, logoHref?: string): Root {
  const locale = edition.locale.tag
  const info = book.config.book
  const localized = (value: Parameters<typeof localizedIn>[0]) => localizedIn(value, locale, book.sourceLocale)
  const authors = info.authors.map((author) => {
    const name = localized(author.name)
    const role = author.role === undefined ? undefined : localized(author.role)
    return h('p.title-page-author', [
      h('span.author-name', langOf(name, edition), name.text),
      ...(role ? [' ', h('span.author-role', langOf(role, edition), `(${role.text})`)] : [])
    ])
  })
  const publisher = localized(info.publisher)
  return root([
    h('section.title-page', { 'epub:type': 'titlepage', ariaLabel: edition.strings['title-page'] }, [
      h('h1.title-page-title', edition.title),
      ...(edition.subtitle ? [h('p.title-page-subtitle', edition.subtitle)] : []),
      h('div.title-page-authors', authors),
      ...(logoHref && edition.partner?.logo ? [h('img.title-page-logo', { src: logoHref, alt: edition.partner.logo.alt })] : []),
      h('p.title-page-publisher', langOf(publisher, edition), publisher.text)
    ])
  ])
}

/** A date in the edition's language, in UTC so that it is the same everywhere. */
/** The imprint: title, version, build date, license and notice, funding statement, publisher. */
export function imprintPage(book: Book, edition: Edition, date: Date, identifier: string): Root {
  const locale = edition.locale.tag
  const { strings } = edition
  const info = book.config.book
  const localized = (value: Parameters<typeof localizedIn>[0]) => localizedIn(value, locale, book.sourceLocale)
  const paragraphs: ElementContent[] = [
    h('p.imprint-title', [h('cite', edition.title), ...(edition.subtitle ? [`. ${edition.subtitle}`] : [])]),
    h('p.imprint-version', format(strings, 'version', { version: info.version })),
    h('p.imprint-date', typeset(format(strings, 'build-date', { date: longDate(date, locale) }), locale)),
    h('p.imprint-license', [
      `${strings.license}: `,
      info.license.url ? h('a', { href: info.license.url }, info.license.name) : info.license.name
    ])
  ]
  if (info.license.notice) {
    const notice = localized(info.license.notice)
    paragraphs.push(h('p.imprint-notice', langOf(notice, edition), notice.text))
  }
  if (info.funding) {
    const funding = localized(info.funding)
    paragraphs.push(h('p.imprint-funding', langOf(funding, edition), funding.text))
  }
  const publisher = localized(info.publisher)
  paragraphs.push(h('p.imprint-publisher', langOf(publisher, edition), publisher.text))
  paragraphs.push(h('p.imprint-identifier', h('code', identifier)))
  return root([h('section.imprint', { 'epub:type': 'copyright-page', ariaLabelledBy: 'imprint-heading' }, [h('h1#imprint-heading.imprint-heading', strings.imprint), ...paragraphs])])
}
