/**
 * Per-pixel work the default graph does on 3-minute pictures (257 rows × 31,008 columns: a
 * 512-point STFT at hop 256): reading a picture channel as Griffin-Lim's magnitudes, beside
 * the formula evaluated with Math.pow on every pixel (what it did before) in the same run.
 */
import { imageChannelToMagnitude } from '../src/dsp/image-to-magnitude'
import { mulberry32 } from '../src/engine/random'
import type { BenchCase } from './types'

const WIDTH = 31008
const HEIGHT = 257

/** A painted picture: any float32 in 0..1, as Stable Diffusion's resized output is. */
let painted: Float32Array | undefined
function paintedPicture(): Float32Array {
  if (painted) return painted
  const random = mulberry32(5)
  painted = Float32Array.from({ length: WIDTH * HEIGHT }, () => random())
  return painted
}

const options = { orientation: 'low-at-bottom', valueScale: 'db', dbRange: 100 } as const

export const imageToMagnitudeBench: BenchCase = {
  name: 'picture → magnitudes, one 3-min channel (257 × 31,008, painted)',
  repeats: 5,
  withoutFftJs: 'no FFT',
  run: () => imageChannelToMagnitude(paintedPicture(), WIDTH, HEIGHT, options),
  baseline: {
    label: 'Math.pow on every pixel',
    run: () => {
      const picture = paintedPicture()
      const out = new Float32Array(picture.length)
      const perUnit = options.dbRange / 20
      for (let i = 0; i < picture.length; i++) out[i] = Math.pow(10, (picture[i] - 1) * perUnit)
      return out
    },
  },
  goalRatio: 0.5, // this work's own aim (issue 14 names the cost, not a figure): half at most
}
