import { describe, expect, it } from 'vitest'
import {
  imageChannelToMagnitude,
  type ImageToMagnitudeOptions,
} from '../../src/dsp/image-to-magnitude'
import { mulberry32 } from '../../src/engine/random'

/** The formula per pixel, as the module states it: |X| = 10^((c − 1)·R / divisor), in float32. */
const formula = (c: number, options: ImageToMagnitudeOptions): number =>
  Math.fround(Math.pow(10, ((c - 1) * options.dbRange) / (options.valueScale === 'db' ? 20 : 40)))

/** One float32 step at v: the distance to the next float32 away from zero. */
const ulp = (v: number): number => {
  const bits = new Float32Array([Math.abs(v)])
  const next = new Uint32Array(bits.buffer)
  next[0] += 1
  return bits[0] - Math.abs(v)
}

/** A one-row picture of `values` read as one bin per pixel. */
const read = (values: Float32Array, options: ImageToMagnitudeOptions): Float32Array =>
  imageChannelToMagnitude(values, values.length, 1, options)

const settings: ImageToMagnitudeOptions[] = [
  { orientation: 'low-at-bottom', valueScale: 'db', dbRange: 100 }, // the default graph
  { orientation: 'low-at-top', valueScale: 'notebook', dbRange: 80 }, // the notebook
  { orientation: 'low-at-bottom', valueScale: 'db', dbRange: 1000 }, // a wider range: a finer grid
  { orientation: 'low-at-bottom', valueScale: 'db', dbRange: 0 },
]

describe('imageChannelToMagnitude against Math.pow on every pixel', () => {
  it('is exact on the levels of 8- and 16-bit pictures', () => {
    const eight = Float32Array.from({ length: 256 }, (_, k) => k / 255)
    const sixteen = Float32Array.from({ length: 65536 }, (_, k) => k / 65535)
    for (const options of settings)
      for (const levels of [eight, sixteen])
        expect(Array.from(read(levels, options))).toEqual(
          Array.from(levels, (c) => formula(c, options)),
        )
  })

  it('is within one float32 step elsewhere in 0..1, and almost always equal', () => {
    // Resized or painted pictures (any float32) and rows interpolated in float64.
    const random = mulberry32(3)
    const values = Float32Array.from({ length: 200_000 }, () => random())
    values[0] = 1 - 2 ** -24 // the last float32 below 1
    values[1] = 2 ** -30
    for (const options of settings) {
      const out = read(values, options)
      let differing = 0
      let worst = 0 // in float32 steps
      values.forEach((c, i) => {
        const expected = formula(c, options)
        if (out[i] === expected) return
        differing++
        worst = Math.max(worst, Math.abs(out[i] - expected) / ulp(expected))
      })
      expect(worst).toBeLessThanOrEqual(1)
      // Only values within ~1e-15 of a float32 rounding boundary may differ.
      expect(differing).toBeLessThanOrEqual(2)
    }
    // Between rows: c = a + (b − a)·w in float64.
    const twoRows = Float32Array.from({ length: 2 * 1000 }, () => random())
    const options = settings[0]
    const m = imageChannelToMagnitude(twoRows, 1000, 2, { ...options, bins: 7 })
    let worst = 0
    for (let k = 0; k < 7; k++)
      for (let t = 0; t < 1000; t++) {
        const fromDc = k / 6 // low at the bottom: row 1 is DC
        const a = twoRows[1000 + t]
        const c = fromDc === 1 ? twoRows[t] : a + (twoRows[t] - a) * fromDc
        const expected = formula(c, options)
        worst = Math.max(worst, Math.abs(m[k * 1000 + t] - expected) / ulp(expected))
      }
    expect(worst).toBeLessThanOrEqual(1)
  })

  it('gives Math.pow for values outside 0..1, and NaN for NaN', () => {
    const values = Float32Array.of(-0.5, 1.25, 3, NaN)
    const options = settings[0]
    const out = read(values, options)
    expect(Array.from(out.subarray(0, 3))).toEqual([-0.5, 1.25, 3].map((c) => formula(c, options)))
    expect(out[3]).toBeNaN()
  })
})
