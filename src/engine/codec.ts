import type { RunReport } from './define-node'
import { joinArrays } from './join-arrays'
import type { Value } from './values'

/**
 * A node's outputs as one compact binary blob, for the disk and IndexedDB caches: a JSON
 * header describing the values (and the node's run report), with every Float32Array replaced
 * by a reference into the binary body that follows (aligned to 4 bytes). No per-node code:
 * values are plain data.
 */

export type NodeOutputs = Record<string, Value>

/** Where an input's bytes already sit: the encoded result of its producer, and its port there. */
export interface EncodedRef {
  blob: Blob
  port: string
}

/**
 * A node's result as runners return it and caches keep it: the values, what the node reported
 * about the run (`ctx.report`), and, where one was made, the same result already encoded
 * (`encodeResult`, in a Blob). A worker encodes before it transfers its arrays and IndexedDB
 * reads entries as Blobs: storing that Blob again, or sending it to the next worker instead of
 * the arrays, costs the page no copy (src/runtime/copy-in.ts). The Blob is only ever the
 * encoding of these outputs and report.
 */
export interface Computed {
  outputs: NodeOutputs
  report?: RunReport
  encoded?: Blob
}

/** SYNV1 entries hold outputs only; SYNV2 headers are `{ outputs, report? }`. */
const MAGIC_V1 = 'SYNV1'
const MAGIC = 'SYNV2'
const encoder = new TextEncoder()
const decoder = new TextDecoder()

interface ArrayRef {
  $f32: [offset: number, length: number]
}

/**
 * The encoding as parts, without copying the arrays: the magic, header and padding, then a
 * view of each array's bytes. Written one after another they are encodeResult's bytes (the
 * disk cache hashes and writes them so, sparing two copies of every array).
 */
export function encodeResultParts(result: Pick<Computed, 'outputs' | 'report'>): Uint8Array[] {
  const arrays: Float32Array[] = []
  let offset = 0
  const body = result.report
    ? { outputs: result.outputs, report: result.report }
    : { outputs: result.outputs }
  const header = JSON.stringify(body, (_key, value: unknown) => {
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
  return encodeResult({ outputs })
}

/** The outputs and report of a result in the cache's binary form (its Blob is not encoded). */
export function encodeResult(result: Pick<Computed, 'outputs' | 'report'>): Uint8Array {
  return joinArrays(Uint8Array, encodeResultParts(result))
}

export function decodeOutputs(bytes: Uint8Array): NodeOutputs {
  return decodeResult(bytes).outputs
}

/** A result read back from `encodeResult`'s bytes (or an older entry's, outputs only). */
export function decodeResult(bytes: Uint8Array): { outputs: NodeOutputs; report?: RunReport } {
  const magic = decoder.decode(bytes.subarray(0, MAGIC.length))
  if (magic !== MAGIC && magic !== MAGIC_V1) {
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
  const parsed: unknown = JSON.parse(header, (_key, value: unknown) => {
    if (isArrayRef(value)) {
      const [offset, length] = value.$f32
      if (offset + length * 4 > body.byteLength) throw new Error('Truncated cache entry')
      return new Float32Array(body, offset, length)
    }
    return value
  })
  if (magic === MAGIC_V1) return { outputs: parsed as NodeOutputs }
  const { outputs, report } = (parsed ?? {}) as { outputs?: unknown; report?: unknown }
  if (!isObject(outputs)) throw new Error('A cache entry without outputs')
  // A report that is not an object is dropped rather than trusted (it only describes the run).
  return isObject(report)
    ? { outputs: outputs as NodeOutputs, report }
    : { outputs: outputs as NodeOutputs }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isArrayRef(value: unknown): value is ArrayRef {
  return typeof value === 'object' && value !== null && '$f32' in value
}

function align4(n: number): number {
  return (n + 3) & ~3
}
