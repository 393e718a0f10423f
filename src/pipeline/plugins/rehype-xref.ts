// Cross-references and links, resolved once the whole edition is known: `[](#id)` gets its text.
import path from 'node:path'
import type { Element, Root, Text } from 'hast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { Strings } from '../../i18n/defaults.js'
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
    visit(tree, 'element', (node: Element) => {
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
        const text: Text = { type: 'text', value: label(target, strings) }
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

/** The text of a cross-reference with empty link text. */
export function label(target: Target, strings: Strings): string {
  const values = { number: target.number ?? '', title: target.title }
  switch (target.kind) {
    case 'figure':
      return format(strings, 'xref.figure', values)
    case 'table':
      return format(strings, 'xref.table', values)
    case 'part':
      return format(strings, 'xref.part', values)
    case 'term':
      return target.title
    case 'chapter':
      return format(strings, target.number === null ? 'xref.unnumbered' : 'xref.chapter', values)
    case 'section':
      return format(strings, target.number === null ? 'xref.unnumbered' : 'xref.section', values)
  }
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
