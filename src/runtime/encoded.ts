import type { NodeOutputs } from '../engine/codec'

/**
 * Outputs that a worker already encoded for the cache (engine codec bytes in a Blob). The
 * worker encodes before it transfers the arrays, so the main thread never copies a large
 * result to store it: IndexedDB takes the Blob as a cheap handle.
 */
const encodedBlobs = new WeakMap<NodeOutputs, Blob>()

export function rememberEncoded(outputs: NodeOutputs, blob: Blob): void {
  encodedBlobs.set(outputs, blob)
}

export function encodedOf(outputs: NodeOutputs): Blob | undefined {
  return encodedBlobs.get(outputs)
}
