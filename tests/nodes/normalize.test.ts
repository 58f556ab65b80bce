import { describe, expect, it } from 'vitest'
import { normalize } from '../../nodes/normalize'
import { UserError } from '../../src/engine/errors'
import type { ParamValues } from '../../src/engine/params'
import type { ImageValue, SpectrogramValue } from '../../src/engine/values'
import { defaultParams } from '../helpers/node-defaults'
import { fixtureNpyAnyOrder } from '../helpers/npy-any-order'
import { createRunContext } from '../helpers/run-context'

type Params = ParamValues<typeof normalize.params>
const defaults = defaultParams(normalize)
const notebook: Params = { ...defaults, quantize: 'truncate', orientation: 'low-at-top' }

function spectrogram(channels: Float32Array[], bins: number, frames: number): SpectrogramValue {
  return {
    kind: 'spectrogram',
    sampleRate: 44100,
    fftSize: 512,
    hopSize: 256,
    window: 'hann',
    center: true,
    scale: 'power',
    bins,
    frames,
    channels,
  }
}

function sweep(): SpectrogramValue {
  const npy = fixtureNpyAnyOrder('notebook/sweep_log_mono_44100/power_spec_mean.npy')
  return spectrogram([Float32Array.from(npy.data)], npy.shape[1], npy.shape[2])
}

const run = (input: SpectrogramValue, params: Params) =>
  normalize.run({ spectrogram: input }, params, createRunContext()) as {
    image: ImageValue
  }

describe('Normalize node', () => {
  it("reproduces the notebook's 400×300 RGB image with truncation and DC at the top", () => {
    const { image } = run(sweep(), notebook)
    const expected = fixtureNpyAnyOrder('notebook/sweep_log_mono_44100/image_rgb_u8.npy').data
    let differing = 0
    for (let i = 0; i < 400 * 300; i++)
      for (let c = 0; c < 3; c++)
        if (Math.round(image.channels[c][i] * 255) !== expected[i * 3 + c]) differing++
    expect(differing).toBe(0)
  })

  it('by default rounds, puts low frequencies at the bottom and makes 400×300 RGB', () => {
    const { image } = run(sweep(), defaults)
    const top = run(sweep(), { ...defaults, orientation: 'low-at-top' }).image
    expect([image.width, image.height, image.channels.length]).toEqual([400, 300, 3])
    expect(Array.from(image.channels[0].subarray(299 * 400))).toEqual(
      Array.from(top.channels[0].subarray(0, 400)),
    )
  })

  it('combines several channels as mean power', () => {
    const a = Float32Array.from({ length: 12 }, (_v, i) => i + 1)
    const b = Float32Array.from({ length: 12 }, (_v, i) => 3 * (i + 1))
    const mean = Float32Array.from(a, (v, i) => (v + b[i]) / 2)
    const params: Params = { ...defaults, width: 0, height: 0, quantize: 'none' }
    expect(run(spectrogram([a, b], 4, 3), params).image).toEqual(
      run(spectrogram([mean], 4, 3), params).image,
    )
  })

  it('gives the picture the framing of its spectrogram, for readers to default to', () => {
    const { image } = run(spectrogram([new Float32Array(257 * 10)], 257, 10), defaults)
    expect(image.origin).toEqual({ sampleRate: 44100, fftSize: 512, hopSize: 256 })
  })

  it('draws silence as a black image, never NaN', () => {
    const { image } = run(spectrogram([new Float32Array(257 * 10)], 257, 10), defaults)
    for (const plane of image.channels) expect(plane.every((v) => v === 0)).toBe(true)
  })

  it('keeps levels on a fixed dB range', () => {
    const matrix = Float32Array.of(1, 0.1) // 0 dB and −10 dB, 2 bins × 1 frame
    const params: Params = {
      ...defaults,
      range: 'fixed',
      topDb: 0,
      bottomDb: -20,
      width: 0,
      height: 0,
      orientation: 'low-at-top',
      channels: '1',
    }
    const { image } = run(spectrogram([matrix], 2, 1), params)
    expect(Array.from(image.channels[0]).map((v) => Math.round(v * 255))).toEqual([255, 128])
  })

  it('refuses NaN, an empty spectrogram and an inverted fixed range with UserErrors', () => {
    const nan = Float32Array.of(1, NaN, 2, 3)
    expect(() => run(spectrogram([nan], 2, 2), defaults)).toThrow(UserError)
    expect(() => run(spectrogram([nan], 2, 2), defaults)).toThrow(
      /spectrogram input has NaN at bin 0, frame 1/,
    )
    expect(() => run(spectrogram([new Float32Array(0)], 0, 0), defaults)).toThrow(/empty/)
    const inverted: Params = { ...defaults, range: 'fixed', topDb: -50, bottomDb: -10 }
    expect(() => run(spectrogram([Float32Array.of(1)], 1, 1), inverted)).toThrow(/must be above/)
  })
})
