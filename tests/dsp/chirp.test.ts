import { describe, expect, it } from 'vitest'
import {
  chirpSampleCount,
  chirpSum,
  chirpTime,
  notebookChirpColumns,
  type ChirpSumOptions,
} from '../../src/dsp/chirp'
import { fixtureNpy } from '../helpers/fixtures'
import { mulberry32 } from '../helpers/run-context'

/** The float64 closed form, as scipy.signal.chirp(t, f0, T, ratio·f0) summed over columns. */
function closedForm(o: ChirpSumOptions, n: number, count: number): number {
  const t = chirpTime(n, count, o)
  let sum = 0
  for (let c = 0; c < o.frequenciesHz.length; c++) {
    const f0 = o.frequenciesHz[c]
    const beta = (o.frequencyRatio * f0 - f0) / o.durationSec
    sum += o.amplitudes[c] * Math.cos(2 * Math.PI * (f0 * t + 0.5 * beta * t * t))
  }
  return sum / (o.divisor ?? o.frequenciesHz.length)
}

function options(partial: Partial<ChirpSumOptions>): ChirpSumOptions {
  return {
    frequenciesHz: Float64Array.of(440),
    amplitudes: Float64Array.of(1),
    frequencyRatio: 1.5,
    durationSec: 1,
    sampleRateHz: 24000,
    timeAxis: 'notebook-linspace',
    ...partial,
  }
}

/** Upward zero crossings, linearly interpolated, in seconds. */
function upwardCrossings(y: ArrayLike<number>, sampleRateHz: number): number[] {
  const out: number[] = []
  for (let n = 1; n < y.length; n++)
    if (y[n - 1] < 0 && y[n] >= 0) out.push((n - 1 + y[n - 1] / (y[n - 1] - y[n])) / sampleRateHz)
  return out
}

describe('chirpSum', () => {
  it('sweeps one column linearly from f0 to ratio·f0 (zero crossings at start and end)', () => {
    const o = options({
      frequenciesHz: Float64Array.of(100),
      frequencyRatio: 2,
      durationSec: 2,
      sampleRateHz: 48000,
      timeAxis: 'exact',
    })
    const crossings = upwardCrossings(chirpSum(o), 48000)
    const first = 1 / (crossings[1] - crossings[0]) // period centred near t = 0.0075 s
    const last = 1 / (crossings[crossings.length - 1] - crossings[crossings.length - 2])
    // f(t) = f0·(1 + (ratio − 1)·t/T): 100.4 Hz and 199.8 Hz at those periods' centres
    expect(first).toBeCloseTo(100 * (1 + (crossings[0] + crossings[1]) / 2 / 2), 1)
    expect(last).toBeCloseTo(100 * (1 + (crossings.at(-1)! + crossings.at(-2)!) / 2 / 2), 1)
    // phase 2π·(f0·T + ½β·T²) = 2π·300 cycles over 2 s: 300 upward crossings
    expect(crossings.length).toBe(300)
  })

  it('matches the float64 closed form to 1e-9 of the mean amplitude (400 random columns)', () => {
    const random = mulberry32(7)
    const o = options({
      frequenciesHz: Float64Array.from({ length: 400 }, () => 800 * random()),
      amplitudes: Float64Array.from({ length: 400 }, () => 0.2 + 0.8 * random()),
      durationSec: 1.5,
    })
    const count = chirpSampleCount(1.5, 24000)
    const y = chirpSum(o, new Float64Array(count))
    let worst = 0
    for (let n = 0; n < count; n += 11)
      worst = Math.max(worst, Math.abs(y[n] - closedForm(o, n, count)))
    expect(worst).toBeLessThan(1e-9 * 0.6)
  })

  it('stays accurate over the notebook duration for low and high frequencies, down-chirps and the exact axis', () => {
    for (const partial of [
      {
        frequenciesHz: Float64Array.of(0.5, 800),
        amplitudes: Float64Array.of(1, 0.3),
        durationSec: 30,
      },
      { frequencyRatio: 0.25, timeAxis: 'exact' as const },
      {
        frequenciesHz: Float64Array.of(5000, 3000),
        amplitudes: Float64Array.of(1, 1),
        sampleRateHz: 11025,
      },
    ]) {
      const o = options(partial)
      const count = chirpSampleCount(o.durationSec, o.sampleRateHz)
      const y = chirpSum(o, new Float64Array(count))
      for (let n = 0; n < count; n += 101)
        expect(Math.abs(y[n] - closedForm(o, n, count))).toBeLessThan(1e-9)
    }
  })

  it('spaces samples as numpy.linspace(0, T, N) (30/719999 s) or exactly 1/rate', () => {
    const linspace = options({ durationSec: 30 })
    expect(chirpSampleCount(30, 24000)).toBe(720000)
    expect(chirpTime(1, 720000, linspace)).toBe(30 / 719999)
    expect(chirpTime(719999, 720000, linspace)).toBe(30)
    expect(chirpTime(1, 720000, { ...linspace, timeAxis: 'exact' })).toBe(1 / 24000)
  })

  it.each(['sweep_log_mono_44100', 'chord_stereo_48000'])(
    "reproduces the notebook's chirp.wav from its column means to one float32 step (%s)",
    (input) => {
      const means = fixtureNpy(`notebook/${input}/chirp_col_means.npy`).data
      const red = means.filter((_v, i) => i % 3 === 0)
      const green = means.filter((_v, i) => i % 3 === 1)
      const y = chirpSum({
        ...notebookChirpColumns(red, green, 800, 0.2, 0.8),
        frequencyRatio: 1.5,
        durationSec: 30,
        sampleRateHz: 24000,
        timeAxis: 'notebook-linspace',
      })
      const index = fixtureNpy(`notebook/${input}/chirp_excerpt_index.npy`).data
      const expected = fixtureNpy(`notebook/${input}/chirp_excerpt.npy`).data
      // The fixture is float32(numpy's float64 sum); ours differs from that sum by ~1e-11, so a
      // few samples near a float32 rounding boundary round the other way: at most one step.
      let differing = 0
      for (let k = 0; k < index.length; k++) {
        const ours = y[index[k]]
        const ulp = Math.abs(Math.fround(expected[k] * (1 + 2 ** -23)) - expected[k]) || 2 ** -149
        expect(Math.abs(ours - expected[k])).toBeLessThanOrEqual(ulp * 1.0001)
        if (ours !== expected[k]) differing++
      }
      expect(differing / index.length).toBeLessThan(0.01)
    },
  )

  it('gives a constant for columns at 0 Hz and silence for no columns or zero amplitudes', () => {
    const dc = chirpSum(
      options({
        frequenciesHz: Float64Array.of(0, 0),
        amplitudes: Float64Array.of(0.5, 1),
        durationSec: 0.01,
      }),
    )
    expect(new Set(dc)).toEqual(new Set([0.75]))
    const none = chirpSum(
      options({ frequenciesHz: new Float64Array(0), amplitudes: new Float64Array(0) }),
    )
    expect(none.every((v) => v === 0)).toBe(true)
    const quiet = chirpSum(options({ amplitudes: Float64Array.of(0) }))
    expect(quiet.every((v) => v === 0)).toBe(true)
  })

  it('reports progress up to 1 and stops when the callback throws', () => {
    const fractions: number[] = []
    chirpSum(options({ onProgress: (f) => fractions.push(f) }))
    expect(fractions.at(-1)).toBe(1)
    expect(fractions.length).toBeGreaterThan(5)
    let calls = 0
    const stop = () => {
      if (++calls === 2) throw new Error('stop')
    }
    expect(() => chirpSum(options({ onProgress: stop }))).toThrow('stop')
    expect(calls).toBe(2)
  })

  it('refuses a non-positive duration or sample rate and mismatched column arrays', () => {
    expect(() => chirpSum(options({ durationSec: 0 }))).toThrow(RangeError)
    expect(() => chirpSum(options({ sampleRateHz: -1 }))).toThrow(RangeError)
    expect(() => chirpSum(options({ amplitudes: Float64Array.of(1, 2) }))).toThrow(RangeError)
  })
})
