import type { Value } from './values'

/**
 * A node's outputs as one compact binary blob, for the disk and IndexedDB caches: a JSON
 * header describing the values, with every Float32Array replaced by a reference into the
 * binary body that follows (aligned to 4 bytes). No per-node code: values are plain data.
 */

export type NodeOutputs = Record<string, Value>

const MAGIC = 'SYNV1'
const encoder = new TextEncoder()
const decoder = new TextDecoder()

interface ArrayRef {
  $f32: [offset: number, length: number]
}

/**
 * The encoding as parts, without copying the arrays: the magic, header and padding, then a
 * view of each array's bytes. Written one after another they are encodeOutputs' bytes (the
 * disk cache hashes and writes them so, sparing two copies of every array).
 */
export function encodeOutputParts(outputs: NodeOutputs): Uint8Array[] {
  const arrays: Float32Array[] = []
  let offset = 0
  const header = JSON.stringify(outputs, (_key, value: unknown) => {
    if (value instanceof Float32Array) {
      const ref: ArrayRef = { $f32: [offset, value.length] }
      arrays.push(value)
      offset += value.byteLength
      return ref
    }
    return value
  })
  const headerBytes = encoder.encode(header)
  const head = new Uint8Array(align4(MAGIC.length + 4 + headerBytes.length))
  head.set(encoder.encode(MAGIC), 0)
  new DataView(head.buffer).setUint32(MAGIC.length, headerBytes.length, true)
  head.set(headerBytes, MAGIC.length + 4)
  return [head, ...arrays.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength))]
}

export function encodeOutputs(outputs: NodeOutputs): Uint8Array {
  const parts = encodeOutputParts(outputs)
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

export function decodeOutputs(bytes: Uint8Array): NodeOutputs {
  if (decoder.decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new Error('Not a Synesthete cache entry')
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = view.getUint32(MAGIC.length, true)
  const headerEnd = MAGIC.length + 4 + headerLength
  if (headerEnd > bytes.length) throw new Error('Truncated cache entry')
  const bodyStart = align4(headerEnd)
  // Copy the body once so every array is 4-byte aligned and owns a transferable buffer.
  const body = bytes.slice(bodyStart).buffer
  const header = decoder.decode(bytes.subarray(MAGIC.length + 4, headerEnd))
  return JSON.parse(header, (_key, value: unknown) => {
    if (isArrayRef(value)) {
      const [offset, length] = value.$f32
      if (offset + length * 4 > body.byteLength) throw new Error('Truncated cache entry')
      return new Float32Array(body, offset, length)
    }
    return value
  }) as NodeOutputs
}

function isArrayRef(value: unknown): value is ArrayRef {
  return typeof value === 'object' && value !== null && '$f32' in value
}

function align4(n: number): number {
  return (n + 3) & ~3
}
