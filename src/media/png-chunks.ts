/**
 * PNG chunk-level reading and writing, for the text chunks that carry provenance: fast-png writes
 * only Latin-1 `tEXt`, so UTF-8 text goes in `iTXt` chunks we build here.
 * Reference: PNG Specification (Third Edition), §5.3 chunk layout, §11.3.3 tEXt/zTXt/iTXt, Annex D CRC.
 */

/** What is used of Node's zlib: native deflate (several times fflate's speed) and CRC-32. */
interface NativeZlib {
  deflateSync(bytes: Uint8Array, options: { level: number }): Uint8Array
  crc32?: (bytes: Uint8Array) => number
}

/**
 * Node's zlib where this runs in Node 20.16 or later, looked up at run time (not imported, so
 * workers and the browser load this file alike); undefined there, and they use fflate.
 */
export const nodeZlib = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:zlib') as NativeZlib | undefined

export interface PngChunk {
  type: string
  /** Offset of the chunk's data in the file. */
  offset: number
  length: number
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const

let crcTable: Uint32Array | undefined

/**
 * CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected), as PNG and zlib use: zlib's own where
 * Node has it (50× faster on a picture's megabytes of image data).
 */
export function crc32(bytes: Uint8Array): number {
  if (nodeZlib?.crc32) return nodeZlib.crc32(bytes)
  return crc32Table(bytes)
}

/** crc32 a byte at a time through a 256-entry table (the spec's sample code, Annex D). */
export function crc32Table(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let c = 0xffffffff
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** The chunks after the signature, stopping at IEND or at a chunk that runs past the end. */
export function pngChunks(bytes: Uint8Array): PngChunk[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const chunks: PngChunk[] = []
  let p = PNG_SIGNATURE.length
  while (p + 12 <= bytes.length) {
    const length = view.getUint32(p)
    const type = String.fromCharCode(...bytes.subarray(p + 4, p + 8))
    if (p + 12 + length > bytes.length) break
    chunks.push({ type, offset: p + 8, length })
    if (type === 'IEND') break
    p += 12 + length
  }
  return chunks
}

/** One chunk, with its length and CRC. */
export function makeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0))

/** Latin-1 bytes to text, in slices so long texts do not overflow the argument stack. */
const fromLatin1 = (bytes: Uint8Array): string => {
  let text = ''
  for (let i = 0; i < bytes.length; i += 8192)
    text += String.fromCharCode(...bytes.subarray(i, i + 8192))
  return text
}

const isLatin1Text = (text: string): boolean => /^[\n\x20-\x7e\xa0-\xff]*$/.test(text)

/**
 * A text chunk: `tEXt` when the text is Latin-1 (read by every tool), otherwise uncompressed
 * `iTXt` in UTF-8. Keywords are 1–79 Latin-1 characters without leading or trailing spaces.
 */
export function textChunk(keyword: string, text: string): Uint8Array {
  if (!/^[\x21-\x7e\xa1-\xff]([\x20-\x7e\xa1-\xff]{0,77}[\x21-\x7e\xa1-\xff])?$/.test(keyword))
    throw new Error(`Invalid PNG text keyword "${keyword}" (1–79 Latin-1 characters)`)
  if (isLatin1Text(text)) return makeChunk('tEXt', latin1(`${keyword}\0${text}`))
  // iTXt: keyword \0, compression flag 0, method 0, empty language \0, empty translation \0.
  const head = latin1(`${keyword}\0\0\0\0\0`)
  const body = new TextEncoder().encode(text)
  const data = new Uint8Array(head.length + body.length)
  data.set(head)
  data.set(body, head.length)
  return makeChunk('iTXt', data)
}

/**
 * The text of `tEXt` and uncompressed `iTXt` chunks by keyword. Compressed `zTXt`/`iTXt` are
 * skipped: inflating needs zlib, and what we write is never compressed.
 */
export function readTextChunks(bytes: Uint8Array): Record<string, string> {
  const text: Record<string, string> = {}
  for (const chunk of pngChunks(bytes)) {
    if (chunk.type !== 'tEXt' && chunk.type !== 'iTXt') continue
    const data = bytes.subarray(chunk.offset, chunk.offset + chunk.length)
    const nul = data.indexOf(0)
    if (nul < 1) continue
    const keyword = fromLatin1(data.subarray(0, nul))
    if (chunk.type === 'tEXt') {
      text[keyword] = fromLatin1(data.subarray(nul + 1))
      continue
    }
    if (data[nul + 1] !== 0) continue // compressed
    const language = data.indexOf(0, nul + 3)
    const translated = language < 0 ? -1 : data.indexOf(0, language + 1)
    if (translated < 0) continue
    text[keyword] = new TextDecoder('utf-8').decode(data.subarray(translated + 1))
  }
  return text
}

/** Inserts chunks right after IHDR, so readers find metadata before the image data. */
export function insertAfterHeader(png: Uint8Array, chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 0) return png
  const ihdr = pngChunks(png)[0]
  const at = ihdr.offset + ihdr.length + 4
  const extra = chunks.reduce((n, c) => n + c.length, 0)
  const out = new Uint8Array(png.length + extra)
  out.set(png.subarray(0, at))
  let p = at
  for (const chunk of chunks) {
    out.set(chunk, p)
    p += chunk.length
  }
  out.set(png.subarray(at), p)
  return out
}
