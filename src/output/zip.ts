// A minimal ZIP writer for EPUB containers: entries in the given order, one fixed date, native deflate.
import { deflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  data: Buffer
  /** Keep the bytes as they are (EPUB's `mimetype` must be stored). Default: deflate. */
  store?: boolean
}

const crcTable = (() => {
  const table = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
})()

/** CRC-32 (ISO 3309, as ZIP uses it). */
export function crc32(data: Uint8Array): number {
  let crc = -1
  for (let index = 0; index < data.length; index++) crc = crcTable[(crc ^ data[index]!) & 0xff]! ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}

/** MS-DOS date and time fields of `date`, read in UTC so the bytes do not depend on the time zone. */
function dosDateTime(date: Date): { time: number; day: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107)
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    day: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate()
  }
}

/**
 * The ZIP file of `entries`, in their order, every entry dated `date`. Deflate is zlib's (level 9),
 * so the same entries give the same bytes with the same Node version.
 */
export function writeZip(entries: readonly ZipEntry[], date: Date): Buffer {
  if (entries.length > 0xffff) throw new Error('Cannot write a ZIP of more than 65,535 entries (no ZIP64)')
  const { time, day } = dosDateTime(date)
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8')
    const data = entry.store ? entry.data : deflateRawSync(entry.data, { level: 9 })
    const method = entry.store ? 0 : 8
    // Bit 11: the name is UTF-8.
    const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : 0x0800
    const crc = crc32(entry.data)
    if (offset + data.length > 0xffffffff) throw new Error('Cannot write a ZIP larger than 4 GiB (no ZIP64)')
    // Local and central headers share their fields from "version needed" to the name's length.
    const shared = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at)
      header.writeUInt16LE(flags, at + 2)
      header.writeUInt16LE(method, at + 4)
      header.writeUInt16LE(time, at + 6)
      header.writeUInt16LE(day, at + 8)
      header.writeUInt32LE(crc, at + 10)
      header.writeUInt32LE(data.length, at + 14)
      header.writeUInt32LE(entry.data.length, at + 18)
      header.writeUInt16LE(name.length, at + 22)
    }
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    shared(local, 4)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    // Made by: MS-DOS (0), ZIP 2.0. Extra field, comment, disk number and attributes stay zero.
    header.writeUInt16LE(20, 4)
    shared(header, 6)
    header.writeUInt32LE(offset, 42)
    parts.push(local, name, data)
    central.push(header, name)
    offset += local.length + name.length + data.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...parts, directory, end])
}
