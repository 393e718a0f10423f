// The shell every page of a locale shares: head with alternates, header with search and language switcher, footer.
import type { Element, ElementContent, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import { localize } from '../../config/load.js'
import type { LocalizedText } from '../../config/schema.js'
import { format } from '../../i18n/strings.js'
import type { Book, Edition } from '../../model/types.js'
import { typeset } from '../../pipeline/plugins/remark-typography.js'
import { showsTranslationReport, translationReportName } from '../translation-report.js'
import { downloadLinks } from './downloads.js'
import { alternates, contentsList, languageSwitcher } from './navigation.js'
import { clientScriptName, faviconName, searchEngineName, searchIndexName, staticHref, stylesheetName } from './paths.js'

export interface PageOptions {
  book: Book
  edition: Edition
  /** The chapter shown, or `undefined` for the contents page. */
  chapterId: string | undefined
  /** The document title. */
  title: string
  description: string | undefined
  /** `page-chapter`, `page-contents`, ...: lets the stylesheet tell templates apart. */
  kind: string
  /** Whether the contents sidebar is shown (not on the contents page itself). */
  sidebar: boolean
  /** Previous and next chapter pages, for `<link rel>`. */
  previous?: string
  next?: string
  main: ElementContent[]
}

/** Serialize a page; the output is deterministic for the same tree. */
export function serialize(tree: Root): string {
  return toHtml(tree, { allowDangerousHtml: false }) + '\n'
}

/** A complete page of a locale's edition. */
export function page(options: PageOptions): string {
  const { book, edition } = options
  const { strings } = edition
  const head: ElementContent[] = [
    h('meta', { charset: 'utf-8' }),
    h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    h('meta', { name: 'color-scheme', content: 'light dark' }),
    h('title', options.title)
  ]
  if (options.description) head.push(h('meta', { name: 'description', content: options.description }))
  head.push(h('link', { rel: 'stylesheet', href: staticHref(stylesheetName) }), h('link', { rel: 'icon', type: 'image/svg+xml', href: staticHref(faviconName) }), ...alternates(book, options.chapterId))
  if (options.previous) head.push(h('link', { rel: 'prev', href: options.previous }))
  if (options.next) head.push(h('link', { rel: 'next', href: options.next }))
  head.push(h('script', { src: staticHref(clientScriptName), defer: true }))

  const layout: ElementContent[] = []
  if (options.sidebar) {
    layout.push(
      h('nav.toc', { ariaLabel: strings.contents }, [
        h('details.toc-details', { open: true }, [h('summary.toc-summary', strings.contents), contentsList(edition, options.chapterId)])
      ])
    )
  }
  layout.push(h('main#content', { tabIndex: -1 }, options.main))

  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: edition.locale.tag, dir: edition.locale.dir }, [
        h('head', head),
        h(`body.${options.kind}`, [
          h('a.skip-link', { href: '#content' }, strings['skip-to-content']),
          h('header.site-header', [
            h('a.site-title', { href: 'index.html' }, edition.title),
            searchForm(edition),
            languageSwitcher(book, edition, options.chapterId)
          ]),
          h(`div.layout${options.sidebar ? '.with-sidebar' : ''}`, layout),
          // The contents page shows the downloads under the cover; every other page in its footer.
          footer(book, edition, options.kind !== 'page-contents')
        ])
      ])
    ]
  }
  return serialize(tree)
}

/**
 * The search box. Hidden until the client script shows it: without scripts it could do nothing.
 * The data attributes tell the script where the index and engine are and how to word results.
 */
function searchForm(edition: Edition): Element {
  const { strings } = edition
  return h(
    'form.site-search',
    {
      role: 'search',
      hidden: true,
      dataIndex: searchIndexName,
      dataEngine: staticHref(searchEngineName),
      dataResults: strings['search-results'],
      dataNoResults: strings['search-no-results']
    },
    [
      h('label.visually-hidden', { for: 'search-input' }, strings.search),
      h('input#search-input', {
        type: 'search',
        autocomplete: 'off',
        spellCheck: 'false',
        placeholder: strings['search-placeholder'],
        ariaControls: 'search-results',
        ariaDescribedBy: 'search-status'
      }),
      h('p#search-status.search-status', { role: 'status', ariaLive: 'polite' }),
      h('ol#search-results.search-results', { hidden: true })
    ]
  )
}

function footer(book: Book, edition: Edition, downloads: boolean): Element {
  const { config } = book
  const { strings } = edition
  const tag = edition.locale.tag
  const license = config.book.license
  const licenseName = license.url ? h('a', { href: license.url, rel: 'license' }, license.name) : license.name
  const lines: ElementContent[] = [
    h('p', [edition.title, ' · ', format(strings, 'version', { version: config.book.version }), ' · ', `${strings.license}: `, licenseName])
  ]
  const notice = localized(book, license.notice, tag)
  if (notice) lines.push(h('p', { lang: notice.lang }, notice.text))
  const links = downloads ? downloadLinks(edition, 'downloads') : undefined
  if (links) lines.push(links)
  // Where the report is shown (preview, or published by the config), a translation links it: editors
  // see what is missing or stale without a terminal. Readers of the public site are not sent there.
  const report = !edition.isSource && showsTranslationReport(book)
  lines.push(h('p', [h('a', { href: '../index.html' }, strings.languages), ...(report ? [' · ', h('a', { href: translationReportName }, strings['translation-report'])] : [])]))
  return h('footer.site-footer', lines)
}

/** A localized config text in `tag`, typeset, with `lang` set when it had to fall back to another language. */
export function localized(book: Book, value: LocalizedText | undefined, tag: string): { text: string; lang: string | undefined } | undefined {
  if (value === undefined) return undefined
  const text = localize(value, tag, book.sourceLocale)
  let lang: string | undefined
  if (typeof value !== 'string' && value[tag] === undefined) lang = value[book.sourceLocale] !== undefined ? book.sourceLocale : Object.keys(value)[0]
  return { text: typeset(text, lang ?? tag), lang }
}
