// The notice a chapter carries in a translated edition (shown from the source, original changed, draft): one decision for every format.
import { format } from '../i18n/strings.js'
import type { Book, Chapter, Edition } from '../model/types.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'

/** What a renderer shows above a chapter. */
export interface ChapterNotice {
  /** `fallback`: the chapter is shown in the source language; `stale`: the original changed since the translation; `draft`: unfinished. */
  kind: 'fallback' | 'stale' | 'draft'
  /** The notice in the edition's language, typeset. */
  text: string
  /** The language of `text`: the edition's, also when the chapter itself is in the source language. */
  lang: string
}

/**
 * The notice of `chapter` in `edition`, or `undefined` when it needs none (the source edition, an
 * up-to-date or untracked translation, a partner edition's own chapter). A release built with
 * `--strict` never gets here with a notice: missing, stale and draft content fail it first.
 */
export function chapterNotice(book: Book, edition: Edition, chapter: Chapter): ChapterNotice | undefined {
  if (edition.isSource) return undefined
  const { strings } = edition
  const lang = edition.locale.tag
  // Languages named as the edition's language names them ("Englisch" in German, "angļu" in
  // Latvian), not by the switcher's labels, which name each language in itself.
  const names = new Intl.DisplayNames([lang], { type: 'language', fallback: 'none' })
  const nameOf = (tag: string) => names.of(tag) ?? book.config.locales.find((locale) => locale.tag === tag)?.label ?? tag
  const notice = (kind: ChapterNotice['kind'], text: string): ChapterNotice => ({ kind, text: typeset(text, lang), lang })
  if (chapter.isFallback) {
    const key = chapter.translation?.state === 'stale' ? 'translation-outdated' : 'not-translated'
    return notice('fallback', format(strings, key, { language: nameOf(lang), source: nameOf(book.sourceLocale) }))
  }
  switch (chapter.translation?.state) {
    case 'stale':
      return notice('stale', format(strings, 'source-changed'))
    case 'draft':
      return notice('draft', format(strings, 'translation-draft'))
    default:
      return undefined
  }
}
