// `handbook check` and the termbase: every translated chapter against the agreed terms of its locale (rule `term-inconsistent`).
import path from 'node:path'
import { VFile } from 'vfile'
import type { Book } from '../model/types.js'
import { warn } from '../report/messages.js'
import { findTermInconsistencies, readTermList, termsFolder, type TermList } from './terminology.js'
import { readTrackedChapter } from './translation-state.js'

/** The VFile of `filePath` among `files`, or a new one added to them: messages group by file. */
function fileFor(files: VFile[], filePath: string): VFile {
  const existing = files.find((file) => file.path === filePath)
  if (existing) return existing
  const file = new VFile({ path: filePath })
  files.push(file)
  return file
}

/** Read a term list, reporting its problems on its own file; `undefined` when there is none. */
async function termList(root: string, locale: string, files: VFile[]): Promise<TermList | undefined> {
  const list = await readTermList(root, locale)
  if (!list) return undefined
  if (list.problems.length > 0) {
    const file = fileFor(files, path.relative(process.cwd(), list.file) || list.file)
    for (const problem of list.problems) warn(file, problem.message, { line: problem.line, column: problem.column }, 'term-list-invalid')
  }
  return list.terms
}

/**
 * Warn, on each translated chapter of the book's translated editions, about every section whose
 * source names a concept of `terms/<source>.yaml` while the translation uses none of the agreed
 * strings of `terms/<locale>.yaml`. Chapters shown from the source (fallbacks) are not translations
 * and are skipped; so are locales without a term list.
 */
export async function checkTerminology(book: Book, files: VFile[]): Promise<void> {
  const { root, sourceLocale } = book
  const source = book.editions.find((edition) => edition.isSource)
  const sourceTerms = await termList(root, sourceLocale, files)
  if (!sourceTerms || sourceTerms.size === 0) return
  const sourceFiles = new Map((source?.chapters ?? []).map((chapter) => [chapter.id, chapter.sourceFile]))
  for (const edition of book.editions) {
    if (edition.isSource || edition.partner) continue
    const locale = edition.locale.tag
    const targetTerms = await termList(root, locale, files)
    if (!targetTerms) continue
    for (const chapter of edition.chapters) {
      if (chapter.isFallback || !chapter.translation) continue
      const sourceFile = sourceFiles.get(chapter.id) ?? path.relative(process.cwd(), path.join(root, sourceLocale, `${chapter.id}.md`))
      const [original, translation] = await Promise.all([
        readTrackedChapter(path.resolve(sourceFile), chapter.id, root),
        readTrackedChapter(path.resolve(chapter.sourceFile), chapter.id, root)
      ])
      // Unreadable files are reported by the build already.
      if (!original || !translation || original.file.messages.some((message) => message.fatal) || translation.file.messages.some((message) => message.fatal)) continue
      const titles = new Map(translation.text.sections.map((section) => [section.id, section.title]))
      const problems = findTermInconsistencies(original.text, translation.text, sourceTerms, targetTerms, locale)
      if (problems.length === 0) continue
      const file = fileFor(files, chapter.sourceFile)
      for (const problem of problems) {
        const section = problem.section === chapter.id ? `The opening of \`${chapter.id}\`` : `Section \`${problem.section}\``
        const [agreed, ...forms] = problem.expected
        const title = titles.get(problem.section) ?? problem.section
        warn(
          file,
          `${section} (“${title}”) does not use the agreed ${locale} term for “${problem.found}” (\`${problem.term}\`): use “${agreed}”` +
            `${forms.length > 0 ? ` (or a word containing ${forms.map((form) => `“${form}”`).join(', ')})` : ''}, or add the form you chose to \`${termsFolder}/${locale}.yaml\` under \`${problem.term}\``,
          { line: problem.line, column: 1 },
          'term-inconsistent'
        )
      }
    }
  }
}
