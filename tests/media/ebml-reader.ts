/**
 * A small EBML (Matroska/WebM) reader for tests: walks elements, so the muxer's output can be
 * checked and ffmpeg's files taken apart into packets. Test code, not a general demuxer.
 */

export interface Element {
  id: number
  /** Offset of the element's data in the file. */
  start: number
  size: number
  /** Offset of the element's id. */
  at: number
}

const MASTER = new Set([
  0x1a45dfa3, 0x18538067, 0x114d9b74, 0x4dbb, 0x1549a966, 0x1654ae6b, 0xae, 0xe0, 0xe1, 0x1f43b675,
  0xa0, 0x1c53bb6b, 0xbb, 0xb7,
])

function vint(
  bytes: Uint8Array,
  at: number,
  keepMarker: boolean,
): { value: number; length: number } {
  const first = bytes[at]
  let length = 1
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++
  if (length > 8) throw new Error(`Bad EBML vint at ${at}`)
  let value = keepMarker ? first : first & (0xff >> length)
  for (let i = 1; i < length; i++) value = value * 256 + bytes[at + i]
  return { value, length }
}

/** The direct children of the element whose data spans [start, end). */
export function children(bytes: Uint8Array, start: number, end: number): Element[] {
  const out: Element[] = []
  let at = start
  while (at < end) {
    const id = vint(bytes, at, true)
    const size = vint(bytes, at + id.length, false)
    const dataStart = at + id.length + size.length
    if (dataStart + size.value > end) throw new Error(`Element ${id.value.toString(16)} overruns`)
    out.push({ id: id.value, start: dataStart, size: size.value, at })
    at = dataStart + size.value
  }
  return out
}

export const isMaster = (id: number) => MASTER.has(id)

export function child(bytes: Uint8Array, parent: Element, id: number): Element | undefined {
  return children(bytes, parent.start, parent.start + parent.size).find((e) => e.id === id)
}

export function uintOf(bytes: Uint8Array, e: Element): number {
  let v = 0
  for (let i = 0; i < e.size; i++) v = v * 256 + bytes[e.start + i]
  return v
}

export function floatOf(bytes: Uint8Array, e: Element): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + e.start, e.size)
  return e.size === 4 ? view.getFloat32(0) : view.getFloat64(0)
}

export function textOf(bytes: Uint8Array, e: Element): string {
  return new TextDecoder().decode(bytes.subarray(e.start, e.start + e.size))
}

export interface Packet {
  track: number
  timeMs: number
  key: boolean
  data: Uint8Array
}

/** Every block of every cluster in a segment, with absolute times (TimestampScale 1 ms). */
export function packets(bytes: Uint8Array, segment: Element): Packet[] {
  const out: Packet[] = []
  const block = (e: Element, clusterMs: number, simple: boolean, key?: boolean) => {
    const track = vint(bytes, e.start, false)
    const view = new DataView(bytes.buffer, bytes.byteOffset + e.start + track.length, 3)
    const flags = view.getUint8(2)
    out.push({
      track: track.value,
      timeMs: clusterMs + view.getInt16(0),
      key: simple ? (flags & 0x80) !== 0 : (key ?? true),
      data: bytes.slice(e.start + track.length + 3, e.start + e.size),
    })
  }
  for (const cluster of children(bytes, segment.start, segment.start + segment.size)) {
    if (cluster.id !== 0x1f43b675) continue
    const parts = children(bytes, cluster.start, cluster.start + cluster.size)
    const time = parts.find((p) => p.id === 0xe7)
    const clusterMs = time ? uintOf(bytes, time) : 0
    for (const part of parts) {
      if (part.id === 0xa3) block(part, clusterMs, true)
      if (part.id === 0xa0) {
        const inner = children(bytes, part.start, part.start + part.size)
        const b = inner.find((p) => p.id === 0xa1)
        const referenced = inner.some((p) => p.id === 0xfb)
        if (b) block(b, clusterMs, false, !referenced)
      }
    }
  }
  return out
}
