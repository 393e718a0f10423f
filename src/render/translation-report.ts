// The translation report of a translated HTML edition: coverage, and every chapter and section that needs work, linked.
import { languageName } from '../i18n/languages.js'
import type { ElementContent } from 'hast'
import { h } from 'hastscript'
import type { SectionState } from '../content/translation-state.js'
import type { StringKey } from '../i18n/defaults.js'
import { format } from '../i18n/strings.js'
import type { Book, Edition } from '../model/types.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'

/** The report's file name in a locale's folder of the HTML edition. */
export const translationReportName = 'translation.html'

function stateLabel(edition: Edition, state: SectionState): string {
  return state === 'source' ? '' : edition.strings[`translation-state.${state}` as StringKey]
}

/** A percentage in the edition's language ("98,5 %" in German, "98.5%" in English). */
export function formatPercent(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100)
}

/**
 * Whether the site carries the translation reports: they are for editors, so only in the preview or when
 * `editions.translation-report` publishes them.
 */
export function showsTranslationReport(book: Book): boolean {
  return book.preview === true || book.config.editions['translation-report']
}

/**
 * The report's content for `edition` (the `<main>` of its page), or `undefined` for the source
 * edition and when the book carries no translation state. `pageOf` gives a chapter's page.
 */
export function translationReport(book: Book, edition: Edition, pageOf: (chapterId: string) => string): ElementContent[] | undefined {
  const status = book.translationStatus?.find((entry) => entry.locale === edition.locale.tag)
  if (edition.isSource || !status || !showsTranslationReport(book)) return undefined
  const lang = edition.locale.tag
  const { strings } = edition
  const summary = format(strings, 'translation-report-summary', {
    coverage: formatPercent(status.coverage, lang),
    current: formatPercent(status.upToDate, lang),
    language: languageName(lang, lang, edition.locale.label)
  })
  const rows: ElementContent[] = []
  for (const chapter of edition.chapters) {
    // A partner edition's own chapters are no translations.
    if (!chapter.translation) continue
    const entry = status.chapters.find((candidate) => candidate.chapter === chapter.id)
    if (!entry) continue
    const pending = entry.state === 'missing' || entry.state === 'draft' || entry.state === 'untracked' ? [] : entry.sections.filter((section) => section.state !== 'current')
    const items = pending.map((section) => {
      const target = edition.targets.get(section.id)
      const title = section.id === chapter.id ? chapter.title : (target?.title ?? section.title)
      const href = section.id === chapter.id || !target ? pageOf(chapter.id) : `${pageOf(chapter.id)}#${section.id}`
      return h('li', [h('a', { href }, title), ` (${stateLabel(edition, section.state)})`])
    })
    rows.push(
      h(`tr.translation-${entry.state}`, [
        // A chapter shown from the source has its title in the source language.
        h('th', { scope: 'row' }, [h('a', { href: pageOf(chapter.id), lang: chapter.lang === lang ? undefined : chapter.lang }, chapter.title)]),
        h('td', stateLabel(edition, entry.state)),
        h('td', items.length > 0 ? [h('ul', items)] : [])
      ])
    )
  }
  return [
    h('article.translation-report', [
      h('h1', strings['translation-report']),
      h('p.translation-summary', typeset(summary, lang)),
      h('table.translation-table', [
        h('thead', [
          h('tr', [
            h('th', { scope: 'col' }, strings['translation-report-chapter']),
            h('th', { scope: 'col' }, strings['translation-report-state']),
            h('th', { scope: 'col' }, strings['translation-report-sections'])
          ])
        ]),
        h('tbody', rows)
      ])
    ])
  ]
}
