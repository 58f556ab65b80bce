import type { NodeJob } from '../engine/runner'

/** Arrays below this are left to postMessage's structured clone (one quick copy). */
const LARGE_BYTES = 256 * 1024
/** Bytes copied between two yields to the page: a few milliseconds of work here. */
const SLICE_BYTES = 4 * 1024 * 1024

/**
 * A copy of the job whose large typed arrays are fresh buffers, ready to transfer. The
 * inputs cannot be transferred themselves (the cache and previews still hold them), and
 * postMessage's structured clone copies them in one synchronous task: about 55 ms for a
 * 3-minute stereo file on our machines. Copying in slices and yielding between them costs
 * about the same in total but never blocks the page for long.
 */
export async function prepareJob(job: NodeJob): Promise<{ job: NodeJob; transfer: ArrayBuffer[] }> {
  if (!hasLarge(job)) return { job, transfer: [] } // most jobs: numbers, small images
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

  return { job: (await walk(job)) as NodeJob, transfer }
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
    channel.port1.onmessage = () => resolve()
    channel.port2.postMessage(undefined)
  })
}
