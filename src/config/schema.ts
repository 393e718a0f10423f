// The schema of handbook.yaml: one source for validation, error messages and the README reference.
import { z } from 'zod'

/** A text given once for all locales, or per locale tag. */
export const localizedText = z
  .union([z.string().min(1), z.record(z.string(), z.string().min(1))])
  .describe('a text, either one string for every locale or a map from locale tag to text')

export type LocalizedText = z.infer<typeof localizedText>

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and hyphens, like `project-life-cycle`')

export const formats = ['html', 'epub', 'pdf'] as const
export type Format = (typeof formats)[number]

export const trimSizes = ['A5', 'B5', 'A4', 'letter'] as const
export type TrimSize = (typeof trimSizes)[number]

const author = z
  .object({
    name: localizedText.describe('the name as it appears on the title page'),
    role: localizedText.optional().describe('for example "author", "editor", "partner organisation"')
  })
  .strict()

const book = z
  .object({
    id: id.describe('a short, stable name of the book; output files are named after it'),
    title: localizedText.describe('the title of the book'),
    subtitle: localizedText.optional().describe('the subtitle, shown on the cover and title page'),
    authors: z.array(author).min(1).describe('authors, editors or partner organisations, in order'),
    publisher: localizedText.optional().describe('who publishes the book; without it, the first author'),
    version: z.string().min(1).default('1.0.0').describe('the edition version, for example `1.0.0`'),
    license: z
      .object({
        name: z.string().min(1).describe('the license name or SPDX id, for example `CC-BY-SA-4.0`'),
        url: z.string().url().regex(/^https?:\/\//i, 'expected an http or https URL').optional().describe('where the license text can be read'),
        notice: localizedText.optional().describe('the copyright and license notice printed in the imprint')
      })
      .strict()
      .describe('the license of the content'),
    identifier: z
      .string()
      .min(1)
      .optional()
      .describe('a stable identifier of the book (a URN or ISBN); each locale edition derives its own from it; without it, `urn:handbook:<book.id>`'),
    funding: localizedText.optional().describe('the funding statement and disclaimer printed in the imprint'),
    description: localizedText.optional().describe('one or two sentences describing the book, for metadata'),
    keywords: z.array(localizedText).optional().describe('subject keywords for metadata')
  })
  .strict()

const locale = z
  .object({
    tag: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 language tag, like `lv` or `pt-BR`')
      .describe('the BCP 47 language tag, also the name of the folder with this locale\'s chapters'),
    label: z.string().min(1).describe('the language\'s name in that language, for example `Latviešu`'),
    dir: z.enum(['ltr', 'rtl']).default('ltr').describe('the writing direction'),
    hyphenation: z
      .object({
        'min-before': z.number().int().min(1).max(10).default(3).describe('the fewest letters a hyphenated word keeps before the break'),
        'min-after': z.number().int().min(1).max(10).default(3).describe('the fewest letters a hyphenated word carries to the next line')
      })
      .strict()
      .default({})
      .describe('how the print edition hyphenates this language; exceptions are listed in `hyphenation/<tag>.txt`, one word a line with its allowed breaks (`paš-val-dī-ba`, or a stem for all its forms: `paš-val-dī-b*`)')
  })
  .strict()

const part = z
  .object({
    part: id.describe('the id of the part: its opener is the chapter file `<locale>/<part>.md`'),
    chapters: z.array(id).min(1).describe('the chapter ids of the part, in order')
  })
  .strict()

const contents = z
  .object({
    front: z.array(id).default([]).describe('unnumbered chapters before the body, such as a foreword'),
    body: z
      .array(z.union([id, part]))
      .min(1)
      .describe('numbered chapters, given by id, and parts (`{ part, chapters }`), in order'),
    back: z.array(id).default([]).describe('unnumbered chapters after the body, such as a glossary')
  })
  .strict()

const editions = z
  .object({
    formats: z.array(z.enum(formats)).min(1).default(['html']).describe('the formats `handbook build` makes by default'),
    trim: z.enum(trimSizes).default('A5').describe('the trim size of the print edition'),
    'roman-front-matter': z
      .boolean()
      .default(false)
      .describe('number the pages of the front matter with roman numerals in print'),
    'translation-report': z
      .boolean()
      .default(false)
      .describe(
        "publish each translation's status page (`translation.html`: coverage, chapters and sections to update) on the HTML site and link it from every footer; `handbook serve` always shows it to editors"
      ),
    'edit-url': z
      .string()
      .url()
      .regex(/^https?:\/\//i, 'expected an http or https URL')
      .optional()
      .describe(
        'an "edit this page" link on every chapter page of the HTML site: a URL template where `{path}` stands for the file the page shows, relative to the handbook folder (`lv/introduction.md` for a translated chapter, `en/introduction.md` for one shown from the source), for example `https://github.com/org/repo/edit/main/handbook/{path}`'
      ),
    'paper-thickness': z
      .number()
      .positive()
      .max(1)
      .default(0.1)
      .describe('the thickness of one leaf (two pages) of the printing paper in millimetres, from the print shop; with `--print-ready` the cover\'s spine is as wide as the book block: leaves × this')
  })
  .strict()

export const stalePolicies = ['notice', 'fallback', 'fail'] as const
export type StalePolicy = (typeof stalePolicies)[number]

const translations = z
  .object({
    stale: z
      .enum(stalePolicies)
      .default('notice')
      .describe(
        'a chapter whose source changed since it was translated: `notice` shows the translation with a notice that the original has changed, `fallback` shows the source with a notice, `fail` stops the build of that edition'
      )
  })
  .strict()

/**
 * Elements raw HTML in chapters may keep when `raw-html.elements` lists them: none of them runs
 * code, loads a resource, submits data or bypasses the pipeline (headings, images: use Markdown).
 */
export const rawHtmlElements = [
  'a', 'abbr', 'aside', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del',
  'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol',
  'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'wbr'
] as const

/** Attributes raw HTML may keep when `raw-html.attributes` lists them; URLs and styles are still checked. */
export const rawHtmlAttributes = [
  'abbr', 'aria-hidden', 'aria-label', 'cite', 'class', 'colspan', 'datetime', 'dir', 'headers', 'href', 'lang',
  'open', 'reversed', 'role', 'rowspan', 'scope', 'span', 'start', 'style', 'title', 'translate', 'value'
] as const

export type RawHtmlElement = (typeof rawHtmlElements)[number]
export type RawHtmlAttribute = (typeof rawHtmlAttributes)[number]

const rawHtml = z
  .object({
    elements: z
      .array(z.enum(rawHtmlElements))
      .default([
        'abbr', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'dfn', 'div',
        'dl', 'dt', 'em', 'hr', 'i', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strong',
        'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'wbr'
      ])
      .describe('the elements raw HTML in chapters may use; others are removed with a warning (their text stays, except for `script`, `style`, `iframe`, `object`, `svg` and the like, which go entirely); see docs/security.md'),
    attributes: z
      .array(z.enum(rawHtmlAttributes))
      .default(['abbr', 'colspan', 'datetime', 'dir', 'headers', 'lang', 'reversed', 'rowspan', 'scope', 'start', 'title', 'value'])
      .describe('the attributes those elements may keep; `href` and `cite` only with http, https, mailto or tel URLs or relative ones, `style` only when it loads nothing')
  })
  .strict()

export type RawHtmlConfig = z.output<typeof rawHtml>

/** The allow-list when handbook.yaml has no `raw-html`. */
export const defaultRawHtml: RawHtmlConfig = rawHtml.parse({})

export const configSchema = z
  .object({
    book: book.describe('metadata of the book'),
    'source-locale': z.string().min(1).describe('the tag of the locale the chapters are written in'),
    locales: z.array(locale).min(1).describe('every locale of the book, the source locale included'),
    contents: contents.describe('the order of chapters and parts'),
    editions: editions.default({}).describe('settings of the editions'),
    translations: translations.default({}).describe('how the editions treat translations that are out of date (`handbook status` shows which are)'),
    'raw-html': rawHtml.default({}).describe('the allow-list for HTML written inside chapters: everything else is removed, in every format'),
    'site-root': z
      .string()
      .min(1)
      .optional()
      .describe('a folder of the handbook that paths starting with `/` stand for, as on the website the chapters came from: with `site-root: .`, `/assets/images/map.png` is `handbook/assets/images/map.png`; without it such paths are errors')
  })
  .strict()

export type ConfigInput = z.input<typeof configSchema>
type ParsedConfig = z.output<typeof configSchema>

/** The config as the tool uses it: the book's optional metadata filled in with its defaults. */
export type Config = Omit<ParsedConfig, 'book'> & { book: ParsedConfig['book'] & { publisher: LocalizedText; identifier: string } }

/**
 * Defaults for what books brought from elsewhere rarely state (issue 13): the publisher is the
 * first author, the identifier `urn:handbook:<book.id>`; the version (`1.0.0`) is the schema's.
 */
export function withBookDefaults(config: ParsedConfig): Config {
  const { book } = config
  return { ...config, book: { ...book, publisher: book.publisher ?? book.authors[0]!.name, identifier: book.identifier ?? `urn:handbook:${book.id}` } }
}
export type LocaleConfig = Config['locales'][number]
