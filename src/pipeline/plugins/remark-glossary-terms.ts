// Glossary terms in running text: `:term[stakeholders]{#stakeholder}` links to the glossary entry.
import { slug } from 'github-slugger'
import type { Root } from 'mdast'
import type { TextDirective } from 'mdast-util-directive'
import { toString } from 'mdast-util-to-string'
import { visit } from 'unist-util-visit'
import { termAnchor } from '../data.js'

/**
 * Turn `:term[...]` into a link to `#term-<id>`. Whether the entry exists is checked with the
 * other cross-references, once the whole edition is known.
 */
export default function remarkGlossaryTerms() {
  return function (tree: Root) {
    visit(tree, 'textDirective', (node: TextDirective, index, parent) => {
      if (node.name !== 'term' || !parent || index === undefined) return
      const id = node.attributes?.id || slug(toString(node))
      parent.children[index] = {
        type: 'link',
        url: `#${termAnchor(id)}`,
        children: node.children,
        position: node.position,
        data: { hProperties: { className: ['glossary-term'] } }
      }
    })
  }
}
