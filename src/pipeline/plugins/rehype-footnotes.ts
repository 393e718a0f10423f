// Footnotes: ids unique in the whole book, and the notes recorded for renderers.
import type { Element, Root } from 'hast'
import { toString } from 'hast-util-to-string'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { FootnoteInfo } from '../data.js'

/** The prefix remark-rehype is told to put on footnote ids; replaced here by the chapter's. */
export const footnotePrefix = 'user-content-'

/**
 * remark-rehype gives every chapter the same footnote ids (`fn-1`, `footnote-label`);
 * prefix them with the chapter id so chapters can be joined into one document.
 */
export default function rehypeFootnotes() {
  return function (tree: Root, file: VFile) {
    const chapter = file.data.chapter!
    const rename = (value: string) =>
      value === 'footnote-label' ? `${chapter.id}--footnote-label` : value.startsWith(footnotePrefix) ? `${chapter.id}--${value.slice(footnotePrefix.length)}` : value
    const footnotes: FootnoteInfo[] = []
    visit(tree, 'element', (node: Element) => {
      const { properties } = node
      if (typeof properties.id === 'string') properties.id = rename(properties.id)
      if (typeof properties.href === 'string' && properties.href.startsWith('#')) properties.href = '#' + rename(properties.href.slice(1))
      if (Array.isArray(properties.ariaDescribedBy)) properties.ariaDescribedBy = properties.ariaDescribedBy.map((value) => rename(String(value)))
      if (node.tagName === 'section' && properties.dataFootnotes !== undefined) {
        visit(node, 'element', (item: Element) => {
          if (item.tagName === 'li' && typeof item.properties.id === 'string') {
            footnotes.push({ id: rename(item.properties.id), label: toString(item).replace(/\s*↩\S*\s*$/u, '').trim() })
          }
        })
      }
    })
    file.data.footnotes = footnotes
  }
}
