// Raw HTML that would swallow the rest of a chapter: an element left open whose content the HTML parser reads as text (or hides).
import type { Html, Parent, Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { fail } from '../../report/messages.js'

/**
 * Elements whose content the HTML parser does not read as ordinary markup: left open, each takes
 * everything after it (later paragraphs, headings and sections) into itself, since rehype-raw
 * parses all raw HTML of a chapter as one document.
 */
const swallowing = ['textarea', 'noscript', 'style', 'select', 'template', 'plaintext', 'script', 'title', 'xmp', 'iframe', 'noembed', 'noframes']

/** The first element of `swallowing` that `html` opens and does not close, or an unclosed comment. */
export function unclosedRawElement(html: string): string | undefined {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '')
  if (/<!--/.test(withoutComments)) return '<!--'
  for (const name of swallowing) {
    const opens = withoutComments.match(new RegExp(`<${name}(?=[\\s/>]|$)`, 'gi'))?.length ?? 0
    if (opens === 0) continue
    // `<plaintext>` has no end: nothing after it is markup again.
    if (name === 'plaintext') return name
    const closes = withoutComments.match(new RegExp(`</${name}(?=[\\s>]|$)`, 'gi'))?.length ?? 0
    if (closes < opens) return name
  }
  return undefined
}

/**
 * Each HTML block (and the inline HTML of each paragraph) must close what it opens of these
 * elements: one left open is an error, `html-unclosed`, and its HTML is dropped, so the rest of the
 * chapter still parses as written.
 */
export default function remarkRawHtmlBlocks() {
  return function (tree: Root, file: VFile) {
    visit(tree, (node) => {
      if (!('children' in node)) return
      const parent = node as Parent
      const html = parent.children.filter((child): child is Html => child.type === 'html')
      if (html.length === 0) return
      const phrasing = parent.type === 'paragraph' || parent.type === 'heading' || parent.type === 'tableCell' || parent.type === 'emphasis' || parent.type === 'strong' || parent.type === 'link' || parent.type === 'delete'
      // Block HTML: each node is a block of its own. Inline HTML: the tags of one paragraph together.
      const groups = phrasing ? [html] : html.map((item) => [item])
      for (const group of groups) {
        const name = unclosedRawElement(group.map((item) => item.value).join(''))
        if (!name) continue
        const opening = group.find((item) => unclosedRawElement(item.value) === name) ?? group[0]!
        const what = name === '<!--' ? 'a comment (`<!--` without `-->`)' : `\`<${name}>\``
        const fix = name === '<!--' ? 'end it with `-->`' : name === 'plaintext' ? 'remove it (`<plaintext>` can never be closed)' : `close it with \`</${name}>\` in the same HTML block, or remove it`
        fail(file, `Unclosed ${what} in raw HTML would take in the rest of the chapter: ${fix}`, opening, 'html-unclosed')
        for (const item of group) item.value = ''
      }
    })
  }
}
