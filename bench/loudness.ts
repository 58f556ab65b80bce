/**
 * The loudness meter (src/dsp/loudness.ts) on 10 minutes of stereo at 48 kHz, against a plain
 * implementation of the same measure timed in the same run: one channel at a time through two
 * separate biquad passes into a filtered copy, then the 48-tap true-peak FIR in direct form on
 * every sample (no symmetry, no skipping). Both must agree; the case throws if they do not.
 */
import { measureLoudness, kWeightingFilters, TRUE_PEAK_PHASES } from '../src/dsp/loudness'
import { mulberry32 } from '../src/engine/random'
import type { BenchCase } from './types'

const RATE = 48000

/** Ten minutes of stereo: a chord swelling and fading, a sweep and noise, deterministic. */
function tenMinutes(): Float32Array[] {
  const n = RATE * 600
  const random = mulberry32(7)
  return [0, 1].map((c) => {
    const x = new Float32Array(n)
    for (let i = 0; i < n; i++) {
      const t = i / RATE
      const swell = 0.5 + 0.5 * Math.sin(2 * Math.PI * 0.01 * t + c)
      x[i] =
        swell * (0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 330 * t)) +
        0.1 * Math.sin(2 * Math.PI * (50 + 20 * t) * t) +
        0.05 * (random() - 0.5)
    }
    return x
  })
}

let signal: Float32Array[] | undefined
const audio = (): Float32Array[] => (signal ??= tenMinutes())

/** The plain implementation (see the header); returns integrated loudness and true peak. */
function plainLoudness(channels: Float32Array[], rate: number): [number, number] {
  const { shelf, highPass } = kWeightingFilters(rate)
  const segment = rate / 10
  const segments = Math.floor(channels[0].length / segment)
  const power = new Float64Array(segments)
  let peak = 0
  for (const x of channels) {
    const biquad = (input: Float64Array | Float32Array, f: typeof shelf): Float64Array => {
      const y = new Float64Array(input.length)
      for (let n = 0; n < input.length; n++)
        y[n] =
          f.b0 * input[n] +
          f.b1 * (input[n - 1] ?? 0) +
          f.b2 * (input[n - 2] ?? 0) -
          f.a1 * (y[n - 1] ?? 0) -
          f.a2 * (y[n - 2] ?? 0)
      return y
    }
    const k = biquad(biquad(x, shelf), highPass)
    for (let s = 0; s < segments; s++)
      for (let n = s * segment; n < (s + 1) * segment; n++) power[s] += k[n] * k[n]
    for (let m = 0; m < x.length + 11; m++)
      for (const h of TRUE_PEAK_PHASES) {
        let y = 0
        for (let j = 0; j < 12; j++) y += h[j] * (x[m - j] ?? 0)
        peak = Math.max(peak, Math.abs(y))
      }
  }
  const blocks: number[] = []
  for (let j = 0; j + 3 < segments; j++)
    blocks.push((power[j] + power[j + 1] + power[j + 2] + power[j + 3]) / (4 * segment))
  const gated = (min: number) => blocks.filter((b) => b > min)
  const mean = (b: number[]) => b.reduce((s, v) => s + v, 0) / b.length
  const absolute = gated(10 ** ((-70 + 0.691) / 10))
  const relative = gated(Math.max(10 ** ((-70 + 0.691) / 10), mean(absolute) / 10))
  return [-0.691 + 10 * Math.log10(mean(relative)), 20 * Math.log10(peak)]
}

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

let plainSeconds: number | undefined

export const loudnessBench: BenchCase = {
  name: 'loudness + true peak (BS.1770-4), 10 min stereo at 48 kHz',
  repeats: 3,
  withoutFftJs: 'no FFT',
  goalSeconds: 1,
  run: () => {
    const m = measureLoudness(audio(), RATE)
    if (plainSeconds === undefined) {
      const start = cpuSeconds()
      const [lufs, dbtp] = plainLoudness(audio(), RATE)
      plainSeconds = cpuSeconds() - start
      if (Math.abs(lufs - m.integratedLufs!) > 1e-6 || Math.abs(dbtp - m.truePeakDbtp!) > 1e-6)
        throw new Error(
          `meter and plain implementation disagree: ${lufs}/${dbtp} vs ${JSON.stringify(m)}`,
        )
    }
    return m
  },
  get reference() {
    return plainSeconds === undefined
      ? undefined
      : { seconds: plainSeconds, label: 'plain direct form, same run' }
  },
}
