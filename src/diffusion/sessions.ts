import { UserError } from '../engine/errors'
import type { ExternalDataFile, InferenceBackend, ModelSession } from './backend'
import { readOnnxFacts } from './onnx-proto'
import { isMissingFile, type ModelSource } from './source'

/**
 * ONNX sessions, created once per worker and kept: memoised per backend, model and file.
 * Concurrent requests share one promise; a failed load is evicted so that the next request
 * retries (as transformers.js does) instead of replaying the failure forever.
 */

export type LoadProgress = (message: string) => void

export interface Pending<T> {
  promise: Promise<T>
  listeners: Set<LoadProgress>
}

const sessionsByBackend = new WeakMap<InferenceBackend, Map<string, Pending<ModelSession>>>()

/** Shares one promise per key; progress goes to every caller still waiting; failures evicted. */
export function memoise<T>(
  cache: Map<string, Pending<T>>,
  key: string,
  progress: LoadProgress | undefined,
  make: (progress: LoadProgress) => Promise<T>,
): Promise<T> {
  let entry = cache.get(key)
  if (!entry) {
    const listeners = new Set<LoadProgress>()
    if (progress) listeners.add(progress)
    const created: Pending<T> = {
      listeners,
      promise: make((message) => listeners.forEach((l) => l(message))),
    }
    entry = created
    cache.set(key, created)
    created.promise.then(
      () => listeners.clear(),
      () => {
        listeners.clear()
        if (cache.get(key) === created) cache.delete(key)
      },
    )
  }
  if (progress) entry.listeners.add(progress)
  return entry.promise
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}

async function readFile(source: ModelSource, path: string, progress: LoadProgress) {
  let last = 0
  return source.read(path, (loaded, total) => {
    // A message per ~1% or 8 MB is enough for a progress line.
    if (loaded - last < Math.max((total ?? 0) / 100, 8 * 1024 * 1024) && loaded !== total) return
    last = loaded
    progress(
      `downloading ${path}: ${formatBytes(loaded)}${total ? ` of ${formatBytes(total)}` : ''}`,
    )
  })
}

async function createSession(
  backend: InferenceBackend,
  source: ModelSource,
  path: string,
  progress: LoadProgress,
): Promise<ModelSession> {
  progress(`loading ${path}`)
  const bytes = await readFile(source, path, progress)
  let facts
  try {
    facts = readOnnxFacts(bytes)
  } catch (error) {
    throw new UserError(
      `${path} in ${source.label} is not an ONNX model (${error instanceof Error ? error.message : String(error)})`,
      'Check that the file downloaded completely; delete it from the model cache to fetch it again.',
    )
  }
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : ''
  const externalData: ExternalDataFile[] = []
  for (const location of facts.externalLocations) {
    try {
      externalData.push({
        path: location,
        data: await readFile(source, folder + location, progress),
      })
    } catch (error) {
      if (!isMissingFile(error)) throw error
      throw new UserError(
        `${path} keeps its weights in "${folder}${location}", which ${source.label} lacks`,
        'Copy the whole model folder, external weight files included.',
      )
    }
  }
  progress(`creating a session for ${path}`)
  try {
    return await backend.createSession({
      name: path,
      bytes,
      externalData,
      usesFloat16: facts.usesFloat16,
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new UserError(
      `onnxruntime could not load ${path} from ${source.label}: ${message}`,
      'The file may be damaged, or use operators this onnxruntime-web build lacks.',
    )
  }
}

/** The session for one file of a model, loaded once per backend. */
export function getSession(
  backend: InferenceBackend,
  source: ModelSource,
  path: string,
  progress?: LoadProgress,
): Promise<ModelSession> {
  let cache = sessionsByBackend.get(backend)
  if (!cache) {
    cache = new Map()
    sessionsByBackend.set(backend, cache)
  }
  return memoise(cache, `${source.id}\n${path}`, progress, (p) =>
    createSession(backend, source, path, p),
  )
}

/** Releases a model's sessions (all models' when no id is given), e.g. to free GPU memory. */
export async function releaseSessions(backend: InferenceBackend, sourceId?: string) {
  const cache = sessionsByBackend.get(backend)
  if (!cache) return
  const doomed = [...cache.entries()].filter(
    ([key]) => !sourceId || key.startsWith(`${sourceId}\n`),
  )
  for (const [key] of doomed) cache.delete(key)
  await Promise.all(
    doomed.map(([, entry]) => entry.promise.then((s) => s.release()).catch(() => undefined)),
  )
}
