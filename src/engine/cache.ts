import type { Computed, NodeOutputs } from './codec'
import { byteSizeOf, storedValueProblem } from './values'

/**
 * Where node results are kept by content key: outputs with the node's report, and their
 * encoded form where one exists (`Computed`). Stores may fail (a full quota, a broken disk);
 * the executor treats any failure as a miss and carries on.
 */
export interface ValueCache {
  get(key: string): Promise<Computed | undefined>
  set(key: string, result: Computed): Promise<void>
  /** Optional: whether a key is present, without loading it. */
  has?(key: string): Promise<boolean>
  clear?(): Promise<void>
}

export function outputsByteSize(outputs: NodeOutputs): number {
  return Object.values(outputs).reduce((sum, v) => sum + byteSizeOf(v), 0)
}

/** In-memory store bounded in bytes, evicting the least recently used entries. */
export class MemoryCache implements ValueCache {
  private readonly entries = new Map<string, { result: Computed; bytes: number }>()
  private totalBytes = 0

  constructor(readonly maxBytes = 512 * 1024 * 1024) {}

  get size(): number {
    return this.entries.size
  }

  get bytes(): number {
    return this.totalBytes
  }

  get(key: string): Promise<Computed | undefined> {
    const entry = this.entries.get(key)
    if (!entry) return Promise.resolve(undefined)
    this.entries.delete(key) // re-insert: Map order is our recency order
    this.entries.set(key, entry)
    return Promise.resolve(entry.result)
  }

  has(key: string): Promise<boolean> {
    return Promise.resolve(this.entries.has(key))
  }

  set(key: string, result: Computed): Promise<void> {
    const bytes = outputsByteSize(result.outputs)
    this.delete(key)
    if (bytes > this.maxBytes) return Promise.resolve()
    this.entries.set(key, { result, bytes })
    this.totalBytes += bytes
    for (const oldest of this.entries.keys()) {
      if (this.totalBytes <= this.maxBytes) break
      this.delete(oldest)
    }
    return Promise.resolve()
  }

  clear(): Promise<void> {
    this.entries.clear()
    this.totalBytes = 0
    return Promise.resolve()
  }

  private delete(key: string): void {
    const entry = this.entries.get(key)
    if (!entry) return
    this.totalBytes -= entry.bytes
    this.entries.delete(key)
  }
}

/**
 * Memory in front of a slower persistent store; hits in the slow store are promoted. What
 * comes back from the slow store passes the checks fresh results pass (shape, no NaN or
 * infinities) before it is used: an entry damaged on disk is a miss, reported to
 * `onDamaged`, and the recomputed result replaces it.
 */
export class TieredCache implements ValueCache {
  constructor(
    private readonly fast: ValueCache,
    private readonly slow: ValueCache,
    private readonly onDamaged?: (key: string, problem: string) => void,
  ) {}

  async get(key: string): Promise<Computed | undefined> {
    const hit = await this.fast.get(key)
    if (hit) return hit
    const slow = await this.slow.get(key)
    if (!slow) return undefined
    for (const [port, value] of Object.entries(slow.outputs)) {
      const problem = storedValueProblem(value)
      if (problem) {
        this.onDamaged?.(key, `its output "${port}" ${problem}`)
        return undefined
      }
    }
    await this.fast.set(key, slow)
    return slow
  }

  async set(key: string, result: Computed): Promise<void> {
    await this.fast.set(key, result)
    await this.slow.set(key, result)
  }

  async clear(): Promise<void> {
    await this.fast.clear?.()
    await this.slow.clear?.()
  }
}
