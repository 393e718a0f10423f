// Recording translated sections in a locale's translation record, section by section (import, confirm) with the rules `translate done` uses for whole chapters.
import type { ChapterText } from '../content/sections.js'
import { recordOf, type ChapterRecord, type TranslationRecord } from '../content/translation-lock.js'

/**
 * Record the sections `ids` of a chapter as translated from the current source. A chapter entry
 * whose every section is then at the current source becomes exactly what `translate done` writes
 * (`recordOf`); a new entry for part of a chapter names the current source version, so its other
 * sections stay untracked or missing. Returns whether the record changed.
 */
export function recordSections(record: TranslationRecord, source: ChapterText, ids: readonly string[]): boolean {
  const before = JSON.stringify(record.chapters[source.id] ?? null)
  const entry: ChapterRecord = record.chapters[source.id] ? { source: record.chapters[source.id]!.source, sections: { ...record.chapters[source.id]!.sections } } : { source: source.hash, sections: {} }
  for (const id of ids) {
    const section = source.sections.find((candidate) => candidate.id === id)
    if (section) entry.sections[id] = section.hash
  }
  const complete = source.sections.every((section) => entry.sections[section.id] === section.hash) && Object.keys(entry.sections).every((id) => source.sections.some((section) => section.id === id))
  record.chapters[source.id] = complete ? recordOf(source) : entry
  return JSON.stringify(record.chapters[source.id]) !== before
}

/** Whether the record of a chapter says its translation matches the current source as a whole. */
export function isCurrent(record: TranslationRecord, source: ChapterText): boolean {
  return JSON.stringify(record.chapters[source.id] ?? null) === JSON.stringify(recordOf(source))
}

/** Sections of a translation whose text (normalized as for hashing) is the source's, words and all: nothing was translated. */
export function identicalSections(source: ChapterText, translation: ChapterText): string[] {
  const byId = new Map(translation.sections.map((section) => [section.id, section]))
  return source.sections.filter((section) => section.words > 0 && byId.get(section.id)?.hash === section.hash).map((section) => section.id)
}
