import type { ValueCache } from '../engine/cache'
import type { Computed } from '../engine/codec'

/**
 * Lets `set` return before a slow store (IndexedDB) has written. The executor awaits the
 * cache before it hands a result downstream, so a 60 MB write would otherwise delay every
 * node after it. Writes happen in order, one at a time; a pending value is served by `get`.
 * `flush()` waits for them (tests, "clear cache", before the page goes away).
 */
export class WriteBehindCache implements ValueCache {
  private readonly pending = new Map<string, Computed>()
  private tail: Promise<void> = Promise.resolve()

  constructor(
    private readonly inner: ValueCache,
    /** Write failures cannot reach the executor any more; they are reported here. */
    private readonly onError: (error: unknown) => void = () => {},
    /** Past this many queued writes, `set` waits for the queue (bounded memory). */
    private readonly maxPending = 16,
  ) {}

  get pendingWrites(): number {
    return this.pending.size
  }

  get(key: string): Promise<Computed | undefined> {
    const waiting = this.pending.get(key)
    return waiting ? Promise.resolve(waiting) : this.inner.get(key)
  }

  async has(key: string): Promise<boolean> {
    if (this.pending.has(key)) return true
    return (await this.inner.has?.(key)) ?? false
  }

  async set(key: string, result: Computed): Promise<void> {
    if (this.pending.size >= this.maxPending) await this.flush()
    this.pending.set(key, result)
    this.tail = this.tail.then(() => this.write(key, result))
  }

  flush(): Promise<void> {
    return this.tail
  }

  async clear(): Promise<void> {
    this.pending.clear()
    await this.tail
    await this.inner.clear?.()
  }

  private async write(key: string, result: Computed): Promise<void> {
    if (this.pending.get(key) !== result) return // cleared, or replaced by a newer write
    try {
      await this.inner.set(key, result)
    } catch (error) {
      this.onError(error)
    } finally {
      if (this.pending.get(key) === result) this.pending.delete(key)
    }
  }
}
