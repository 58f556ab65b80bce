import { registry as allNodesRegistry } from '../../nodes/index'
import { MemoryCache, TieredCache, type ValueCache } from '../engine/cache'
import { paramValues } from '../engine/params'
import type { NodeRegistry } from '../engine/registry'
import { createSplittingRunner, type NodeRunner } from '../engine/runner'
import { mainProvider } from '../diffusion/run-report'
import type { ImageValue } from '../engine/values'
import { browserDecode } from './browser-decode'
import { createBrowserFileStore } from './file-store'
import { createGpuStatus } from './gpu-status'
import { IdbCache, idbCacheStores } from './idb-cache'
import { transcodingResolver } from '../media/transcode'
import type { BrowserFileStore, BrowserRuntime } from './types'
import { createRoutingRunner, defaultPoolSize, WorkerPool } from './worker-pool'
import { createCodecWorker, createGpuWorker, createNodeWorker } from './workers'
import { createWorkerDecoder } from './codec-client'
import { WriteBehindCache } from './write-behind'

export type * from './types'
export type { PoolStats } from './worker-pool'
export type { PersistentCacheStats } from './idb-cache'
export type { WebGpuSupport } from './gpu-probe'
export type { ExecutionProvider } from '../diffusion/provider'
export type { ProviderRun, RunReport } from '../engine/define-node'
export { parseFileRef, blobRef } from './file-store'

export interface BrowserRuntimeOptions {
  /** IndexedDB cap in bytes. Default: the last one set in this browser, else from the quota. */
  cacheBytes?: number
  /** CPU workers. Default: from navigator.hardwareConcurrency, 1 to 4. */
  workers?: number
  /** A CPU job silent this long (no start, no progress) counts as hung (default 3 min). */
  workerStallMs?: number
  /** In-memory tier in bytes (default 512 MiB). */
  memoryCacheBytes?: number
  /** Test harnesses only: another registry and the workers that serve it. */
  registry?: NodeRegistry
  createCpuWorker?: () => Worker
  createGpuWorker?: () => Worker
  /** IndexedDB database name of the cache (tests use their own). */
  cacheDbName?: string
  /**
   * GPU nodes' execution provider: 'auto' (WebGPU on a hardware adapter, else WASM; the
   * default), or one forced (`?gpu=wasm`, `?gpu=webgpu`): to compare results, to step around a
   * misbehaving GPU, or to use a software adapter anyway.
   */
  gpuProvider?: 'auto' | 'wasm' | 'webgpu'
}

const LIMIT_KEY = 'synesthete.cacheLimitBytes'
const MAX_DEFAULT_BYTES = 2 * 1024 ** 3

/**
 * The browser's engine room: node jobs on a pool of module workers (GPU nodes on their own
 * worker), results in memory and in IndexedDB, dropped files in IndexedDB.
 */
export async function createBrowserRuntime(
  options: BrowserRuntimeOptions = {},
): Promise<BrowserRuntime> {
  const registry = options.registry ?? allNodesRegistry
  const gpu = createGpuStatus()
  const previewListeners = new Set<(node: string, image: ImageValue) => void>()
  const onPreview = (node: string, image: ImageValue) => {
    for (const listener of previewListeners) listener(node, image)
  }
  const cpuPool = new WorkerPool({
    createWorker: options.createCpuWorker ?? createNodeWorker,
    size: options.workers ?? defaultPoolSize(),
    label: 'worker',
    // Far longer than any DSP node goes between progress reports on a long file, so only a
    // job stuck in a loop trips it. The GPU worker has none: loading a model can take minutes.
    stallMs: options.workerStallMs ?? 180_000,
    onPreview,
  })
  const gpuPool = new WorkerPool({
    createWorker: options.createGpuWorker ?? (() => createGpuWorker(options.gpuProvider)),
    size: 1,
    label: 'GPU worker',
    // Terminating it throws away loaded models, and one UNet step on WASM can take many
    // seconds between two checks of the signal: be patient before giving up on it.
    cancelGraceMs: 30_000,
    onPreview,
  })
  // The status bar's "last ran on": read off each GPU result's report as it arrives.
  const gpuRunner: NodeRunner = {
    run: async (job, ctx) => {
      const result = await gpuPool.run(job, ctx)
      const main = mainProvider(result.report)
      if (main) gpu.setLastRun(main)
      return result
    },
  }

  const decoder = createWorkerDecoder(createCodecWorker)
  const persistent = await IdbCache.open({
    maxBytes: options.cacheBytes ?? storedLimit() ?? (await defaultCacheBytes()),
    stores: idbCacheStores(options.cacheDbName),
    decode: decoder,
  })
  let writeError: string | undefined
  const disk = new WriteBehindCache(persistent, (error) => {
    writeError = error instanceof Error ? error.message : String(error)
  })
  const memory = new MemoryCache(options.memoryCacheBytes ?? 512 * 1024 ** 2)
  // A memory hit also refreshes the entry's recency on disk (see IdbCache.touch).
  const fast: ValueCache = {
    get: async (key) => {
      const hit = await memory.get(key)
      if (hit) persistent.touch(key)
      return hit
    },
    set: (key, result) => memory.set(key, result),
    clear: () => memory.clear(),
  }
  cpuPool.prewarm(1) // the first node should not wait for the worker's modules to load

  return {
    // Nodes that split (a multi-channel Griffin-Lim) spread their parts over the CPU workers.
    runner: createSplittingRunner(registry, createRoutingRunner(registry, cpuPool, gpuRunner)),
    cache: new TieredCache(fast, disk),
    files: withBrowserDecoding(createBrowserFileStore()),
    dispose: () => {
      cpuPool.dispose()
      gpuPool.dispose()
      decoder.dispose()
    },
    cacheStats: () => {
      const stats = persistent.stats()
      return {
        memory: { entries: memory.size, bytes: memory.bytes, maxBytes: memory.maxBytes },
        persistent: { ...stats, lastError: writeError ?? stats.lastError },
        pendingWrites: disk.pendingWrites,
      }
    },
    clearCache: async () => {
      writeError = undefined
      await memory.clear()
      await disk.clear()
    },
    setCacheLimit: async (bytes) => {
      rememberLimit(bytes)
      await disk.flush()
      await persistent.setLimit(bytes)
    },
    flushCache: () => disk.flush(),
    workerStats: () => ({ cpu: cpuPool.stats(), gpu: gpuPool.stats() }),
    prepare: (nodeTypes) => {
      // Loading the GPU worker's modules and WASM took about 0.5 s of a first open's critical
      // path here (the picture done, the diffusion node not yet started); now it overlaps the
      // CPU nodes before it.
      if (nodeTypes.some((type) => registry.get(type)?.runtime === 'gpu')) gpuPool.prewarm(1)
    },
    warm: ({ type, params }) => {
      // Creating the tiny model's sessions (onnxruntime's WASM set up with the first) was most
      // of the diffusion node's time on a first open, after the picture it waits for.
      const def = registry.get(type)
      if (def?.prepare && def.runtime === 'gpu')
        gpuPool.prepare(type, paramValues(def.params, params))
    },
    gpu,
    onPreview: (listener) => {
      previewListeners.add(listener)
      return () => previewListeners.delete(listener)
    },
  }
}

/**
 * Sound files only the browser can decode (M4A/AAC, WebM…) reach the nodes as WAV, decoded on
 * the page by `decodeAudioData` (see src/media/transcode.ts).
 */
function withBrowserDecoding(store: BrowserFileStore): BrowserFileStore {
  return { ...store, resolve: transcodingResolver(store.resolve, browserDecode) }
}

/** Half the origin's quota, at most 2 GiB; 512 MiB when the browser will not say. */
export async function defaultCacheBytes(): Promise<number> {
  try {
    const { quota } = await navigator.storage.estimate()
    if (quota) return Math.min(MAX_DEFAULT_BYTES, Math.floor(quota * 0.5))
  } catch {
    // no StorageManager (old browser, insecure context): fall through
  }
  return 512 * 1024 ** 2
}

function storedLimit(): number | undefined {
  try {
    const stored = Number(localStorage.getItem(LIMIT_KEY) ?? NaN)
    return Number.isFinite(stored) && stored >= 0 ? stored : undefined
  } catch {
    return undefined
  }
}

function rememberLimit(bytes: number): void {
  try {
    localStorage.setItem(LIMIT_KEY, String(bytes))
  } catch {
    // storage blocked: the limit holds for this page only
  }
}
