// Creating content diagnostics: vfile messages with a place, a rule id and a severity.
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import type { Node, Point, Position } from 'unist'

/** Where a message points: a node, a position or a point. */
export type Place = Node | Position | Point | undefined | null

function placeOf(place: Place): Position | Point | undefined {
  if (!place) return undefined
  if ('type' in place) return place.position
  return place
}

/** Record an error on `file`: the build of that file fails, the run goes on. */
export function fail(file: VFile, reason: string, place: Place, ruleId: string): VFileMessage {
  const message = file.message(reason, { place: placeOf(place), ruleId, source: 'handbook' })
  message.fatal = true
  return message
}

/** Record a warning on `file`: it fails the run only under `--strict`. */
export function warn(file: VFile, reason: string, place: Place, ruleId: string): VFileMessage {
  const message = file.message(reason, { place: placeOf(place), ruleId, source: 'handbook' })
  message.fatal = false
  return message
}

/** Whether any message of `files` is an error (or a warning, when `strict`). */
export function hasProblems(files: readonly VFile[], strict: boolean): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === true || (strict && message.fatal === false)))
}
