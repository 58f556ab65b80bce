import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DiskCache } from '../../src/cli/disk-cache'
import { encodeOutputs, type NodeOutputs } from '../../src/engine/codec'
import type { Value } from '../../src/engine/values'

const freshDir = () => mkdtempSync(join(tmpdir(), 'synesthete-disk-cache-'))

/** Waits past the file system's timestamp granularity, so "used later" shows in mtimes. */
const later = () => new Promise((resolve) => setTimeout(resolve, 30))

/** Outputs whose encoded entry is about `floats * 4` bytes. */
const entry = (floats: number, fill = 0.5): NodeOutputs => ({
  latent: { kind: 'latent', shape: [floats], data: new Float32Array(floats).fill(fill) },
})

const entryBytes = (outputs: NodeOutputs) => encodeOutputs(outputs).length

/** A Float32Array of arbitrary bit patterns: NaN payloads, -0, infinities, subnormals. */
function awkwardFloats(n: number, seed: number): Float32Array {
  const bits = new Uint32Array(n)
  let x = seed >>> 0 || 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    bits[i] = x >>> 0
  }
  const special = [0x80000000, 0x7f800000, 0xff800000, 0x7fc00001, 0xffbfffff, 0x00000001]
  bits.set(special.slice(0, n))
  return new Float32Array(bits.buffer)
}

const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length)

describe('DiskCache', () => {
  it('evicts the least recently used entries, by last read or write, to stay under its cap', async () => {
    const dir = freshDir()
    const size = entryBytes(entry(1000))
    const cache = new DiskCache(dir, Math.floor(size * 2.5))
    await cache.set('a', { outputs: entry(1000, 1) })
    await later()
    await cache.set('b', { outputs: entry(1000, 2) })
    await later()
    expect(await cache.get('a')).toBeDefined() // a is now used after b
    await later()
    await cache.set('c', { outputs: entry(1000, 3) })
    expect(await cache.has('b')).toBe(false)
    expect(await cache.get('b')).toBeUndefined()
    expect(await cache.has('a')).toBe(true)
    expect(await cache.has('c')).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['a.bin', 'c.bin'])
  })

  it('remembers recency across processes: a new cache over the folder evicts by it', async () => {
    const dir = freshDir()
    const size = entryBytes(entry(1000))
    const first = new DiskCache(dir, size * 10)
    await first.set('old', { outputs: entry(1000, 1) })
    await later()
    await first.set('young', { outputs: entry(1000, 2) })
    await later()
    await first.get('old')
    await later()
    const second = new DiskCache(dir, Math.floor(size * 2.5))
    await second.set('new', { outputs: entry(1000, 3) })
    expect(readdirSync(dir).sort()).toEqual(['new.bin', 'old.bin'])
  })

  it('does not keep an entry larger than its whole cap', async () => {
    const dir = freshDir()
    const cache = new DiskCache(dir, 100)
    await cache.set('huge', { outputs: entry(1000) })
    expect(await cache.get('huge')).toBeUndefined()
    expect(readdirSync(dir)).toEqual([])
  })

  it('reads a corrupt or truncated entry as a miss, removes it, and can store the key again', async () => {
    const dir = freshDir()
    const cache = new DiskCache(dir)
    const good = encodeOutputs(entry(100))
    writeFileSync(join(dir, 'garbage.bin'), Buffer.from('not a cache entry at all'))
    writeFileSync(join(dir, 'cut.bin'), good.subarray(0, good.length - 40))
    writeFileSync(join(dir, 'empty.bin'), new Uint8Array(0))
    for (const key of ['garbage', 'cut', 'empty']) {
      expect(await cache.get(key), key).toBeUndefined()
      expect(await cache.has(key), key).toBe(false)
    }
    expect(readdirSync(dir)).toEqual([])
    await cache.set('cut', { outputs: entry(100, 0.25) })
    expect((await cache.get('cut'))?.outputs).toEqual(entry(100, 0.25))
  })

  it('never shows a half-written entry: a write cut short leaves only its temporary file', async () => {
    const dir = freshDir()
    const cache = new DiskCache(dir)
    const bytes = encodeOutputs(entry(100))
    // What a crash between writeFile and rename leaves behind.
    writeFileSync(join(dir, 'k.bin.4242.tmp'), bytes.subarray(0, bytes.length >> 1))
    expect(await cache.has('k')).toBe(false)
    expect(await cache.get('k')).toBeUndefined()
    await cache.set('k', { outputs: entry(100) })
    expect((await cache.get('k'))?.outputs).toEqual(entry(100))
    // The entry on disk: a tag and checksum, then exactly the encoded outputs.
    expect(readFileSync(join(dir, 'k.bin')).subarray(-bytes.length)).toEqual(Buffer.from(bytes))
  })

  it('clears temporary files a crashed write left long ago, but not one being written now', async () => {
    const dir = freshDir()
    const stale = join(dir, 'old.bin.4242.tmp')
    const fresh = join(dir, 'new.bin.4243.tmp')
    writeFileSync(stale, new Uint8Array(64))
    writeFileSync(fresh, new Uint8Array(64))
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000)
    utimesSync(stale, dayAgo, dayAgo)
    await new DiskCache(dir).set('k', { outputs: entry(10) })
    expect(readdirSync(dir).sort()).toEqual(['k.bin', 'new.bin.4243.tmp'])
  })

  it('stores the same key twice at once without one write breaking the other', async () => {
    const dir = freshDir()
    const cache = new DiskCache(dir)
    await Promise.all([
      cache.set('k', { outputs: entry(50_000) }),
      cache.set('k', { outputs: entry(50_000) }),
    ])
    expect((await cache.get('k'))?.outputs).toEqual(entry(50_000))
    expect(readdirSync(dir)).toEqual(['k.bin'])
  })

  it('gives back every kind of value exactly: typed arrays bit for bit, fields as they were', async () => {
    const cache = new DiskCache(freshDir())
    const audio: Value = {
      kind: 'audio',
      sampleRate: 44100,
      // A view into the middle of a larger buffer, as nodes sometimes return.
      channels: [awkwardFloats(1001, 1), awkwardFloats(4096, 2).subarray(3, 1004)],
    }
    const outputs: NodeOutputs = {
      audio,
      spectrogram: {
        kind: 'spectrogram',
        sampleRate: 22050,
        fftSize: 512,
        hopSize: 128,
        window: 'hann',
        center: true,
        scale: 'db',
        bins: 257,
        frames: 3,
        channels: [awkwardFloats(771, 3)],
        phase: [awkwardFloats(771, 4)],
      },
      image: { kind: 'image', width: 5, height: 3, channels: [awkwardFloats(15, 5)] },
      frames: {
        kind: 'frames',
        fps: 12.5,
        width: 2,
        height: 2,
        frames: [[awkwardFloats(4, 6)], [awkwardFloats(4, 7)]],
        audio,
        binHz: [0, 43.06640625, 86.1328125],
      },
      latent: { kind: 'latent', shape: [1, 4, 2, 2], data: awkwardFloats(16, 8) },
      number: { kind: 'number', value: 0.1 + 0.2 },
      text: { kind: 'text', value: 'a painting of sound — “quoted”, ünïcödé, \u0000' },
    }
    await cache.set('all', { outputs: outputs })
    const back = (await new DiskCache(cache.dir).get('all'))?.outputs as NodeOutputs
    expect(back).toBeDefined()
    const arrays = (o: NodeOutputs): Float32Array[] => {
      const found: Float32Array[] = []
      JSON.stringify(o, (_k, v: unknown) => {
        if (v instanceof Float32Array) found.push(v)
        return v
      })
      return found
    }
    const sent = arrays(outputs)
    const got = arrays(back)
    expect(got.length).toBe(sent.length)
    sent.forEach((a, i) => expect(bitsOf(got[i]), `array ${i}`).toEqual(bitsOf(a)))
    // Everything besides the arrays' contents, compared as plain data.
    const shape = (o: NodeOutputs) =>
      JSON.stringify(o, (_k, v: unknown) => (v instanceof Float32Array ? v.length : v))
    expect(shape(back)).toBe(shape(outputs))
    for (const a of got) expect(a.byteOffset % 4).toBe(0)
  })
})
