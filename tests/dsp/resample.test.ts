import { describe, expect, it } from 'vitest'
import { resample, resampledLength } from '../../src/dsp/resample'
import { cpuTimeOf } from '../helpers/cpu-time'

const sine = (n: number, rate: number, hz: number, phase = 0.3) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate + phase))

/**
 * The formula evaluated directly over every input sample, with torchaudio's kernel (Hann window,
 * 6 zero crossings, rolloff 0.99): y[j] = Σᵢ x[i]·(base/orig)·sinc(t)·cos²(πt/12), t clamped to ±6.
 */
function reference(x: Float32Array, from: number, to: number): Float64Array {
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a)
  const [orig, next] = [from / gcd(from, to), to / gcd(from, to)]
  const base = Math.min(orig, next) * 0.99
  const y = new Float64Array(Math.ceil((x.length * next) / orig))
  for (let j = 0; j < y.length; j++) {
    for (let i = 0; i < x.length; i++) {
      const t = Math.max(-6, Math.min(6, base * (i / orig - j / next)))
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t)
      y[j] += (x[i] * sinc * Math.cos((Math.PI * t) / 12) ** 2 * base) / orig
    }
  }
  return y
}

/** Largest deviation from an ideal sine at the output rate, away from the zero-padded edges. */
function sineError(y: Float32Array, rate: number, hz: number): number {
  let worst = 0
  for (let j = Math.floor(y.length * 0.1); j < Math.floor(y.length * 0.9); j++)
    worst = Math.max(worst, Math.abs(y[j] - Math.sin((2 * Math.PI * hz * j) / rate + 0.3)))
  return worst
}

const rmsOf = (y: Float32Array, from: number, to: number) => {
  let s = 0
  for (let i = from; i < to; i++) s += y[i] * y[i]
  return Math.sqrt(s / (to - from))
}

describe('resample', () => {
  it('returns an exact copy when the rates are equal', () => {
    const x = sine(1000, 44100, 1234)
    const y = resample(x, 44100, 44100)
    expect(y).toEqual(x)
    expect(y).not.toBe(x)
  })

  it('gives ceil(n · to / from) samples', () => {
    for (const [n, from, to] of [
      [0, 44100, 48000],
      [1, 44100, 48000],
      [1000, 44100, 48000],
      [1001, 48000, 44100],
      [999, 44100, 22050],
      [7, 8000, 44100],
      [44100, 44100, 44101],
    ]) {
      const expected = Math.ceil((n * to) / from)
      expect(resampledLength(n, from, to)).toBe(expected)
      expect(resample(new Float32Array(n), from, to)).toHaveLength(expected)
    }
  })

  it('matches the windowed-sinc formula summed over every input sample', () => {
    // Only the taps inside |t| < 6 are kept; the rest of torchaudio's kernel is zero.
    const x = Float32Array.from(
      { length: 300 },
      (_, i) => Math.sin(i * 0.37) * Math.cos(i * 0.051) + ((i * 7919) % 13) / 26,
    )
    for (const [from, to] of [
      [44100, 48000],
      [48000, 44100],
      [44100, 22050],
      [16000, 44100],
      [3, 2],
      [44100, 44101],
    ]) {
      const y = resample(x, from, to)
      const ref = reference(x, from, to)
      y.forEach((v, j) => expect(Math.abs(v - ref[j]), `${from}→${to} at ${j}`).toBeLessThan(1e-6))
    }
  })

  it('keeps the frequency, amplitude and phase of a sine in the passband', () => {
    // Hann-windowed sinc with 6 zero crossings ripples by about 1e-3 in its passband
    // (measured 8e-4 at 440 Hz, 1.2e-3 at 3 kHz from 16 kHz): 2e-3 bounds it with margin.
    for (const [from, to, hz] of [
      [44100, 48000, 440],
      [48000, 44100, 440],
      [44100, 22050, 1000],
      [22050, 44100, 1000],
      [16000, 44100, 3000],
      [48000, 16000, 2500],
    ]) {
      const y = resample(sine(from, from, hz), from, to)
      expect(sineError(y, to, hz), `${from}→${to}, ${hz} Hz`).toBeLessThan(2e-3)
    }
  })

  it('passes DC with unit gain', () => {
    const y = resample(new Float32Array(4410).fill(0.5), 44100, 48000)
    for (let j = 500; j < y.length - 500; j++) expect(Math.abs(y[j] - 0.5)).toBeLessThan(1e-3)
  })

  it('removes a tone above the new Nyquist frequency instead of folding it down', () => {
    // 12 kHz into 16 kHz would alias to 4 kHz; cutoff is 0.99 · 8 kHz with a transition band of
    // about 8 kHz / 6 above it: at 1.5× the new Nyquist the tone is down by more than 40 dB.
    const y = resample(sine(48000, 48000, 12000), 48000, 16000)
    expect(rmsOf(y, 1600, 14400)).toBeLessThan(0.01 / Math.SQRT2)
    const kept = resample(sine(48000, 48000, 4000), 48000, 16000)
    expect(rmsOf(kept, 1600, 14400)).toBeCloseTo(1 / Math.SQRT2, 2)
  })

  it('handles coprime rates without building a full-period kernel', async () => {
    // CPU time, which a busy machine does not inflate: a full-period kernel (44,101 phases)
    // would take tens of seconds of it and gigabytes.
    const { ms, value: y } = await cpuTimeOf(() => resample(sine(44100, 44100, 440), 44100, 44101))
    expect(ms).toBeLessThan(2000)
    expect(sineError(y, 44101, 440)).toBeLessThan(2e-3)
  })

  it('refuses rates that are not positive whole numbers', () => {
    expect(() => resample(new Float32Array(4), 0, 44100)).toThrow(RangeError)
    expect(() => resample(new Float32Array(4), 44100.5, 48000)).toThrow(/whole/)
    expect(() => resample(new Float32Array(4), 44100, 48000, { rolloff: 0 })).toThrow(/rolloff/)
  })
})
