// `handbook translate confirm`: a source change that needs no re-translation (a typo fix) is recorded for every locale whose section matched the source before the change.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { configOrReport } from '../commands/shared.js'
import { planContents } from '../content/contents-plan.js'
import { chapterFromRaw, type ChapterText } from '../content/sections.js'
import { readRecord, readSnapshot, writeSnapshot, type TranslationRecord } from '../content/translation-lock.js'
import { readTrackedChapter } from '../content/translation-state.js'
import { ExitCode, printDiagnostics } from '../report/report.js'
import { UsageError } from '../commands/options.js'
import { recordSections } from './record.js'

const run = promisify(execFile)

export interface ConfirmOptions {
  root: string
  chapter: string
  /** Section ids; none: every section that changed. */
  sections: string[]
}

/**
 * The source chapter as it was before the change being confirmed, from git: the committed
 * version when the file has uncommitted changes, else the version before its last commit.
 */
async function previousFromGit(file: string): Promise<{ raw: string; where: string } | undefined> {
  const cwd = path.dirname(file)
  const name = `./${path.basename(file)}`
  try {
    const dirty = await run('git', ['diff', '--quiet', 'HEAD', '--', name], { cwd }).then(
      () => false,
      (error: { code?: number }) => (error.code === 1 ? true : Promise.reject(error))
    )
    if (dirty) return { raw: (await run('git', ['show', `HEAD:${name}`], { cwd, maxBuffer: 8 << 20 })).stdout, where: 'the last commit (HEAD)' }
    const { stdout } = await run('git', ['log', '-n', '1', '--format=%H', '--', name], { cwd })
    const last = stdout.trim()
    if (!last) return undefined
    return { raw: (await run('git', ['show', `${last}^:${name}`], { cwd, maxBuffer: 8 << 20 })).stdout, where: `the commit before ${last.slice(0, 12)}` }
  } catch {
    return undefined
  }
}

/** `translate confirm`: returns the exit code. */
export async function runConfirm(options: ConfirmOptions): Promise<number> {
  const root = path.resolve(options.root)
  const config = await configOrReport(root)
  if (!config) return ExitCode.usage
  const sourceLocale = config['source-locale']
  const { chapter } = options
  if (!planContents(config).some((entry) => entry.id === chapter)) throw new UsageError(`Unknown chapter \`${chapter}\`: give a chapter id from \`contents\` of handbook.yaml`)
  const sourcePath = path.join(root, sourceLocale, `${chapter}.md`)
  const tracked = await readTrackedChapter(sourcePath, chapter, root)
  if (!tracked || tracked.unreadable) throw new UsageError(`Cannot read the source chapter \`${path.relative(process.cwd(), sourcePath)}\``)
  const source: ChapterText = tracked.text
  const unknown = options.sections.filter((id) => !source.sections.some((section) => section.id === id))
  if (unknown.length > 0) throw new UsageError(`Unknown section ${unknown.map((id) => `\`${id}\``).join(', ')} in \`${chapter}\`: sections are ${source.sections.map((section) => `\`${section.id}\``).join(', ')}`)

  const locales = config.locales.map((entry) => entry.tag).filter((tag) => tag !== sourceLocale)
  const records = new Map<string, TranslationRecord>()
  for (const locale of locales) {
    const { record, file } = await readRecord(root, locale, sourceLocale)
    if (file.messages.some((message) => message.fatal)) {
      printDiagnostics([file], { json: false, quiet: false, strict: false })
      return ExitCode.content
    }
    if (record.chapters[chapter]) records.set(locale, record)
  }

  // The previous version: from git, else the one version every locale that is not current recorded.
  let previous: ChapterText | undefined
  let where = ''
  const fromGit = await previousFromGit(sourcePath)
  if (fromGit) {
    previous = chapterFromRaw(chapter, fromGit.raw).text
    where = fromGit.where
  } else {
    const versions = new Set([...records.values()].map((record) => record.chapters[chapter]!.source).filter((hash) => hash !== source.hash))
    if (versions.size === 1) {
      const hash = [...versions][0]!
      const raw = await readSnapshot(root, chapter, hash)
      if (raw !== undefined) {
        previous = chapterFromRaw(chapter, raw).text
        where = `the source version ${hash} every locale not up to date was translated from`
      }
    }
  }
  if (!previous) {
    process.stderr.write(`cannot confirm ${chapter}: the source before the change is unknown (no git history, and the translations were made from different source versions); run \`handbook translate done <locale> ${chapter}\` for each locale whose translation is right\n`)
    return ExitCode.content
  }
  const before = new Map(previous.sections.map((section) => [section.id, section.hash]))
  const changed = source.sections.filter((section) => before.get(section.id) !== section.hash).map((section) => section.id)
  const wanted = options.sections.length > 0 ? options.sections : changed
  if (wanted.length === 0) {
    process.stdout.write(`${chapter}: no section changed since ${where}; nothing to confirm\n`)
    return ExitCode.ok
  }
  const added = wanted.filter((id) => !before.has(id))
  if (added.length > 0) process.stderr.write(`not confirmed: ${added.map((id) => `\`${id}\``).join(', ')} ${added.length === 1 ? 'is' : 'are'} new in the source since ${where}: ${added.length === 1 ? 'it needs' : 'they need'} translating\n`)
  const confirmable = wanted.filter((id) => before.has(id))
  const { finishRecord } = await import('../commands/translate.js')
  let snapshotWritten = false
  for (const locale of locales) {
    const record = records.get(locale)
    if (!record) {
      process.stdout.write(`${locale}: no record for ${chapter}; nothing to confirm\n`)
      continue
    }
    const entry = record.chapters[chapter]!
    const ids = confirmable.filter((id) => entry.sections[id] === before.get(id))
    const current = confirmable.filter((id) => entry.sections[id] === source.sections.find((section) => section.id === id)!.hash)
    const skipped = confirmable.filter((id) => !ids.includes(id) && !current.includes(id))
    const parts: string[] = []
    if (ids.length > 0 && recordSections(record, source, ids)) {
      if (record.chapters[chapter]!.source === source.hash && !snapshotWritten) {
        await writeSnapshot(root, chapter, source.hash, tracked.raw)
        snapshotWritten = true
      }
      await finishRecord(root, locale, sourceLocale, record)
      parts.push(`confirmed ${ids.join(', ')}`)
    }
    if (current.length > 0) parts.push(`already current: ${current.join(', ')}`)
    if (skipped.length > 0) parts.push(`not confirmed (stale before this change, still needs translating): ${skipped.join(', ')}`)
    process.stdout.write(`${locale}: ${parts.join('; ') || 'nothing to confirm'}\n`)
  }
  return added.length > 0 ? ExitCode.content : ExitCode.ok
}
