import { fetchBytes, MissingFileError, type ModelSource } from '../source'
import { downloadResumable, type PartialStore } from './download'
import { requireModelDownloadAllowed } from './model-permissions'

/**
 * Model files kept in the Origin Private File System (OPFS), so a second visit loads a model
 * without downloading it again. Works in the GPU worker (OPFS is available to workers).
 *
 *   synesthete-models/<model key>/<path>.part   while downloading (resumed by Range requests)
 *   synesthete-models/<model key>/<path>        once complete
 *
 * Where OPFS is missing, files are fetched every time (and a note says so).
 */

const ROOT = 'synesthete-models'
/** Write to OPFS every 32 MB: a crash loses at most that much of a download. */
const FLUSH_BYTES = 32 * 1024 * 1024

export function hasOpfs(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function'
}

/** A folder-safe key for a model's base URL. */
export function storageKey(id: string): string {
  return id
    .replace(/^https?:\/\//, '')
    .replace(/[^a-zA-Z0-9._-]+/g, '_')
    .slice(0, 200)
}

async function folder(parts: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
  let dir = await navigator.storage.getDirectory()
  for (const part of parts) dir = await dir.getDirectoryHandle(part, { create })
  return dir
}

async function existing(dir: FileSystemDirectoryHandle, name: string) {
  try {
    return await dir.getFileHandle(name)
  } catch {
    return undefined
  }
}

type Movable = FileSystemFileHandle & { move?(name: string): Promise<void> }

/** `readBack: false` (prefetching on the page): complete() leaves the bytes in storage. */
function opfsPartialStore(
  dir: FileSystemDirectoryHandle,
  name: string,
  readBack = true,
): PartialStore {
  const partName = `${name}.part`
  let pending: Uint8Array<ArrayBuffer>[] = []
  let pendingBytes = 0
  const handle = () => dir.getFileHandle(partName, { create: true })
  const flush = async () => {
    if (pendingBytes === 0) return
    const file = await handle()
    const size = (await file.getFile()).size
    const writable = await file.createWritable({ keepExistingData: true })
    await writable.seek(size)
    for (const chunk of pending) await writable.write(chunk)
    await writable.close()
    pending = []
    pendingBytes = 0
  }
  return {
    async size() {
      const file = await existing(dir, partName)
      return (file ? (await file.getFile()).size : 0) + pendingBytes
    },
    async append(chunk) {
      pending.push(chunk.slice())
      pendingBytes += chunk.byteLength
      if (pendingBytes >= FLUSH_BYTES) await flush()
    },
    async reset() {
      pending = []
      pendingBytes = 0
      await dir.removeEntry(partName).catch(() => undefined)
    },
    persist: flush,
    async complete() {
      await flush()
      const part = (await handle()) as Movable
      if (part.move) {
        const bytes = readBack ? new Uint8Array(await (await part.getFile()).arrayBuffer()) : NONE
        await part.move(name)
        return bytes
      } else {
        const bytes = new Uint8Array(await (await part.getFile()).arrayBuffer())
        const done = await dir.getFileHandle(name, { create: true })
        const writable = await done.createWritable()
        await writable.write(bytes)
        await writable.close()
        await dir.removeEntry(partName)
        return readBack ? bytes : NONE
      }
    },
  }
}

const NONE = new Uint8Array(0)

/**
 * One download of a file at a time across the page and the GPU worker (a Web Lock per file):
 * two writers appending to the same `.part` would corrupt it. The second waits, then finds
 * the file complete.
 */
function oneAtATime<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
  return locks ? locks.request(`synesthete-model-file:${name}`, work) : work()
}

export interface StoreOptions {
  /** Stops the download; what arrived stays stored and the next attempt resumes. */
  signal?: AbortSignal
}

/**
 * A model at a base URL, stored in OPFS as it downloads. `files`, when given (from a manifest),
 * says which paths exist, so optional files are not requested from the server at all.
 */
export function storedUrlSource(
  base: string,
  files?: readonly string[],
  options: StoreOptions = {},
): ModelSource {
  const root = base.endsWith('/') ? base : `${base}/`
  const key = storageKey(root)
  const label = root
  return {
    id: root,
    label,
    async read(path, onProgress) {
      if (files && !files.includes(path)) throw new MissingFileError(path, label)
      const url = new URL(path, root).href
      if (!hasOpfs()) {
        await requireModelDownloadAllowed(root)
        return fetchBytes(url, path, label, onProgress)
      }
      const parts = path.split('/')
      const name = parts.pop() ?? path
      const dir = await folder([ROOT, key, ...parts], true)
      return oneAtATime(`${key}/${path}`, async () => {
        const done = await existing(dir, name)
        if (done) return new Uint8Array(await (await done.getFile()).arrayBuffer())
        await requireModelDownloadAllowed(root) // stored files read freely; downloads are asked for
        const { signal } = options
        return downloadResumable(url, opfsPartialStore(dir, name), {
          onProgress,
          path,
          label,
          signal,
        })
      })
    },
  }
}

/**
 * Downloads one file of a model into OPFS ahead of a run (the model panel's Download) without
 * holding its bytes on the page; resumes a partial file. Returns the stored file.
 */
export async function storeUrlFile(
  base: string,
  path: string,
  options: StoreOptions & { onProgress?: (loaded: number, total?: number) => void } = {},
): Promise<File> {
  const root = base.endsWith('/') ? base : `${base}/`
  const key = storageKey(root)
  const parts = path.split('/')
  const name = parts.pop() ?? path
  const dir = await folder([ROOT, key, ...parts], true)
  return oneAtATime(`${key}/${path}`, async () => {
    const done = await existing(dir, name)
    if (done) return done.getFile()
    await requireModelDownloadAllowed(root)
    const { signal, onProgress } = options
    const url = new URL(path, root).href
    await downloadResumable(url, opfsPartialStore(dir, name, false), {
      onProgress,
      path,
      label: root,
      signal,
    })
    return (await dir.getFileHandle(name)).getFile()
  })
}

export interface StoredModel {
  key: string
  bytes: number
  /** Some file is still a `.part`: a download stopped and can be resumed. */
  partial: boolean
  /** The paths of its complete files (a `.part` is not one). */
  files: string[]
}

/** Models kept in OPFS, by storage key, with their stored bytes. */
export async function listStoredModels(): Promise<StoredModel[]> {
  if (!hasOpfs()) return []
  const root = await folder([ROOT], true)
  const out: StoredModel[] = []
  for await (const [key, handle] of root.entries()) {
    if (handle.kind === 'directory') out.push({ key, ...(await folderBytes(handle)) })
  }
  return out
}

async function folderBytes(
  dir: FileSystemDirectoryHandle,
  prefix = '',
): Promise<{ bytes: number; partial: boolean; files: string[] }> {
  let bytes = 0
  let partial = false
  const files: string[] = []
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind === 'file') {
      bytes += (await handle.getFile()).size
      if (name.endsWith('.part')) partial = true
      else files.push(prefix + name)
    } else {
      const inner = await folderBytes(handle, `${prefix}${name}/`)
      bytes += inner.bytes
      partial ||= inner.partial
      files.push(...inner.files)
    }
  }
  return { bytes, partial, files }
}

/** Deletes a stored model (by its base URL or storage key). */
export async function deleteStoredModel(baseOrKey: string): Promise<void> {
  if (!hasOpfs()) return
  const root = await folder([ROOT], true)
  const key = baseOrKey.includes('/')
    ? storageKey(baseOrKey.endsWith('/') ? baseOrKey : `${baseOrKey}/`)
    : baseOrKey
  await root.removeEntry(key, { recursive: true }).catch(() => undefined)
}
