/** Walking the chunks of a RIFF file (WAV here; the same layout holds for WebP and AVI). */

export interface RiffChunk {
  id: string
  /** Byte offset of the chunk's data (after its 8-byte header). */
  offset: number
  /** The size the chunk declares; it may run past the end of a file that was cut short. */
  size: number
}

/** Four bytes at `at` as Latin-1 text ('' when the file ends first). */
export function readChunkId(bytes: Uint8Array, at: number): string {
  if (at + 4 > bytes.length) return ''
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3])
}

const isChunkId = (id: string): boolean => /^[\x20-\x7e]{4}$/.test(id)

/**
 * The chunks from `start` on. Chunks are padded to even sizes (RIFF spec); writers that forget
 * the pad byte are tolerated by checking which position holds a plausible id. Walking stops at a
 * chunk that runs past the end or at bytes that are not a chunk id (junk after the data).
 */
export function riffChunks(bytes: Uint8Array, start: number): RiffChunk[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const chunks: RiffChunk[] = []
  let p = start
  while (p + 8 <= bytes.length) {
    const id = readChunkId(bytes, p)
    if (!isChunkId(id)) break
    const size = view.getUint32(p + 4, true)
    chunks.push({ id, offset: p + 8, size })
    const end = p + 8 + size
    if (end >= bytes.length) break
    const padded = end + (size & 1)
    p = size & 1 && !isChunkId(readChunkId(bytes, padded)) ? end : padded
  }
  return chunks
}
