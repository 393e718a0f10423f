// Navigation shared by the pages: the contents list, previous/next, and the language switcher with its alternates.
import type { Element } from 'hast'
import { h } from 'hastscript'
import type { LocaleConfig } from '../../config/schema.js'
import type { Book, Chapter, Edition } from '../../model/types.js'
import { pageInLocale, pageOf } from './paths.js'

/** The label of a chapter in the contents: "3. Title", or the title alone. */
export function entryLabel(chapter: Chapter): string {
  return chapter.number === null ? chapter.title : `${chapter.number}. ${chapter.title}`
}

/** `lang` for text of `chapter` shown in `edition`: set only when a fallback chapter shows the source language. */
export function langOf(edition: Edition, chapter: Chapter): string | undefined {
  return chapter.lang === edition.locale.tag ? undefined : chapter.lang
}

/** The contents as nested lists (parts hold their chapters), with the current chapter marked. */
export function contentsList(edition: Edition, current: string | undefined): Element {
  const items: Element[] = []
  let part: { link: Element; children: Element[] } | undefined
  const closePart = () => {
    if (part) items.push(h('li.toc-part', [part.link, h('ol', part.children)]))
    part = undefined
  }
  for (const chapter of edition.chapters) {
    const link = h(
      'a',
      { href: pageOf(chapter.id), ariaCurrent: chapter.id === current ? 'page' : undefined, lang: langOf(edition, chapter) },
      entryLabel(chapter)
    )
    if (chapter.kind === 'part') {
      closePart()
      part = { link, children: [] }
    } else if (chapter.partId && part) {
      part.children.push(h('li', [link]))
    } else {
      closePart()
      items.push(h('li', [link]))
    }
  }
  closePart()
  return h('ol.toc-list', items)
}

/** The chapters before and after `chapter` in reading order. */
export function neighbours(edition: Edition, chapter: Chapter): { previous: Chapter | undefined; next: Chapter | undefined } {
  const index = edition.chapters.indexOf(chapter)
  return { previous: edition.chapters[index - 1], next: edition.chapters[index + 1] }
}

/** Links to the previous and next chapter at the end of a chapter. */
export function pager(edition: Edition, chapter: Chapter): Element {
  const { previous, next } = neighbours(edition, chapter)
  const { strings } = edition
  const link = (target: Chapter, rel: 'prev' | 'next', label: string) =>
    h(`a.pager-${rel === 'prev' ? 'previous' : 'next'}`, { href: pageOf(target.id), rel }, [
      h('span.pager-label', label),
      ' ',
      h('span.pager-title', { lang: langOf(edition, target) }, entryLabel(target))
    ])
  return h('nav.pager', { ariaLabel: `${strings.previous} / ${strings.next}` }, [
    previous ? link(previous, 'prev', strings.previous) : '',
    next ? link(next, 'next', strings.next) : ''
  ])
}

const idsByChapter = new WeakMap<Edition['targets'], Map<string, Set<string>>>()

/** Every id an edition's page for `chapterId` holds: sections, figures, tables, glossary entries. */
function idsOnPage(edition: Edition, chapterId: string): Set<string> {
  let byChapter = idsByChapter.get(edition.targets)
  if (!byChapter) {
    byChapter = new Map()
    for (const target of edition.targets.values()) {
      if (target.id === target.chapterId) continue
      let ids = byChapter.get(target.chapterId)
      if (!ids) byChapter.set(target.chapterId, (ids = new Set()))
      ids.add(target.id)
    }
    idsByChapter.set(edition.targets, byChapter)
  }
  return byChapter.get(chapterId) ?? new Set()
}

/**
 * The languages a site links: every configured one, since one-locale builds (a CI job per locale)
 * are merged into one site; a partner edition is published alone, so only its own.
 */
export function siteLocales(book: Book): readonly LocaleConfig[] {
  const partner = book.editions.find((edition) => edition.partner)
  return partner ? [partner.locale] : book.config.locales
}

/**
 * This page's ids the page of `chapterId` in locale `tag` may lack: none when this page shows the
 * source chapter and `tag` is the source locale, otherwise the automatic ids (slugs of translated headings differ), as
 * an author's `{#id}`, a figure's and a table's id are the same in every translation.
 */
function missingIn(book: Book, edition: Edition, chapterId: string, tag: string, own: ReadonlySet<string>): string | undefined {
  const chapter = edition.chapters.find((entry) => entry.id === chapterId)
  if (!chapter) return undefined
  // Only this edition and the source count: another translation's files would tie this page's bytes (and its cache) to them.
  if ((edition.isSource || chapter.isFallback) && tag === book.sourceLocale) return undefined
  const shared = new Set([...chapter.headings.filter((heading) => heading.explicit).map((heading) => heading.id), ...chapter.figures.map((float) => float.id), ...chapter.tables.map((float) => float.id)])
  return [...own].filter((id) => !shared.has(id) && !id.startsWith('term-')).join(' ') || undefined
}

/**
 * The language switcher: every locale of the site, leading to the same chapter; none on a
 * one-language site. The client script adds
 * the current section as `#id`; `data-missing` lists this page's ids that the other locale lacks
 * (authors' `{#id}` are shared, slugs of translated headings are not); a link to a missing id still
 * opens the chapter.
 */
export function languageSwitcher(book: Book, edition: Edition, chapterId: string | undefined): Element | undefined {
  const locales = siteLocales(book)
  if (locales.length < 2) return undefined
  const own = chapterId === undefined ? new Set<string>() : idsOnPage(edition, chapterId)
  const items = locales.map((locale) => {
    const isCurrent = locale.tag === edition.locale.tag
    // From this book's files alone, never from which other editions this run built: a locale's pages are the same bytes either way.
    const missing = !isCurrent && chapterId !== undefined ? missingIn(book, edition, chapterId, locale.tag, own) : undefined
    return h('li', [
      h(
        'a',
        {
          href: isCurrent ? (chapterId === undefined ? 'index.html' : pageOf(chapterId)) : pageInLocale(locale.tag, chapterId),
          hrefLang: locale.tag,
          lang: locale.tag,
          ariaCurrent: isCurrent ? 'true' : undefined,
          dataMissing: missing || undefined
        },
        locale.label
      )
    ])
  })
  const { strings } = edition
  return h('nav.language-switcher', { ariaLabel: strings.language }, [
    h('details', [
      h('summary', [h('span.visually-hidden', `${strings.language}: `), h('span.language-current', edition.locale.label)]),
      h('ul.language-list', items)
    ])
  ])
}

/** `<link rel="alternate" hreflang>` for the same page in every locale of the site, this one included. */
export function alternates(book: Book, chapterId: string | undefined): Element[] {
  return siteLocales(book).map((locale) => h('link', { rel: 'alternate', hrefLang: locale.tag, href: pageInLocale(locale.tag, chapterId) }))
}
