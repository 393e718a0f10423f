// The documented shape of `handbook status --json` (and `--diff --json`): one zod schema, exported as JSON Schema to docs/.
import { z } from 'zod/v4'

/** Bump when a field changes meaning or goes away; new fields do not bump it. */
export const statusSchemaVersion = 1

const state = z
  .enum(['source', 'current', 'stale', 'draft', 'untracked', 'missing'])
  .describe('`source`: the source locale; `current`: translated from the current source; `stale`: the source changed since the translation; `draft`: marked unfinished; `untracked`: translated, but no record of the source version; `missing`: not translated (readers get the source)')

const counts = z
  .object({
    source: z.number().int().min(0),
    current: z.number().int().min(0),
    stale: z.number().int().min(0),
    draft: z.number().int().min(0),
    untracked: z.number().int().min(0),
    missing: z.number().int().min(0)
  })
  .strict()
  .describe('how many are in each state')

const section = z
  .object({
    id: z.string().describe('the section id: the `{#id}` of its `##` heading, or the chapter id for the opening (title and text before the first `##`)'),
    title: z.string().describe('the heading text in the source'),
    state,
    words: z.number().int().min(0).describe('words of the translated section (0 when missing)'),
    sourceWords: z.number().int().min(0).describe('words of the source section'),
    line: z.number().int().min(1).nullable().describe('the line of the section in this locale\'s file, `null` when missing')
  })
  .strict()

const chapter = z
  .object({
    chapter: z.string().describe('the chapter id (the file name without `.md`)'),
    title: z.string().describe('the chapter title in the source'),
    state: state.describe('the chapter\'s state: `stale` when its source changed in any way since the recorded version'),
    words: z.number().int().min(0).describe('words of this locale\'s chapter (0 when missing)'),
    sourceWords: z.number().int().min(0).describe('words of the source chapter'),
    file: z.string().nullable().describe('this locale\'s chapter file, relative to the working directory; `null` when missing'),
    sections: z.array(section).describe('the source\'s sections in order, with their state in this locale'),
    removed: z.array(z.string()).describe('ids of sections the translation has and the source no longer has'),
    recorded: z.string().nullable().describe('the source version (hash) the translation record names, `null` without a record'),
    source: z.string().describe('the current source version (hash)')
  })
  .strict()

const locale = z
  .object({
    locale: z.string().describe('the BCP 47 tag'),
    label: z.string().describe('the name of the language in that language'),
    isSource: z.boolean(),
    coverage: z.number().min(0).max(100).describe('percent of source words whose sections are translated and finished (`current`, `stale` or `untracked`), rounded down to one decimal'),
    upToDate: z.number().min(0).max(100).describe('percent of source words whose sections are `current`, rounded down to one decimal'),
    words: z.number().int().min(0).describe('words of the translation'),
    sourceWords: z.number().int().min(0).describe('words of the source'),
    chapterCounts: counts,
    sectionCounts: counts,
    chapters: z.array(chapter).describe('in the order of `contents`'),
    strings: z
      .object({
        total: z.number().int().min(0).describe('interface-string keys the tool knows'),
        translated: z.number().int().min(0).describe('keys with a text in this language: from its strings file or built into the tool'),
        fromFile: z.number().int().min(0).describe('keys set in `strings/<locale>.yaml`'),
        builtIn: z.number().int().min(0).describe('keys taken from the tool\'s built-in strings of the language'),
        missing: z.array(z.string()).describe('keys that fall back to the source locale\'s text'),
        file: z.string().nullable().describe('the strings file, relative to the working directory; `null` when there is none')
      })
      .strict()
      .describe('interface-string coverage: the texts of the editions\' chrome (contents, notices, labels)')
  })
  .strict()

const problem = z
  .object({
    locale: z.string(),
    chapter: z.string(),
    section: z.string().nullable().describe('`null` when the whole chapter is concerned'),
    state: state.describe('why the content cannot be released'),
    file: z.string().nullable(),
    line: z.number().int().min(1).nullable(),
    message: z.string()
  })
  .strict()
  .describe('content that fails `--strict`')

const message = z
  .object({
    file: z.string(),
    line: z.number().int().nullable(),
    column: z.number().int().nullable(),
    severity: z.enum(['error', 'warning']),
    ruleId: z.string().nullable(),
    message: z.string()
  })
  .strict()

const envelope = {
  command: z.literal('status'),
  schemaVersion: z.literal(statusSchemaVersion).describe('the version of this format'),
  ok: z.boolean().describe('whether the exit code is 0'),
  exitCode: z.number().int().describe('0, or 1 for content errors or (under `--strict`) problems, 2 for usage or config errors'),
  sourceLocale: z.string(),
  messages: z.array(message).describe('diagnostics: broken front matter, a broken translation record')
}

/** `handbook status --json`. */
export const statusReportSchema = z
  .object({
    ...envelope,
    strict: z.boolean().describe('whether `--strict` was given'),
    locales: z.array(locale).describe('the requested locales, the source locale first'),
    problems: z.array(problem).describe('every missing, stale, draft or untracked piece of the requested translations; under `--strict` any of them makes the exit code 1')
  })
  .strict()
  .describe('handbook status --json')

const hunk = z
  .object({
    before: z.string().describe('unchanged words before the change'),
    removed: z.string().describe('the old words'),
    added: z.string().describe('the new words'),
    after: z.string().describe('unchanged words after the change')
  })
  .strict()

const sectionChange = z
  .object({
    id: z.string(),
    title: z.string(),
    change: z.enum(['changed', 'added', 'removed']),
    state: state.describe('the section\'s state in the translation'),
    old: z.string().nullable().describe('the source section as it was translated (Markdown), `null` when added since'),
    new: z.string().nullable().describe('the source section now (Markdown), `null` when removed since'),
    hunks: z.array(hunk).describe('the word-level changes with a little context; whitespace-only edits are none')
  })
  .strict()

const origin = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('snapshot'), file: z.string().describe('the kept source text') }).strict(),
    z.object({ kind: z.literal('git'), commit: z.string(), file: z.string().describe('path in the repository') }).strict(),
    z.object({ kind: z.literal('unavailable'), reason: z.string() }).strict()
  ])
  .describe('where the old source text came from')

/** `handbook status --diff <locale> [chapter] --json`. */
export const statusDiffSchema = z
  .object({
    ...envelope,
    locale: z.string(),
    chapters: z
      .array(
        z
          .object({
            chapter: z.string(),
            title: z.string(),
            state,
            recorded: z.string().describe('the source version the translation was made from'),
            source: z.string().describe('the current source version'),
            origin,
            sections: z.array(sectionChange)
          })
          .strict()
      )
      .describe('every stale chapter (or the one asked for)')
  })
  .strict()
  .describe('handbook status --diff <locale> --json')

export type StatusReport = z.infer<typeof statusReportSchema>
export type StatusDiffReport = z.infer<typeof statusDiffSchema>

/** Both schemas as JSON Schema (draft 2020-12), as kept in docs/status.schema.json. */
export function statusJsonSchemas(): string {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'handbook status --json',
    oneOf: [z.toJSONSchema(statusReportSchema), z.toJSONSchema(statusDiffSchema)].map((entry) => {
      const { $schema: _ignored, ...rest } = entry as Record<string, unknown>
      return rest
    })
  }
  return JSON.stringify(schema, null, 2) + '\n'
}
