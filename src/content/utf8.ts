// Strict UTF-8 decoding for content files: invalid bytes are located (line:col), never replaced silently.
import type { Point } from 'unist'

export type Decoded = { ok: true; text: string } | { ok: false; offset: number; point: Point }

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Decode `bytes` as UTF-8, or say where the first invalid byte is. A leading BOM is kept. */
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
