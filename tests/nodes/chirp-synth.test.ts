import { describe, expect, it } from 'vitest'
import { chirpSynth } from '../../nodes/chirp-synth'
import { CancelledError, UserError } from '../../src/engine/errors'
import type { ParamValues } from '../../src/engine/params'
import type { AudioValue, ImageValue } from '../../src/engine/values'
import { fixtureNpy } from '../helpers/fixtures'
import { defaultParams } from '../helpers/node-defaults'
import { createRunContext } from '../helpers/run-context'

type Params = ParamValues<typeof chirpSynth.params>
const defaults = defaultParams(chirpSynth)
const run = (image: ImageValue, params: Partial<Params> = {}, ctx = createRunContext()) =>
  chirpSynth.run({ image }, { ...defaults, ...params }, ctx) as { audio: AudioValue }

/** The notebook's [300, 400, 3] uint8 image as a planar image in 0..1. */
function notebookImage(input: string): ImageValue {
  const rgb = fixtureNpy(`notebook/${input}/image_rgb_u8.npy`).data
  const plane = (c: number) =>
    Float32Array.from({ length: 400 * 300 }, (_v, i) => rgb[i * 3 + c] / 255)
  return { kind: 'image', width: 400, height: 300, channels: [plane(0), plane(1), plane(2)] }
}

const flat = (r: number, g: number, width = 8, height = 6): ImageValue => ({
  kind: 'image',
  width,
  height,
  channels: [r, g, 0.5].map((v) => new Float32Array(width * height).fill(v)),
})

describe('Chirp Synth node', () => {
  it("reproduces the notebook's chirp.wav from its image, to one float32 step", () => {
    const { audio } = run(notebookImage('sweep_log_mono_44100'))
    expect(audio.sampleRate).toBe(24000)
    expect(audio.channels[0].length).toBe(720000)
    const index = fixtureNpy('notebook/sweep_log_mono_44100/chirp_excerpt_index.npy').data
    const expected = fixtureNpy('notebook/sweep_log_mono_44100/chirp_excerpt.npy').data
    let worst = 0
    for (let k = 0; k < index.length; k++)
      worst = Math.max(worst, Math.abs(audio.channels[0][index[k]] - expected[k]))
    expect(worst).toBeLessThanOrEqual(2 ** -25) // one float32 step at |y| < 0.5
  })

  it('plays a flat colour as one chirp: red sets the start frequency, green the amplitude', () => {
    const params = {
      width: 0,
      height: 0,
      durationSec: 0.5,
      sampleRateHz: 8000,
      timeAxis: 'exact' as const,
    }
    const y = run(flat(0.5, 0.25), params).audio.channels[0]
    // f0 = 800·0.5 = 400 Hz, amplitude 0.2 + 0.8·0.25 = 0.4, u(t) = t + 0.25·t²/0.5
    for (const n of [0, 1, 1234, 3999]) {
      const t = n / 8000
      expect(y[n]).toBeCloseTo(0.4 * Math.cos(2 * Math.PI * 400 * (t + (0.25 * t * t) / 0.5)), 6)
    }
  })

  it('resizes the image to the given columns and rows first, and uses grey for red and green', () => {
    const grey: ImageValue = {
      kind: 'image',
      width: 3,
      height: 2,
      channels: [new Float32Array(6).fill(0.5)],
    }
    const y = run(grey, { width: 5, height: 4, durationSec: 0.01 }).audio.channels[0]
    expect(y[0]).toBeCloseTo(0.2 + 0.8 * 0.5, 6) // cos(0) = 1, the mean of 5 equal columns
  })

  it('normalises to a peak of 1 only when asked', () => {
    const quiet = run(flat(0.3, 0), { durationSec: 0.1 }).audio.channels[0]
    expect(Math.max(...quiet.map(Math.abs))).toBeCloseTo(0.2, 6)
    const loud = run(flat(0.3, 0), { durationSec: 0.1, normalize: true }).audio.channels[0]
    expect(Math.max(...loud.map(Math.abs))).toBeCloseTo(1, 6)
  })

  it('turns a black image into a finite constant (every chirp at 0 Hz), never NaN', () => {
    const y = run(flat(0, 0), { durationSec: 0.1, normalize: true }).audio.channels[0]
    expect(y.every((v) => v === 1)).toBe(true)
  })

  it('reports progress and stops between blocks when cancelled', () => {
    const ctx = createRunContext()
    const fractions: number[] = []
    ctx.progress = (fraction) => {
      fractions.push(fraction)
      if (fraction > 0.3) ctx.controller.abort()
    }
    expect(() => run(flat(0.5, 0.5), {}, ctx)).toThrow(CancelledError)
    expect(fractions.at(-1)).toBeLessThan(0.5)
  })

  it('refuses an empty image and NaN with UserErrors naming the input', () => {
    expect(() => run({ kind: 'image', width: 0, height: 0, channels: [] })).toThrow(UserError)
    const nan = flat(0.5, 0.5)
    nan.channels[1][7] = NaN
    expect(() => run(nan)).toThrow(
      /Chirp Synth: the image input has NaN at pixel \(7, 0\) of channel 2/,
    )
  })
})
