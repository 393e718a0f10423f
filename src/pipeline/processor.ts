// The unified chain that turns one chapter's Markdown into hast; one processor per content language.
import type { Root as HastRoot } from 'hast'
import type { Root as MdastRoot } from 'mdast'
import remarkDirective from 'remark-directive'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified, type Processor } from 'unified'
import type { VFile } from 'vfile'
import type { Strings } from '../i18n/defaults.js'
import { format } from '../i18n/strings.js'
import remarkCallouts, { calloutKinds } from './plugins/remark-callouts.js'
import remarkDirectiveFallback from './plugins/remark-directive-fallback.js'
import remarkFloats from './plugins/remark-floats.js'
import remarkGlossaryTerms from './plugins/remark-glossary-terms.js'
import remarkHeadingIds from './plugins/remark-heading-ids.js'
import remarkImages from './plugins/remark-images.js'
import remarkTypography from './plugins/remark-typography.js'
import rehypeFloats from './plugins/rehype-floats.js'
import rehypeFootnotes, { footnotePrefix } from './plugins/rehype-footnotes.js'
import rehypeGlossary from './plugins/rehype-glossary.js'

export interface ProcessorOptions {
  /** BCP 47 tag of the content's language. */
  locale: string
  /** Interface strings of that language: callout labels, "Figure", footnote labels. */
  strings: Strings
}

export type ChapterProcessor = Processor<MdastRoot, MdastRoot, HastRoot, undefined, undefined>

/** Build the chain for one content language. Chapter context comes on `file.data.chapter`. */
export function createProcessor(options: ProcessorOptions): ChapterProcessor {
  const { locale, strings } = options
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkDirective)
    .use(remarkHeadingIds)
    .use(remarkCallouts, { strings })
    .use(remarkFloats, { strings })
    .use(remarkImages)
    .use(remarkGlossaryTerms)
    .use(remarkDirectiveFallback, { known: [...calloutKinds, 'figure', 'table'] })
    .use(remarkTypography, { locale })
    .use(remarkRehype, {
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
    .use(rehypeGlossary) as unknown as ChapterProcessor
}

/** Parse and transform one chapter. */
export async function processChapter(processor: ChapterProcessor, file: VFile): Promise<HastRoot> {
  const mdast = processor.parse(file)
  return (await processor.run(mdast, file)) as HastRoot
}
