// Cross-references and links, resolved once the whole edition is known: `[](#id)` gets its text.
import path from 'node:path'
import type { Element, Root, Text } from 'hast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { StringKey, Strings } from '../../i18n/defaults.js'
import { format } from '../../i18n/strings.js'
import type { Target } from '../../model/types.js'
import { fail as report } from '../../report/messages.js'
import { resolveLink } from '../link-resolve.js'

export interface Options {
  /** Every id of the edition. */
  targets: ReadonlyMap<string, Target>
  /** Interface strings of the content's language. */
  strings: Strings
  /** Ids an unclosed block hid (`Chapter.swallowedIds`): links to them are not reported again. */
  swallowed?: ReadonlySet<string>
}

const scheme = /^([a-z][a-z0-9+.-]*):/i
const safeSchemes = new Set(['http', 'https', 'mailto', 'tel'])

/**
 * Check every link. In-book links end up as `#id` (renderers map them to their files);
 * an empty link text becomes "Figure 2.1", "chapter 3, Title", ... in the content's language.
 */
export default function rehypeXref(options: Options) {
  const { targets, strings } = options
  const hidden = options.swallowed ?? new Set<string>()
  return function (tree: Root, file: VFile) {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return
      // Footnote references and back-references are made by remark-rehype and always resolve.
      if (node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined) return
      const href = node.properties.href
      const isTerm = Array.isArray(node.properties.className) && node.properties.className.includes('glossary-term')
      const schemeMatch = scheme.exec(href)
      if (schemeMatch) {
        if (!safeSchemes.has(schemeMatch[1]!.toLowerCase())) {
          report(file, `Unexpected link \`${href}\`: only http, https, mailto and tel links are allowed`, node, 'link-unsafe')
          node.properties.href = undefined
        }
        return
      }
      const resolved = resolveLink(href, { targets, chapter: file.data.chapter?.id ?? '' })
      // Inside text an unclosed directive swallowed, a broken link is a follow-on of that one error.
      const swallowed = file.data.swallowedFrom !== undefined && (node.position?.start.line ?? 0) > file.data.swallowedFrom
      const fail = swallowed ? () => undefined : report
      if ('unrecognized' in resolved) {
        if (leavesRoot(href, file)) {
          fail(file, `Unexpected link \`${href}\` to a file outside the handbook folder: link a chapter as \`name.md\` or a web page by its full URL`, node, 'link-outside-root')
        } else {
          fail(
            file,
            `Cannot resolve link \`${href}\`: link a chapter as \`name.md\` or \`name.md#id\`, a place in the book as \`#id\`, or a web page by its full URL`,
            node,
            'link-unresolved'
          )
        }
        markBroken(node, href)
        return
      }
      if ('missingFile' in resolved) {
        fail(
          file,
          `Cannot find \`${resolved.missingFile}\` linked here: no chapter of the book has this file; link an existing chapter (file name without the folder) or list the chapter in \`contents\` of handbook.yaml`,
          node,
          'link-file-missing'
        )
        markBroken(node, href)
        return
      }
      if ('missingId' in resolved) {
        const id = resolved.missingId
        const chapterId = resolved.inChapter ?? file.data.chapter?.id ?? ''
        if (hidden.has(id) || hidden.has(`${chapterId}--${id}`)) {
          // The target exists in the source text, inside a block left open: that block's error says it.
          markBroken(node, href)
          return
        }
        if (isTerm) {
          const termId = id.replace(/^term-/, '')
          fail(
            file,
            `Cannot find glossary entry \`${termId}\`: add \`## Term {#${termId}}\` to the glossary, or point the term at an entry with \`:term[text]{#id}\``,
            node,
            'term-unresolved'
          )
        } else {
          const suggestion = nearest(id, targets)
          const where = resolved.inChapter ? ` in \`${resolved.inChapter}.md\`` : ''
          fail(
            file,
            `Cannot resolve cross-reference \`#${id}\`${where}: no chapter, section, figure or table has this id` +
              (suggestion ? `; did you mean \`#${suggestion}\`?` : '; add `{#' + id + '}` to the target or fix the id'),
            node,
            'xref-unresolved'
          )
        }
        markBroken(node, href)
        return
      }
      const id = resolved.id
      const target = targets.get(id)!
      node.properties.href = `#${id}`
      if (node.children.length === 0) {
        const text: Text = { type: 'text', value: label(target, strings, caseAfter(parent, index, strings)) }
        node.children = [text]
        node.properties.className = [...classNames(node), 'xref', `xref-${target.kind}`]
      }
    })
  }
}

/**
 * Mark a link that leads nowhere, visibly in every format (like Quarto's `?@fig-x`): the link
 * becomes a `span.link-broken` with its text, or `?` and the target when it had none.
 */
function markBroken(node: Element, href: string): void {
  node.tagName = 'span'
  node.properties = { className: ['link-broken'], title: href }
  if (node.children.length === 0) node.children = [{ type: 'text', value: `?${href}` }]
  else node.children.push({ type: 'text', value: '\u00a0[?]' })
}

/** Whether a relative or absolute path link points out of the handbook folder. */
function leavesRoot(href: string, file: VFile): boolean {
  const target = decode(href.split(/[?#]/)[0] ?? href).replace(/\\/g, '/')
  if (target.startsWith('/') || /^[a-z]:/i.test(target)) return true
  const chapter = file.data.chapter
  if (!chapter) return target.split('/').includes('..')
  const relative = path.relative(path.resolve(chapter.root), path.resolve(path.dirname(chapter.sourcePath), target))
  return relative.startsWith('..') || path.isAbsolute(relative)
}

function classNames(node: Element): string[] {
  const value = node.properties.className
  return Array.isArray(value) ? value.map(String) : []
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** The text of a cross-reference with empty link text, in `grammaticalCase` where the locale has it. */
export function label(target: Target, strings: Strings, grammaticalCase?: string): string {
  const values = { number: target.number ?? '', title: target.title }
  const key = (): StringKey | undefined => {
    switch (target.kind) {
      case 'figure':
        return 'xref.figure'
      case 'table':
        return 'xref.table'
      case 'part':
        return 'xref.part'
      case 'term':
        return undefined
      case 'chapter':
        return target.number === null ? 'xref.unnumbered' : 'xref.chapter'
      case 'section':
        return target.number === null ? 'xref.unnumbered' : 'xref.section'
    }
  }
  const chosen = key()
  return chosen ? format(strings, chosen, values, grammaticalCase) : target.title
}

/**
 * The grammatical case a cross-reference at `parent.children[index]` takes: the case whose
 * words (`forms.after` of the strings) end the text just before it, as "sk." does in Latvian.
 */
export function caseAfter(parent: Root | Element | undefined, index: number | undefined, strings: Strings): string | undefined {
  const after = strings.forms?.after
  if (!after || !parent || index === undefined || index === 0) return undefined
  const previous = parent.children[index - 1]
  if (previous?.type !== 'text') return undefined
  const before = previous.value.replace(/[\s\u00a0]+$/u, '').toLocaleLowerCase()
  for (const [grammaticalCase, words] of Object.entries(after)) {
    for (const word of words) {
      const lower = word.toLocaleLowerCase()
      if (!before.endsWith(lower)) continue
      // A whole word: "sk." and "(sk.", not "risk.".
      const preceding = before.slice(0, before.length - lower.length)
      if (preceding === '' || /[\s\p{P}]$/u.test(preceding)) return grammaticalCase
    }
  }
  return undefined
}

/**
 * Give the generated cross-references of a chapter shown from another language the edition's
 * words and titles: a German edition's English fallback chapter reads "Kapitel 1, <German
 * title> auf Seite 19", with `lang` on the link, not "chapter 1, <English title> auf Seite 19".
 * Returns a new tree; `tree` (shared with the source edition) is left alone.
 */
export function relabel(tree: Root, targets: ReadonlyMap<string, Target>, strings: Strings, lang: string | undefined): Root {
  const copy = structuredClone(tree)
  visit(copy, 'element', (node: Element) => {
    if (node.tagName !== 'a' || typeof node.properties.href !== 'string' || !classNames(node).includes('xref')) return
    const target = targets.get(node.properties.href.slice(1))
    if (!target) return
    node.children = [{ type: 'text', value: label(target, strings) }]
    if (lang) node.properties.lang = lang
  })
  return copy
}

/** An id close to `id`, for "did you mean". */
function nearest(id: string, targets: ReadonlyMap<string, Target>): string | undefined {
  let best: string | undefined
  let bestScore = 0
  for (const candidate of targets.keys()) {
    if (candidate.includes('--') || candidate.startsWith('term-')) continue
    const score = commonBigrams(id, candidate)
    if (score > bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return bestScore >= 0.6 ? best : undefined
}

function commonBigrams(a: string, b: string): number {
  const grams = (text: string) => new Set(Array.from({ length: Math.max(0, text.length - 1) }, (_, index) => text.slice(index, index + 2)))
  const left = grams(a)
  const right = grams(b)
  if (left.size === 0 || right.size === 0) return 0
  let shared = 0
  for (const gram of left) if (right.has(gram)) shared++
  return (2 * shared) / (left.size + right.size)
}
