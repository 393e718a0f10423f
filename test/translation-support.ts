// Shared by the translation tests: throwaway copies of fixture handbooks, edits, and text extraction from the editions.
import assert from 'node:assert/strict'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fixtures, temporaryFolder } from './helpers.js'

export { temporaryFolder }

/** A copy of a fixture handbook to change. */
export function copyFixture(name = 'translation-basic'): string {
  const folder = temporaryFolder('handbook-translation-')
  cpSync(path.join(fixtures, 'books', name), folder, { recursive: true })
  return folder
}

/** Change a file; the change must change something. */
export function edit(file: string, change: (text: string) => string): void {
  const before = readFileSync(file, 'utf8')
  const after = change(before)
  assert.notEqual(after, before, `the edit changes ${file}`)
  writeFileSync(file, after)
}

/** The fixture's one-section change: a sentence of `during-meeting` in `en/meetings.md`. */
export const changeOneSection = (text: string): string =>
  text.replace('Start on time. Keep a list of decisions', 'Start on time and end on time. Keep a written list of decisions')

/** Text for comparison: soft hyphens and hyphenation at line ends removed, whitespace collapsed. */
export function flatText(text: string): string {
  return text.replace(/\u00ad/g, '').replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2').replace(/\s+/g, ' ').trim()
}
