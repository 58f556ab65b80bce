import type * as NodeFsModule from 'node:fs/promises'
import { fetchWithTimeout, fileSizeLimit, limitedChunks } from './fetch-limits'
import type * as NodeUrlModule from 'node:url'

/**
 * Where model files come from. The pipeline asks a `ModelSource` for paths in the diffusers
 * layout ('unet/model.onnx', 'tokenizer/vocab.json') and never learns whether they come from
 * disk (Node), a URL, browser storage or a folder the user picked.
 */

export type ProgressFn = (loadedBytes: number, totalBytes: number | undefined) => void

export interface ModelSource {
  /** Identity for session caches: the same id means the same files. */
  readonly id: string
  /** For messages: 'the tiny test model', a URL, a folder. */
  readonly label: string
  /** The file's bytes; throws MissingFileError when the model has no such file. */
  read(path: string, onProgress?: ProgressFn): Promise<Uint8Array>
}

export class MissingFileError extends Error {
  override readonly name = 'MissingFileError'
  constructor(
    readonly path: string,
    readonly sourceLabel: string,
  ) {
    super(`${sourceLabel} has no file "${path}"`)
  }
}

/** A server answered a model file's request with an error status other than 404. */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  constructor(
    readonly path: string,
    readonly sourceLabel: string,
    readonly status: number,
  ) {
    super(`${sourceLabel}: fetching "${path}" failed: HTTP ${status}`)
  }
}

export function isMissingFile(error: unknown): error is MissingFileError {
  return error instanceof MissingFileError
}

/** Reads a file that may be absent: undefined when it is. */
export async function readOptional(
  source: ModelSource,
  path: string,
): Promise<Uint8Array | undefined> {
  try {
    return await source.read(path)
  } catch (error) {
    if (isMissingFile(error)) return undefined
    throw error
  }
}

export async function readJson(source: ModelSource, path: string): Promise<unknown> {
  const bytes = await source.read(path)
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown
  } catch (error) {
    throw new Error(`${source.label}: "${path}" is not valid JSON (${String(error)})`)
  }
}

export async function readOptionalJson(source: ModelSource, path: string): Promise<unknown> {
  try {
    return await readJson(source, path)
  } catch (error) {
    if (isMissingFile(error)) return undefined
    throw error
  }
}

/** Files held in memory (tests, files dropped on the page). */
export function memorySource(
  id: string,
  files: Record<string, Uint8Array>,
  label = id,
): ModelSource {
  return {
    id,
    label,
    read(path) {
      const bytes = files[path]
      return bytes ? Promise.resolve(bytes) : Promise.reject(new MissingFileError(path, label))
    },
  }
}

/** `over`'s files where it has them, `base`'s otherwise (model variants, patched configs). */
export function overlaySource(base: ModelSource, over: ModelSource, id?: string): ModelSource {
  return {
    id: id ?? `${base.id}+${over.id}`,
    label: `${over.label} over ${base.label}`,
    async read(path, onProgress) {
      try {
        return await over.read(path, onProgress)
      } catch (error) {
        if (isMissingFile(error)) return base.read(path, onProgress)
        throw error
      }
    },
  }
}

/** A source that hides some files of another (tests of incomplete folders). */
export function withoutFiles(source: ModelSource, hidden: readonly string[]): ModelSource {
  return {
    id: `${source.id}-without-${hidden.join(',')}`,
    label: source.label,
    read: (path, onProgress) =>
      hidden.includes(path)
        ? Promise.reject(new MissingFileError(path, source.label))
        : source.read(path, onProgress),
  }
}

type NodeFs = typeof NodeFsModule
type NodeUrl = typeof NodeUrlModule

/** node:fs, loaded only when a file is read in Node (a variable keeps bundlers from following). */
async function nodeModules(): Promise<{ fs: NodeFs; url: NodeUrl }> {
  const fsName = 'node:fs/promises'
  const urlName = 'node:url'
  const [fs, url] = await Promise.all([
    import(/* @vite-ignore */ fsName) as Promise<NodeFs>,
    import(/* @vite-ignore */ urlName) as Promise<NodeUrl>,
  ])
  return { fs, url }
}

async function readFileUrl(url: URL, path: string, label: string): Promise<Uint8Array> {
  const { fs, url: nodeUrl } = await nodeModules()
  try {
    const buffer = await fs.readFile(nodeUrl.fileURLToPath(url))
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw new MissingFileError(path, label)
    throw error
  }
}

/**
 * Fetches with progress; a 404 is a missing file. Bounded (fetch-limits.ts): a file larger
 * than `limit` (by default what a model file at `path` can be) or a server that stops
 * answering ends the download with a message, before memory is spent on it.
 */
export async function fetchBytes(
  url: string,
  path: string,
  label: string,
  onProgress?: ProgressFn,
  fetchImpl: typeof fetch = fetch,
  limit = fileSizeLimit(path),
): Promise<Uint8Array> {
  const { response, abort } = await fetchWithTimeout(url, {}, { path, label, fetchImpl })
  if (response.status === 404) throw new MissingFileError(path, label)
  if (!response.ok) throw new HttpError(path, label, response.status)
  const total = Number(response.headers.get('content-length')) || undefined
  const chunks: Uint8Array[] = []
  let loaded = 0
  for await (const chunk of limitedChunks(response, abort, { path, label, limit })) {
    chunks.push(chunk)
    loaded += chunk.byteLength
    onProgress?.(loaded, total)
  }
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(loaded)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/**
 * Files at URLs: `file:` URLs are read from disk (Node), anything else is fetched.
 * `resolve` maps a layout path to its URL, or undefined when the model has no such file.
 */
export function urlSource(
  id: string,
  label: string,
  resolve: (path: string) => URL | undefined,
): ModelSource {
  return {
    id,
    label,
    read(path, onProgress) {
      const url = resolve(path)
      if (!url) return Promise.reject(new MissingFileError(path, label))
      if (url.protocol === 'file:') return readFileUrl(url, path, label)
      return fetchBytes(url.href, path, label, onProgress)
    },
  }
}

/** A model under a base URL (http(s), or file: in Node). */
export function urlBaseSource(base: string): ModelSource {
  const root = new URL(base.endsWith('/') ? base : `${base}/`)
  return urlSource(root.href, root.href, (path) => new URL(path, root))
}

/** A model folder on disk (Node only: the CLI and tests). */
export function folderSource(folder: string): ModelSource {
  const root = folder.endsWith('/') ? folder : `${folder}/`
  return {
    id: `folder:${root}`,
    label: `the model folder ${root}`,
    async read(path) {
      const { url } = await nodeModules()
      return readFileUrl(url.pathToFileURL(root + path), path, `the model folder ${root}`)
    },
  }
}
