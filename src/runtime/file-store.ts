import { UserError } from '../engine/errors'
import { sha256Hex } from '../engine/hash'
import type { FileResolver, ResolvedFile } from '../engine/keys'
import { createWorkerHasher, hashHere, type BlobHasher } from './codec-client'
import { idbKeyValueStore, isQuotaError, type KeyValueStore } from './kv-store'
import type { BrowserFileStore } from './types'
import { createCodecWorker } from './workers'

/** A file the user dropped, as kept in IndexedDB under the SHA-256 of its bytes. */
export interface StoredFile {
  name: string
  /**
   * A Blob, which IndexedDB stores and reads back by handle (a Uint8Array of a 3-minute WAV
   * costs the page 50–90 ms to clone each way); files stored before hold a Uint8Array.
   */
  bytes: Blob | Uint8Array
  addedAt: number
}

export interface FileStoreOptions {
  store?: KeyValueStore<StoredFile>
  /** Where the app is served from (Vite's BASE_URL); bundled samples are under `samples/`. */
  baseUrl?: string
  fetch?: typeof fetch
  /** How large files are hashed; by default in a codec worker, off the page. */
  hash?: BlobHasher
}

/** Files below this are hashed in this thread: a few milliseconds, no worker to start. */
const HASH_HERE_BYTES = 4 * 1024 * 1024

export const FILES_DB = 'synesthete-files'

/**
 * A file reference. `blob:<sha256>/<name>` carries the name so that a graph opened in
 * another browser (a shared link) can say which file it is missing; `blob:<sha256>` alone
 * is accepted too.
 */
export type ParsedRef =
  | { scheme: 'sample'; name: string }
  | { scheme: 'blob'; sha256: string; name?: string }
  | { scheme: 'other'; name: string }

export function parseFileRef(ref: string): ParsedRef {
  if (ref.startsWith('sample:')) return { scheme: 'sample', name: ref.slice(7) }
  const blob = /^blob:([0-9a-f]{64})(?:\/(.*))?$/.exec(ref)
  if (blob) {
    const name = blob[2] === undefined ? undefined : safeDecode(blob[2])
    return { scheme: 'blob', sha256: blob[1], name }
  }
  return { scheme: 'other', name: ref.replace(/^file:/, '') }
}

export function blobRef(sha256: string, name: string): string {
  return `blob:${sha256}/${encodeURIComponent(name)}`
}

/** Resolves bundled samples by fetching them and dropped files from IndexedDB. */
export function createBrowserFileStore(options: FileStoreOptions = {}): BrowserFileStore {
  const store = options.store ?? idbKeyValueStore<StoredFile>(FILES_DB, 'files')
  const baseUrl = options.baseUrl ?? import.meta.env.BASE_URL
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const hashLarge = options.hash ?? defaultHasher()
  const hash = (bytes: Uint8Array, blob?: Blob): Promise<string> =>
    bytes.byteLength < HASH_HERE_BYTES
      ? sha256Hex(bytes)
      : hashLarge(blob ?? new Blob([bytes as Uint8Array<ArrayBuffer>]))
  // Keys are recomputed on every run; the same few files should not be re-read each time.
  const recent = new Map<string, Promise<ResolvedFile>>()
  // A sample's hash, once per page: bundled files do not change while it is open.
  const sampleHashes = new Map<string, string>()

  const load = async (ref: string): Promise<ResolvedFile> => {
    const parsed = parseFileRef(ref)
    if (parsed.scheme === 'sample') {
      const { name, bytes } = await fetchSample(parsed.name, baseUrl, doFetch)
      let sha256 = sampleHashes.get(name)
      if (sha256 === undefined) {
        sha256 = await hash(bytes)
        sampleHashes.set(name, sha256)
      }
      return { name, bytes, sha256 }
    }
    if (parsed.scheme === 'blob') {
      const file = await store.get(parsed.sha256)
      if (!file) throw missingFile(parsed.name)
      const bytes =
        file.bytes instanceof Blob ? new Uint8Array(await file.bytes.arrayBuffer()) : file.bytes
      // Stored under the hash of these bytes (add): the key needs no second hashing.
      return { name: file.name, bytes, sha256: parsed.sha256 }
    }
    throw new UserError(
      `This graph refers to a file on a disk ("${parsed.name}"), which the browser cannot open.`,
      'Drop the file on the node to use it here.',
    )
  }

  const resolve: FileResolver = (ref) => {
    let promise = recent.get(ref)
    if (!promise) {
      promise = load(ref)
      promise.catch(() => recent.delete(ref)) // a failure is not remembered: retry next run
      recent.set(ref, promise)
      if (recent.size > 4) recent.delete(recent.keys().next().value as string)
    }
    return promise
  }

  const add = async (bytes: Uint8Array, name: string): Promise<string> => {
    // One copy into a Blob, which the hashing worker and IndexedDB both take by handle.
    const blob = await blobInSlices(bytes)
    const sha256 = await hash(bytes, blob)
    try {
      await store.set(sha256, { name, bytes: blob, addedAt: Date.now() })
    } catch (error) {
      if (!isQuotaError(error)) throw error
      throw new UserError(
        `There is no room left in this browser's storage for "${name}".`,
        'Clear the cache, or free some disk space, and drop the file again.',
      )
    }
    const ref = blobRef(sha256, name)
    recent.set(ref, Promise.resolve({ name, bytes, sha256 }))
    return ref
  }

  return { resolve, add }
}

/** Bytes copied into a Blob between two yields to the page: a few milliseconds of work. */
const BLOB_SLICE_BYTES = 4 * 1024 * 1024

/**
 * The bytes as a Blob, copied a slice per task: one `new Blob` of a 3-minute WAV is a 46 ms
 * task, and a Blob made of Blobs refers to them without copying again.
 */
async function blobInSlices(bytes: Uint8Array): Promise<Blob> {
  if (bytes.byteLength <= BLOB_SLICE_BYTES) return new Blob([bytes as Uint8Array<ArrayBuffer>])
  const parts: Blob[] = []
  for (let at = 0; at < bytes.byteLength; at += BLOB_SLICE_BYTES) {
    parts.push(new Blob([bytes.subarray(at, at + BLOB_SLICE_BYTES) as Uint8Array<ArrayBuffer>]))
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return new Blob(parts)
}

/** The codec worker where workers exist (started on the first large file), else this thread. */
function defaultHasher(): BlobHasher {
  if (typeof Worker === 'undefined') return hashHere
  return createWorkerHasher(createCodecWorker)
}

async function fetchSample(name: string, baseUrl: string, doFetch: typeof fetch) {
  const url = `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}samples/${encodeURIComponent(name)}`
  let response: Response
  try {
    response = await doFetch(url)
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    throw new UserError(
      `The bundled sample "${name}" could not be loaded (${why}).`,
      'Reload the page.',
    )
  }
  if (!response.ok) {
    throw new UserError(
      `The bundled sample "${name}" could not be loaded (HTTP ${response.status}).`,
      response.status === 404
        ? 'This version of Synesthete does not ship it; choose another file.'
        : 'Reload the page.',
    )
  }
  return { name, bytes: new Uint8Array(await response.arrayBuffer()) }
}

/**
 * The error on the node whose file this browser no longer has. Which node reads it is not
 * guessed from the name: the error is shown on that node, so "this node" names it.
 */
function missingFile(name: string | undefined): UserError {
  return new UserError(
    name
      ? `The file '${name}' is no longer stored in this browser.`
      : 'The file this node used is no longer stored in this browser.',
    'Drop it again on this node.',
  )
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
