// The glossary chapter: its `##` entries become a definition list sorted by the language's collation.
import type { Element, ElementContent, Root, RootContent } from 'hast'
import { toString } from 'hast-util-to-string'
import type { VFile } from 'vfile'
import { termAnchor, type TermInfo } from '../data.js'
import { fail } from '../../report/messages.js'

interface Entry {
  term: TermInfo
  heading: Element
  definition: ElementContent[]
}

/** In a `kind: glossary` chapter, turn each `## Term {#id}` and its text into `<dt id="term-id">`/`<dd>`. */
export default function rehypeGlossary() {
  return function (tree: Root, file: VFile) {
    const chapter = file.data.chapter!
    if (chapter.kind !== 'glossary') return
    const headings = file.data.headings ?? []
    const intro: RootContent[] = []
    const after: RootContent[] = []
    const entries: Entry[] = []
    for (const node of tree.children) {
      if (node.type === 'element' && node.tagName === 'h2') {
        const info = headings.find((heading) => heading.id === node.properties.id)
        if (info && !info.explicit) {
          fail(file, `Missing id on glossary entry \`${info.text}\`: write \`## ${info.text} {#term-id}\` so the text can link to it`, node, 'glossary-id-missing')
        }
        const id = String(node.properties.id)
        entries.push({ term: { id, term: toString(node), position: node.position }, heading: node, definition: [] })
      } else if (node.type === 'element' && node.tagName === 'section' && node.properties.dataFootnotes !== undefined) {
        after.push(node)
      } else if (entries.length > 0) {
        if (node.type !== 'doctype') entries.at(-1)!.definition.push(node)
      } else intro.push(node)
    }
    const collator = new Intl.Collator(chapter.locale, { sensitivity: 'base', numeric: true })
    entries.sort((a, b) => collator.compare(a.term.term, b.term.term))
    const list: Element = {
      type: 'element',
      tagName: 'dl',
      properties: { className: ['glossary'] },
      children: entries.flatMap((entry): Element[] => [
        { type: 'element', tagName: 'dt', properties: { id: termAnchor(entry.term.id) }, children: entry.heading.children, position: entry.heading.position },
        { type: 'element', tagName: 'dd', properties: {}, children: entry.definition.filter((child) => !(child.type === 'text' && child.value.trim() === '')) }
      ])
    }
    tree.children = [...intro, list, ...after]
    // Entries are terms, not sections: they leave the chapter's outline.
    file.data.headings = headings.filter((heading) => heading.depth < 2)
    file.data.terms = entries.map((entry) => entry.term)
  }
}
