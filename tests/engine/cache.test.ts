import { describe, expect, it } from 'vitest'
import { MemoryCache, TieredCache } from '../../src/engine/cache'
import { decodeOutputs, encodeOutputs, type NodeOutputs } from '../../src/engine/codec'

const audio = (n: number): NodeOutputs => ({
  audio: { kind: 'audio', sampleRate: 8000, channels: [new Float32Array(n).fill(0.5)] },
})

describe('codec', () => {
  it('round-trips every value kind exactly, typed arrays included', () => {
    const outputs: NodeOutputs = {
      a: {
        kind: 'audio',
        sampleRate: 44100,
        channels: [Float32Array.of(1, -2.5, 3e-8), Float32Array.of(0, 1, 2)],
      },
      s: {
        kind: 'spectrogram',
        sampleRate: 8000,
        fftSize: 4,
        hopSize: 2,
        window: 'hann',
        center: true,
        scale: 'power',
        bins: 3,
        frames: 1,
        channels: [Float32Array.of(1, 2, 3)],
        phase: [Float32Array.of(0.1, 0.2, 0.3)],
      },
      i: { kind: 'image', width: 1, height: 2, channels: [Float32Array.of(0, 1)] },
      l: { kind: 'latent', shape: [1, 4, 1, 1], data: Float32Array.of(1, 2, 3, 4) },
      f: {
        kind: 'frames',
        fps: 24,
        width: 2,
        height: 1,
        frames: [[Float32Array.of(0, 1)], [Float32Array.of(0.5, 0.25)]],
        audio: { kind: 'audio', sampleRate: 8000, channels: [Float32Array.of(0.1, -0.1)] },
        binHz: [30, 16000],
      },
      n: { kind: 'number', value: -0.25 },
      t: { kind: 'text', value: 'a "quoted" prompt ✓' },
    }
    expect(decodeOutputs(encodeOutputs(outputs))).toEqual(outputs)
  })

  it('gives every decoded array its own aligned buffer, ready to transfer', () => {
    const decoded = decodeOutputs(encodeOutputs(audio(5)))
    const channel = (decoded.audio as { channels: Float32Array[] }).channels[0]
    expect(channel.byteOffset % 4).toBe(0)
    expect(Array.from(channel)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5])
  })

  it('rejects bytes that are not a cache entry, or are cut short', () => {
    expect(() => decodeOutputs(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(
      /Not a Synesthete cache entry/,
    )
    const whole = encodeOutputs(audio(100))
    expect(() => decodeOutputs(whole.subarray(0, whole.length - 10))).toThrow(/Truncated/)
  })
})

describe('MemoryCache', () => {
  it('evicts the least recently used entries when over its byte bound', async () => {
    const cache = new MemoryCache(3 * (400 + 64))
    await cache.set('a', { outputs: audio(100) })
    await cache.set('b', { outputs: audio(100) })
    await cache.set('c', { outputs: audio(100) })
    await cache.get('a') // a is now the most recent
    await cache.set('d', { outputs: audio(100) })
    expect(await cache.has('b')).toBe(false)
    expect(await cache.has('a')).toBe(true)
    expect(await cache.has('d')).toBe(true)
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes)
  })

  it('skips values larger than the whole cache instead of emptying it', async () => {
    const cache = new MemoryCache(1000)
    await cache.set('small', { outputs: audio(10) })
    await cache.set('huge', { outputs: audio(10_000) })
    expect(await cache.has('huge')).toBe(false)
    expect(await cache.has('small')).toBe(true)
  })
})

describe('TieredCache', () => {
  it('promotes hits from the slow store into the fast one', async () => {
    const fast = new MemoryCache()
    const slow = new MemoryCache()
    await slow.set('k', { outputs: audio(4) })
    const tiered = new TieredCache(fast, slow)
    expect(await tiered.get('k')).toBeDefined()
    expect(await fast.has('k')).toBe(true)
  })
})
