// Definition lists of kramdown and PHP Markdown Extra (`Term` then `: definition`) as `dl`/`dt`/`dd`.
import type { Paragraph, PhrasingContent, Root, RootContent } from 'mdast'
import { visit } from 'unist-util-visit'

type Line = PhrasingContent[]

/**
 * A paragraph whose first line is a term and that has lines starting with `: ` is a definition
 * list: lines before the first `: ` line are terms, each `: ` line starts a definition, other
 * lines continue the definition before them. Lists separated only by blank lines join into one.
 */
export default function remarkDefinitionLists() {
  return function (tree: Root) {
    visit(tree, (node) => {
      if (!('children' in node) || node.type === 'paragraph' || node.type === 'heading') return undefined
      const children = node.children as RootContent[]
      const out: RootContent[] = []
      for (const child of children) {
        const list = child.type === 'paragraph' ? toDefinitionList(child) : undefined
        if (!list) {
          out.push(child)
          continue
        }
        const previous = out.at(-1)
        if (previous && previous.type === 'paragraph' && previous.data && (previous.data as { definitionList?: boolean }).definitionList) {
          ;(previous as unknown as Paragraph).children.push(...((list as Paragraph).children))
          if (previous.position && list.position) previous.position.end = list.position.end
        } else out.push(list)
      }
      ;(node as { children: RootContent[] }).children = out
      return undefined
    })
  }
}

/** The `dl` for `paragraph`, or `undefined` when it is no definition list. */
function toDefinitionList(paragraph: Paragraph): RootContent | undefined {
  const lines = splitLines(paragraph.children)
  if (lines.length < 2 || startsWithColon(lines[0]!)) return undefined
  const firstDefinition = lines.findIndex(startsWithColon)
  if (firstDefinition < 1) return undefined
  const items: RootContent[] = []
  for (const line of lines.slice(0, firstDefinition)) items.push(element('dt', trim(line)))
  let current: PhrasingContent[] | undefined
  for (const line of lines.slice(firstDefinition)) {
    if (startsWithColon(line)) {
      current = trim(dropColon(line))
      items.push(element('dd', current))
    } else current!.push({ type: 'text', value: ' ' }, ...trim(line))
  }
  // A paragraph node carrying `dl` as its element: mdast has no definition lists, remark-rehype follows `hName`.
  return {
    type: 'paragraph',
    data: { hName: 'dl', hProperties: { className: ['definition-list'] }, definitionList: true } as Paragraph['data'],
    children: items as unknown as PhrasingContent[],
    position: paragraph.position
  }
}

function element(name: 'dt' | 'dd', children: PhrasingContent[]): RootContent {
  return { type: 'emphasis', data: { hName: name }, children } as RootContent
}

/** Split inline content at the line breaks inside its text nodes. */
function splitLines(children: readonly PhrasingContent[]): Line[] {
  const lines: Line[] = [[]]
  for (const child of children) {
    if (child.type !== 'text' || !child.value.includes('\n')) {
      lines.at(-1)!.push(child)
      continue
    }
    const parts = child.value.split('\n')
    parts.forEach((part, index) => {
      if (index > 0) lines.push([])
      if (part !== '') lines.at(-1)!.push({ type: 'text', value: part })
    })
  }
  return lines.filter((line) => line.length > 0)
}

function startsWithColon(line: Line): boolean {
  const first = line[0]
  return first?.type === 'text' && /^:[ \t]/.test(first.value)
}

function dropColon(line: Line): Line {
  const [first, ...rest] = line
  return [{ type: 'text', value: (first as { value: string }).value.replace(/^:[ \t]+/, '') }, ...rest]
}

function trim(line: Line): Line {
  const copy = [...line]
  const first = copy[0]
  if (first?.type === 'text') copy[0] = { ...first, value: first.value.replace(/^[ \t]+/, '') }
  const last = copy.at(-1)
  if (last?.type === 'text') copy[copy.length - 1] = { ...last, value: last.value.replace(/[ \t]+$/, '') }
  return copy
}
