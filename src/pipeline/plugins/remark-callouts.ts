// Callouts: `:::note`, `:::exercise[Own title]` ... become boxes with a label in the edition's language.
import type { Paragraph, Root } from 'mdast'
import type { ContainerDirective } from 'mdast-util-directive'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { Strings } from '../../i18n/defaults.js'
import { fail } from '../../report/messages.js'
import { idPattern } from '../data.js'

export const calloutKinds = ['note', 'tip', 'warning', 'exercise', 'objectives', 'case-study', 'checklist'] as const
export type CalloutKind = (typeof calloutKinds)[number]

export interface Options {
  /** Interface strings of the content's language, for the default labels. */
  strings: Strings
}

function isCallout(name: string): name is CalloutKind {
  return (calloutKinds as readonly string[]).includes(name)
}

/** Turn callout container directives into `<div class="callout callout-KIND">` with a title paragraph. */
export default function remarkCallouts(options: Options) {
  const { strings } = options
  return function (tree: Root, file: VFile) {
    visit(tree, 'containerDirective', (node: ContainerDirective) => {
      if (!isCallout(node.name)) return
      const first = node.children[0]
      const hasLabel = first?.type === 'paragraph' && first.data?.directiveLabel === true
      const title: Paragraph = hasLabel
        ? (first as Paragraph)
        : { type: 'paragraph', children: [{ type: 'text', value: strings[`callout.${node.name}`] }] }
      title.data = { ...title.data, hProperties: { className: ['callout-title'] } }
      if (!hasLabel) node.children.unshift(title)
      const className = ['callout', `callout-${node.name}`]
      const extra = node.attributes?.class
      if (extra) className.push(...extra.split(/\s+/).filter(Boolean))
      const properties: import('hast').Properties = { className }
      const id = node.attributes?.id
      // An id lands in every edition's markup: XML (EPUB) allows no space or other odd character in one.
      if (id && !idPattern.test(id)) fail(file, `Invalid callout id \`${id}\`: use lowercase letters, digits and hyphens, like \`{#first-exercise}\``, node, 'id-invalid')
      else if (id) properties.id = id
      node.data = { ...node.data, hName: node.name === 'note' || node.name === 'tip' || node.name === 'warning' ? 'aside' : 'div', hProperties: properties }
    })
  }
}
