import { decodeResult, type Computed } from '../engine/codec'
import { sha256Hex } from '../engine/hash'
import { serializeError, transferListOf, type SerializedError } from './protocol'

/** What the codec worker does with a Blob: decode a cache entry, or hash a dropped file. */
export type CodecRequest =
  { id: number; op: 'decode'; blob: Blob } | { id: number; op: 'sha256'; blob: Blob }

export type CodecReply =
  | { id: number; decoded: Omit<Computed, 'encoded'> }
  | { id: number; sha256: string }
  | { id: number; error: SerializedError }

/** Answers one request; decoded arrays go back as transferables. */
export async function answerCodecRequest(
  request: CodecRequest,
): Promise<{ reply: CodecReply; transfer: ArrayBuffer[] }> {
  try {
    const bytes = new Uint8Array(await request.blob.arrayBuffer())
    if (request.op === 'sha256') {
      return { reply: { id: request.id, sha256: await sha256Hex(bytes) }, transfer: [] }
    }
    const decoded = decodeResult(bytes)
    return { reply: { id: request.id, decoded }, transfer: transferListOf(decoded.outputs) }
  } catch (error) {
    return { reply: { id: request.id, error: serializeError(error) }, transfer: [] }
  }
}
