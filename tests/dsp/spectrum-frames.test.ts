import { beforeAll, describe, expect, it } from 'vitest'
import { initFastFft } from '../../src/dsp/fft'
import {
  frameCentreSample,
  levelsToUnit,
  logBinFrequencies,
  postBinIndices,
  postChunk,
  postSpectrumFrames,
  spectrumFrameCount,
  spectrumFrames,
} from '../../src/dsp/spectrum-frames'
import { fixtureJson } from '../helpers/fixtures'
import { mulberry32 } from '../helpers/run-context'

beforeAll(async () => {
  await initFastFft()
})

const RATE = 44100
const tone = (hz: number, seconds: number, level = 1) =>
  Float32Array.from(
    { length: Math.round(seconds * RATE) },
    (_, i) => level * Math.sin((2 * Math.PI * hz * i) / RATE),
  )
const OPTIONS = { fps: 24, fftSize: 2048, bins: 256, minHz: 30, maxHz: 16000 }
const argmax = (a: Float32Array) => a.reduce((best, v, i) => (v > a[best] ? i : best), 0)

describe('spectrum frames', () => {
  it('spaces bins logarithmically from the lowest to the highest frequency', () => {
    const hz = logBinFrequencies(256, 30, 16000)
    expect(hz[0]).toBeCloseTo(30, 9)
    expect(hz[255]).toBeCloseTo(16000, 6)
    const ratio = hz[1] / hz[0]
    for (let j = 1; j < 256; j++) expect(hz[j] / hz[j - 1]).toBeCloseTo(ratio, 9)
  })

  it('gives 72 frames for 3 s at 24 fps, frame i centred on i / 24 s', () => {
    const samples = 3 * RATE
    expect(spectrumFrameCount(samples, RATE, 24)).toBe(72)
    expect(spectrumFrameCount(samples + 1, RATE, 24)).toBe(73)
    expect(spectrumFrameCount(1, RATE, 24)).toBe(1)
    expect(spectrumFrameCount(0, RATE, 24)).toBe(0)
    expect(frameCentreSample(24, RATE, 24)).toBe(RATE)
    expect(frameCentreSample(1, RATE, 24)).toBe(1838) // 1837.5 rounds half up
    expect(spectrumFrames([new Float32Array(samples)], RATE, OPTIONS)).toHaveLength(72)
  })

  it.each([110, 440, 1000, 3520, 12000])(
    'puts a %i Hz tone in the bin nearest its frequency, at its amplitude',
    (hz) => {
      const frames = spectrumFrames([tone(hz, 0.5, 0.5)], RATE, OPTIONS)
      const bins = logBinFrequencies(256, 30, 16000)
      const nearest = argmax(Float32Array.from(bins, (f) => -Math.abs(Math.log(f / hz))))
      const middle = frames[6]
      expect(Math.abs(argmax(middle) - nearest)).toBeLessThanOrEqual(1)
      // A Hann window's scalloping loss is at most 1.42 dB (Harris 1978): 0.5 reads 0.42–0.5.
      expect(middle[argmax(middle)]).toBeGreaterThan(0.42)
      expect(middle[argmax(middle)]).toBeLessThan(0.501)
      // Beyond the neighbouring bins (whose bands may touch the tone's main lobe) and eight FFT
      // bins (8 · 44100 / 2048 Hz), Hann side lobes are below −60 dB.
      const far = Array.from(middle).filter(
        (_, j) => Math.abs(j - nearest) > 1 && Math.abs(bins[j] - hz) > (8 * RATE) / 2048,
      )
      expect(Math.max(...far)).toBeLessThan(1e-3)
    },
  )

  it('follows a tone that changes: the frame at 1.5 s hears the second half', () => {
    const first = tone(300, 1.5)
    const both = new Float32Array(3 * RATE)
    both.set(first)
    both.set(tone(2400, 1.5), first.length)
    const frames = spectrumFrames([both], RATE, OPTIONS)
    const bins = logBinFrequencies(256, 30, 16000)
    expect(bins[argmax(frames[12])]).toBeCloseTo(300, -1)
    expect(bins[argmax(frames[60])]).toBeGreaterThan(2200)
  })

  it('averages channels as power, so opposite phases do not cancel', () => {
    const left = tone(1000, 0.25, 0.5)
    const right = left.map((v) => -v)
    const [both] = spectrumFrames([left, right], RATE, { ...OPTIONS, fps: 4 })
    const [one] = spectrumFrames([left], RATE, { ...OPTIONS, fps: 4 })
    for (let j = 0; j < 256; j++) expect(both[j]).toBeCloseTo(one[j], 6)
  })

  it('turns silence into zeros, and maps levels to 0..1 by dB or linearly', () => {
    const [frame] = spectrumFrames([new Float32Array(4096)], RATE, OPTIONS)
    expect(Array.from(frame).every((v) => v === 0)).toBe(true)
    expect(Array.from(levelsToUnit(frame, 'db', -80)).every((v) => v === 0)).toBe(true)
    const unit = levelsToUnit(Float32Array.of(1, 0.1, 1e-4, 1e-5, 2), 'db', -80)
    expect(Array.from(unit)).toEqual([1, Math.fround(0.75), Math.fround(0.0), 0, 1])
    expect(Array.from(levelsToUnit(Float32Array.of(0.25, 3), 'linear', -80))).toEqual([0.25, 1])
  })
})

describe("the Spectral Diffusion post's spectra", () => {
  it('reads the integer indices numpy gives: logspace(1, log10(n_window / 2), bins).astype(int)', () => {
    const numpy = fixtureJson<Record<string, number[]>>('spectral-diffusion/post-bin-indices.json')
    for (const [key, indices] of Object.entries(numpy)) {
      const [window, bins] = key.split(',').map(Number)
      expect(Array.from(postBinIndices(bins, window)), key).toEqual(indices)
    }
  })

  it('is |rfft(chunk, n_window)| of the mono chunk / 2 (int16 / 2^16), no window', () => {
    // Two channels, so mono = (L + R) / 2; fps 10 at 8 kHz: chunks of 800 samples, zero-padded
    // to a 1024-point FFT. Reference: the DFT written out, at the post's indices.
    const rate = 8000
    const random = mulberry32(3)
    const left = Float32Array.from({ length: 2400 }, () => random() - 0.5)
    const right = Float32Array.from({ length: 2400 }, () => random() - 0.5)
    const options = { fps: 10, fftSize: 1024, bins: 16 }
    const frames = postSpectrumFrames([left, right], rate, options)
    expect(frames).toHaveLength(3)
    const indices = postBinIndices(16, 1024)
    for (let f = 0; f < 3; f++) {
      const [start, length] = postChunk(f, rate, 10)
      expect([start, length]).toEqual([800 * f, 800])
      for (let j = 0; j < 16; j++) {
        const k = indices[j]
        let re = 0
        let im = 0
        for (let n = 0; n < length; n++) {
          const x = ((left[start + n] + right[start + n]) / 2) * 0.5
          re += x * Math.cos((2 * Math.PI * k * n) / 1024)
          im -= x * Math.sin((2 * Math.PI * k * n) / 1024)
        }
        expect(frames[f][0 + j]).toBeCloseTo(Math.hypot(re, im), 4)
      }
    }
  })

  it('cuts a chunk longer than the window to its first n_window samples, as rfft(x, n) does', () => {
    // fps 1: a chunk of 44100 samples, of which a 256-point FFT reads the first 256.
    const signal = tone(500, 1)
    const options = { fps: 1, fftSize: 256, bins: 8 }
    const head = postSpectrumFrames([signal.subarray(0, 256)], RATE, options)
    const whole = postSpectrumFrames([signal], RATE, options)
    expect(Array.from(whole[0])).toEqual(Array.from(head[0]))
  })
})
