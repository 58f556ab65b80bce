import { describe, expect, it } from 'vitest'
import {
  RESAMPLE_FILTERS,
  resampleCoefficients,
  resizeF32,
  resizeU8,
  type ResampleFilter,
} from '../../src/dsp/resize'
import { fixtureJson } from '../helpers/fixtures'
import { fixtureNpyAnyOrder as fixtureNpy } from '../helpers/npy-any-order'

interface PillowCase {
  name: string
  mode: 'u8' | 'f32'
  filter: ResampleFilter
  width: number
  height: number
  outWidth: number
  outHeight: number
  box: [number, number, number, number] | null
  input: number[]
  expected: number[]
}

const { cases } = fixtureJson<{ cases: PillowCase[] }>('pillow/resize_cases.json')

/** Largest |a − b| and how many entries differ. */
function compare(actual: ArrayLike<number>, expected: ArrayLike<number>) {
  let maxDiff = 0
  let differing = 0
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i])
    if (d > 0) differing++
    maxDiff = Math.max(maxDiff, d)
  }
  return { maxDiff, differing }
}

describe('resizeU8 and resizeF32 against Pillow 9.4', () => {
  it.each(cases.map((c) => [c.name, c] as const))('reproduces %s bit for bit', (_name, c) => {
    const box = c.box ? { x0: c.box[0], y0: c.box[1], x1: c.box[2], y1: c.box[3] } : undefined
    const args = [c.width, c.height, c.outWidth, c.outHeight, c.filter, box] as const
    const out =
      c.mode === 'u8'
        ? resizeU8(Uint8Array.from(c.input), ...args)
        : resizeF32(Float32Array.from(c.input), ...args)
    expect(out.length).toBe(c.expected.length)
    expect(compare(out, Float32Array.from(c.expected))).toEqual({ maxDiff: 0, differing: 0 })
  })

  it('covers every filter in both depths, shrinking and enlarging', () => {
    for (const filter of RESAMPLE_FILTERS)
      for (const mode of ['u8', 'f32'])
        expect(cases.filter((c) => c.filter === filter && c.mode === mode).length).toBeGreaterThan(
          3,
        )
  })

  it.each(['sweep_log_mono_44100', 'chord_stereo_48000'])(
    "reproduces the notebook's 400×300 image from its 8-bit spectrogram (%s)",
    (input) => {
      const norm = fixtureNpy(`notebook/${input}/spec_norm.npy`)
      const image = fixtureNpy(`notebook/${input}/image_rgb_u8.npy`)
      const [bins, frames] = norm.shape
      // The notebook's uint8 cast truncates the float32 product ×255.
      const grey = Uint8Array.from(norm.data, (v) => Math.floor(Math.fround(v * 255)))
      const out = resizeU8(grey, frames, bins, 400, 300)
      const red = image.data.filter((_v, i) => i % 3 === 0)
      expect(compare(out, red)).toEqual({ maxDiff: 0, differing: 0 })
    },
  )
})

describe('resampleCoefficients', () => {
  it('normalises the weights of every output index to one', () => {
    for (const filter of ['bicubic', 'lanczos', 'bilinear', 'box', 'hamming'] as const)
      for (const [from, to] of [
        [862, 400],
        [257, 300],
        [5, 17],
      ]) {
        const { ksize, bounds, weights } = resampleCoefficients(from, to, filter)
        for (let i = 0; i < to; i++) {
          let sum = 0
          for (let t = 0; t < bounds[i * 2 + 1]; t++) sum += weights[i * ksize + t]
          expect(sum).toBeCloseTo(1, 12)
        }
      }
  })

  it('stretches the kernel by the shrink factor (antialiasing) and not when enlarging', () => {
    expect(resampleCoefficients(100, 25, 'bicubic').ksize).toBe(17) // support 2·4 → 2·8 + 1
    expect(resampleCoefficients(25, 100, 'bicubic').ksize).toBe(5)
  })
})

describe('resize behaviour', () => {
  it('returns a copy when the size does not change', () => {
    const src = Uint8Array.from([1, 2, 3, 4, 5, 6])
    const out = resizeU8(src, 3, 2, 3, 2)
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6])
    expect(out).not.toBe(src)
  })

  it('keeps a constant plane constant with every filter', () => {
    for (const filter of RESAMPLE_FILTERS) {
      expect(new Set(resizeU8(new Uint8Array(35).fill(77), 7, 5, 19, 3, filter))).toEqual(
        new Set([77]),
      )
      const f = resizeF32(new Float32Array(35).fill(0.25), 7, 5, 2, 11, filter)
      for (const v of f) expect(v).toBeCloseTo(0.25, 6)
    }
  })

  it('refuses zero sizes and planes of the wrong length', () => {
    expect(() => resizeU8(new Uint8Array(6), 3, 2, 0, 2)).toThrow(/output width/)
    expect(() => resizeU8(new Uint8Array(5), 3, 2, 4, 4)).toThrow(/needs 6 values/)
    expect(() => resizeF32(new Float32Array(0), 0, 0, 4, 4)).toThrow(/width/)
  })
})
