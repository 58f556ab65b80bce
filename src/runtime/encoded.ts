import type { NodeOutputs } from '../engine/codec'
import type { Value } from '../engine/values'

/**
 * Outputs that a worker already encoded for the cache (engine codec bytes in a Blob). The
 * worker encodes before it transfers the arrays, so the main thread never copies a large
 * result to store it: IndexedDB takes the Blob as a cheap handle.
 */
const encodedBlobs = new WeakMap<NodeOutputs, Blob>()

/** Where a value can be read back from: the Blob of the outputs it belongs to, and its port. */
export interface EncodedRef {
  blob: Blob
  port: string
}

/**
 * The same Blobs by value: a large value goes to the next worker as this handle, which that
 * worker decodes, instead of as a copy of its arrays made on the page (see copy-in.ts).
 */
const encodedValues = new WeakMap<Value, EncodedRef>()

/**
 * The error name a worker answers with when it could not read such a Blob (it never should):
 * the page then sends that job again with copies of the arrays.
 */
export const ENCODED_INPUT_UNREADABLE = 'EncodedInputUnreadable'

export function rememberEncoded(outputs: NodeOutputs, blob: Blob): void {
  encodedBlobs.set(outputs, blob)
  for (const [port, value] of Object.entries(outputs)) {
    if (typeof value === 'object' && value !== null) encodedValues.set(value, { blob, port })
  }
}

export function encodedOf(outputs: NodeOutputs): Blob | undefined {
  return encodedBlobs.get(outputs)
}

export function encodedValueOf(value: Value): EncodedRef | undefined {
  return encodedValues.get(value)
}
