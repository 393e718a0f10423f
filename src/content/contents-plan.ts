// The reading order of the book from `contents` in handbook.yaml: chapter and part numbers, without reading any chapter.
import type { Config } from '../config/schema.js'
import type { Matter } from '../pipeline/data.js'

/** A chapter's place in the book, from `contents` in the config. */
export interface PlannedChapter {
  id: string
  kind: 'part' | 'chapter'
  matter: Matter
  number: number | null
  partNumber: number | null
  partId: string | null
  /** Where the chapter is listed in handbook.yaml (empty for a partner edition's own chapter). */
  configPath: (string | number)[]
  /** The Markdown file when it is not `<locale>/<id>.md`: a partner edition's own chapter. */
  file?: string
  /** A partner edition's own chapter: it exists only in the edition's locale and is no translation. */
  local?: boolean
}

/** The reading order of the book with chapter and part numbers. */
export function planContents(config: Config): PlannedChapter[] {
  const plan: PlannedChapter[] = []
  const plain = (id: string, matter: Matter, configPath: (string | number)[]): PlannedChapter => ({
    id,
    kind: 'chapter',
    matter,
    number: null,
    partNumber: null,
    partId: null,
    configPath
  })
  config.contents.front.forEach((id, index) => plan.push(plain(id, 'front', ['contents', 'front', index])))
  let chapterNumber = 0
  let partNumber = 0
  config.contents.body.forEach((entry, index) => {
    if (typeof entry === 'string') {
      plan.push({ ...plain(entry, 'body', ['contents', 'body', index]), number: ++chapterNumber })
      return
    }
    partNumber++
    plan.push({ ...plain(entry.part, 'body', ['contents', 'body', index, 'part']), kind: 'part', partNumber, partId: entry.part })
    entry.chapters.forEach((id, inner) =>
      plan.push({ ...plain(id, 'body', ['contents', 'body', index, 'chapters', inner]), number: ++chapterNumber, partId: entry.part })
    )
  })
  config.contents.back.forEach((id, index) => plan.push(plain(id, 'back', ['contents', 'back', index])))
  return plan
}
