import { describe, expect, it } from 'vitest'
import {
  meanPower,
  normaliseLevels,
  spectrogramLevelsDb,
  spectrogramLevelsU8,
  spectrogramToImage,
  type SpectrogramImageOptions,
} from '../../src/dsp/spectrogram-image'
import { toUint8 } from '../../src/dsp/image-ops'
import { mulberry32 } from '../../src/engine/random'
import { NOTEBOOK_IMAGE } from '../helpers/notebook-chain'
import { fixtureNpyAnyOrder } from '../helpers/npy-any-order'

const INPUTS = ['sweep_log_mono_44100', 'chord_stereo_48000'] as const

function power(input: string) {
  const npy = fixtureNpyAnyOrder(`notebook/${input}/power_spec_mean.npy`)
  const [, bins, frames] = npy.shape
  return { matrix: Float32Array.from(npy.data), bins, frames }
}

describe('spectrogramToImage against the notebook', () => {
  it.each(INPUTS)(
    'normalises power to the notebook spec_norm within one float32 step (%s)',
    (input) => {
      const { matrix } = power(input)
      const expected = fixtureNpyAnyOrder(`notebook/${input}/spec_norm.npy`).data
      const ours = normaliseLevels(spectrogramLevelsDb(matrix, 'power', -90), 'min-max', 0, 0)
      // torch's float32 log10 is off by one step from the correctly rounded value for a few dozen
      // of ~150k–220k entries (35 and 28 here); every other value is identical.
      let differing = 0
      let worst = 0
      for (let i = 0; i < expected.length; i++) {
        if (ours[i] !== expected[i]) differing++
        worst = Math.max(worst, Math.abs(ours[i] - expected[i]))
      }
      expect(differing).toBeLessThanOrEqual(40)
      expect(worst).toBeLessThanOrEqual(2 ** -23 * 1.1)
    },
  )

  it.each(INPUTS)(
    'reproduces image_rgb_u8.npy bit for bit from power_spec_mean.npy (%s)',
    (input) => {
      const { matrix, bins, frames } = power(input)
      const image = spectrogramToImage(matrix, bins, frames, NOTEBOOK_IMAGE)
      const expected = fixtureNpyAnyOrder(`notebook/${input}/image_rgb_u8.npy`).data
      expect([image.width, image.height, image.channels.length]).toEqual([400, 300, 3])
      let differing = 0
      for (let i = 0; i < 300 * 400; i++)
        for (let c = 0; c < 3; c++)
          if (Math.round(image.channels[c][i] * 255) !== expected[i * 3 + c]) differing++
      expect(differing).toBe(0)
    },
  )
})

describe('spectrogramToImage options', () => {
  const ramp = Float32Array.from({ length: 4 * 3 }, (_v, i) => 10 ** (i / 2)) // 4 bins × 3 frames
  const base: SpectrogramImageOptions = { ...NOTEBOOK_IMAGE, width: 0, height: 0, channels: 1 }

  it('gives an all-black image without NaN for silence and for any constant matrix', () => {
    for (const value of [0, 1e-3]) {
      const image = spectrogramToImage(
        new Float32Array(257 * 20).fill(value),
        257,
        20,
        NOTEBOOK_IMAGE,
      )
      for (const plane of image.channels) expect(plane.every((v) => v === 0)).toBe(true)
    }
  })

  it('puts DC at the bottom by default and at the top for low-at-top', () => {
    const top = spectrogramToImage(ramp, 4, 3, { ...base, quantize: 'none' })
    const bottom = spectrogramToImage(ramp, 4, 3, {
      ...base,
      quantize: 'none',
      orientation: 'low-at-bottom',
    })
    expect(top.channels[0][0]).toBe(0) // bin 0, frame 0: the quietest, top-left
    expect(bottom.channels[0][3 * 3]).toBe(0) // bottom-left
    expect(Array.from(bottom.channels[0].subarray(0, 3))).toEqual(
      Array.from(top.channels[0].subarray(9, 12)),
    )
  })

  it('truncates like a uint8 cast or rounds to the nearest level, or keeps floats', () => {
    const matrix = Float32Array.of(1e-9, 1, 2, 10) // levels −86.99…, 0, 3.01, 10 dB; fixed 0..10 dB
    const fixed = {
      ...base,
      orientation: 'low-at-bottom' as const,
      range: 'fixed' as const,
      topDb: 10,
      bottomDb: 0,
    }
    const none = spectrogramToImage(matrix, 4, 1, { ...fixed, quantize: 'none' }).channels[0]
    const trunc = spectrogramToImage(matrix, 4, 1, { ...fixed, quantize: 'truncate' }).channels[0]
    const round = spectrogramToImage(matrix, 4, 1, { ...fixed, quantize: 'round' }).channels[0]
    const rowOf = (bin: number) => 3 - bin // low-at-bottom: bin 0 is the last row
    expect(none[rowOf(0)]).toBe(0) // below the bottom: clamped
    expect(none[rowOf(3)]).toBe(1)
    expect(none[rowOf(2)]).toBeCloseTo(0.30103, 4) // 255·0.30103 = 76.76
    expect(Math.round(trunc[rowOf(2)] * 255)).toBe(76)
    expect(Math.round(round[rowOf(2)] * 255)).toBe(77)
  })

  it('uses 20·log10 for magnitude and keeps values already in dB, floored', () => {
    expect(Array.from(spectrogramLevelsDb(Float32Array.of(10), 'magnitude', -200))).toEqual([20])
    expect(Array.from(spectrogramLevelsDb(Float32Array.of(0), 'magnitude', -90))).toEqual([-90])
    expect(Array.from(spectrogramLevelsDb(Float32Array.of(-120, -3), 'db', -90))).toEqual([-90, -3])
  })

  it('keeps the matrix size when width and height are 0 and makes 1 or 3 channels', () => {
    const one = spectrogramToImage(ramp, 4, 3, base)
    expect([one.width, one.height, one.channels.length]).toEqual([3, 4, 1])
    const three = spectrogramToImage(ramp, 4, 3, { ...base, channels: 3 })
    expect(three.channels[1]).toEqual(three.channels[0])
    expect(three.channels[1]).not.toBe(three.channels[0])
  })

  it('averages channels as power', () => {
    expect(Array.from(meanPower([Float32Array.of(1), Float32Array.of(3)], 'power'))).toEqual([2])
    expect(Array.from(meanPower([Float32Array.of(1), Float32Array.of(3)], 'magnitude'))).toEqual([
      5,
    ])
    expect(meanPower([Float32Array.of(0), Float32Array.of(10)], 'db')[0]).toBeCloseTo(5.5, 5)
  })

  it('refuses a matrix that does not fit its size', () => {
    expect(() => spectrogramToImage(new Float32Array(5), 2, 3, base)).toThrow(RangeError)
  })
})

describe('spectrogramLevelsU8 (thresholds instead of a logarithm per pixel)', () => {
  type Chain = Parameters<typeof spectrogramLevelsU8>[1]
  const stepByStep = (matrix: Float32Array, o: Chain) =>
    toUint8(
      normaliseLevels(
        spectrogramLevelsDb(matrix, o.scale, o.floorDb),
        o.range,
        o.topDb,
        o.bottomDb,
      ),
      o.quantize,
    )
  const random = mulberry32(7)
  // Powers over 24 decades, a dense cluster (many thresholds within a few float32 steps),
  // zeros, negatives, subnormals, infinities and NaN.
  const awkward = Float32Array.from({ length: 20000 }, (_v, i) => {
    const r = random()
    if (i % 97 === 0) return [0, -0, -1e-3, 1e-45, NaN][i % 5]
    if (i % 2 === 0) return 1 + r * 1e-5
    return 10 ** (r * 24 - 16)
  })
  const dbValues = Float32Array.from({ length: 20000 }, (_v, i) =>
    i % 101 === 0 ? [NaN, -Infinity][i % 2] : random() * 140 - 120,
  )
  const infinite = Float32Array.of(1, 2, Infinity, 3)
  // [name, matrix, options, at least this many different levels (the case means something)]
  const cases: [string, Float32Array, Chain, number][] = []
  for (const quantize of ['truncate', 'round'] as const) {
    const base = { floorDb: -90, topDb: 0, bottomDb: -90, quantize }
    cases.push(
      [`power, min-max, ${quantize}`, awkward, { ...base, scale: 'power', range: 'min-max' }, 250],
      [
        `magnitude, fixed, ${quantize}`,
        awkward,
        { ...base, scale: 'magnitude', range: 'fixed' },
        250,
      ],
      [
        `power, narrow fixed range, ${quantize}`,
        awkward,
        { ...base, scale: 'power', range: 'fixed', topDb: 4.3e-5, bottomDb: 0 },
        50,
      ],
      [
        `power with NaN (read as 0), fixed below the floor, ${quantize}`,
        awkward,
        { ...base, scale: 'power', range: 'fixed', topDb: 3, bottomDb: -150 },
        150,
      ],
      [`dB, min-max, ${quantize}`, dbValues, { ...base, scale: 'db', range: 'min-max' }, 250],
      [
        `dB with NaN, fixed, ${quantize}`,
        dbValues,
        { ...base, scale: 'db', range: 'fixed', topDb: 3, bottomDb: -150 },
        150,
      ],
      [`an infinity, ${quantize}`, infinite, { ...base, scale: 'power', range: 'min-max' }, 1],
      [
        `a constant matrix, ${quantize}`,
        new Float32Array(50).fill(0.5),
        { ...base, scale: 'power', range: 'min-max' },
        1,
      ],
    )
  }

  it.each(cases)(
    "gives the step-by-step chain's levels exactly (%s)",
    (_name, matrix, options, levels) => {
      const expected = stepByStep(matrix, options)
      const ours = spectrogramLevelsU8(matrix, options)
      let differing = 0
      for (let i = 0; i < expected.length; i++) if (ours[i] !== expected[i]) differing++
      expect(differing).toBe(0)
      expect(new Set(expected).size).toBeGreaterThanOrEqual(levels)
    },
  )

  it("gives the notebook's 8-bit levels from its power spectrogram", () => {
    const { matrix } = power('chord_stereo_48000')
    const options: Chain = { ...NOTEBOOK_IMAGE, quantize: 'truncate' }
    expect(spectrogramLevelsU8(matrix, options)).toEqual(stepByStep(matrix, options))
  })
})
