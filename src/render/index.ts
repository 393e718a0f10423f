// The renderers this version ships, by format.
import type { Format } from '../config/schema.js'
import { htmlRenderer } from './html.js'
import type { Renderer } from './types.js'

export const renderers: ReadonlyMap<Format, Renderer> = new Map([[htmlRenderer.format, htmlRenderer]])
