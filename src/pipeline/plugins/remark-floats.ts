// Figures and tables: `:::figure[caption]{#id}` and `:::table[caption]{#id}`, numbered per chapter.
import type { Paragraph, PhrasingContent, Root, RootContent } from 'mdast'
import type { ContainerDirective } from 'mdast-util-directive'
import { toString } from 'mdast-util-to-string'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { format } from '../../i18n/strings.js'
import type { Strings } from '../../i18n/defaults.js'
import { idPattern, type FloatInfo } from '../data.js'
import { fail } from '../../report/messages.js'
import { typeset } from './remark-typography.js'

export interface Options {
  /** Interface strings of the content's language, for "Figure 2.1". */
  strings: Strings
}

/**
 * Number figures and tables, give them ids and captions, and record them on `file.data.floats`.
 * A figure holds one image; a table directive holds one GFM table.
 */
export default function remarkFloats(options: Options) {
  const { strings } = options
  return function (tree: Root, file: VFile) {
    const chapter = file.data.chapter!
    const floats: FloatInfo[] = []
    const counters = { figure: 0, table: 0 }
    visit(tree, 'containerDirective', (node: ContainerDirective) => {
      if (node.name !== 'figure' && node.name !== 'table') return
      const kind = node.name
      const label = node.children[0]?.type === 'paragraph' && node.children[0].data?.directiveLabel ? (node.children.shift() as Paragraph) : undefined
      const body = node.children
      const count = ++counters[kind]
      const number = chapter.number === null ? String(count) : `${chapter.number}.${count}`
      let id = node.attributes?.id ?? undefined
      if (id !== undefined && !idPattern.test(id)) {
        fail(file, `Invalid ${kind} id \`${id}\`: use lowercase letters, digits and hyphens, like \`{#fig-life-cycle}\``, node, 'id-invalid')
        id = undefined
      }
      id ??= `${chapter.id}--${kind}-${count}`
      if (!label) fail(file, `Missing caption: write it in brackets, like \`:::${kind}[What the ${kind} shows]{#${id}}\``, node, 'caption-missing')

      const labelText = format(strings, kind === 'figure' ? 'figure-label' : 'table-label', { number })
      const captionChildren: PhrasingContent[] = [
        { type: 'emphasis', data: { hName: 'span', hProperties: { className: ['float-label'] } }, children: [{ type: 'text', value: labelText }] },
        { type: 'text', value: ' ' },
        ...(label?.children ?? [])
      ]
      const caption: Paragraph = { type: 'paragraph', children: captionChildren, data: { hName: kind === 'figure' ? 'figcaption' : 'caption' } }

      if (kind === 'figure') {
        const image = soleImage(body)
        if (!image) fail(file, 'Expected exactly one image in a figure: `![alt text](../assets/name.svg)`', node, 'figure-invalid')
        node.data = { hName: 'figure', hProperties: { id, className: ['figure'] } }
        node.children = [...(image ? [image] : body), caption] as ContainerDirective['children']
      } else {
        const tables = body.filter((child) => child.type === 'table')
        if (tables.length !== 1 || body.length !== 1) fail(file, 'Expected exactly one table (GitHub table syntax) in a `:::table` block', node, 'table-invalid')
        node.data = { hName: 'div', hProperties: { className: ['table-float'], dataTableId: id } }
        node.children = [caption, ...body] as ContainerDirective['children']
      }
      floats.push({ kind, id, number, caption: label ? typeset(toString(label), chapter.locale) : '', position: node.position })
    })
    file.data.floats = floats
  }
}

/** The image of a figure body made of one paragraph holding one image. */
function soleImage(body: readonly RootContent[]): RootContent | undefined {
  if (body.length !== 1) return undefined
  const paragraph = body[0]
  if (paragraph?.type !== 'paragraph') return undefined
  const content = paragraph.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  return content.length === 1 && content[0]?.type === 'image' ? content[0] : undefined
}
