import { resizeF32 } from '../dsp/resize'
import type { ImageValue } from '../engine/values'

/**
 * Images in and out of the VAE. Our images are planar, 0..1, row 0 at the top; the VAE wants
 * [1, 3, H, W] in −1..1 (diffusers VaeImageProcessor: 2x − 1 in, (x + 1)/2 clamped out).
 * Resizing is Pillow's LANCZOS, as VaeImageProcessor.resize does by default (its `resample`
 * config is "lanczos"): src/dsp/resize.ts, checked against Pillow.
 */

/** An image as the VAE encoder's input: RGB (grey repeated, alpha dropped), resized, −1..1. */
export function imageToTensor(image: ImageValue, width: number, height: number): Float32Array {
  const count = image.channels.length
  if (count === 0) throw new Error('The image has no channels')
  const rgb = [0, 1, 2].map((c) => image.channels[count >= 3 ? c : 0])
  const out = new Float32Array(3 * width * height)
  rgb.forEach((plane, c) => {
    const resized = resizeF32(plane, image.width, image.height, width, height, 'lanczos')
    for (let k = 0; k < resized.length; k++) out[c * width * height + k] = resized[k] * 2 - 1
  })
  return out
}

/** The VAE decoder's output [1, 3, H, W] in −1..1 as an RGB image in 0..1. */
export function tensorToImage(data: Float32Array, dims: readonly number[]): ImageValue {
  const [, channels, height, width] = dims
  const plane = width * height
  const out: Float32Array[] = []
  for (let c = 0; c < Math.min(3, channels); c++) {
    const p = new Float32Array(plane)
    for (let k = 0; k < plane; k++) {
      const v = (data[c * plane + k] + 1) / 2
      p[k] = v < 0 ? 0 : v > 1 ? 1 : Number.isNaN(v) ? 0 : v
    }
    out.push(p)
  }
  return { kind: 'image', width, height, channels: out }
}

export function resizeImage(image: ImageValue, width: number, height: number): ImageValue {
  if (image.width === width && image.height === height) return image
  return {
    kind: 'image',
    width,
    height,
    channels: image.channels.map((c) => {
      const r = resizeF32(c, image.width, image.height, width, height, 'lanczos')
      for (let k = 0; k < r.length; k++) r[k] = Math.min(1, Math.max(0, r[k]))
      return r
    }),
  }
}
