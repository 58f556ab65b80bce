import type { ValueCache } from '../engine/cache'
import type { GraphNode } from '../engine/document'
import type { FileResolver } from '../engine/keys'
import type { NodeRunner } from '../engine/runner'
import type { ImageValue } from '../engine/values'
import type { WebGpuSupport } from './gpu-probe'
import type { ProviderRun } from '../engine/define-node'
import type { PersistentCacheStats } from './idb-cache'
import type { PoolStats } from './worker-pool'

/** Files the user gave the browser app, kept in IndexedDB and referred to by `blob:<sha256>`. */
export interface BrowserFileStore {
  resolve: FileResolver
  /** Stores the bytes and returns the reference to put in a file param. */
  add(bytes: Uint8Array, name: string): Promise<string>
}

/** For the status bar: both cache tiers and the writes still on their way to disk. */
export interface RuntimeCacheStats {
  memory: { entries: number; bytes: number; maxBytes: number }
  persistent: PersistentCacheStats
  /** Results computed but not yet written to IndexedDB. */
  pendingWrites: number
}

export interface GpuStatus {
  /** What WebGPU offers; undefined until `probe()` has answered. */
  support?: WebGpuSupport
  /** Where the last GPU node's main network ran, from that node's report (`ctx.report`). */
  lastRun?: ProviderRun
}

export interface GpuStatusSource {
  status(): GpuStatus
  /** Asks the browser for a WebGPU adapter (once; later calls share the answer). */
  probe(): Promise<WebGpuSupport>
  /** Called on every change; returns the unsubscribe function. */
  subscribe(listener: (status: GpuStatus) => void): () => void
}

/**
 * The runtime's controls beyond running graphs: the status bar's numbers, "clear cache", the
 * cache cap, GPU status.
 */
export interface BrowserRuntimeControls {
  cacheStats(): RuntimeCacheStats
  /** Empties both tiers (memory and IndexedDB). Dropped files are kept. */
  clearCache(): Promise<void>
  /** The IndexedDB cap in bytes; remembered in this browser; evicts at once if lower. */
  setCacheLimit(bytes: number): Promise<void>
  /** Waits until every computed result is written to IndexedDB. */
  flushCache(): Promise<void>
  workerStats(): { cpu: PoolStats; gpu: PoolStats }
  /**
   * Starts, ahead of their first job, the workers that nodes of these types run on: a run that
   * reaches a GPU node after a few CPU nodes should not then wait for the GPU worker to load.
   */
  prepare(nodeTypes: readonly string[]): void
  /**
   * Has the worker a node will run in load ahead what the node needs before its work (its
   * definition's `prepare`: the diffusion node's model sessions); nothing for other nodes.
   * Called once a run is sure to reach the node uncached.
   */
  warm(node: Pick<GraphNode, 'type' | 'params'>): void
  gpu: GpuStatusSource
  /**
   * Pictures in progress from running nodes (the diffusion node's `ctx.preview`), by graph
   * node id. Returns the unsubscribe function.
   */
  onPreview(listener: (node: string, image: ImageValue) => void): () => void
}

/** What runs graphs: the runner, the cache and the user's files. */
export interface RuntimeCore {
  runner: NodeRunner
  cache: ValueCache
  files: BrowserFileStore
  dispose(): void
}

/** The browser runtime as `createBrowserRuntime` gives it, and as the editor holds it. */
export type BrowserRuntime = RuntimeCore & BrowserRuntimeControls

/**
 * What running a graph from the editor uses (the run controller): the core, starting the workers
 * a run will need, and the pictures in progress. Test fakes implement this much and no more.
 */
export type RunRuntime = Pick<
  BrowserRuntime,
  'runner' | 'cache' | 'files' | 'prepare' | 'warm' | 'onPreview'
>
