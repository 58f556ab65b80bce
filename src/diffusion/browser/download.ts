import { fetchWithTimeout, fileSizeLimit, limitedChunks, tooLarge } from '../fetch-limits'
import { HttpError, MissingFileError, type ProgressFn } from '../source'

/**
 * Resumable downloads of large model files. A partly downloaded file stays in storage; the next
 * attempt asks the server for the rest with an HTTP Range request (RFC 9110 §14) and appends.
 * When the server ignores the range (200 instead of 206) the download starts over. Plain TS over
 * `fetch` and a `PartialStore`, so the logic is tested in Node with an in-memory store.
 */

export interface PartialStore {
  /** Bytes of the file stored so far (0 when none). */
  size(): Promise<number>
  append(chunk: Uint8Array): Promise<void>
  /** Forgets what was stored, to start over. */
  reset(): Promise<void>
  /** Marks the file complete and returns all its bytes. */
  complete(): Promise<Uint8Array>
  /**
   * Writes what is buffered, when a download stops early (cancel, lost connection), so the
   * next attempt resumes from everything received rather than from the last flush.
   */
  persist?(): Promise<void>
}

export interface DownloadOptions {
  onProgress?: ProgressFn
  signal?: AbortSignal
  fetchImpl?: typeof fetch
  /** For messages: the file's path in the model and the model's label. */
  path: string
  label: string
  /** The most bytes the whole file may have; by default what a file at `path` can be. */
  limit?: number
}

/** The total size from `Content-Range: bytes a-b/total` (206) or Content-Length (200). */
function totalSize(response: Response, offset: number): number | undefined {
  const range = response.headers.get('content-range')
  const match = range ? /\/(\d+)\s*$/.exec(range) : null
  if (match) return Number(match[1])
  const length = Number(response.headers.get('content-length'))
  return length > 0 ? offset + length : undefined
}

export async function downloadResumable(
  url: string,
  store: PartialStore,
  options: DownloadOptions,
): Promise<Uint8Array> {
  const { path, label } = options
  const limit = options.limit ?? fileSizeLimit(path)
  let offset = await store.size()
  const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {}
  const { response, abort } = await fetchWithTimeout(
    url,
    { headers, signal: options.signal },
    { path, label, fetchImpl: options.fetchImpl },
  )
  // 416: nothing left to send — what we hold is the whole file.
  if (response.status === 416 && offset > 0) return store.complete()
  if (response.status === 404) throw new MissingFileError(options.path, options.label)
  if (!response.ok) throw new HttpError(options.path, options.label, response.status)
  if (response.status !== 206 && offset > 0) {
    await store.reset()
    offset = 0
  }
  const total = totalSize(response, offset)
  if (total !== undefined && total > limit) {
    abort.abort()
    throw tooLarge(path, label, limit, total)
  }
  try {
    for await (const value of limitedChunks(response, abort, { path, label, limit, offset })) {
      await store.append(value)
      offset += value.byteLength
      options.onProgress?.(offset, total)
    }
    if (total !== undefined && offset !== total) {
      throw new Error(`${options.label}: "${options.path}" stopped at ${offset} of ${total} bytes`)
    }
  } catch (error) {
    // Keep every byte received; a failure to save them must not hide the first error.
    await store.persist?.().catch(() => undefined)
    throw error
  }
  return store.complete()
}

/** A PartialStore in memory (tests; browsers without OPFS keep nothing between visits). */
export function memoryPartialStore(): PartialStore & { chunks: Uint8Array[]; done: boolean } {
  const state = { chunks: [] as Uint8Array[], done: false }
  const size = () => state.chunks.reduce((n, c) => n + c.byteLength, 0)
  return Object.assign(state, {
    size: () => Promise.resolve(size()),
    append: (chunk: Uint8Array) => {
      state.chunks.push(chunk.slice())
      return Promise.resolve()
    },
    reset: () => {
      state.chunks = []
      return Promise.resolve()
    },
    complete: () => {
      const out = new Uint8Array(size())
      let at = 0
      for (const c of state.chunks) {
        out.set(c, at)
        at += c.byteLength
      }
      state.done = true
      return Promise.resolve(out)
    },
  })
}
