import type { ValueCache } from '../engine/cache'
import { decodeResult, encodeResult, type Computed } from '../engine/codec'
import { decodeHere, type BlobDecoder, type Decoded } from './codec-client'
import { idbKeyValueStore, isQuotaError, type KeyValueStore } from './kv-store'

/** What the cache knows of an entry without loading it. */
export interface CacheIndexEntry {
  key: string
  bytes: number
  /** ms since the epoch; the least recently used entries are evicted first. */
  lastUsed: number
}

/** Values (encoded binary) and their index live apart, so opening reads only the index. */
export interface PersistentStores {
  /** Blobs of the engine codec's bytes (IndexedDB stores a Blob by handle, without a copy). */
  values: KeyValueStore<Blob | Uint8Array>
  index: KeyValueStore<CacheIndexEntry>
}

export interface PersistentCacheStats {
  entries: number
  bytes: number
  maxBytes: number
  /** False when the browser gave no working IndexedDB; the cache then holds nothing. */
  available: boolean
  hits: number
  misses: number
  writes: number
  evictions: number
  /** Times the browser refused a write for lack of space. */
  quotaErrors: number
  lastError?: string
}

export interface IdbCacheOptions {
  maxBytes: number
  stores?: PersistentStores
  /** How stored Blobs become values again; the runtime decodes in a worker. */
  decode?: BlobDecoder
  now?: () => number
}

export const CACHE_DB = 'synesthete-cache'

export function idbCacheStores(dbName = CACHE_DB): PersistentStores {
  return {
    values: idbKeyValueStore<Blob | Uint8Array>(dbName, 'values'),
    index: idbKeyValueStore<CacheIndexEntry>(`${dbName}-index`, 'index'),
  }
}

/**
 * Node results kept in IndexedDB across reloads, bounded in bytes with least-recently-used
 * eviction. A full quota evicts and retries once, then gives up quietly (and lowers the cap
 * to what fitted): a cache that cannot grow must never break a run.
 */
export class IdbCache implements ValueCache {
  /** Insertion order is recency order: the first key is the least recently used. */
  private readonly index = new Map<string, CacheIndexEntry>()
  private total = 0
  private available = true
  private lastError: string | undefined
  private readonly counts = { hits: 0, misses: 0, writes: 0, evictions: 0, quotaErrors: 0 }
  private chain: Promise<unknown> = Promise.resolve()
  private readonly stores: PersistentStores
  private readonly now: () => number
  private readonly decode: BlobDecoder

  private constructor(
    private maxBytes: number,
    options: IdbCacheOptions,
  ) {
    this.stores = options.stores ?? idbCacheStores()
    this.now = options.now ?? Date.now
    this.decode = options.decode ?? decodeHere
  }

  /** Opens the stores and loads the index; never throws (an unusable store is reported). */
  static async open(options: IdbCacheOptions): Promise<IdbCache> {
    const cache = new IdbCache(options.maxBytes, options)
    try {
      await cache.load()
    } catch (error) {
      cache.available = false
      cache.lastError = `The browser's storage is not available: ${messageOf(error)}`
    }
    return cache
  }

  async get(key: string): Promise<Computed | undefined> {
    const entry = this.index.get(key)
    if (!entry || !this.available) {
      this.counts.misses++
      return undefined
    }
    const stored = await this.stores.values.get(key)
    let found: Computed | undefined
    try {
      if (stored instanceof Blob) {
        // The Blob goes along: stored again (another tier) or sent to a worker, it is not
        // re-encoded or copied.
        const decoded: Decoded = await this.decode(stored)
        found = { ...decoded, encoded: stored }
      } else if (stored) {
        found = decodeResult(stored)
      }
    } catch {
      found = undefined // a damaged entry is a miss, and is dropped below
    }
    if (!found) {
      this.counts.misses++
      await this.exclusive(() => this.evict([key], false))
      return undefined
    }
    this.counts.hits++
    this.touch(key)
    return found
  }

  has(key: string): Promise<boolean> {
    return Promise.resolve(this.available && this.index.has(key))
  }

  async set(key: string, result: Computed): Promise<void> {
    if (!this.available) return
    // Results from workers arrive encoded already (worker-host.ts); others are encoded here.
    const blob = result.encoded ?? new Blob([encodeResult(result) as Uint8Array<ArrayBuffer>])
    const size = blob.size
    if (size > this.maxBytes) return // would evict everything and still not fit
    await this.exclusive(async () => {
      await this.evictDownTo(this.maxBytes - size, key)
      try {
        await this.write(key, blob)
      } catch (error) {
        if (!isQuotaError(error)) throw error
        this.counts.quotaErrors++
        // The browser's quota is smaller than our cap: free a quarter more and retry once.
        await this.evictDownTo(Math.min(this.total, this.maxBytes) * 0.75 - size, key)
        try {
          await this.write(key, blob)
        } catch (again) {
          if (!isQuotaError(again)) throw again
          this.counts.quotaErrors++
          await this.stores.values.delMany([key]).catch(() => {}) // a half-written stray
          this.maxBytes = this.total
          this.lastError = `The browser's storage is full; the cache now keeps at most ${this.total} bytes.`
        }
      }
    })
  }

  async clear(): Promise<void> {
    await this.exclusive(async () => {
      this.index.clear()
      this.total = 0
      await this.stores.values.clear()
      await this.stores.index.clear()
    })
  }

  /** A new cap, applied at once: entries over it are evicted, oldest first. */
  async setLimit(maxBytes: number): Promise<void> {
    this.maxBytes = Math.max(0, maxBytes)
    await this.exclusive(() => this.evictDownTo(this.maxBytes))
  }

  stats(): PersistentCacheStats {
    return {
      entries: this.index.size,
      bytes: this.total,
      maxBytes: this.maxBytes,
      available: this.available,
      ...this.counts,
      lastError: this.lastError,
    }
  }

  /** Index entries and values are reconciled: a crash between two writes leaves strays. */
  private async load(): Promise<void> {
    const [entries, valueKeys] = await Promise.all([
      this.stores.index.values(),
      this.stores.values.keys(),
    ])
    const stored = new Set(valueKeys)
    const live = entries.filter((e) => stored.has(e.key)).sort((a, b) => a.lastUsed - b.lastUsed)
    for (const entry of live) {
      this.index.set(entry.key, entry)
      this.total += entry.bytes
    }
    const strayIndex = entries.filter((e) => !stored.has(e.key)).map((e) => e.key)
    const strayValues = valueKeys.filter((k) => !this.index.has(k))
    await this.stores.index.delMany(strayIndex)
    await this.stores.values.delMany(strayValues)
    await this.evictDownTo(this.maxBytes)
  }

  private async write(key: string, blob: Blob): Promise<void> {
    const entry: CacheIndexEntry = { key, bytes: blob.size, lastUsed: this.now() }
    // Value first: a crash in between leaves a stray value, which load() removes.
    await this.stores.values.set(key, blob)
    await this.stores.index.set(key, entry)
    this.index.set(key, entry)
    this.total += entry.bytes
    this.counts.writes++
  }

  /** Evicts least recently used entries until at most `target` bytes remain (and `key` is gone). */
  private async evictDownTo(target: number, key?: string): Promise<void> {
    const victims: string[] = key && this.index.has(key) ? [key] : []
    let left = this.total - (victims.length > 0 ? (this.index.get(victims[0])?.bytes ?? 0) : 0)
    for (const [k, entry] of this.index) {
      if (left <= target) break
      if (k === key) continue
      victims.push(k)
      left -= entry.bytes
    }
    await this.evict(victims, true, key)
  }

  private async evict(keys: string[], count: boolean, replacing?: string): Promise<void> {
    if (keys.length === 0) return
    for (const k of keys) {
      this.total -= this.index.get(k)?.bytes ?? 0
      this.index.delete(k)
      if (count && k !== replacing) this.counts.evictions++
    }
    await this.stores.index.delMany(keys)
    await this.stores.values.delMany(keys)
  }

  /**
   * Marks an entry as just used without reading it: the memory tier serves most hits, and
   * without this the disk's eviction order would forget what is in constant use.
   */
  touch(key: string): void {
    const entry = this.index.get(key)
    if (!entry) return
    entry.lastUsed = this.now()
    this.index.delete(key)
    this.index.set(key, entry)
    // Recency is worth a small write, not a failed read: errors are ignored.
    this.exclusive(async () => {
      if (this.index.get(key) === entry) await this.stores.index.set(key, entry)
    }).catch(() => {})
  }

  /** Mutations run one at a time, so eviction sees a consistent index and total. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task)
    this.chain = run.catch(() => {})
    return run
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
