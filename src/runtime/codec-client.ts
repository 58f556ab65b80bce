import { decodeOutputs, type NodeOutputs } from '../engine/codec'
import type { DecodeReply } from './codec-host'
import { reviveError } from './protocol'

class WorkerFailed extends Error {}

export type BlobDecoder = (blob: Blob) => Promise<NodeOutputs>

/** Decodes in this thread: for Node tests, and when no worker can be started. */
export const decodeHere: BlobDecoder = async (blob) =>
  decodeOutputs(new Uint8Array(await blob.arrayBuffer()))

/**
 * Decodes cache entries in a worker of their own, which transfers the arrays back. Reading
 * a 3-minute stereo result this way costs the page almost nothing, where decoding it here
 * is a long task. Falls back to decoding here if the worker fails.
 */
export function createWorkerDecoder(createWorker: () => Worker): BlobDecoder & { dispose(): void } {
  let worker: Worker | undefined
  let nextId = 1
  const waiting = new Map<number, { resolve(o: NodeOutputs): void; reject(e: Error): void }>()

  const start = (): Worker => {
    const w = createWorker()
    w.addEventListener('message', (event: MessageEvent<DecodeReply>) => {
      const reply = event.data
      const pending = waiting.get(reply.id)
      waiting.delete(reply.id)
      if ('outputs' in reply) pending?.resolve(reply.outputs)
      else pending?.reject(reviveError(reply.error))
    })
    w.addEventListener('error', (event) => {
      event.preventDefault()
      w.terminate()
      if (worker === w) worker = undefined
      for (const pending of waiting.values()) pending.reject(new WorkerFailed())
      waiting.clear()
    })
    return w
  }

  const decode = async (blob: Blob): Promise<NodeOutputs> => {
    let target: Worker
    try {
      target = worker ??= start()
    } catch {
      return decodeHere(blob) // no workers here (CSP, an old browser): decode in this thread
    }
    const id = nextId++
    try {
      return await new Promise<NodeOutputs>((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        target.postMessage({ id, blob })
      })
    } catch (error) {
      if (error instanceof WorkerFailed) return decodeHere(blob)
      throw error // the entry itself is damaged
    }
  }
  return Object.assign(decode, {
    dispose: () => {
      worker?.terminate()
      worker = undefined
    },
  })
}
