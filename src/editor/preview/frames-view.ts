import type { FramesValue } from '../../engine/values'
import { frameImage } from '../../media/frames'
import { colormap } from '../../media/colormap'
import { imageRaster, type Raster } from './thumbs'

/** Frames that are spectra (one row of levels each, from Spectrum Frames) draw as a heat map. */
export function isSpectra(value: FramesValue): boolean {
  return value.height === 1 && value.binHz !== undefined
}

/** The frame on screen `sec` seconds in: ⌊sec · fps⌋, within the sequence. */
export function frameAt(value: FramesValue, sec: number): number {
  const last = Math.max(0, value.frames.length - 1)
  return Math.max(0, Math.min(last, Math.floor(sec * value.fps + 1e-9)))
}

/** Frame `index` downscaled into `maxW × maxH`. */
export function frameRaster(value: FramesValue, index: number, maxW: number, maxH: number): Raster {
  if (value.frames.length === 0) return { width: 1, height: 1, rgba: new Uint8ClampedArray(4) }
  return imageRaster(frameImage(value, Math.min(index, value.frames.length - 1)), maxW, maxH)
}

/**
 * Spectra frames as a heat map of `width × height`: time left to right, the first bin at the
 * bottom, levels (0..1, first channel) through the spectrogram colour map. Each pixel shows the
 * loudest level it covers.
 */
export function spectraRaster(value: FramesValue, width: number, height: number): Raster {
  const rgba = new Uint8ClampedArray(width * height * 4)
  const count = value.frames.length
  const bins = value.width
  for (let x = 0; x < width; x++) {
    const f0 = Math.floor((x * count) / width)
    const f1 = Math.max(f0 + 1, Math.floor(((x + 1) * count) / width))
    for (let y = 0; y < height; y++) {
      const b0 = Math.floor(((height - 1 - y) * bins) / height)
      const b1 = Math.max(b0 + 1, Math.floor(((height - y) * bins) / height))
      let peak = 0
      for (let f = f0; f < f1 && f < count; f++) {
        const row = value.frames[f][0]
        for (let b = b0; b < b1 && b < bins; b++) if (row[b] > peak) peak = row[b]
      }
      const [r, g, bl] = colormap(peak)
      const o = (y * width + x) * 4
      rgba[o] = r
      rgba[o + 1] = g
      rgba[o + 2] = bl
      rgba[o + 3] = 255
    }
  }
  return { width, height, rgba }
}
