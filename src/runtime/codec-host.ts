import { decodeOutputs, type NodeOutputs } from '../engine/codec'
import { serializeError, transferListOf, type SerializedError } from './protocol'

export interface DecodeRequest {
  id: number
  blob: Blob
}

export type DecodeReply =
  { id: number; outputs: NodeOutputs } | { id: number; error: SerializedError }

/** Reads and decodes one entry; its arrays go back as transferables. */
export async function decodeWithTransfer(
  request: DecodeRequest,
): Promise<{ reply: DecodeReply; transfer: ArrayBuffer[] }> {
  try {
    const outputs = decodeOutputs(new Uint8Array(await request.blob.arrayBuffer()))
    return { reply: { id: request.id, outputs }, transfer: transferListOf(outputs) }
  } catch (error) {
    return { reply: { id: request.id, error: serializeError(error) }, transfer: [] }
  }
}
