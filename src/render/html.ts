// The HTML edition: one page per chapter and a contents page per locale, shared assets once, relative links only.
import { readFile } from 'node:fs/promises'
import type { Element, ElementContent, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import { visit } from 'unist-util-visit'
import { localize } from '../config/load.js'
import { format } from '../i18n/strings.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'
import type { Book, Chapter, Edition } from '../model/types.js'
import type { OutputFile } from '../output/write.js'
import type { OutputUnit, RenderContext, Renderer } from './types.js'
import { readStyles } from './styles.js'

/** Stylesheets and fonts shared by every locale. */
const staticFolder = 'html/static'
/** Images, under their path relative to the handbook folder. */
const mediaFolder = 'html/media'

/** The file name of a chapter's page. */
function pageOf(chapterId: string): string {
  return `${chapterId}.html`
}

export const htmlRenderer: Renderer = {
  format: 'html',

  async renderEdition({ book, edition }: RenderContext): Promise<OutputUnit[]> {
    const folder = `html/${edition.locale.tag}`
    const files: OutputFile[] = [{ path: `${folder}/index.html`, data: document(book, edition, undefined) }]
    for (const chapter of edition.chapters) {
      files.push({ path: `${folder}/${pageOf(chapter.id)}`, data: document(book, edition, chapter) })
    }
    return [{ path: folder, isDirectory: true, locale: edition.locale.tag, files }]
  },

  async renderShared(book: Book, editions: readonly Edition[]): Promise<OutputUnit[]> {
    const assets: OutputFile[] = []
    const seen = new Set<string>()
    for (const edition of editions) {
      for (const chapter of edition.chapters) {
        for (const asset of chapter.assets) {
          if (seen.has(asset.ref)) continue
          seen.add(asset.ref)
          assets.push({ path: `${mediaFolder}/${asset.ref}`, data: await readFile(asset.source) })
        }
      }
    }
    assets.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    return [
      // Written file by file, not replaced: a build of one locale must keep the other locales' images.
      { path: mediaFolder, isDirectory: false, locale: null, files: assets },
      { path: staticFolder, isDirectory: true, locale: null, files: [{ path: `${staticFolder}/handbook.css`, data: await readStyles(['base.css', 'web.css']) }] },
      { path: 'html/index.html', isDirectory: false, locale: null, files: [{ path: 'html/index.html', data: languageIndex(book) }] }
    ]
  }
}

function serialize(tree: Root): string {
  return toHtml(tree, { allowDangerousHtml: false }) + '\n'
}

/** A chapter page, or the edition's contents page when `chapter` is undefined. */
function document(book: Book, edition: Edition, chapter: Chapter | undefined): string {
  const { strings } = edition
  const lang = edition.locale.tag
  const pageTitle = chapter ? `${chapter.title} – ${edition.title}` : edition.title
  const main = chapter ? chapterBody(book, edition, chapter) : contentsBody(edition)
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang, dir: edition.locale.dir }, [
        h('head', [
          h('meta', { charset: 'utf-8' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', pageTitle),
          h('link', { rel: 'stylesheet', href: '../static/handbook.css' })
        ]),
        h('body', [
          h('a.skip-link', { href: '#content' }, strings['skip-to-content']),
          h('header.site-header', [h('a.site-title', { href: 'index.html' }, edition.title)]),
          h('nav.toc', { ariaLabel: strings.contents }, [contentsList(edition, chapter?.id)]),
          h('main#content', main)
        ])
      ])
    ]
  }
  return serialize(tree)
}

function contentsBody(edition: Edition): ElementContent[] {
  return [
    h('h1', edition.title),
    ...(edition.subtitle ? [h('p.subtitle', edition.subtitle)] : []),
    h('h2', edition.strings.contents),
    contentsList(edition, undefined)
  ]
}

/** The contents as nested lists: parts hold their chapters. */
function contentsList(edition: Edition, current: string | undefined): Element {
  const items: Element[] = []
  let part: { link: Element; children: Element[] } | undefined
  const closePart = () => {
    if (part) items.push(h('li.toc-part', [part.link, h('ol', part.children)]))
    part = undefined
  }
  for (const chapter of edition.chapters) {
    const link = h('a', { href: pageOf(chapter.id), ariaCurrent: chapter.id === current ? 'page' : undefined }, entryLabel(chapter))
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

function entryLabel(chapter: Chapter): string {
  return chapter.number === null ? chapter.title : `${chapter.number}. ${chapter.title}`
}

function chapterBody(book: Book, edition: Edition, chapter: Chapter): ElementContent[] {
  const { strings } = edition
  const content = structuredClone(chapter.hast)
  relink(content, edition, chapter)
  const heading: ElementContent[] = []
  if (chapter.number !== null) heading.push(h('p.chapter-label', format(strings, 'chapter', { number: chapter.number })))
  heading.push(h('h1', chapter.title))
  const body: ElementContent[] = []
  if (chapter.isFallback) {
    const source = book.config.locales.find((locale) => locale.tag === book.sourceLocale)
    body.push(
      h('p.notice.notice-fallback', { role: 'note' }, format(strings, 'not-translated', { language: edition.locale.label, source: source?.label ?? book.sourceLocale }))
    )
  }
  const article = h(`article.chapter.chapter-${chapter.kind}`, { lang: chapter.lang === edition.locale.tag ? undefined : chapter.lang }, [
    h('header', heading),
    ...(content.children as ElementContent[])
  ])
  body.push(article, pager(edition, chapter))
  return body
}

function pager(edition: Edition, chapter: Chapter): Element {
  const index = edition.chapters.indexOf(chapter)
  const previous = edition.chapters[index - 1]
  const next = edition.chapters[index + 1]
  return h('nav.pager', { ariaLabel: `${edition.strings.previous} / ${edition.strings.next}` }, [
    previous ? h('a.pager-previous', { href: pageOf(previous.id), rel: 'prev' }, [h('span.pager-label', edition.strings.previous), ' ', previous.title]) : '',
    next ? h('a.pager-next', { href: pageOf(next.id), rel: 'next' }, [h('span.pager-label', edition.strings.next), ' ', next.title]) : ''
  ])
}

/** Point in-book links at the page that holds their target, and images at the shared assets. */
function relink(tree: Root, edition: Edition, chapter: Chapter): void {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'a' && typeof node.properties.href === 'string' && node.properties.href.startsWith('#')) {
      const id = node.properties.href.slice(1)
      const target = edition.targets.get(id)
      if (!target || target.chapterId === chapter.id) return
      node.properties.href = target.id === target.chapterId ? pageOf(target.chapterId) : `${pageOf(target.chapterId)}#${id}`
    } else if (node.tagName === 'img' && typeof node.properties.src === 'string' && node.properties.src !== '') {
      node.properties.src = `../media/${node.properties.src}`
    }
  })
}

/** The root page: every configured language, so partial builds (one locale per CI job) still link them all. */
function languageIndex(book: Book): string {
  const { config, sourceLocale } = book
  const titleIn = (tag: string) => typeset(localize(config.book.title, tag, sourceLocale), tag)
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: sourceLocale }, [
        h('head', [
          h('meta', { charset: 'utf-8' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', titleIn(sourceLocale)),
          h('link', { rel: 'stylesheet', href: 'static/handbook.css' })
        ]),
        h('body', [
          h('main#content', [
            h('h1', titleIn(sourceLocale)),
            h(
              'ul.editions',
              config.locales.map((locale) =>
                h('li', { lang: locale.tag }, [h('a', { href: `${locale.tag}/index.html`, hrefLang: locale.tag }, `${titleIn(locale.tag)} (${locale.label})`)])
              )
            )
          ])
        ])
      ])
    ]
  }
  return serialize(tree)
}
