/**
 * Per-pixel work the default graph does on 3-minute pictures (257 rows × 31,008 columns: a
 * 512-point STFT at hop 256): reading a picture channel as Griffin-Lim's magnitudes, beside
 * the formula evaluated with Math.pow on every pixel (what it did before), and writing the
 * painting as PNG, beside fast-png's encoder (what wrote it before), each in the same run.
 */
import { encode as fastPngEncode } from 'fast-png'
import { imageChannelToMagnitude } from '../src/dsp/image-to-magnitude'
import { resizeF32 } from '../src/dsp/resize'
import { encodePng } from '../src/media/png'
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

/**
 * A stand-in for the default graph's painting: 512 × 512 of smooth colour (random 64 × 64
 * upscaled, a little grain), resized to the spectrogram's 31,008 × 257 with Lanczos, as Stable
 * Diffusion's output is.
 */
let painting: Float32Array[] | undefined
function paintingPlanes(): Float32Array[] {
  if (painting) return painting
  const random = mulberry32(9)
  painting = [0, 1, 2].map(() => {
    const small = Float32Array.from({ length: 64 * 64 }, () => random())
    const mid = resizeF32(small, 64, 64, 512, 512, 'bicubic')
    for (let i = 0; i < mid.length; i++) mid[i] += 0.03 * (random() - 0.5)
    const big = resizeF32(mid, 512, 512, WIDTH, HEIGHT, 'lanczos')
    for (let i = 0; i < big.length; i++) big[i] = Math.min(1, Math.max(0, big[i]))
    return big
  })
  return painting
}

const sizes: { ours?: number; before?: number } = {}

export const pngEncodeBench: BenchCase = {
  name: 'PNG of the painting, 3-min RGB (31,008 × 257)',
  repeats: 3,
  withoutFftJs: 'no FFT',
  run: () => {
    const bytes = encodePng({ width: WIDTH, height: HEIGHT, channels: paintingPlanes() })
    sizes.ours = bytes.length
    return bytes
  },
  baseline: {
    label: 'fast-png 8.0: no filter, fflate level 3',
    run: () => {
      const planes = paintingPlanes()
      const data = new Uint8Array(WIDTH * HEIGHT * 3)
      for (let c = 0; c < 3; c++)
        for (let i = 0; i < WIDTH * HEIGHT; i++) {
          const v = planes[c][i]
          data[i * 3 + c] = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0
        }
      const bytes = fastPngEncode({ width: WIDTH, height: HEIGHT, data, depth: 8, channels: 3 })
      sizes.before = bytes.length
      return bytes
    },
  },
  goalRatio: 0.5, // this work's own aim (issue 14 names the cost, not a figure): half at most
  notes: () =>
    sizes.ours && sizes.before
      ? [
          `PNG of the painting: ${(sizes.ours / 1e6).toFixed(2)} MB written, ` +
            `${(sizes.before / 1e6).toFixed(2)} MB by fast-png.`,
        ]
      : [],
}
