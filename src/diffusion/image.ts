import type { ImageValue } from '../engine/values'

/**
 * Images in and out of the VAE. Our images are planar, 0..1, row 0 at the top; the VAE wants
 * [1, 3, H, W] in −1..1 (diffusers VaeImageProcessor: 2x − 1 in, (x + 1)/2 clamped out).
 */

/**
 * Resamples one plane with a triangle (bilinear) kernel widened by the scale when shrinking,
 * so shrinking averages instead of aliasing (Pillow's BILINEAR resize does the same).
 * Separable: rows first, then columns.
 */
export function resizePlane(
  src: Float32Array,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
): Float32Array {
  if (width === toWidth && height === toHeight) return src.slice()
  const rows = new Float32Array(toWidth * height)
  const across = weights(width, toWidth)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < toWidth; x++) {
      const { start, w } = across[x]
      let sum = 0
      for (let k = 0; k < w.length; k++) sum += w[k] * src[y * width + start + k]
      rows[y * toWidth + x] = sum
    }
  }
  const out = new Float32Array(toWidth * toHeight)
  const down = weights(height, toHeight)
  for (let y = 0; y < toHeight; y++) {
    const { start, w } = down[y]
    for (let x = 0; x < toWidth; x++) {
      let sum = 0
      for (let k = 0; k < w.length; k++) sum += w[k] * rows[(start + k) * toWidth + x]
      out[y * toWidth + x] = sum
    }
  }
  return out
}

/** Per output index: the first source index and normalised tap weights. */
function weights(from: number, to: number): { start: number; w: number[] }[] {
  const scale = from / to
  const support = Math.max(scale, 1)
  return Array.from({ length: to }, (_, i) => {
    const centre = (i + 0.5) * scale
    const start = Math.max(0, Math.floor(centre - support))
    const end = Math.min(from, Math.ceil(centre + support))
    const w: number[] = []
    for (let x = start; x < end; x++) {
      w.push(Math.max(0, 1 - Math.abs((x + 0.5 - centre) / support)))
    }
    const total = w.reduce((a, b) => a + b, 0) || 1
    return { start, w: w.map((v) => v / total) }
  })
}

/** An image as the VAE encoder's input: RGB (grey repeated, alpha dropped), resized, −1..1. */
export function imageToTensor(image: ImageValue, width: number, height: number): Float32Array {
  const count = image.channels.length
  if (count === 0) throw new Error('The image has no channels')
  const rgb = [0, 1, 2].map((c) => image.channels[count >= 3 ? c : 0])
  const out = new Float32Array(3 * width * height)
  rgb.forEach((plane, c) => {
    const resized = resizePlane(plane, image.width, image.height, width, height)
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
      const r = resizePlane(c, image.width, image.height, width, height)
      for (let k = 0; k < r.length; k++) r[k] = Math.min(1, Math.max(0, r[k]))
      return r
    }),
  }
}
