// `handbook build`: render the requested editions and write them atomically to the output folder.
import path from 'node:path'
import { VFile } from 'vfile'
import type { Format } from '../config/schema.js'
import type { Book, Edition } from '../model/types.js'
import { describe, replaceDirectory, writeFileAtomic, type Artifact } from '../output/write.js'
import { closeSharedBrowser } from '../render/chromium.js'
import { renderers } from '../render/index.js'
import type { OutputUnit } from '../render/types.js'
import { fail } from '../report/messages.js'
import { counts, exitCodeFor, printDiagnostics, printJson, toJsonMessages } from '../report/report.js'
import { UsageError, type BuildOptions } from './options.js'
import { loadRequested } from './shared.js'

export interface EditionResult {
  locale: string
  format: Format
  status: 'written' | 'failed'
  files: number
}

/** Run a build; returns the exit code. */
export async function runBuild(options: BuildOptions): Promise<number> {
  const result = await loadRequested(options)
  const { book, files } = result
  const editionResults: EditionResult[] = []
  const artifacts: Artifact[] = []
  if (book) {
    const requested = options.format ?? book.config.editions.formats
    const missing = requested.filter((format) => !renderers.has(format))
    if (missing.length > 0) {
      throw new UsageError(
        `Cannot build ${missing.join(', ')}: this version of handbook renders ${[...renderers.keys()].join(', ')} only; pass \`--format ${[...renderers.keys()].join(',')}\``
      )
    }
    const outDir = path.resolve(options.out)
    try {
      for (const format of requested) {
        const renderer = renderers.get(format)!
        const written: Edition[] = []
        for (const edition of book.editions) {
          const locale = edition.locale.tag
          if (editionHasErrors(book, edition, files)) {
            editionResults.push({ locale, format, status: 'failed', files: 0 })
            continue
          }
          // Problems met while rendering (a browser error, a crash) belong to this edition only.
          const file = new VFile({ path: `${path.relative(process.cwd(), outDir) || '.'}/${format}/${locale}` })
          files.push(file)
          try {
            const units = await renderer.renderEdition({ book, edition, file, printReady: options.printReady })
            const unitArtifacts = await writeUnits(units, outDir, format)
            artifacts.push(...unitArtifacts)
            editionResults.push({ locale, format, status: 'written', files: unitArtifacts.length })
            written.push(edition)
          } catch (error) {
            fail(file, `Cannot render the ${format} edition of \`${locale}\`: ${(error as Error).message}`, undefined, 'render-failed')
            editionResults.push({ locale, format, status: 'failed', files: 0 })
          }
        }
        if (renderer.renderShared && written.length > 0) {
          artifacts.push(...(await writeUnits(await renderer.renderShared(book, written), outDir, format)))
        }
      }
    } finally {
      await closeSharedBrowser()
    }
  }
  const exitCode = exitCodeFor(files, { strict: options.strict, configFailed: result.configFailed })
  printDiagnostics(files, options)
  if (options.json) {
    printJson({ command: 'build', ok: exitCode === 0, exitCode, ...counts(files), editions: editionResults, artifacts, messages: toJsonMessages(files) })
  } else if (!options.quiet) {
    for (const edition of editionResults) {
      process.stderr.write(`${edition.status === 'written' ? 'wrote' : 'failed'} ${edition.format} ${edition.locale}${edition.status === 'written' ? ` (${edition.files} files)` : ': fix the errors above'}\n`)
    }
    if (artifacts.length > 0) process.stderr.write(`${artifacts.length} files in ${path.relative(process.cwd(), path.resolve(options.out)) || '.'}\n`)
  }
  return exitCode
}

/** An edition is not written when any file it is made of has an error. */
function editionHasErrors(book: Book, edition: Edition, files: readonly VFile[]): boolean {
  const own = new Set(edition.chapters.map((chapter) => chapter.sourceFile))
  const stringsFile = path.relative(process.cwd(), path.join(book.root, 'strings', `${edition.locale.tag}.yaml`))
  return files.some((file) => (own.has(file.path) || file.path === stringsFile) && file.messages.some((message) => message.fatal))
}

async function writeUnits(units: readonly OutputUnit[], outDir: string, format: Format): Promise<Artifact[]> {
  const artifacts: Artifact[] = []
  for (const unit of units) {
    if (unit.isDirectory) await replaceDirectory(path.join(outDir, unit.path), unit.files, outDir)
    else for (const file of unit.files) await writeFileAtomic(path.join(outDir, file.path), file.data)
    for (const file of unit.files) artifacts.push(describe(file, unit.locale, format))
  }
  return artifacts
}
