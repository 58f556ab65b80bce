import { decodeOutputs, type NodeOutputs } from '../../engine/codec'
import { isThumbValue, thumbDataOf, thumbTransferList, type ThumbData } from './thumb-data'

/** A preview asked of the thumbnail worker: the value is read from its cache Blob. */
export interface ThumbRequest {
  id: number
  blob: Blob
  port: string
}

export type ThumbReply = { id: number; data: ThumbData } | { id: number; error: string }

/**
 * The thumbnail worker's side (thumbs.worker.ts): decodes the Blob, makes the preview of one
 * port and sends back only that. Requests for the same Blob while it is being read (two
 * ports of one node) share one decoding; nothing is kept after the last one is answered.
 */
export function createThumbHost(): (
  request: ThumbRequest,
) => Promise<{ reply: ThumbReply; transfer: ArrayBuffer[] }> {
  const reading = new Map<Blob, { outputs: Promise<NodeOutputs>; waiting: number }>()
  return async ({ id, blob, port }) => {
    let entry = reading.get(blob)
    if (!entry) {
      const outputs = blob.arrayBuffer().then((buffer) => decodeOutputs(new Uint8Array(buffer)))
      entry = { outputs, waiting: 0 }
      reading.set(blob, entry)
    }
    entry.waiting++
    try {
      const value = (await entry.outputs)[port] as NodeOutputs[string] | undefined
      if (!value || !isThumbValue(value)) throw new Error(`No output "${port}" to preview`)
      const data = thumbDataOf(value)
      return { reply: { id, data }, transfer: thumbTransferList(data) }
    } catch (error) {
      return {
        reply: { id, error: error instanceof Error ? error.message : String(error) },
        transfer: [],
      }
    } finally {
      if (--entry.waiting === 0) reading.delete(blob)
    }
  }
}
