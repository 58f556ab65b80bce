/**
 * Reading the files of a zip (PKWARE APPNOTE 6.3.10): the end record (§4.3.16) found from the
 * end, the central directory (§4.3.12) walked to its recorded size (not its 16-bit count, which
 * a long frame sequence outgrows), each file's data after its local header (§4.3.7). Stored
 * (method 0, what StoredZip writes) and deflated (method 8, what most zip tools write) files
 * are read; others are listed but give no bytes. No zip64: what StoredZip writes, under 4 GiB.
 */

import { inflateRaw } from '../engine/inflate'

export interface ZipEntry {
  name: string
  /** 0 stored, 8 deflated. */
  method: number
  /** Where its data starts in the archive, and its length there and unpacked. */
  offset: number
  packedSize: number
  size: number
}

const END = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

/** The archive's files in the central directory's order; undefined when it is not a readable zip. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The end record is 22 bytes plus a comment of up to 65535.
  let end = -1
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--)
    if (view.getUint32(at, true) === END) {
      end = at
      break
    }
  if (end < 0) return undefined
  const size = view.getUint32(end + 12, true)
  const start = view.getUint32(end + 16, true)
  if (start + size > end) return undefined
  const decoder = new TextDecoder()
  const entries: ZipEntry[] = []
  for (let at = start; at < start + size;) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) return undefined
    const nameLength = view.getUint16(at + 28, true)
    const local = view.getUint32(at + 42, true)
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) return undefined
    const offset = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true)
    const packedSize = view.getUint32(at + 20, true)
    if (offset + packedSize > bytes.length) return undefined
    entries.push({
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      offset,
      packedSize,
      size: view.getUint32(at + 24, true),
    })
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return entries
}

/**
 * A file's bytes, unpacked; undefined for a method other than stored or deflated, for damaged
 * data, or when it would unpack to more than `limit` bytes.
 */
export async function zipEntryBytes(
  bytes: Uint8Array,
  entry: ZipEntry,
  limit: number,
): Promise<Uint8Array | undefined> {
  if (entry.size > limit) return undefined
  const packed = bytes.subarray(entry.offset, entry.offset + entry.packedSize)
  if (entry.method === 0) return packed
  if (entry.method !== 8) return undefined
  const out = await inflateRaw(packed, limit)
  return out instanceof Uint8Array ? out : undefined
}
