// The exchange model of a locale: every translatable unit with its source, its current translation (when it lines up), its state from the section tracking, and the old source of stale ones.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isScalar, parseDocument, type Scalar } from 'yaml'
import type { Config } from '../config/schema.js'
import { planContents } from '../content/contents-plan.js'
import { chapterFromRaw } from '../content/sections.js'
import { readRecord, readSnapshot, type TranslationRecord } from '../content/translation-lock.js'
import { compareChapter, readTrackedChapter, type SectionState } from '../content/translation-state.js'
import { stringKeys } from '../i18n/defaults.js'
import { loadStrings } from '../i18n/strings.js'
import {
  alignByCode,
  alignCodes,
  flatten,
  frontSegments,
  matchSegmentedSections,
  partsMarkdown,
  sameStructure,
  segmentChapter,
  stringParts,
  type Part,
  type Segment,
  type SegmentKind,
  type SegmentedChapter,
  type SegmentedSection
} from './segments.js'

/** XLIFF 1.2 states used here; PO has translated (final, translated), fuzzy (needs-review) and untranslated (new). */
export type UnitState = 'final' | 'translated' | 'needs-review-translation' | 'new'

export interface Unit {
  id: string
  kind: SegmentKind
  /** The chapter id, or `strings`. */
  group: string
  /** The section id (the key for a string). */
  section: string
  source: Part[]
  /** The current translation as a target, when it lines up with the source. */
  target?: Part[]
  state: UnitState
  /** Notes for the translator (why a target is missing, why it needs review). */
  notes: string[]
  /** The source text the translation was made from, for a stale section. */
  previous?: string
  /** `en/introduction.md:17`, relative to the handbook folder. */
  location: string
}

export interface UnitGroup {
  /** The chapter id, or `strings`. */
  id: string
  /** The source file, relative to the handbook folder (`en/introduction.md`, `strings/en.yaml`). */
  original: string
  title: string
  units: Unit[]
}

export interface LocaleUnits {
  sourceLocale: string
  locale: string
  groups: UnitGroup[]
}

/** Unit states that count as translated: a section whose units all have one is recorded as done. */
export function isTranslatedState(state: string | undefined): boolean {
  return state === undefined || state === 'translated' || state === 'final' || state === 'signed-off'
}

/** The chapter of a locale as segments, when its file exists and can be read. */
export async function readSegmented(root: string, locale: string, chapterId: string): Promise<{ chapter: SegmentedChapter; raw: string } | undefined> {
  const tracked = await readTrackedChapter(path.join(root, locale, `${chapterId}.md`), chapterId, root)
  if (!tracked || tracked.unreadable) return undefined
  return { chapter: segmentChapter(chapterId, tracked.raw), raw: tracked.raw }
}

/** Body and front matter segments of a section, front matter first. */
export function sectionSegments(chapter: SegmentedChapter, section: SegmentedSection): Segment[] {
  return section === chapter.sections[0] ? [...frontSegments(chapter), ...section.segments] : section.segments
}

const stateNote: Partial<Record<SectionState, string>> = {
  untracked: 'The translation is there, but no record says which source version it was made from: review it against the source.',
  draft: 'The chapter is marked as a draft: review the translation against the source.'
}

/** Build the units of one chapter for a locale. */
export async function chapterUnits(root: string, sourceLocale: string, locale: string, chapterId: string, record: TranslationRecord): Promise<UnitGroup | undefined> {
  const source = await readSegmented(root, sourceLocale, chapterId)
  if (!source) return undefined
  const translation = await readSegmented(root, locale, chapterId)
  const sourceText = chapterFromRaw(chapterId, source.raw).text
  const translationText = translation ? chapterFromRaw(chapterId, translation.raw).text : undefined
  const status = compareChapter(sourceText, translationText, record.chapters[chapterId], null)
  const matched = translation ? matchSegmentedSections(source.chapter.sections, translation.chapter.sections) : []
  // The source as it was when the translation was recorded, for stale sections.
  const recorded = record.chapters[chapterId]
  const oldRaw = recorded && recorded.source !== sourceText.hash ? await readSnapshot(root, chapterId, recorded.source) : undefined
  const old = oldRaw !== undefined ? segmentChapter(chapterId, oldRaw) : undefined
  const sourceFile = `${sourceLocale}/${chapterId}.md`
  const units: Unit[] = []
  source.chapter.sections.forEach((section, index) => {
    const state = status.sections[index]!.state
    const own = matched[index]
    const sourceSegments = sectionSegments(source.chapter, section)
    const aligned = own !== undefined && sameStructure(section, own)
    const ownFront = own && translation && own === translation.chapter.sections[0] ? frontSegments(translation.chapter) : []
    const oldSection = old?.sections.find((candidate) => candidate.id === section.id)
    const oldSegments = oldSection && old ? sectionSegments(old, oldSection) : undefined
    const oldAligned = oldSection !== undefined && sameStructure(section, oldSection)
    for (const segment of sourceSegments) {
      const unit: Unit = { id: segment.id, kind: segment.kind, group: chapterId, section: section.id, source: segment.parts, state: 'new', notes: [], location: `${sourceFile}:${segment.line}` }
      units.push(unit)
      if (state === 'missing' || !own) {
        continue
      }
      let existing: Part[] | undefined
      const frontKey = ['title', 'short-title', 'description'].includes(segment.kind) ? segment.kind : undefined
      if (frontKey) {
        existing = ownFront.find((candidate) => candidate.kind === frontKey)?.parts
        if (!existing) continue
      } else if (!aligned) {
        unit.notes.push(`The translation of section \`${section.id}\` is structured differently from the source (${own.segments.length} segments instead of ${section.segments.length}), so its text is not offered here: a translation of every segment of the section replaces it.`)
        continue
      } else {
        const position = section.segments.indexOf(segment)
        const ownSegment = own.segments[position]!
        existing = alignCodes(segment.parts, ownSegment.parts)
        if (!existing) {
          unit.notes.push(`The existing translation (${translation!.chapter.id}.md line ${ownSegment.line}) has other markup than the source (${flatten(ownSegment.parts)}), so it is not offered here: translate the segment anew, keeping the source's codes.`)
          continue
        }
      }
      // A draft copied from the source is not a translation.
      if ((state === 'draft' || state === 'untracked') && partsMarkdown(existing) === partsMarkdown(segment.parts)) continue
      unit.target = existing
      if (state === 'current') unit.state = 'final'
      else if (state === 'stale') {
        const before = oldAligned || frontKey ? oldSegments?.find((candidate) => candidate.id === segment.id) : undefined
        // Every segment of a stale section is reviewed: even when its own text did not change, the
        // markup around it may have (a numbered list became bullets), and the record is per section.
        unit.state = 'needs-review-translation'
        if (before && flatten(before.parts) !== flatten(segment.parts)) unit.previous = flatten(before.parts)
        else if (before) unit.notes.push(`This segment's source did not change, but others of section \`${section.id}\` or the markup around them did: confirm the translation (see \`handbook status --diff\`).`)
        else if (oldSection && old) unit.notes.push(`The source of section \`${section.id}\` changed since it was translated; it was:\n${old.text.slice(oldSection.start, oldSection.end).trim()}`)
        else if (old && !oldSection) unit.notes.push(`Section \`${section.id}\` is new in the source since the translation was recorded.`)
        else unit.notes.push(`The source of section \`${section.id}\` changed since it was translated; the old source text is not kept.`)
      } else {
        unit.state = 'needs-review-translation'
        const note = stateNote[state]
        if (note) unit.notes.push(note)
      }
    }
  })
  const title = source.chapter.sections[0]?.front.get('title')?.value ?? chapterId
  return { id: chapterId, original: sourceFile, title, units }
}

/** The interface strings as units: the source locale's text, the locale's own file as targets. */
export async function stringUnits(root: string, sourceLocale: string, locale: string): Promise<UnitGroup> {
  const { strings } = await loadStrings(root, sourceLocale, sourceLocale)
  const own = await readStringsFile(root, locale)
  const units: Unit[] = stringKeys.map((key) => {
    const source = stringParts(strings[key])
    const unit: Unit = { id: `strings/${key}`, kind: 'string', group: 'strings', section: key, source, state: 'new', notes: [], location: `strings/${sourceLocale}.yaml` }
    const value = own.values.get(key)
    if (value !== undefined) {
      const target = alignByCode(source, stringParts(value.value))
      if (target) {
        unit.target = target
        // Interface strings have no record of the source version: translated, not final.
        unit.state = 'translated'
      } else {
        unit.notes.push(`The existing translation has other placeholders than the source: ${value.value}`)
      }
    }
    return unit
  })
  return { id: 'strings', original: `strings/${sourceLocale}.yaml`, title: 'Interface strings', units }
}

export interface StringsFile {
  text: string
  exists: boolean
  values: Map<string, { value: string; start: number; end: number; plain: boolean }>
}

/** A locale's strings file with the place of every value, for splicing. */
export async function readStringsFile(root: string, locale: string): Promise<StringsFile> {
  let text: string
  try {
    text = await readFile(path.join(root, 'strings', `${locale}.yaml`), 'utf8')
  } catch {
    return { text: '', exists: false, values: new Map() }
  }
  const values = new Map<string, { value: string; start: number; end: number; plain: boolean }>()
  const document = parseDocument(text)
  if (document.errors.length === 0 && isMap(document.contents)) {
    for (const pair of document.contents.items) {
      if (!isScalar(pair.key) || !isScalar(pair.value)) continue
      const scalar = pair.value as Scalar
      if (!scalar.range || (typeof scalar.value !== 'string' && typeof scalar.value !== 'number')) continue
      values.set(String(pair.key.value), { value: String(scalar.value), start: scalar.range[0], end: scalar.range[1], plain: scalar.type === 'PLAIN' })
    }
  }
  return { text, exists: true, values }
}

/** Every unit of a locale: the chapters asked for (all by default), then the interface strings when no chapter is named. */
export async function localeUnits(root: string, config: Config, locale: string, chapters: readonly string[]): Promise<LocaleUnits> {
  const sourceLocale = config['source-locale']
  const { record } = await readRecord(root, locale, sourceLocale)
  const ids = chapters.length > 0 ? chapters : planContents(config).map((entry) => entry.id)
  const groups: UnitGroup[] = []
  for (const id of ids) {
    const group = await chapterUnits(root, sourceLocale, locale, id, record)
    if (group) groups.push(group)
  }
  if (chapters.length === 0) groups.push(await stringUnits(root, sourceLocale, locale))
  return { sourceLocale, locale, groups }
}
