// `handbook translate import`: validate translated XLIFF/PO files against the source, splice the translations into the Markdown chapters and strings, and record finished sections.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseDocument } from 'yaml'
import { configOrReport } from '../commands/shared.js'
import { planContents } from '../content/contents-plan.js'
import { chapterFromRaw } from '../content/sections.js'
import { isDraft, setDraft } from '../content/translation-files.js'
import { readRecord, recordPath, writeSnapshot } from '../content/translation-lock.js'
import { writeFileAtomic } from '../output/write.js'
import { ExitCode } from '../report/report.js'
import { UsageError } from '../commands/options.js'
import { recordSections, isCurrent } from './record.js'
import type { Printer } from './export.js'
import { readPo } from './po.js'
import {
  alignCodes,
  codesOf,
  flatten,
  frontSegments,
  matchSegmentedSections,
  partsMarkdown,
  sameStructure,
  segmentChapter,
  stringParts,
  type Code,
  type Part,
  type Segment,
  type SegmentedChapter,
  type SegmentedSection
} from './segments.js'
import { readStringsFile, readSegmented } from './units.js'
import { readXliff, type ReadFile, type ReadUnit, type Token } from './xliff.js'
import { loadStrings } from '../i18n/strings.js'
import { stringKeys, type StringKey } from '../i18n/defaults.js'

export interface ImportOptions {
  root: string
  files: string[]
  /** Validate and report only; write nothing. */
  check: boolean
  /** Record sections whose text is the same as the source's too. */
  identicalOk: boolean
  /** Where the report goes (default: stdout and stderr). */
  print?: Printer
}

/** A validation problem: the exchange file, its place, the unit. */
interface Problem {
  file: string
  line: number
  column: number
  unit?: string
  message: string
}

/** A translated unit ready to write: its parts with the Markdown of every code. */
interface Ready {
  parts: Part[]
  translated: boolean
}

/** What an import does to one file of the handbook. */
interface Change {
  file: string
  before: string
  after: string
  changed: string[]
  notes: string[]
  /** Sections recorded as translated from the current source. */
  recorded: string[]
}

function tokenFlat(tokens: readonly Token[]): string {
  return tokens.map((token) => (typeof token === 'string' ? token : token.kind === 'open' ? `<g${token.id}>` : token.kind === 'close' ? `</g${token.id}>` : `<x${token.id}/>`)).join('')
}

function codeName(code: { id: number; kind: string }): string {
  return code.kind === 'open' ? `<g${code.id}>` : code.kind === 'close' ? `</g${code.id}>` : `<x${code.id}/>`
}

/** Compare a target's codes with the source's: missing, duplicated, foreign or reordered ones are named. */
export function codeProblems(source: readonly Part[], target: readonly Token[]): string[] {
  const want = codesOf(source).map((code) => ({ id: code.id, kind: code.kind === 'lb' ? 'ph' : code.kind }))
  const have = target.filter((token): token is Exclude<Token, string> => typeof token !== 'string')
  const key = (code: { id: number; kind: string }) => codeName(code)
  const wanted = new Set(want.map(key))
  const counts = new Map<string, number>()
  for (const code of have) counts.set(key(code), (counts.get(key(code)) ?? 0) + 1)
  const problems: string[] = []
  const missing = want.filter((code) => !counts.has(key(code))).map(key)
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`)
  const duplicated = [...counts].filter(([name, count]) => count > 1 && wanted.has(name)).map(([name]) => name)
  if (duplicated.length > 0) problems.push(`duplicated ${duplicated.join(', ')}`)
  const foreign = [...counts.keys()].filter((name) => !wanted.has(name))
  if (foreign.length > 0) problems.push(`not in the source: ${foreign.join(', ')}`)
  if (problems.length === 0 && have.map(key).join('') !== want.map(key).join('')) {
    problems.push(`reordered: the source has ${want.map(key).join(' ')}, the translation ${have.map(key).join(' ')}`)
  }
  return problems
}

/** Text problems that would break the Markdown around the segment. */
function textProblems(kind: string, parts: readonly Part[]): string[] {
  const text = parts.filter((part): part is string => typeof part === 'string').join('')
  const problems: string[] = []
  if (/\n[ \t]*\n/.test(text)) problems.push('a blank line would end the paragraph: remove it')
  if (['heading', 'term', 'table-cell', 'title', 'short-title', 'description', 'caption', 'string'].includes(kind) && /[\r\n]/.test(text)) problems.push(`a ${kind} is one line: remove the line break`)
  if (kind === 'table-cell' && /(^|[^\\])\|/.test(text)) problems.push('a `|` would split the table cell: write `\\|`')
  return problems
}

/** A YAML scalar for a value: plain as before when that reads back the same, else double-quoted. */
export function yamlScalar(value: string, plain: boolean): string {
  if (plain && !/[\r\n]/.test(value)) {
    try {
      const document = parseDocument(`key: ${value}\n`)
      if (document.errors.length === 0 && (document.toJS() as { key?: unknown }).key === value) return value
    } catch {
      // falls through to the quoted form
    }
  }
  return JSON.stringify(value)
}

interface ChapterContext {
  id: string
  source: SegmentedChapter
  translation: SegmentedChapter | undefined
  translationRaw: string | undefined
  /** Every source segment by id, with its section and (when the translation's segment lines up) the translation's codes. */
  segments: Map<string, { segment: Segment; section: SegmentedSection; own?: Part[]; ownSegment?: Segment }>
}

async function chapterContext(root: string, sourceLocale: string, locale: string, id: string): Promise<ChapterContext | undefined> {
  const source = await readSegmented(root, sourceLocale, id)
  if (!source) return undefined
  const translation = await readSegmented(root, locale, id)
  const segments: ChapterContext['segments'] = new Map()
  const matched = translation ? matchSegmentedSections(source.chapter.sections, translation.chapter.sections) : []
  source.chapter.sections.forEach((section, index) => {
    const own = matched[index]
    const aligned = own !== undefined && sameStructure(section, own)
    if (index === 0) {
      const ownFront = translation && own === translation.chapter.sections[0] ? frontSegments(translation.chapter) : []
      for (const segment of frontSegments(source.chapter)) {
        const ownSegment = ownFront.find((candidate) => candidate.kind === segment.kind)
        segments.set(segment.id, { segment, section, own: ownSegment?.parts, ownSegment })
      }
    }
    section.segments.forEach((segment, position) => {
      const ownSegment = aligned ? own.segments[position] : undefined
      segments.set(segment.id, { segment, section, own: ownSegment ? alignCodes(segment.parts, ownSegment.parts) : undefined, ownSegment })
    })
  })
  return { id, source: source.chapter, translation: translation?.chapter, translationRaw: translation?.raw, segments }
}

/** Tokens to parts with the Markdown of each code: the translation's own when it lines up (a localized image), else the source's. */
function resolve(tokens: readonly Token[], source: readonly Part[], own: readonly Part[] | undefined): Part[] {
  const codes = new Map<string, Code>()
  for (const code of codesOf(source)) codes.set(`${code.kind === 'lb' ? 'ph' : code.kind}${code.id}`, code)
  if (own) for (const code of codesOf(own)) codes.set(`${code.kind === 'lb' ? 'ph' : code.kind}${code.id}`, code)
  return tokens.map((token) => (typeof token === 'string' ? token : codes.get(`${token.kind}${token.id}`)!))
}

/** The Markdown of a source section with its segments replaced by their translations. */
function rebuildSection(chapter: SegmentedChapter, section: SegmentedSection, ready: Map<string, Ready>): string {
  let out = ''
  let cursor = section.start
  for (const segment of section.segments) {
    out += chapter.text.slice(cursor, segment.start) + partsMarkdown(ready.get(segment.id)!.parts)
    cursor = segment.end
  }
  return out + chapter.text.slice(cursor, section.end)
}

interface Edit {
  start: number
  end: number
  text: string
}

function applyEdits(text: string, edits: Edit[]): string {
  const sorted = edits.map((edit, index) => ({ ...edit, index })).sort((a, b) => a.start - b.start || a.index - b.index)
  let out = ''
  let cursor = 0
  for (const edit of sorted) {
    out += text.slice(cursor, edit.start) + edit.text
    cursor = Math.max(cursor, edit.end)
  }
  return out + text.slice(cursor)
}

/** The new text of a chapter's translation, what changed, and what was left out. */
function planChapter(context: ChapterContext, ready: Map<string, Ready>): { text: string | undefined; changed: string[]; notes: string[] } {
  const { source, translation } = context
  const changed: string[] = []
  const notes: string[] = []
  const has = (segment: Segment) => ready.has(segment.id)
  const complete = (section: SegmentedSection, withFront: boolean) => section.segments.every(has) && (!withFront || frontSegments(source).every(has))
  if (!translation) {
    const opening = source.sections[0]!
    if (!complete(opening, true)) {
      const count = frontSegments(source).length + opening.segments.length
      const done = [...frontSegments(source), ...opening.segments].filter(has).length
      if (done > 0 || source.sections.some((section) => section.segments.some(has))) notes.push(`not written: the chapter is new in this language and its opening (title and text before the first section) has ${done} of ${count} segments translated`)
      return { text: undefined, changed, notes }
    }
    // A new chapter: the source's front matter with translated values, then every complete section.
    const frontEdits: Edit[] = frontSegments(source).map((segment) => {
      const value = opening.front.get(segment.kind)!
      return { start: value.start, end: value.end, text: yamlScalar(partsMarkdown(ready.get(segment.id)!.parts), value.plain) }
    })
    let text = applyEdits(source.text.slice(0, source.frontEnd), frontEdits)
    for (const section of source.sections) {
      const all = [...(section === opening ? frontSegments(source) : []), ...section.segments]
      if (section !== opening && !complete(section, false)) {
        if (section.segments.some(has)) notes.push(`section \`${section.id}\` not written: ${section.segments.filter(has).length} of ${section.segments.length} segments translated`)
        continue
      }
      text += rebuildSection(source, section, ready)
      changed.push(...all.map((segment) => segment.id))
    }
    if (!text.endsWith('\n')) text += source.newline
    return { text: (source.bom ? '\ufeff' : '') + text, changed, notes }
  }
  const edits: Edit[] = []
  const matched = matchSegmentedSections(source.sections, translation.sections)
  const nl = translation.newline
  source.sections.forEach((section, index) => {
    const own = matched[index]
    if (index === 0) {
      const opening = translation.sections[0]!
      for (const segment of frontSegments(source)) {
        const entry = ready.get(segment.id)
        if (!entry) continue
        const value = partsMarkdown(entry.parts)
        const existing = own === opening ? opening.front.get(segment.kind) : undefined
        if (existing) {
          if (existing.value !== value) {
            edits.push({ start: existing.start, end: existing.end, text: yamlScalar(value, existing.plain) })
            changed.push(segment.id)
          }
        } else if (translation.frontEnd > 0) {
          edits.push({ start: translation.yamlEnd, end: translation.yamlEnd, text: `${segment.kind}: ${yamlScalar(value, true)}${nl}` })
          changed.push(segment.id)
        } else {
          notes.push(`\`${segment.id}\` not written: the translation has no front matter`)
        }
      }
    }
    if (section.segments.length === 0) return
    if (own && sameStructure(section, own)) {
      section.segments.forEach((segment, position) => {
        const entry = ready.get(segment.id)
        if (!entry) return
        const target = own.segments[position]!
        const markdown = partsMarkdown(entry.parts)
        if (translation.text.slice(target.start, target.end) === markdown) return
        edits.push({ start: target.start, end: target.end, text: markdown })
        changed.push(segment.id)
      })
      return
    }
    if (!complete(section, false)) {
      const done = section.segments.filter(has).length
      if (done > 0) notes.push(`section \`${section.id}\` not written: ${own ? 'its translation is structured differently from the source, and ' : 'it is new in this language, and '}${done} of ${section.segments.length} segments are translated (all are needed to ${own ? 'replace' : 'add'} it)`)
      return
    }
    const rebuilt = rebuildSection(source, section, ready)
    if (own) {
      if (translation.text.slice(own.start, own.end) !== rebuilt) {
        edits.push({ start: own.start, end: own.end, text: rebuilt })
        changed.push(...section.segments.map((segment) => segment.id))
      }
      return
    }
    // A section new in this language goes after the translation of the source section before it.
    let previous = index - 1
    while (previous > 0 && !matched[previous]) previous--
    const at = matched[previous]?.end ?? translation.text.length
    const atEnd = at >= translation.text.length
    const trimmed = rebuilt.replace(/\s+$/, '')
    const lead = atEnd ? (translation.text.endsWith(`${nl}${nl}`) ? '' : translation.text.endsWith(nl) ? nl : `${nl}${nl}`) : ''
    edits.push({ start: at, end: at, text: `${lead}${trimmed}${nl}${atEnd ? '' : nl}` })
    changed.push(...section.segments.map((segment) => segment.id))
  })
  const text = applyEdits(translation.text, edits)
  return { text: (translation.bom ? '\ufeff' : '') + text, changed, notes }
}

/** Read one exchange file by its extension (or its first bytes). */
async function readExchange(file: string): Promise<ReadFile> {
  const text = await readFile(file, 'utf8')
  const extension = path.extname(file).toLowerCase()
  const xml = extension === '.xlf' || extension === '.xliff' || extension === '.xml' || (extension !== '.po' && extension !== '.pot' && /^\s*(<\?xml|<xliff)/.test(text))
  return xml ? readXliff(text) : readPo(text)
}

/** `translate import`: returns the exit code. */
export async function runImport(options: ImportOptions): Promise<number> {
  const out = options.print?.out ?? ((text: string) => void process.stdout.write(text))
  const err = options.print?.err ?? ((text: string) => void process.stderr.write(text))
  const root = path.resolve(options.root)
  const config = await configOrReport(root)
  if (!config) return ExitCode.usage
  const sourceLocale = config['source-locale']
  const chapterIds = planContents(config).map((entry) => entry.id)
  const problems: Problem[] = []
  const changes: Change[] = []
  const records = new Map<string, Awaited<ReturnType<typeof readRecord>>['record']>()
  const touchedRecords = new Set<string>()
  const snapshots: { id: string; hash: string; raw: string }[] = []

  for (const file of options.files) {
    if (!existsSync(file)) throw new UsageError(`Cannot find \`${file}\``)
    const shown = path.relative(process.cwd(), path.resolve(file)) || file
    const read = await readExchange(file)
    for (const problem of read.problems) problems.push({ file: shown, ...problem })
    if (read.problems.length > 0) continue
    const locale = read.locale
    if (!locale || !config.locales.some((entry) => entry.tag === locale) || locale === sourceLocale) {
      problems.push({ file: shown, line: 1, column: 1, message: `Unexpected target language \`${locale ?? '(none)'}\`: the file must name one of the translation locales ${config.locales.filter((entry) => entry.tag !== sourceLocale).map((entry) => `\`${entry.tag}\``).join(', ')} (XLIFF \`target-language\`, PO \`Language\` header)` })
      continue
    }
    if (read.sourceLocale && read.sourceLocale !== sourceLocale) {
      problems.push({ file: shown, line: 1, column: 1, message: `Unexpected source language \`${read.sourceLocale}\`: the handbook's source locale is \`${sourceLocale}\`` })
      continue
    }
    if (!records.has(locale)) records.set(locale, (await readRecord(root, locale, sourceLocale)).record)
    const record = records.get(locale)!

    // Group the file's units by chapter; validate each against the handbook as it is now.
    const byGroup = new Map<string, ReadUnit[]>()
    for (const unit of read.units) {
      const group = unit.id.split('/')[0]!
      if (!byGroup.has(group)) byGroup.set(group, [])
      byGroup.get(group)!.push(unit)
    }
    let fileFailed = false
    const planned: (() => Promise<void>)[] = []
    for (const [group, units] of byGroup) {
      const unitProblem = (unit: ReadUnit, message: string) => {
        problems.push({ file: shown, line: unit.line, column: unit.column, unit: unit.id, message })
        fileFailed = true
      }
      if (group === 'strings') {
        const { strings } = await loadStrings(root, sourceLocale, sourceLocale)
        const own = await readStringsFile(root, locale)
        const ready = new Map<string, Ready>()
        for (const unit of units) {
          const key = unit.id.slice('strings/'.length)
          if (!(stringKeys as readonly string[]).includes(key)) {
            unitProblem(unit, `Unknown segment \`${unit.id}\`: no interface string has the key \`${key}\``)
            continue
          }
          const sourceParts = stringParts(strings[key as StringKey])
          // A PO file has the `{name}`s as text; an XLIFF file has them as <ph> codes.
          const named = (tokens: readonly Token[]) => tokens.map((token) => (typeof token === 'string' ? token : (codesOf(sourceParts).find((code) => code.id === token.id)?.code ?? `<x${token.id}/>`))).join('')
          if (named(unit.source) !== partsMarkdown(sourceParts)) {
            unitProblem(unit, `Segment \`${unit.id}\`: its source changed since the export (the file has ${JSON.stringify(named(unit.source))}, the handbook ${JSON.stringify(partsMarkdown(sourceParts))}): export again`)
            continue
          }
          if (!unit.target) continue
          const value = named(unit.target)
          const parts = stringParts(value)
          const want = codesOf(sourceParts).map((code) => code.code).sort()
          const have = codesOf(parts).map((code) => code.code).sort()
          if (want.join(' ') !== have.join(' ')) {
            const missing = want.filter((name) => !have.includes(name))
            const foreign = have.filter((name) => !want.includes(name))
            const duplicated = have.filter((name, index) => have.indexOf(name) !== index)
            const issues = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', duplicated.length > 0 ? `duplicated ${duplicated.join(', ')}` : '', foreign.length > 0 ? `not in the source: ${foreign.join(', ')}` : ''].filter(Boolean)
            unitProblem(unit, `Segment \`${unit.id}\`: placeholders ${issues.join('; ')}: keep every {placeholder} of the source, once (their order may change)`)
            continue
          }
          const textIssues = textProblems('string', parts)
          if (textIssues.length > 0) unitProblem(unit, `Segment \`${unit.id}\`: ${textIssues.join('; ')}`)
          else ready.set(key, { parts, translated: unit.translated })
        }
        planned.push(async () => {
          const edits: Edit[] = []
          const changed: string[] = []
          let append = ''
          for (const [key, entry] of ready) {
            const value = partsMarkdown(entry.parts)
            const existing = own.values.get(key)
            if (existing) {
              if (existing.value === value) continue
              edits.push({ start: existing.start, end: existing.end, text: yamlScalar(value, existing.plain) })
            } else {
              append += `${key}: ${yamlScalar(value, true)}\n`
            }
            changed.push(`strings/${key}`)
          }
          if (changed.length === 0) return
          let after = applyEdits(own.text, edits)
          if (append) after += (after === '' || after.endsWith('\n') ? '' : '\n') + append
          changes.push({ file: path.join(root, 'strings', `${locale}.yaml`), before: own.text, after, changed, notes: [], recorded: [] })
        })
        continue
      }
      if (!chapterIds.includes(group)) {
        for (const unit of units) unitProblem(unit, `Unknown segment \`${unit.id}\`: \`${group}\` is not a chapter in \`contents\` of handbook.yaml`)
        continue
      }
      const context = await chapterContext(root, sourceLocale, locale, group)
      if (!context) {
        for (const unit of units) unitProblem(unit, `Unknown segment \`${unit.id}\`: the source chapter \`${sourceLocale}/${group}.md\` cannot be read`)
        continue
      }
      const ready = new Map<string, Ready>()
      const seen = new Set<string>()
      for (const unit of units) {
        const known = context.segments.get(unit.id)
        if (!known) {
          unitProblem(unit, `Unknown segment \`${unit.id}\`: the source has no such segment (sections and paragraphs may have changed since the export): export again`)
          continue
        }
        if (seen.has(unit.id)) {
          unitProblem(unit, `Segment \`${unit.id}\` is in the file twice`)
          continue
        }
        seen.add(unit.id)
        if (tokenFlat(unit.source) !== flatten(known.segment.parts)) {
          unitProblem(unit, `Segment \`${unit.id}\`: its source changed since the export (the file has ${JSON.stringify(tokenFlat(unit.source))}, the handbook ${JSON.stringify(flatten(known.segment.parts))}): export again`)
          continue
        }
        if (!unit.target) continue
        const codeIssues = codeProblems(known.segment.parts, unit.target)
        if (codeIssues.length > 0) {
          unitProblem(unit, `Segment \`${unit.id}\`: placeholders ${codeIssues.join('; ')}: keep every placeholder of the source, once, in its order`)
          continue
        }
        const parts = resolve(unit.target, known.segment.parts, known.own)
        const textIssues = textProblems(known.segment.kind, parts)
        if (textIssues.length > 0) {
          unitProblem(unit, `Segment \`${unit.id}\`: ${textIssues.join('; ')}`)
          continue
        }
        ready.set(unit.id, { parts, translated: unit.translated })
      }
      planned.push(async () => {
        const plan = planChapter(context, ready)
        const target = path.join(root, locale, `${group}.md`)
        const before = context.translationRaw ?? ''
        let after = plan.text ?? before
        const recorded: string[] = []
        if (plan.text !== undefined) {
          // Record the sections whose every segment is translated, as the new file has them.
          const sourceText = chapterFromRaw(group, (context.source.bom ? '\ufeff' : '') + context.source.text).text
          const now = segmentChapter(group, after)
          const nowText = chapterFromRaw(group, after).text
          const matched = matchSegmentedSections(context.source.sections, now.sections)
          const ids: string[] = []
          const identical: string[] = []
          context.source.sections.forEach((section, index) => {
            const own = matched[index]
            const all = [...(index === 0 ? frontSegments(context.source) : []), ...section.segments]
            if (!own || !sameStructure(section, own) || all.length === 0 || !all.every((segment) => ready.get(segment.id)?.translated)) return
            const ownHash = nowText.sections.find((candidate) => candidate.id === own.id)?.hash
            if (!options.identicalOk && ownHash === sourceText.sections[index]!.hash) {
              identical.push(section.id)
              return
            }
            ids.push(section.id)
          })
          if (identical.length > 0) plan.notes.push(`not recorded, identical to the source: ${identical.join(', ')} (\`--identical-ok\` records them)`)
          const earlier = record.chapters[group]?.sections ?? {}
          const fresh = ids.filter((id) => earlier[id] !== sourceText.sections.find((section) => section.id === id)!.hash)
          if (ids.length > 0 && recordSections(record, sourceText, ids)) {
            touchedRecords.add(locale)
            recorded.push(...fresh)
            if (record.chapters[group]!.source === sourceText.hash) snapshots.push({ id: group, hash: sourceText.hash, raw: (context.source.bom ? '\ufeff' : '') + context.source.text })
          }
          if (isCurrent(record, sourceText) && isDraft(after)) {
            after = setDraft(after, false)
            plan.notes.push('draft flag removed')
          }
        }
        if (after !== before || plan.notes.length > 0 || recorded.length > 0) changes.push({ file: target, before, after, changed: plan.changed, notes: plan.notes, recorded })
      })
    }
    if (!fileFailed) for (const step of planned) await step()
  }

  for (const problem of problems) {
    err(`${problem.file}:${problem.line}:${problem.column}: error ${problem.message} translate-import\n`)
  }
  if (problems.length > 0) {
    err(`${problems.length} error(s): nothing was written\n`)
    return ExitCode.content
  }
  const verb = options.check ? 'would change' : 'changed'
  let count = 0
  for (const change of changes) {
    const shown = path.relative(process.cwd(), change.file)
    const wrote = change.after !== change.before
    if (wrote) count++
    if (wrote) out(`${verb} ${shown}: ${change.changed.length} segment(s)${change.changed.length > 0 ? ` (${change.changed.join(', ')})` : ''}\n`)
    if (change.recorded.length > 0) out(`  ${options.check ? 'would record' : 'recorded'} as translated from the current source: ${change.recorded.join(', ')}\n`)
    for (const note of change.notes) out(`  ${note}\n`)
    if (!options.check && wrote) await writeFileAtomic(change.file, change.after)
  }
  if (!options.check) {
    for (const locale of touchedRecords) {
      const { finishRecord } = await import('../commands/translate.js')
      for (const snapshot of snapshots) await writeSnapshot(root, snapshot.id, snapshot.hash, snapshot.raw)
      await finishRecord(root, locale, sourceLocale, records.get(locale)!)
      out(`${verb} ${path.relative(process.cwd(), recordPath(root, locale))}\n`)
    }
  }
  if (count === 0 && touchedRecords.size === 0) out(`nothing to change: the handbook has these translations already\n`)
  return ExitCode.ok
}
