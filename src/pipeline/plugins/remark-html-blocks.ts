// HTML blocks of other Markdown dialects: `<div markdown="1">` and kin parsed as Markdown, a lone `<img>` checked as an image.
import type { Html, Image, Paragraph, Parent, Root, RootContent } from 'mdast'
import remarkDirective from 'remark-directive'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { visit } from 'unist-util-visit'

export interface Options {
  /** Elements a `markdown="1"` block may keep; others become a `div`. Default: none (always `div`). */
  elements?: readonly string[]
}

const opening = /^<([a-z][a-z0-9]*)\b([^>]*?)\smarkdown\s*=\s*["']?(?:1|block|span)["']?([^>]*)>/i
const loneImage = /^<img\b([^>]*?)\/?>\s*$/i
const attribute = (name: string, attributes: string) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attributes)

/**
 * kramdown and PHP Markdown Extra parse the content of an HTML block marked `markdown="1"` as
 * Markdown; CommonMark keeps it raw. Such a block becomes an element holding parsed Markdown (its
 * `lang` and `dir` kept), so links, emphasis and images in it work. A raw `<img>` alone on its line
 * becomes a Markdown image, so it is checked and copied like one, when `img` is allowed.
 */
export default function remarkHtmlBlocks(options?: Options) {
  const allowed = new Set(options?.elements ?? [])
  return function (tree: Root) {
    visit(tree, (node) => {
      if (!('children' in node)) return
      const parent = node as Parent
      const out: RootContent[] = []
      const children = parent.children as RootContent[]
      for (let index = 0; index < children.length; index++) {
        const child = children[index]!
        if (child.type !== 'html') {
          out.push(child)
          continue
        }
        // Only where handbook.yaml lists `img`: otherwise raw-html removes it with its warning, as before.
        const image = allowed.has('img') ? loneImage.exec(child.value) : null
        if (image) {
          const made = imageFrom(image[1] ?? '', child)
          out.push(parent.type === 'paragraph' ? made : ({ type: 'paragraph', children: [made], position: child.position } as Paragraph))
          continue
        }
        const open = opening.exec(child.value)
        if (!open) {
          out.push(child)
          continue
        }
        const tag = open[1]!.toLowerCase()
        const attributes = `${open[2] ?? ''} ${open[3] ?? ''}`
        const close = new RegExp(`</${tag}\\s*>\\s*$`, 'i')
        const rest = child.value.slice(open[0].length)
        const inner: RootContent[] = []
        let end = child.position?.end
        const restLine = (child.position?.start.line ?? 1) + open[0].split('\n').length - 1
        if (close.test(rest)) inner.push(...parseFragment(rest.replace(close, ''), restLine))
        else {
          if (rest.trim() !== '') inner.push(...parseFragment(rest, restLine))
          // The block ends at a blank line; what follows up to the closing tag was parsed already.
          let closing = index + 1
          while (closing < children.length && !(children[closing]!.type === 'html' && close.test((children[closing] as Html).value))) closing++
          if (closing >= children.length) {
            out.push(child)
            continue
          }
          inner.push(...children.slice(index + 1, closing))
          const last = children[closing] as Html
          const before = last.value.replace(close, '')
          if (before.trim() !== '') inner.push(...parseFragment(before, last.position?.start.line ?? 1))
          end = last.position?.end
          index = closing
        }
        const properties: Record<string, string> = {}
        for (const name of ['lang', 'dir']) {
          const found = attribute(name, attributes)
          const value = found?.[1] ?? found?.[2] ?? found?.[3]
          if (value !== undefined && /^[A-Za-z0-9-]+$/.test(value)) properties[name] = value
        }
        out.push({
          type: 'blockquote',
          data: { hName: allowed.has(tag) ? tag : 'div', hProperties: { ...properties, className: ['markdown-block'] } },
          children: inner,
          position: child.position && end ? { start: child.position.start, end } : child.position
        } as RootContent)
      }
      parent.children = out as Parent['children']
    })
  }
}

function imageFrom(attributes: string, node: Html): Image {
  const value = (name: string) => {
    const found = attribute(name, attributes)
    return found?.[1] ?? found?.[2] ?? found?.[3]
  }
  return { type: 'image', url: value('src') ?? '', alt: value('alt') ?? '', title: value('title') ?? null, position: node.position }
}

const fragmentParser = unified().use(remarkParse).use(remarkGfm).use(remarkDirective)

/** Parse Markdown found inside an HTML node, with positions moved to where it stands in the file. */
function parseFragment(text: string, startLine: number): RootContent[] {
  const tree = fragmentParser.parse(text) as Root
  const lineOffset = startLine - 1
  visit(tree, (inner) => {
    if (!inner.position) return
    inner.position.start = { ...inner.position.start, line: inner.position.start.line + lineOffset, offset: undefined }
    inner.position.end = { ...inner.position.end, line: inner.position.end.line + lineOffset, offset: undefined }
  })
  return tree.children
}
