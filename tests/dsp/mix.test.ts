import { describe, expect, it } from 'vitest'
import { dbToGain, mixSignals, normalizePeak, peakOf } from '../../src/dsp/mix'

const sig = (...values: number[]) => Float32Array.from(values)
const list = (channels: Float32Array[]) => channels.map((c) => Array.from(c))

describe('mixSignals', () => {
  const a = { channels: [sig(1, 0.5, -1)], gain: 1 }
  const b = { channels: [sig(0.5, 0.5, 0.5)], gain: 1 }

  it('averages the sources sample by sample', () => {
    expect(list(mixSignals([a, b], 'average'))).toEqual([[0.75, 0.5, -0.25]])
  })

  it('sums the sources sample by sample', () => {
    expect(list(mixSignals([a, b], 'sum'))).toEqual([[1.5, 1, -0.5]])
  })

  it('puts the first source on the left and the second on the right in stereo mode', () => {
    expect(list(mixSignals([a, b], 'stereo'))).toEqual([
      [1, 0.5, -1],
      [0.5, 0.5, 0.5],
    ])
  })

  it('gives each further source its own channel and downmixes a stereo source to one', () => {
    const stereo = { channels: [sig(1, 1), sig(0, -1)], gain: 1 }
    expect(list(mixSignals([a, b, stereo], 'stereo'))).toEqual([
      [1, 0.5, -1],
      [0.5, 0.5, 0.5],
      [0.5, 0, 0],
    ])
  })

  it('applies each source gain (dB to linear: −6.0206 dB halves)', () => {
    expect(dbToGain(0)).toBe(1)
    expect(dbToGain(-20)).toBeCloseTo(0.1, 12)
    const out = mixSignals(
      [
        { ...a, gain: dbToGain(-6.020599913) },
        { ...b, gain: 2 },
      ],
      'sum',
    )
    expect(Array.from(out[0])).toEqual([1.5, 1.25, 0.5].map((v) => expect.closeTo(v, 6) as number))
  })

  it('pads the shorter source with silence', () => {
    const short = { channels: [sig(1)], gain: 1 }
    expect(list(mixSignals([a, short], 'sum'))).toEqual([[2, 0.5, -1]])
  })

  it('hears a mono source on both channels of a stereo mix', () => {
    const stereo = { channels: [sig(0, 0, 0), sig(1, 1, 1)], gain: 1 }
    expect(list(mixSignals([b, stereo], 'sum'))).toEqual([
      [0.5, 0.5, 0.5],
      [1.5, 1.5, 1.5],
    ])
  })

  it('peak-normalises to the target and leaves silence silent (no NaN)', () => {
    const out = mixSignals([a, b], 'sum', dbToGain(-1))
    expect(peakOf(out)).toBeCloseTo(dbToGain(-1), 6)
    const silent = mixSignals([{ channels: [new Float32Array(4)], gain: 1 }], 'average', 1)
    expect(list(silent)).toEqual([[0, 0, 0, 0]])
    expect(normalizePeak([new Float32Array(3)], 1)).toBe(1)
  })

  it('returns nothing for no sources', () => {
    expect(mixSignals([], 'sum')).toEqual([])
  })

  it('gives exactly the float64 sum, scaled and peak-normalised, of the formula (lengths not a multiple of four)', () => {
    // The formula written out plainly: y = f32(scale · Σ g_i·x_i) in float64, then every
    // channel ·= target / max|y|. The fast loops (four samples a turn, the peak found while
    // mixing) must give the same float32 values bit for bit.
    const noise = (n: number, seed: number) =>
      Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 0.7)
    const reference = (sources: { channels: Float32Array[]; gain: number }[], target: number) => {
      const length = Math.max(...sources.flatMap((s) => s.channels.map((c) => c.length)))
      const scale = 1 / sources.length
      const out = [0, 1].map((c) =>
        Float32Array.from(
          { length },
          (_, n) => sources.reduce((sum, s) => sum + s.gain * (s.channels[c][n] ?? 0), 0) * scale,
        ),
      )
      const peak = Math.max(...out.flatMap((ch) => Array.from(ch, Math.abs)))
      for (const ch of out) for (let n = 0; n < ch.length; n++) ch[n] *= target / peak
      return out
    }
    for (const count of [1, 2, 3]) {
      const sources = Array.from({ length: count }, (_, i) => ({
        channels: [noise(1003, i), noise(1003, i + 10)],
        gain: 0.9 - 0.2 * i,
      }))
      const out = mixSignals(sources, 'average', 0.8)
      expect(out).toEqual(reference(sources, 0.8))
      expect(peakOf(out)).toBe(Math.fround(0.8))
    }
  })

  it('gives the formula bit for bit in sum and stereo modes too, whatever the gains', () => {
    // The fast loop takes the scale into the gains only where that changes no bit (a power-of-
    // two scale, or a lone source at gain 1): gains and scales here are neither and both.
    const noise = (n: number, seed: number) =>
      Float32Array.from({ length: n }, (_, i) => Math.sin(i * 4.1414 + seed * 3.3) * 0.6)
    const normalised = (out: Float32Array[], target: number) => {
      const peak = Math.max(...out.flatMap((ch) => Array.from(ch, Math.abs)))
      for (const ch of out) for (let n = 0; n < ch.length; n++) ch[n] *= target / peak
      return out
    }
    const f32 = (length: number, value: (n: number) => number) =>
      Float32Array.from({ length }, (_, n) => value(n))
    const mono = [0.7, 1, 0.3].map((gain, i) => ({ channels: [noise(1001, i)], gain }))
    const wide = [0.7, 0.5].map((gain, i) => ({
      channels: [noise(1001, i + 5), noise(1001, i + 7)],
      gain,
    }))
    for (const sources of [mono.slice(0, 2), wide]) {
      // sum: y_c = Σ g_i·x_i,c (a mono source on every channel)
      const width = Math.max(...sources.map((s) => s.channels.length))
      const sum = Array.from({ length: width }, (_, c) =>
        f32(1001, (n) =>
          sources.reduce((acc, s) => acc + s.gain * (s.channels[c] ?? s.channels[0])[n], 0),
        ),
      )
      expect(mixSignals(sources, 'sum', 0.9)).toEqual(normalised(sum, 0.9))
    }
    for (const sources of [mono, wide, [mono[0], wide[1]]]) {
      // stereo: y_i = g_i · mean_c x_i,c, as (Σ_c x_i,c) · (g_i / C)
      const stereo = sources.map(({ channels, gain }) =>
        f32(1001, (n) => channels.reduce((acc, ch) => acc + ch[n], 0) * (gain / channels.length)),
      )
      expect(mixSignals(sources, 'stereo', 0.9)).toEqual(normalised(stereo, 0.9))
      expect(mixSignals(sources, 'stereo')).toEqual(
        sources.map(({ channels, gain }) =>
          f32(1001, (n) => channels.reduce((acc, ch) => acc + ch[n], 0) * (gain / channels.length)),
        ),
      )
    }
  })

  it('finds a NaN in the peak (no normalising then), as Math.max would', () => {
    const poisoned = sig(0.5, -0.25, 0.1, 0.2, NaN, 0.3)
    expect(peakOf([sig(0.1, -0.9), poisoned])).toBeNaN()
    expect(peakOf([sig(0.1, -0.9, 0.3, 0.2, 0.5)])).toBe(Math.fround(0.9))
    const out = mixSignals([{ channels: [poisoned], gain: 1 }], 'sum', 1)
    expect(Array.from(out[0]).slice(0, 4)).toEqual(Array.from(poisoned).slice(0, 4))
    // A NaN past the first four samples' turn, in the fast two-source loop, and in the tail.
    for (const at of [0, 7, 1001]) {
      const x = Float32Array.from({ length: 1002 }, (_, i) => (i === at ? NaN : 0.25))
      const y = new Float32Array(1002).fill(0.5)
      expect(peakOf([x])).toBeNaN()
      const mixed = mixSignals(
        [
          { channels: [x], gain: 1 },
          { channels: [y], gain: 1 },
        ],
        'average',
        1,
      )
      expect(mixed[0][at]).toBeNaN()
      expect(mixed[0][at === 0 ? 1 : 0]).toBe(0.375) // not normalised
    }
  })
})
