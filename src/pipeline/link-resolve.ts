// Resolving in-book links written for other tools (GitHub, kramdown, Jekyll) to the book's own target ids.
import GithubSlugger from 'github-slugger'
import type { Target } from '../model/types.js'
import { termAnchor } from './data.js'

/** What a link is resolved against. */
export interface LinkScope {
  /** Every id of the edition. */
  targets: ReadonlyMap<string, Target>
  /** The id of the chapter the link is written in. */
  chapter: string
}

/** A link to another chapter file: `name.md`, `./name.md`, `../<locale>/name.md`, with an optional `#fragment`. */
const chapterFile = /^(?:\.\/|\.\.\/[^/#?]+\/)?([^/#?]+)\.(?:md|markdown)(?:#(.*))?$/i

export type LinkResolution =
  /** The link points at this target id. */
  | { id: string }
  /** The link names a chapter file the book does not have. */
  | { missingFile: string; fragment?: string }
  /** The chapter exists (or the link is in-page) but the fragment names nothing in it. */
  | { missingId: string; inChapter?: string }
  /** Not an in-book link form at all. */
  | { unrecognized: true }

function decode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * Resolve `href` (not a URL with a scheme). The forms and the order they are tried in are the
 * book's id scheme, documented in the README ("Ids and links"):
 * an exact id; the chapter-prefixed automatic id `<chapter>--<slug>` (GitHub and kramdown write
 * the slug alone); a glossary entry `term-<id>`; each again with the fragment slugged as GitHub
 * would (a link written as `#Café Society` or with capitals). A fragment in a link to another
 * chapter is looked for in that chapter first.
 */
export function resolveLink(href: string, scope: LinkScope): LinkResolution {
  const { targets } = scope
  if (href.startsWith('#')) {
    const fragment = decode(href.slice(1))
    const id = findFragment(fragment, scope.chapter, targets)
    return id ? { id } : { missingId: fragment }
  }
  const match = chapterFile.exec(href)
  if (!match) return { unrecognized: true }
  const name = decode(match[1]!)
  const fragment = match[2] === undefined || match[2] === '' ? undefined : decode(match[2])
  const chapter = targets.get(name)
  if (!chapter || (chapter.kind !== 'chapter' && chapter.kind !== 'part') || chapter.chapterId !== name) {
    return fragment === undefined ? { missingFile: `${name}.md` } : { missingFile: `${name}.md`, fragment }
  }
  if (fragment === undefined) return { id: name }
  const id = findFragment(fragment, name, targets)
  return id ? { id } : { missingId: fragment, inChapter: name }
}

/** The target id a fragment stands for, looked for in `chapter` first, or `undefined`. */
function findFragment(fragment: string, chapter: string, targets: ReadonlyMap<string, Target>): string | undefined {
  // An exact id is what links written for this tool use: it keeps its meaning.
  const exact = targets.get(fragment)
  if (exact && (exact.chapterId === chapter || !targets.has(`${chapter}--${fragment}`))) return fragment
  const slug = new GithubSlugger().slug(fragment)
  const candidates = [...new Set([fragment, slug])].flatMap((value) => [`${chapter}--${value}`, value, termAnchor(value)])
  // A target in the named chapter wins over one of the same name elsewhere.
  const inChapter = candidates.find((id) => targets.get(id)?.chapterId === chapter)
  if (inChapter) return inChapter
  return candidates.find((id) => targets.has(id))
}
