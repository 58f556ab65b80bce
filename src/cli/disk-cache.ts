import { mkdir, open, readdir, readFile, rm, stat, utimes, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { ValueCache } from '../engine/cache'
import { decodeResult, encodeResultParts, type Computed } from '../engine/codec'

/** A temporary file older than this was left by a write that crashed; younger may be live. */
const STALE_TEMP_MS = 60 * 60 * 1000

/** Makes each write's temporary name unique, even for two writes of one key at once. */
let writes = 0

/**
 * An entry on disk: this tag, the CRC-32 of the rest, then the encoded outputs (codec.ts).
 * The checksum covers the codec's header (sample rates, sizes) and body alike, so a flipped
 * bit or an edited header is found on read instead of giving wrong output. CRC-32 finds every
 * burst of damage up to 32 bits and all but 2⁻³² of the rest; it is the damage it is for, not
 * tampering (whoever can write the folder can write the outputs too). SHA-256 was three times
 * slower (zlib's crc32 1.3 GB/s against 0.5 GB/s here): 0.9 s of the default graph's 3 minutes.
 */
const TAG = new TextEncoder().encode('SYNDC3\n\0')
const DIGEST_BYTES = 4

function checksum(...parts: Uint8Array[]): Uint8Array {
  let crc = 0
  for (const part of parts) crc = crc32(part, crc)
  const digest = new Uint8Array(DIGEST_BYTES)
  new DataView(digest.buffer).setUint32(0, crc)
  return digest
}

/** The entry's bytes as parts to write in order: the tag, the digest, the payload's parts. */
function sealEntry(payload: Uint8Array[]): Uint8Array[] {
  return [TAG, checksum(...payload), ...payload]
}

/** The payload of a sealed entry, or why it cannot be trusted. */
function openEntry(bytes: Uint8Array): { payload: Uint8Array } | { problem: string } {
  const start = TAG.length + DIGEST_BYTES
  if (bytes.length < start || !TAG.every((b, i) => bytes[i] === b))
    return { problem: 'is not a cache entry of this version' }
  const payload = bytes.subarray(start)
  const stored = bytes.subarray(TAG.length, start)
  const actual = checksum(payload)
  if (!actual.every((b, i) => b === stored[i]))
    return { problem: 'does not match its checksum (changed or damaged on disk)' }
  return { payload }
}

export interface DiskCacheOptions {
  /** Told of each damaged entry found (then removed, and recomputed by the caller). */
  onDamaged?: (key: string, problem: string) => void
}

/**
 * Node results on disk, one file per content key, bounded in bytes: the least recently used
 * files (by modification time, refreshed on every hit) are deleted first.
 */
export class DiskCache implements ValueCache {
  private sizes: Map<string, number> | undefined

  constructor(
    readonly dir: string,
    readonly maxBytes = 4 * 1024 ** 3,
    private readonly options: DiskCacheOptions = {},
  ) {}

  async get(key: string): Promise<Computed | undefined> {
    const path = this.pathOf(key)
    let bytes: Buffer
    try {
      bytes = await readFile(path)
    } catch {
      return undefined // absent or unreadable: a miss
    }
    let found: Computed
    const opened = openEntry(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    try {
      if ('problem' in opened) throw new Error(opened.problem)
      found = decodeResult(opened.payload)
    } catch (error) {
      // Damaged (a disk error, an edit) or an older format: a miss, and its space given back.
      // An older format is expected after an update and not worth a word.
      if (!('problem' in opened && opened.problem.includes('this version')))
        this.options.onDamaged?.(key, (error as Error).message)
      await this.forget(key)
      return undefined
    }
    const now = new Date()
    // Only recency for eviction: a cache folder we may not touch still serves its hits.
    await utimes(path, now, now).catch(() => undefined)
    return found
  }

  async has(key: string): Promise<boolean> {
    return (await this.index()).has(key)
  }

  async set(key: string, result: Computed): Promise<void> {
    const parts = sealEntry(encodeResultParts(result))
    const length = parts.reduce((n, p) => n + p.length, 0)
    if (length > this.maxBytes) return
    await mkdir(this.dir, { recursive: true })
    // Write then rename, so a crash never leaves a half-written entry under the real name.
    const temp = `${this.pathOf(key)}.${process.pid}.${++writes}.tmp`
    try {
      await writeParts(temp, parts)
      await rename(temp, this.pathOf(key))
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined) // a full disk keeps no half entry
      throw error
    }
    const index = await this.index()
    index.set(key, length)
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

/** Writes the parts one after another (writev: no joined copy). */
async function writeParts(path: string, parts: Uint8Array[]): Promise<void> {
  const file = await open(path, 'w')
  try {
    let left = parts
    while (left.length > 0) {
      const { bytesWritten } = await file.writev(left)
      left = rest(left, bytesWritten)
    }
  } finally {
    await file.close()
  }
}

/** The parts after the first `written` bytes (writev may write less than asked). */
function rest(parts: Uint8Array[], written: number): Uint8Array[] {
  let i = 0
  while (i < parts.length && written >= parts[i].length) written -= parts[i++].length
  if (i === parts.length) return []
  return [parts[i].subarray(written), ...parts.slice(i + 1)]
}

/** Temporary files outside the size cap would otherwise pile up after crashed writes. */
async function removeIfStale(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined)
  if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) {
    await rm(path, { force: true }).catch(() => undefined)
  }
}
