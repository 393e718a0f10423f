// Strict UTF-8 decoding for content files: invalid bytes are located (line:col), never replaced silently.
import { readFile, stat } from 'node:fs/promises'
import type { Point } from 'unist'
import type { VFile } from 'vfile'
import { fail } from '../report/messages.js'

export type Decoded = { ok: true; text: string } | { ok: false; offset: number; point: Point }

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Decode `bytes` as UTF-8, or say where the first invalid byte is. A leading byte order mark is dropped. */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    return { ok: true, text: decoder.decode(bytes) }
  } catch {
    const offset = firstInvalidUtf8(bytes)
    const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8').split('\n')
    return { ok: false, offset, point: { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 } }
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0
  while (index < bytes.length) {
    const byte = bytes[index]!
    const extra = byte < 0x80 ? 0 : byte >= 0xc2 && byte <= 0xdf ? 1 : byte >= 0xe0 && byte <= 0xef ? 2 : byte >= 0xf0 && byte <= 0xf4 ? 3 : -1
    if (extra < 0) return index
    for (let next = 1; next <= extra; next++) if (((bytes[index + next] ?? 0) & 0xc0) !== 0x80) return index
    // Overlong three-byte forms, UTF-16 surrogates and code points past U+10FFFF.
    const second = bytes[index + 1] ?? 0
    if ((byte === 0xe0 && second < 0xa0) || (byte === 0xed && second > 0x9f) || (byte === 0xf0 && second < 0x90) || (byte === 0xf4 && second > 0x8f)) return index
    index += extra + 1
  }
  return index
}

/** The largest config-like text file read (strings, records, edition overlays): far above any real one. */
export const maxTextFileBytes = 4 * 1024 * 1024

/**
 * Read a UTF-8 text file for `file`: `undefined` when it cannot be read (the caller says what is
 * missing); invalid UTF-8 is an error on `file` at the first bad byte, and the text is not used.
 */
export async function readUtf8File(filePath: string, file: VFile, ruleId: string): Promise<{ text?: string; exists: boolean }> {
  let bytes: Buffer
  try {
    const info = await stat(filePath)
    if (info.isFile() && info.size > maxTextFileBytes) {
      fail(file, `Cannot read a file of ${info.size} bytes: interface strings, records and editions stay under ${maxTextFileBytes / 1024 / 1024} MiB`, undefined, 'file-too-large')
      return { exists: true }
    }
    bytes = await readFile(filePath)
  } catch {
    return { exists: false }
  }
  const decoded = decodeUtf8(bytes)
  if (!decoded.ok) {
    fail(file, `Cannot decode byte ${decoded.offset} as UTF-8: save the file as UTF-8`, decoded.point, ruleId)
    return { exists: true }
  }
  return { text: decoded.text, exists: true }
}
