/**
 * A zip of stored (uncompressed) files written one file at a time, so a long frame sequence
 * goes to disk as its frames are made instead of as one archive in memory. The bytes are those
 * fflate's `zipSync` makes for the same files at `level: 0` and the same `mtime` (a test holds
 * them equal), so the editor's and the command line's zips of the same frames are identical.
 *
 * Layout (PKWARE APPNOTE 6.3.10, §4.3): per file a local header (30 bytes + name) and its
 * bytes; then one central directory header (46 bytes + name) per file and the end record
 * (22 bytes). No zip64: offsets and sizes are 32-bit, so an archive stops at 4 GiB.
 */
import { UserError } from '../engine/errors'
import { crc32 } from './png-chunks'

const LIMIT = 2 ** 32 - 1
const encoder = new TextEncoder()

interface Entry {
  name: Uint8Array
  utf8: boolean
  crc: number
  size: number
  offset: number
}

/** MS-DOS time and date as one 32-bit word (time low, date high), in local time as fflate. */
function dosDateTime(date: Date): number {
  const year = date.getFullYear() - 1980
  if (year < 0 || year > 119) throw new Error('A zip date must lie between 1980 and 2099.')
  return (
    ((year << 25) |
      ((date.getMonth() + 1) << 21) |
      (date.getDate() << 16) |
      (date.getHours() << 11) |
      (date.getMinutes() << 5) |
      (date.getSeconds() >> 1)) >>>
    0
  )
}

export class StoredZip {
  private readonly entries: Entry[] = []
  private offset = 0
  private readonly time: number

  constructor(mtime: Date) {
    this.time = dosDateTime(mtime)
  }

  /** How many files were added. */
  get count(): number {
    return this.entries.length
  }

  /** The bytes that add one file: its local header, then `bytes` itself (not copied). */
  add(fileName: string, bytes: Uint8Array): Uint8Array[] {
    const name = encoder.encode(fileName)
    if (name.length > 65535) throw new Error(`The zip entry name ${fileName} is too long.`)
    const entry: Entry = {
      name,
      utf8: name.length !== fileName.length,
      crc: crc32(bytes),
      size: bytes.length,
      offset: this.offset,
    }
    const header = new Uint8Array(30 + name.length)
    const view = new DataView(header.buffer)
    view.setUint32(0, 0x04034b50, true)
    this.common(view, 4, entry)
    header.set(name, 30)
    this.offset += header.length + bytes.length
    if (this.offset > LIMIT)
      throw new UserError(
        'The frames zip would pass 4 GiB, the most a zip without zip64 can hold.',
        'Render fewer or smaller frames per zip (a shorter range, a smaller picture).',
      )
    this.entries.push(entry)
    return [header, bytes]
  }

  /** The central directory and the end record, which close the archive. */
  finish(): Uint8Array {
    const size = this.entries.reduce((n, e) => n + 46 + e.name.length, 0)
    const out = new Uint8Array(size + 22)
    const view = new DataView(out.buffer)
    let at = 0
    for (const entry of this.entries) {
      view.setUint32(at, 0x02014b50, true)
      view.setUint8(at + 4, 20) // made by: version 2.0, MS-DOS attributes (fflate's os 0)
      this.common(view, at + 6, entry)
      // comment length, disk, internal and external attributes: 0
      view.setUint32(at + 42, entry.offset, true)
      out.set(entry.name, at + 46)
      at += 46 + entry.name.length
    }
    view.setUint32(at, 0x06054b50, true)
    view.setUint16(at + 8, this.entries.length, true)
    view.setUint16(at + 10, this.entries.length, true)
    view.setUint32(at + 12, size, true)
    view.setUint32(at + 16, this.offset, true)
    return out
  }

  /** The fields local and central headers share, from "version needed" to "extra length". */
  private common(view: DataView, at: number, entry: Entry): void {
    view.setUint16(at, 20, true) // version needed: 2.0
    view.setUint16(at + 2, entry.utf8 ? 0x800 : 0, true) // bit 11: the name is UTF-8
    view.setUint16(at + 4, 0, true) // method 0: stored
    view.setUint32(at + 6, this.time, true)
    view.setUint32(at + 10, entry.crc, true)
    view.setUint32(at + 14, entry.size, true)
    view.setUint32(at + 18, entry.size, true)
    view.setUint16(at + 22, entry.name.length, true)
    view.setUint16(at + 24, 0, true)
  }
}
