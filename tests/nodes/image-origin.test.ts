import { beforeAll, describe, expect, it } from 'vitest'
import { griffinLim } from '../../nodes/griffin-lim'
import { imageAdjust } from '../../nodes/image-adjust'
import { loopFinder } from '../../nodes/loop-finder'
import { normalize } from '../../nodes/normalize'
import { resizeImage } from '../../nodes/resize-image'
import { saturation } from '../../nodes/saturation'
import { stft } from '../../nodes/stft'
import { initFastFft } from '../../src/dsp/fft'
import { stft as spectrum } from '../../src/dsp/stft'
import type { AudioValue, ImageValue } from '../../src/engine/values'
import { createRunContext, defaultParams } from '../helpers/run-context'

/**
 * The spectrogram's framing travels with its picture (ImageValue.origin) through the nodes that
 * edit pictures, so a Griffin-Lim added by hand writes the source's rate and its pitches come
 * back; a crop that loses 0 Hz drops it.
 */

beforeAll(async () => {
  await initFastFft()
})

const RATE = 44100
const TONE_HZ = 1000
const ctx = () => createRunContext(1)

async function pictureOfTone(): Promise<ImageValue> {
  const samples = Float32Array.from(
    { length: RATE }, // 1 s
    (_, i) => 0.5 * Math.sin((2 * Math.PI * TONE_HZ * i) / RATE),
  )
  const audio: AudioValue = { kind: 'audio', sampleRate: RATE, channels: [samples] }
  const { spectrogram } = await stft.run({ audio }, defaultParams(stft.params), ctx())
  const { image } = await normalize.run(
    { spectrogram },
    { ...defaultParams(normalize.params), width: 200, height: 300 },
    ctx(),
  )
  return image
}

async function resize(
  image: ImageValue,
  width: number,
  height: number,
  mode: 'stretch' | 'fit' | 'fill',
) {
  const params = { ...defaultParams(resizeImage.params), width, height, mode }
  return (await resizeImage.run({ image }, params, ctx())).image
}

/** Griffin-Lim at its defaults (rate 0: the picture's own), and the loudest frequency heard. */
async function heard(image: ImageValue): Promise<{ rate: number; hz: number }> {
  const { audio } = await griffinLim.run(
    { image },
    { ...defaultParams(griffinLim.params), iterations: 8 },
    ctx(),
  )
  const signal = audio.channels[0]
  const framing = { fftSize: 8192, hopSize: 4096, window: 'hann' as const, center: true }
  const { bins, frames, values } = spectrum(signal, { ...framing, padMode: 'reflect', power: 2 })
  const t = Math.floor(frames / 2)
  let best = 0
  for (let k = 0; k < bins; k++) if (values[k * frames + t] > values[best * frames + t]) best = k
  return { rate: audio.sampleRate, hz: (best * audio.sampleRate) / 8192 }
}

describe("the picture's origin", () => {
  it('survives a resize of the whole picture, in time or frequency: the pitch comes back', async () => {
    const picture = await pictureOfTone()
    expect(picture.origin).toEqual({ sampleRate: RATE, fftSize: 512, hopSize: 256 })
    // One resolution step of the reading: Griffin-Lim's FFT is 2·(rows − 1) long, so a row is
    // RATE / (2·(rows − 1)) Hz wide (74 Hz for 300 rows, 148 Hz for 150 rows).
    for (const [width, height] of [
      [200, 150],
      [200, 600],
      [400, 300],
      [100, 300],
    ]) {
      const resized = await resize(picture, width, height, 'stretch')
      expect(resized.origin, `${width}×${height}`).toEqual(picture.origin)
      const { rate, hz } = await heard(resized)
      expect(rate).toBe(RATE)
      expect(Math.abs(hz - TONE_HZ), `${width}×${height}: ${hz} Hz`).toBeLessThan(
        RATE / (2 * (height - 1)),
      )
    }
    expect((await resize(picture, 100, 100, 'fit')).origin).toEqual(picture.origin)
  })

  it('is kept by a crop in time and dropped by a crop that loses the lowest rows', async () => {
    const picture = await pictureOfTone() // 200 × 300
    // Fill to 100 × 300 crops columns only (time): the rows still span 0 Hz to Nyquist.
    expect((await resize(picture, 100, 300, 'fill')).origin).toEqual(picture.origin)
    // Fill to 200 × 100 crops rows: row 0 is no longer 0 Hz, so no rate gives the pitch back.
    const cropped = await resize(picture, 200, 100, 'fill')
    expect(cropped.origin).toBeUndefined()
    expect((await heard(cropped)).rate).toBe(24000) // Griffin-Lim's own default, as documented
  })

  it('is kept by Image Adjust, Saturation and Loop Finder, which leave the rows where they are', async () => {
    const picture = await pictureOfTone()
    for (const operation of ['blur', 'autocontrast', 'invert'] as const) {
      const params = { ...defaultParams(imageAdjust.params), operation }
      const { image } = await imageAdjust.run({ image: picture }, params, ctx())
      expect(image.origin, operation).toEqual(picture.origin)
    }
    for (const method of ['luma', 'gimp'] as const) {
      const params = { ...defaultParams(saturation.params), method }
      const { image } = await saturation.run({ image: picture }, params, ctx())
      expect(image.origin, method).toEqual(picture.origin)
    }
    const looped = await loopFinder.run(
      { image: picture, latent: undefined },
      { ...defaultParams(loopFinder.params), minPeriod: 20 },
      ctx(),
    )
    expect(looped.image.width).toBeGreaterThan(picture.width)
    expect(looped.image.origin).toEqual(picture.origin)
  })
})
