import { describe, expect, it } from 'vitest'
import { decodeResult, encodeResult, type Computed } from '../../src/engine/codec'
import { IdbCache } from '../../src/runtime/idb-cache'
import { memoryCacheStores, type FakeQuota } from './fake-stores'

/** One audio output of `samples` floats: about 4·samples bytes encoded. */
const audio = (samples: number, fill = 0.5): Computed => ({
  outputs: {
    audio: { kind: 'audio', sampleRate: 48000, channels: [new Float32Array(samples).fill(fill)] },
  },
})
const KB = 1024

async function open(maxBytes: number, quota?: FakeQuota, stores = memoryCacheStores(quota)) {
  let clock = 0
  const cache = await IdbCache.open({ maxBytes, stores, now: () => ++clock })
  return { cache, stores }
}

describe('IdbCache', () => {
  it('gives back what it stored, and still does after reopening', async () => {
    const { cache, stores } = await open(1024 * KB)
    await cache.set('k', audio(1000, 0.25))
    const again = await IdbCache.open({ maxBytes: 1024 * KB, stores })
    const value = (await again.get('k'))?.outputs.audio
    expect(value?.kind).toBe('audio')
    expect(value?.kind === 'audio' && value.channels[0][999]).toBe(0.25)
    expect(again.stats()).toMatchObject({ entries: 1, hits: 1 })
  })

  it('stores typed arrays as binary, not as JSON text', async () => {
    const { cache, stores } = await open(1024 * KB)
    await cache.set('k', audio(10_000))
    const blob = stores.values.map.get('k') as Blob
    expect(blob).toBeInstanceOf(Blob)
    expect(blob.size).toBeLessThan(40_000 + 200)
    const head = new TextDecoder().decode((await blob.arrayBuffer()).slice(0, 5))
    expect(head).toBe('SYNV2')
    expect(cache.stats().bytes).toBe(blob.size)
  })

  it("stores a worker's encoded Blob as it is, without encoding again", async () => {
    const { cache, stores } = await open(1024 * KB)
    const result = audio(100)
    const fromWorker = new Blob([encodeResult(result) as Uint8Array<ArrayBuffer>])
    await cache.set('k', { ...result, encoded: fromWorker })
    expect(stores.values.map.get('k')).toBe(fromWorker)
  })

  it('decodes stored Blobs with the decoder it was given', async () => {
    const stores = memoryCacheStores()
    const first = await IdbCache.open({ maxBytes: 1024 * KB, stores })
    await first.set('k', audio(10, 0.75))
    const decoded: number[] = []
    const cache = await IdbCache.open({
      maxBytes: 1024 * KB,
      stores,
      decode: async (blob) => {
        decoded.push(blob.size)
        return decodeResult(new Uint8Array(await blob.arrayBuffer()))
      },
    })
    const value = (await cache.get('k'))?.outputs.audio
    expect(value?.kind === 'audio' && value.channels[0][0]).toBe(0.75)
    expect(decoded).toHaveLength(1)
  })

  it('evicts the least recently used entries when over its cap', async () => {
    const { cache } = await open(50 * KB)
    await cache.set('a', audio(5000)) // ~20 KB each
    await cache.set('b', audio(5000))
    await cache.get('a') // a is now more recent than b
    await cache.set('c', audio(5000))
    expect(await cache.has('a')).toBe(true)
    expect(await cache.has('b')).toBe(false)
    expect(await cache.has('c')).toBe(true)
    expect(cache.stats()).toMatchObject({ entries: 2, evictions: 1 })
    expect(cache.stats().bytes).toBeLessThanOrEqual(50 * KB)
  })

  it('remembers recency across reopening', async () => {
    const { cache, stores } = await open(50 * KB)
    await cache.set('a', audio(5000))
    await cache.set('b', audio(5000))
    await cache.get('a')
    await cache.set('a2', audio(10)) // lets the touch of "a" reach the store first
    const again = await IdbCache.open({ maxBytes: 50 * KB, stores, now: () => 1e9 })
    await again.set('c', audio(5000))
    expect(await again.has('a')).toBe(true)
    expect(await again.has('b')).toBe(false)
  })

  it('skips a value larger than the whole cap instead of emptying the cache for it', async () => {
    const { cache } = await open(30 * KB)
    await cache.set('small', audio(100))
    await cache.set('huge', audio(100_000))
    expect(await cache.has('huge')).toBe(false)
    expect(await cache.has('small')).toBe(true)
  })

  it('evicts at once when its cap is lowered', async () => {
    const { cache, stores } = await open(100 * KB)
    for (const k of ['a', 'b', 'c', 'd']) await cache.set(k, audio(5000))
    await cache.setLimit(45 * KB)
    expect(cache.stats()).toMatchObject({ entries: 2, maxBytes: 45 * KB })
    expect([...stores.values.map.keys()].sort()).toEqual(['c', 'd'])
    expect([...stores.index.map.keys()].sort()).toEqual(['c', 'd'])
  })

  it('survives a full disk by evicting and retrying once', async () => {
    const quota = { limit: 70 * KB, used: 0 } // the browser allows less than our cap
    const { cache } = await open(1024 * KB, quota)
    for (const k of ['a', 'b', 'c']) await cache.set(k, audio(5000))
    await cache.set('d', audio(5000))
    expect(await cache.has('d')).toBe(true)
    expect(await cache.has('a')).toBe(false)
    expect(cache.stats().quotaErrors).toBe(1)
    expect(quota.used).toBeLessThanOrEqual(quota.limit)
  })

  it('gives up quietly when even an emptied store cannot take the value', async () => {
    const quota = { limit: 10 * KB, used: 0 }
    const { cache } = await open(1024 * KB, quota)
    await cache.set('small', audio(1000))
    await expect(cache.set('big', audio(5000))).resolves.toBeUndefined()
    const stats = cache.stats()
    expect(stats.quotaErrors).toBe(2)
    expect(stats.lastError).toMatch(/storage is full/)
    expect(stats.maxBytes).toBeLessThan(1024 * KB)
    expect(await cache.get('big')).toBeUndefined()
  })

  it('drops strays left by a crash between the value and index writes', async () => {
    const { cache, stores } = await open(1024 * KB)
    await cache.set('kept', audio(10))
    stores.values.map.set('orphan', new Uint8Array(8))
    stores.index.map.set('ghost', { key: 'ghost', bytes: 99, lastUsed: 1 })
    const again = await IdbCache.open({ maxBytes: 1024 * KB, stores })
    expect([...stores.values.map.keys()]).toEqual(['kept'])
    expect([...stores.index.map.keys()]).toEqual(['kept'])
    expect(again.stats().entries).toBe(1)
  })

  it('treats a damaged entry as a miss and forgets it', async () => {
    const { cache, stores } = await open(1024 * KB)
    await cache.set('k', audio(10))
    stores.values.map.set('k', new Uint8Array([1, 2, 3]))
    expect(await cache.get('k')).toBeUndefined()
    expect(await cache.has('k')).toBe(false)
    expect(stores.index.map.has('k')).toBe(false)
  })

  it('clears both the values and the index', async () => {
    const { cache, stores } = await open(1024 * KB)
    await cache.set('a', audio(10))
    await cache.clear()
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 })
    expect(stores.values.map.size + stores.index.map.size).toBe(0)
  })

  it('holds nothing, and breaks nothing, when the browser gives no storage', async () => {
    const stores = memoryCacheStores()
    stores.index.values = () => Promise.reject(new Error('IndexedDB is disabled'))
    const cache = await IdbCache.open({ maxBytes: 1024 * KB, stores })
    await cache.set('k', audio(10))
    expect(await cache.get('k')).toBeUndefined()
    expect(cache.stats().available).toBe(false)
    expect(cache.stats().lastError).toMatch(/disabled/)
  })
})
