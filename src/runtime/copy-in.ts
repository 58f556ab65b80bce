import type { EncodedRef } from '../engine/codec'
import type { NodeJob } from '../engine/runner'

/** Arrays below this are left to postMessage's structured clone (one quick copy). */
const LARGE_BYTES = 256 * 1024
/** Bytes copied between two yields to the page: a few milliseconds of work here. */
const SLICE_BYTES = 4 * 1024 * 1024

/** A job ready to post: what to transfer, and the inputs that travel as encoded Blobs. */
export interface PreparedJob {
  job: NodeJob
  transfer: ArrayBuffer[]
  /**
   * Inputs left out of `job` (undefined there) that the worker reads from the Blob their
   * producer encoded for the cache (worker-host.ts), by input port.
   */
  encoded?: Record<string, EncodedRef>
}

/**
 * The job as it should be posted to a worker. The inputs cannot be transferred (the cache and
 * previews still hold them), and postMessage's structured clone copies them in one
 * synchronous task: about 55 ms for a 3-minute stereo file on our machines.
 *
 * A large input that came from a worker or from IndexedDB already has its bytes in a Blob
 * (the job's `stored`, from its producer's Computed result): that handle is sent instead, and the worker decodes it. The page then does
 * no copying at all; copying even in slices cost the page about 65 ms of CPU per 3-minute
 * stereo input on 2 cores, and 64 MB of fresh page memory that V8 counts towards its next
 * full GC. Other large arrays (file bytes, values made elsewhere) are copied into fresh
 * buffers in slices, yielding between them, and the copies transferred.
 */
export async function prepareJob(
  given: NodeJob,
  options: { copyOnly?: boolean } = {},
): Promise<PreparedJob> {
  const { stored, ...plain } = given // the handles travel beside the job, as `encoded`
  let job: NodeJob = plain
  if (!hasLarge(job)) return { job, transfer: [] } // most jobs: numbers, small images
  let encoded: Record<string, EncodedRef> | undefined
  if (!options.copyOnly) {
    const inputs = { ...job.inputs }
    for (const [port, value] of Object.entries(job.inputs)) {
      const ref = value && hasLarge(value) ? stored?.[port] : undefined
      if (!ref) continue
      encoded = { ...encoded, [port]: ref }
      inputs[port] = undefined
    }
    if (encoded) job = { ...job, inputs }
  }
  const transfer: ArrayBuffer[] = []
  const copies = new Map<ArrayBufferView, ArrayBufferView>()
  let sinceYield = 0

  const copyView = async (view: ArrayBufferView): Promise<ArrayBufferView> => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
    const target = new Uint8Array(view.byteLength)
    for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
      target.set(bytes.subarray(at, at + SLICE_BYTES), at)
      sinceYield += Math.min(SLICE_BYTES, bytes.length - at)
      if (sinceYield >= SLICE_BYTES) {
        sinceYield = 0
        await yieldToPage()
      }
    }
    transfer.push(target.buffer)
    const Kind = view.constructor as new (buffer: ArrayBuffer) => ArrayBufferView
    return new Kind(target.buffer)
  }

  const walk = async (value: unknown): Promise<unknown> => {
    if (ArrayBuffer.isView(value)) {
      if (value.byteLength < LARGE_BYTES || value instanceof DataView) return value
      let copy = copies.get(value)
      if (!copy) {
        copy = await copyView(value)
        copies.set(value, copy)
      }
      return copy
    }
    if (Array.isArray(value)) {
      const out: unknown[] = []
      for (const item of value) out.push(await walk(item))
      return out
    }
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) out[key] = await walk(item)
      return out
    }
    return value
  }

  return { job: (await walk(job)) as NodeJob, transfer, encoded }
}

function hasLarge(value: unknown): boolean {
  if (ArrayBuffer.isView(value)) return value.byteLength >= LARGE_BYTES
  if (value === null || typeof value !== 'object') return false
  return Object.values(value).some(hasLarge)
}

/** Lets the page handle input and paint between slices of work. */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler
  if (scheduler?.yield) return scheduler.yield()
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      // An open port keeps Node's event loop alive: unclosed, the CLI never exited.
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(undefined)
  })
}
