import { mkdir, readdir, readFile, rm, stat, utimes, writeFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { ValueCache } from '../engine/cache'
import { decodeOutputs, encodeOutputs, type NodeOutputs } from '../engine/codec'

/** A temporary file older than this was left by a write that crashed; younger may be live. */
const STALE_TEMP_MS = 60 * 60 * 1000

/** Makes each write's temporary name unique, even for two writes of one key at once. */
let writes = 0

/**
 * Node results on disk, one file per content key, bounded in bytes: the least recently used
 * files (by modification time, refreshed on every hit) are deleted first.
 */
export class DiskCache implements ValueCache {
  private sizes: Map<string, number> | undefined

  constructor(
    readonly dir: string,
    readonly maxBytes = 4 * 1024 ** 3,
  ) {}

  async get(key: string): Promise<NodeOutputs | undefined> {
    const path = this.pathOf(key)
    let bytes: Buffer
    try {
      bytes = await readFile(path)
    } catch {
      return undefined // absent or unreadable: a miss
    }
    let outputs: NodeOutputs
    try {
      outputs = decodeOutputs(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    } catch {
      // Corrupt (a disk error, an unknown format): a miss, and its space is given back.
      await this.forget(key)
      return undefined
    }
    const now = new Date()
    // Only recency for eviction: a cache folder we may not touch still serves its hits.
    await utimes(path, now, now).catch(() => undefined)
    return outputs
  }

  async has(key: string): Promise<boolean> {
    return (await this.index()).has(key)
  }

  async set(key: string, outputs: NodeOutputs): Promise<void> {
    const bytes = encodeOutputs(outputs)
    if (bytes.length > this.maxBytes) return
    await mkdir(this.dir, { recursive: true })
    // Write then rename, so a crash never leaves a half-written entry under the real name.
    const temp = `${this.pathOf(key)}.${process.pid}.${++writes}.tmp`
    try {
      await writeFile(temp, bytes)
      await rename(temp, this.pathOf(key))
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined) // a full disk keeps no half entry
      throw error
    }
    const index = await this.index()
    index.set(key, bytes.length)
    await this.evict(index)
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true })
    this.sizes = new Map()
  }

  private pathOf(key: string): string {
    return join(this.dir, `${key}.bin`)
  }

  private async forget(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true }).catch(() => undefined)
    this.sizes?.delete(key)
  }

  private async index(): Promise<Map<string, number>> {
    if (this.sizes) return this.sizes
    const sizes = new Map<string, number>()
    const names = await readdir(this.dir).catch(() => [] as string[])
    for (const name of names) {
      const path = join(this.dir, name)
      if (name.endsWith('.tmp')) await removeIfStale(path)
      if (!name.endsWith('.bin')) continue
      const info = await stat(path).catch(() => undefined)
      if (info) sizes.set(name.slice(0, -4), info.size)
    }
    this.sizes = sizes
    return sizes
  }

  private async evict(index: Map<string, number>): Promise<void> {
    let total = [...index.values()].reduce((a, b) => a + b, 0)
    if (total <= this.maxBytes) return
    const aged = await Promise.all(
      [...index.keys()].map(async (key) => {
        const info = await stat(this.pathOf(key)).catch(() => undefined)
        return { key, time: info?.mtimeMs ?? 0 }
      }),
    )
    aged.sort((a, b) => a.time - b.time)
    for (const { key } of aged) {
      if (total <= this.maxBytes) break
      await rm(this.pathOf(key), { force: true })
      total -= index.get(key) ?? 0
      index.delete(key)
    }
  }
}

/** Temporary files outside the size cap would otherwise pile up after crashed writes. */
async function removeIfStale(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined)
  if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) {
    await rm(path, { force: true }).catch(() => undefined)
  }
}
