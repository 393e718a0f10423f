// Heading ids: `{#id}` after the heading text, otherwise a slug prefixed with the chapter id.
import GithubSlugger from 'github-slugger'
import type { Heading, Root, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { idPattern, type HeadingInfo } from '../data.js'
import { typeset } from './remark-typography.js'
import { fail, warn } from '../../report/messages.js'

// Anything in `{#...}` is taken as meant for an id, so an invalid one is reported, not printed in the heading.
const explicitId = /[ \t]*\{#([^}]*)\}[ \t]*$/

/** Set `id` on every heading and record the headings on `file.data.headings`. */
export default function remarkHeadingIds() {
  return function (tree: Root, file: VFile) {
    const chapter = file.data.chapter!
    const slugger = new GithubSlugger()
    const headings: HeadingInfo[] = []
    let sectionCount = 0
    visit(tree, 'heading', (node: Heading) => {
      const id = takeExplicitId(node, file)
      // The text as the edition shows it: typographic quotes, as the typography plugin will set them.
      const text = typeset(toString(node).trim(), chapter.locale)
      if (node.depth === 1) {
        warn(
          file,
          'Unexpected level-1 heading: the chapter title comes from the front matter `title`; use `##` for sections',
          node,
          'heading-level'
        )
      }
      const finalId = id ?? `${chapter.id}--${slugger.slug(text) || 'section'}`
      if (id) slugger.slug(id) // keep later auto slugs from reusing an explicit id
      if (node.depth === 2) sectionCount++
      const number = node.depth === 2 && chapter.number !== null && chapter.kind === 'chapter' ? `${chapter.number}.${sectionCount}` : null
      node.data = { ...node.data, hProperties: { ...(node.data?.hProperties ?? {}), id: finalId } }
      headings.push({ depth: node.depth, id: finalId, text, number, explicit: id !== undefined, position: node.position })
      // Show the number that cross-references and the contents use ("section 2.3").
      if (number !== null) {
        node.children.unshift(
          { type: 'emphasis', data: { hName: 'span', hProperties: { className: ['section-number'] } }, children: [{ type: 'text', value: number }] },
          { type: 'text', value: ' ' }
        )
      }
    })
    file.data.headings = headings
  }
}

/** Remove a trailing `{#id}` from the heading's last text node and return the id. */
function takeExplicitId(node: Heading, file: VFile): string | undefined {
  const last = node.children.at(-1)
  if (!last || last.type !== 'text') return undefined
  const match = explicitId.exec(last.value)
  if (!match) return undefined
  const id = match[1] ?? ''
  ;(last as Text).value = last.value.slice(0, match.index)
  if (!idPattern.test(id)) {
    fail(file, `Invalid heading id \`${id}\`: it is left out of the heading; use lowercase letters, digits and hyphens, like \`{#project-phases}\``, node, 'id-invalid')
    return undefined
  }
  return id
}
