import { UserError } from '../engine/errors'

/**
 * Bounds on every model download: a size per file and timeouts, so a hostile or broken server
 * can neither fill memory and storage (a 3 GB reply took 9 GB and aborted V8) nor hang a run.
 * There is no overall time limit: a large model on a slow line may rightly take an hour.
 */

/** Waiting for the server's first answer (headers). */
export const CONNECT_TIMEOUT_MS = 30_000
/** Waiting for the next piece of a download that has started. */
export const STALL_TIMEOUT_MS = 60_000

const MiB = 1024 ** 2
const GiB = 1024 ** 3

/**
 * The most bytes a model file may have. A manifest's size (with 10 % slack: some are
 * approximate) when known; otherwise by kind: configs and tokenizer files are small; an .onnx
 * file is one protobuf message, which cannot exceed 2 GiB; external weights (weights.pb,
 * model.onnx_data) of the largest diffusers UNet in fp32 are about 3.5 GB.
 */
export function fileSizeLimit(path: string, knownBytes?: number): number {
  if (knownBytes !== undefined && knownBytes > 0) return Math.ceil(knownBytes * 1.1) + MiB
  if (/\.(json|txt)$/i.test(path)) return 64 * MiB
  if (/\.onnx$/i.test(path)) return 2 * GiB
  return 6 * GiB
}

/**
 * Sizes as people read them on download pages: decimal units (1 GB = 10⁹ bytes), the units
 * Hugging Face and models/README.md use, so "≈ 2.6 GB" here matches what they saw there.
 */
export function formatSize(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} kB`
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`
  return `${(bytes / 1e9).toFixed(1)} GB`
}

export function tooLarge(path: string, label: string, limit: number, said?: number): UserError {
  const size = said === undefined ? `more than ${formatSize(limit)}` : formatSize(said)
  return new UserError(
    `"${path}" from ${label} is ${size}, more than a model file of this kind can be (at most ${formatSize(limit)}); the download was stopped.`,
    'Check the address: it may not be a Stable Diffusion model in the diffusers ONNX layout.',
  )
}

export function timedOut(path: string, label: string, ms: number, started: boolean): UserError {
  const what = started ? `stopped sending "${path}"` : `did not answer for "${path}"`
  return new UserError(
    `${label} ${what} for ${Math.round(ms / 1000)} s; the download was stopped.`,
    'Check the connection and the address, then run again.',
  )
}

/**
 * `fetch` that gives up when the server does not answer within `CONNECT_TIMEOUT_MS`, and a
 * signal that the caller's own signal or a stall (see `watchStall`) also aborts.
 */
export async function fetchWithTimeout(
  url: string,
  init: RequestInit & { signal?: AbortSignal },
  context: { path: string; label: string; fetchImpl?: typeof fetch; connectMs?: number },
): Promise<{ response: Response; abort: AbortController }> {
  const abort = new AbortController()
  const outer = init.signal
  const onOuter = () => abort.abort(outer?.reason)
  if (outer?.aborted) onOuter()
  outer?.addEventListener('abort', onOuter, { once: true })
  const ms = context.connectMs ?? CONNECT_TIMEOUT_MS
  let timedOutNow = false
  const timer = setTimeout(() => {
    timedOutNow = true
    abort.abort()
  }, ms)
  try {
    const response = await (context.fetchImpl ?? fetch)(url, { ...init, signal: abort.signal })
    return { response, abort }
  } catch (error) {
    if (timedOutNow) throw timedOut(context.path, context.label, ms, false)
    throw error
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Reads a response body chunk by chunk, stopping (and aborting the request) when more than
 * `limit` bytes arrive or nothing arrives for `stallMs`. A Content-Length above the limit is
 * refused before any of the body is read.
 */
export async function* limitedChunks(
  response: Response,
  abort: AbortController,
  context: { path: string; label: string; limit: number; offset?: number; stallMs?: number },
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const { path, label, limit } = context
  const offset = context.offset ?? 0
  const said = Number(response.headers.get('content-length'))
  if (said > 0 && offset + said > limit) {
    abort.abort()
    throw tooLarge(path, label, limit, offset + said)
  }
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer())
    if (offset + bytes.byteLength > limit) throw tooLarge(path, label, limit)
    yield bytes
    return
  }
  const reader = response.body.getReader()
  const stallMs = context.stallMs ?? STALL_TIMEOUT_MS
  let received = offset
  try {
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOut(path, label, stallMs, true)), stallMs)
      })
      let next: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>
      try {
        next = await Promise.race([reader.read(), stalled])
      } finally {
        clearTimeout(timer)
      }
      if (next.done) return
      received += next.value.byteLength
      if (received > limit) throw tooLarge(path, label, limit)
      yield next.value
    }
  } catch (error) {
    abort.abort()
    await reader.cancel().catch(() => undefined) // frees the connection where abort cannot
    throw error
  } finally {
    try {
      reader.releaseLock()
    } catch {
      // a read still pending after a stall: the abort above ends it
    }
  }
}
