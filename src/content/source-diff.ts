// What changed in a source chapter since a translation was made: the old version from the kept snapshot (or git), diffed section by section.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { chapterFromRaw, type ChapterText } from './sections.js'
import { diffWords, type DiffHunk } from './text-diff.js'
import { readSnapshot, snapshotPath } from './translation-lock.js'
import type { ChapterStatus, SectionState, TrackedChapter } from './translation-state.js'

export interface SectionChange {
  id: string
  /** The heading text, from the current source (the old one for a removed section). */
  title: string
  /** `changed`: the section exists in both versions; `added`: new in the source; `removed`: gone from it. */
  change: 'changed' | 'added' | 'removed'
  /** The section's state in the translation (`removed` sections: `stale`). */
  state: SectionState
  /** The source text the translation was made from, or `null` for an added section. */
  old: string | null
  /** The source text now, or `null` for a removed section. */
  new: string | null
  hunks: DiffHunk[]
}

/** Where the old source text came from. */
export type OldSource =
  | { kind: 'snapshot'; file: string }
  | { kind: 'git'; commit: string; file: string }
  | { kind: 'unavailable'; reason: string }

export interface ChapterDiff {
  chapter: string
  title: string
  state: SectionState
  /** The recorded source version (hash) and the current one. */
  recorded: string
  source: string
  origin: OldSource
  sections: SectionChange[]
}

/** Split a chapter text (front matter included) into sections, as `status` does. */
function chapterFromText(chapterId: string, raw: string): ChapterText {
  return chapterFromRaw(chapterId, raw).text
}

/**
 * The source chapter as it was when the translation was recorded: the snapshot in the record
 * folder, else the newest git commit of the source file whose text has the recorded hash.
 */
export async function findOldSource(root: string, chapterId: string, recorded: string, sourceFile: string): Promise<{ text: ChapterText | undefined; origin: OldSource }> {
  const kept = await readSnapshot(root, chapterId, recorded)
  if (kept !== undefined) return { text: chapterFromText(chapterId, kept), origin: { kind: 'snapshot', file: path.relative(process.cwd(), snapshotPath(root, chapterId, recorded)) } }
  const fromGit = oldSourceFromGit(chapterId, recorded, path.resolve(sourceFile))
  if (fromGit) return fromGit
  return {
    text: undefined,
    origin: { kind: 'unavailable', reason: `neither \`${path.relative(process.cwd(), snapshotPath(root, chapterId, recorded))}\` nor a git commit of \`${sourceFile}\` has the source version ${recorded}` }
  }
}

function oldSourceFromGit(chapterId: string, recorded: string, absolute: string): { text: ChapterText; origin: OldSource } | undefined {
  const cwd = path.dirname(absolute)
  const git = (args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const prefix = git(['rev-parse', '--show-prefix'])
  if (prefix.status !== 0) return undefined
  const inRepo = `${prefix.stdout.trim()}${path.basename(absolute)}`
  // The last 200 commits of the file are plenty: a record older than that has a snapshot.
  const log = git(['log', '--format=%H', '-n', '200', '--', path.basename(absolute)])
  if (log.status !== 0) return undefined
  for (const commit of log.stdout.split('\n').filter(Boolean)) {
    const show = git(['show', `${commit}:${inRepo}`])
    if (show.status !== 0) continue
    const text = chapterFromText(chapterId, show.stdout.replace(/^\ufeff/, ''))
    if (text.hash === recorded) return { text, origin: { kind: 'git', commit, file: inRepo } }
  }
  return undefined
}

/** The section changes between the old and the current source, with each section's state in the translation. */
export function compareVersions(old: ChapterText, current: ChapterText, status: ChapterStatus): SectionChange[] {
  const oldById = new Map(old.sections.map((section) => [section.id, section]))
  const currentIds = new Set(current.sections.map((section) => section.id))
  const changes: SectionChange[] = []
  for (const section of current.sections) {
    const before = oldById.get(section.id)
    const state = status.sections.find((entry) => entry.id === section.id)?.state ?? 'missing'
    if (!before) changes.push({ id: section.id, title: section.title, change: 'added', state, old: null, new: section.text, hunks: diffWords('', section.text) })
    else if (before.hash !== section.hash) changes.push({ id: section.id, title: section.title, change: 'changed', state, old: before.text, new: section.text, hunks: diffWords(before.text, section.text) })
  }
  for (const section of old.sections) {
    if (!currentIds.has(section.id)) changes.push({ id: section.id, title: section.title, change: 'removed', state: 'stale', old: section.text, new: null, hunks: diffWords(section.text, '') })
  }
  return changes
}

/** The diff of one stale chapter of a translation. */
export async function chapterDiff(root: string, source: TrackedChapter, status: ChapterStatus): Promise<ChapterDiff | undefined> {
  if (status.recorded === null || status.recorded === status.source) return undefined
  const { text, origin } = await findOldSource(root, status.chapter, status.recorded, source.file.path)
  const sections = text ? compareVersions(text, source.text, status) : []
  return { chapter: status.chapter, title: status.title, state: status.state, recorded: status.recorded, source: status.source, origin, sections }
}
