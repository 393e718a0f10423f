// The unified chain that turns one chapter's Markdown into hast; one processor per content language.
import type { Root as HastRoot } from 'hast'
import type { Root as MdastRoot } from 'mdast'
import remarkDirective from 'remark-directive'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified, type Processor } from 'unified'
import type { VFile } from 'vfile'
import type { RawHtmlConfig } from '../config/schema.js'
import type { Strings } from '../i18n/defaults.js'
import { format } from '../i18n/strings.js'
import { fail } from '../report/messages.js'
import { budgetMessage, scanBudget } from './budget.js'
import type { ParseCache } from './parse-cache.js'
import { maxNesting, maxTreeDepth, scanNesting, treeDepth } from './nesting.js'
import remarkCallouts, { calloutKinds } from './plugins/remark-callouts.js'
import remarkDialectChecks from './plugins/remark-dialect-checks.js'
import remarkDefinitionLists from './plugins/remark-definition-lists.js'
import remarkHtmlBlocks from './plugins/remark-html-blocks.js'
import remarkTemplateTags from './plugins/remark-template-tags.js'
import remarkDirectiveFallback from './plugins/remark-directive-fallback.js'
import remarkFloats from './plugins/remark-floats.js'
import remarkGlossaryTerms from './plugins/remark-glossary-terms.js'
import remarkHeadingIds from './plugins/remark-heading-ids.js'
import remarkImages from './plugins/remark-images.js'
import remarkRawHtmlBlocks from './plugins/remark-raw-html-blocks.js'
import remarkTypography from './plugins/remark-typography.js'
import rehypeFloats from './plugins/rehype-floats.js'
import rehypeFootnotes, { footnotePrefix } from './plugins/rehype-footnotes.js'
import rehypeGlossary from './plugins/rehype-glossary.js'
import rehypeRawHtml from './plugins/rehype-raw-html.js'
import rehypeTaskList from './plugins/rehype-task-list.js'
import rehypeWideTables from './plugins/rehype-wide-tables.js'

export interface ProcessorOptions {
  /** BCP 47 tag of the content's language. */
  locale: string
  /** Interface strings of that language: callout labels, "Figure", footnote labels. */
  strings: Strings
  /** What raw HTML may keep (`raw-html` in handbook.yaml). Default: the schema's default allow-list. */
  rawHtml?: RawHtmlConfig
  /** `site-root` of handbook.yaml: the folder, relative to the handbook, that `/path` images stand for. */
  siteRoot?: string
}

export type ChapterProcessor = Processor<MdastRoot, MdastRoot, HastRoot, undefined, undefined>

/** Build the chain for one content language. Chapter context comes on `file.data.chapter`. */
export function createProcessor(options: ProcessorOptions): ChapterProcessor {
  const { locale, strings, rawHtml, siteRoot } = options
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkDirective)
    // Dialects of other tools first: what they make goes through every check below.
    .use(remarkTemplateTags)
    .use(remarkDialectChecks)
    .use(remarkHtmlBlocks, { elements: rawHtml?.elements })
    .use(remarkDefinitionLists)
    .use(remarkHeadingIds)
    .use(remarkCallouts, { strings })
    .use(remarkFloats, { strings })
    .use(remarkImages, { siteRoot })
    .use(remarkGlossaryTerms)
    .use(remarkDirectiveFallback, { known: [...calloutKinds, 'figure', 'table'] })
    .use(remarkTypography, { locale })
    .use(remarkRawHtmlBlocks)
    .use(remarkRehype, {
      // Raw HTML is kept as `raw` nodes for rehype-raw-html, which parses and sanitizes it.
      allowDangerousHtml: true,
      // rehype-footnotes swaps this prefix for the chapter id, so ids stay unique in a joined book.
      clobberPrefix: footnotePrefix,
      footnoteLabel: strings.footnotes,
      footnoteLabelTagName: 'h2',
      footnoteLabelProperties: { className: ['footnotes-title'] },
      footnoteBackLabel: (referenceIndex: number, rereferenceIndex: number) =>
        format(strings, 'footnote-back', { number: rereferenceIndex > 1 ? `${referenceIndex + 1} (${rereferenceIndex})` : referenceIndex + 1 })
    })
    .use(rehypeFootnotes)
    .use(rehypeFloats)
    .use(rehypeGlossary)
    // Last: the HTML parser would undo intermediate shapes (a `<caption>` before rehype-floats moves it into its table).
    .use(rehypeRawHtml, { ...rawHtml, removedLabel: (what: string) => format(strings, 'html-removed', { element: what }) })
    .use(rehypeTaskList)
    .use(rehypeWideTables) as unknown as ChapterProcessor
}

/**
 * Parse and transform one chapter. Source that nests too deeply to parse safely, or passes a parse
 * budget, is not parsed: the chapter gets an empty body and a `nesting-too-deep` or
 * `chapter-too-complex` error instead of a hang, a crash or gigabytes of memory.
 */
export async function processChapter(processor: ChapterProcessor, file: VFile, cache?: ParseCache): Promise<HastRoot> {
  const empty: HastRoot = { type: 'root', children: [] }
  const problem = scanNesting(String(file.value))
  if (problem) {
    const what = problem.what === 'inline' ? 'emphasis, links or brackets left open' : 'block quotes, lists or directives'
    fail(file, `Cannot build chapter: ${what} nest more than ${maxNesting} levels deep here; flatten the structure`, { line: problem.line, column: problem.column }, 'nesting-too-deep')
    return empty
  }
  const budget = scanBudget(String(file.value))
  if (budget) {
    fail(file, budgetMessage(budget), { line: budget.line, column: budget.column }, 'chapter-too-complex')
    return empty
  }
  const mdast = cache ? cache.tree(String(file.value), () => processor.parse(file)) : processor.parse(file)
  const depth = treeDepth(mdast)
  if (depth.depth > maxTreeDepth) {
    fail(file, `Cannot build chapter: it nests ${depth.depth} levels deep (at most ${maxTreeDepth}); flatten the structure`, depth.deepest, 'nesting-too-deep')
    return empty
  }
  const hast = (await processor.run(mdast, file)) as HastRoot
  if (file.messages.some((message) => message.ruleId === 'nesting-too-deep')) {
    // The body is skipped whole, so nothing the plugins recorded about it stays.
    for (const key of ['headings', 'floats', 'assets', 'footnotes', 'terms'] as const) delete file.data[key]
    return empty
  }
  return hast
}
