import { decodeResult, type Computed } from '../engine/codec'
import { sha256Hex } from '../engine/hash'
import type { CodecReply, CodecRequest } from './codec-host'
import { reviveError } from './protocol'

class WorkerFailed extends Error {}

/** A stored entry's outputs and report, read back from its Blob. */
export type Decoded = Omit<Computed, 'encoded'>
export type BlobDecoder = (blob: Blob) => Promise<Decoded>
/** The SHA-256 of a Blob's bytes, as hex. */
export type BlobHasher = (blob: Blob) => Promise<string>

/** Decodes in this thread: for Node tests, and when no worker can be started. */
export const decodeHere: BlobDecoder = async (blob) =>
  decodeResult(new Uint8Array(await blob.arrayBuffer()))

/** Hashes in this thread (Chromium digests on the calling thread: 90 ms for 30 MB). */
export const hashHere: BlobHasher = async (blob) =>
  sha256Hex(new Uint8Array(await blob.arrayBuffer()))

type Answer<Op extends CodecRequest['op']> = Op extends 'decode' ? Decoded : string

/**
 * One codec worker, started on first use, and the requests waiting on it. If the worker
 * cannot start or dies, requests fall back to the work done in this thread.
 */
function codecWorker(createWorker: () => Worker) {
  let worker: Worker | undefined
  let nextId = 1
  const waiting = new Map<number, { resolve(a: unknown): void; reject(e: Error): void }>()

  const start = (): Worker => {
    const w = createWorker()
    w.addEventListener('message', (event: MessageEvent<CodecReply>) => {
      const reply = event.data
      const pending = waiting.get(reply.id)
      waiting.delete(reply.id)
      if ('error' in reply) pending?.reject(reviveError(reply.error))
      else pending?.resolve('decoded' in reply ? reply.decoded : reply.sha256)
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

  const call = async <Op extends CodecRequest['op']>(
    op: Op,
    blob: Blob,
    here: (blob: Blob) => Promise<Answer<Op>>,
  ): Promise<Answer<Op>> => {
    let target: Worker
    try {
      target = worker ??= start()
    } catch {
      return here(blob) // no workers here (CSP, an old browser): do it in this thread
    }
    const id = nextId++
    try {
      return await new Promise<Answer<Op>>((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        target.postMessage({ id, op, blob })
      })
    } catch (error) {
      if (error instanceof WorkerFailed) return here(blob)
      throw error // the Blob itself is unreadable, or not a cache entry
    }
  }

  const dispose = () => {
    worker?.terminate()
    worker = undefined
  }
  return { call, dispose }
}

/**
 * Decodes cache entries in a worker of their own, which transfers the arrays back. Reading
 * a 3-minute stereo result this way costs the page almost nothing, where decoding it here
 * is a long task. Falls back to decoding here if the worker fails.
 */
export function createWorkerDecoder(createWorker: () => Worker): BlobDecoder & { dispose(): void } {
  const { call, dispose } = codecWorker(createWorker)
  return Object.assign((blob: Blob) => call('decode', blob, decodeHere), { dispose })
}

/**
 * Hashes Blobs in a codec worker: a dropped 3-minute WAV takes the page a few milliseconds
 * (handing over the Blob) instead of a 90 ms long task. Falls back to hashing here.
 */
export function createWorkerHasher(createWorker: () => Worker): BlobHasher & { dispose(): void } {
  const { call, dispose } = codecWorker(createWorker)
  return Object.assign((blob: Blob) => call('sha256', blob, hashHere), { dispose })
}
