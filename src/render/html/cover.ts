// The contents page of a locale (cover and contents) and the root page listing the editions by language.
import type { ElementContent, Root } from 'hast'
import { h } from 'hastscript'
import { defaultStrings, type Strings } from '../../i18n/defaults.js'
import { format } from '../../i18n/strings.js'
import type { Book, Edition } from '../../model/types.js'
import { localized, page, serialize } from './document.js'
import { downloadLinks } from './downloads.js'
import { partnerLogo } from '../partner-logo.js'
import { contentsList, siteLocales } from './navigation.js'
import { faviconName, stylesheetName } from './paths.js'

/** A locale's `index.html`: the cover (title, subtitle, authors, publisher, version) and the contents. */
export function contentsPage(book: Book, edition: Edition): string {
  const { strings } = edition
  const tag = edition.locale.tag
  const { config } = book
  const cover: ElementContent[] = [h('h1.cover-title', edition.title)]
  if (edition.subtitle) cover.push(h('p.cover-subtitle', edition.subtitle))
  for (const author of config.book.authors) {
    const name = localized(book, author.name, tag)!
    const role = localized(book, author.role, tag)
    cover.push(h('p.cover-author', [h('span', { lang: name.lang }, name.text), ...(role ? [' (', h('span', { lang: role.lang }, role.text), ')'] : [])]))
  }
  const publisher = localized(book, config.book.publisher, tag)!
  const logo = partnerLogo(edition)
  if (logo) cover.push(h('img.cover-logo', { src: logo.src, alt: logo.alt, style: 'display: block; max-width: 12rem; max-height: 5rem; margin: 1rem 0;' }))
  cover.push(h('p.cover-publisher', { lang: publisher.lang }, publisher.text), h('p.cover-version', format(strings, 'version', { version: config.book.version })))
  const downloads = downloadLinks(edition, 'downloads.downloads-cover')
  const main: ElementContent[] = [
    h('header.cover', cover),
    ...(downloads ? [downloads] : []),
    h('section.contents', { ariaLabelledBy: 'contents-title' }, [h('h2#contents-title', strings.contents), contentsList(edition, undefined)])
  ]
  const funding = localized(book, config.book.funding, tag)
  if (funding) main.push(h('p.funding', { lang: funding.lang }, funding.text))
  const description = localized(book, config.book.description, tag)
  return page({
    book,
    edition,
    chapterId: undefined,
    title: edition.title,
    description: description && !description.lang ? description.text : undefined,
    kind: 'page-contents',
    sidebar: false,
    main
  })
}

/** The root `index.html`: every language of the site (see `siteLocales`). */
export function languageIndex(book: Book): string {
  const { config, sourceLocale } = book
  const strings: Strings = book.editions.find((edition) => edition.locale.tag === sourceLocale)?.strings ?? defaultStrings
  const titleIn = (tag: string) => localized(book, config.book.title, tag)!
  const title = titleIn(sourceLocale).text
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: sourceLocale }, [
        h('head', [
          h('meta', { charset: 'utf-8' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('meta', { name: 'color-scheme', content: 'light dark' }),
          h('title', title),
          h('link', { rel: 'stylesheet', href: `static/${stylesheetName}` }),
          h('link', { rel: 'icon', type: 'image/svg+xml', href: `static/${faviconName}` }),
          ...siteLocales(book).map((locale) => h('link', { rel: 'alternate', hrefLang: locale.tag, href: `${locale.tag}/index.html` }))
        ]),
        h('body.page-languages', [
          h('main#content', [
            h('h1', title),
            h('nav', { ariaLabelledBy: 'languages-title' }, [
              h('h2#languages-title', strings.languages),
              h(
                'ul.editions',
                siteLocales(book).map((locale) => {
                  const localTitle = titleIn(locale.tag)
                  return h('li', { lang: locale.tag }, [
                    h('a', { href: `${locale.tag}/index.html`, hrefLang: locale.tag }, [
                      h('span.edition-label', locale.label),
                      ' ',
                      h('span.edition-title', { lang: localTitle.lang }, localTitle.text)
                    ])
                  ])
                })
              )
            ])
          ])
        ])
      ])
    ]
  }
  return serialize(tree)
}
