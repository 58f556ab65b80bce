import type { AudioValue, ImageValue, LatentValue, SpectrogramValue } from '../../engine/values'
import { colormap } from '../../media/colormap'

/** An RGBA picture ready for `ImageData`, row 0 at the top. */
export interface Raster {
  width: number
  height: number
  rgba: Uint8ClampedArray<ArrayBuffer>
}

/** A window onto a value, in its own units (samples, frames, bins, pixels); end exclusive. */
export interface Span {
  start: number
  end: number
}

export interface Peaks {
  min: Float32Array
  max: Float32Array
}

/**
 * Min/max of the audio in `columns` equal slices of `span` (all channels together). This is
 * how a waveform of minutes draws in a few hundred pixels without touching every sample twice.
 */
export function waveformPeaks(audio: AudioValue, columns: number, span?: Span): Peaks {
  const length = audio.channels[0]?.length ?? 0
  const start = Math.max(0, Math.floor(span?.start ?? 0))
  const end = Math.min(length, Math.ceil(span?.end ?? length))
  const min = new Float32Array(columns)
  const max = new Float32Array(columns)
  const per = (end - start) / columns
  for (let c = 0; c < columns; c++) {
    const a = start + Math.floor(c * per)
    const b = Math.max(a + 1, Math.min(end, start + Math.floor((c + 1) * per)))
    let lo = Infinity
    let hi = -Infinity
    for (const channel of audio.channels) {
      for (let i = a; i < b && i < end; i++) {
        const v = channel[i]
        if (v < lo) lo = v
        if (v > hi) hi = v
      }
    }
    min[c] = Number.isFinite(lo) ? lo : 0
    max[c] = Number.isFinite(hi) ? hi : 0
  }
  return { min, max }
}

/** The largest absolute value among peaks. */
export function peakOf(peaks: Peaks): number {
  let peak = 0
  for (let i = 0; i < peaks.min.length; i++)
    peak = Math.max(peak, Math.abs(peaks.min[i]), Math.abs(peaks.max[i]))
  return peak
}

const decibelCache = new WeakMap<Float32Array, number>()

/** Converts a spectrogram cell to dB by the spectrogram's own scale. */
export function toDecibels(value: number, scale: SpectrogramValue['scale']): number {
  if (scale === 'db') return value
  if (scale === 'magnitude') return 20 * Math.log10(Math.max(value, 1e-10))
  return 10 * Math.log10(Math.max(value, 1e-20))
}

/** The loudest cell of a channel in dB (memoised: a channel never changes). */
export function peakDecibels(spec: SpectrogramValue, channel = 0): number {
  const data = spec.channels[channel]
  if (!data) return 0
  const cached = decibelCache.get(data)
  if (cached !== undefined) return cached
  let peak = -Infinity
  for (let i = 0; i < data.length; i++) if (data[i] > peak) peak = data[i]
  const db = Number.isFinite(peak) ? toDecibels(peak, spec.scale) : 0
  decibelCache.set(data, db)
  return db
}

/**
 * Renders a spectrogram (or a part of it) as a heat map of `width × height`, bin 0 at the
 * bottom, `rangeDb` below the peak mapped to black. Each pixel takes the loudest cell it covers.
 */
export function spectrogramRaster(
  spec: SpectrogramValue,
  width: number,
  height: number,
  options: { channel?: number; frames?: Span; bins?: Span; rangeDb?: number } = {},
): Raster {
  const data = spec.channels[options.channel ?? 0] ?? new Float32Array(0)
  const f0 = options.frames?.start ?? 0
  const f1 = options.frames?.end ?? spec.frames
  const b0 = options.bins?.start ?? 0
  const b1 = options.bins?.end ?? spec.bins
  const top = peakDecibels(spec, options.channel ?? 0)
  const range = options.rangeDb ?? 80
  const rgba = new Uint8ClampedArray(width * height * 4)
  const fPer = (f1 - f0) / width
  const bPer = (b1 - b0) / height
  for (let y = 0; y < height; y++) {
    // Row 0 of the picture is the highest frequency.
    const binLo = Math.floor(b0 + (height - 1 - y) * bPer)
    const binHi = Math.max(binLo + 1, Math.floor(b0 + (height - y) * bPer))
    for (let x = 0; x < width; x++) {
      const frLo = Math.floor(f0 + x * fPer)
      const frHi = Math.max(frLo + 1, Math.floor(f0 + (x + 1) * fPer))
      let peak = -Infinity
      for (let b = binLo; b < binHi && b < spec.bins; b++) {
        const row = b * spec.frames
        for (let f = frLo; f < frHi && f < spec.frames; f++) {
          const v = data[row + f]
          if (v > peak) peak = v
        }
      }
      const db = Number.isFinite(peak) ? toDecibels(peak, spec.scale) : top - range
      const t = Math.max(0, Math.min(1, (db - (top - range)) / range))
      const [r, g, bl] = colormap(t)
      const o = (y * width + x) * 4
      rgba[o] = r
      rgba[o + 1] = g
      rgba[o + 2] = bl
      rgba[o + 3] = 255
    }
  }
  return { width, height, rgba }
}

/** Fits `w × h` into `maxW × maxH` keeping its shape, never enlarging. */
export function fitSize(w: number, h: number, maxW: number, maxH: number): [number, number] {
  const k = Math.min(1, maxW / w, maxH / h)
  return [Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k))]
}

/** Downscales an image (box average) into at most `maxW × maxH`; row 0 stays at the top. */
export function imageRaster(
  image: ImageValue,
  maxW: number,
  maxH: number,
  view?: { x: Span; y: Span },
): Raster {
  const x0 = view?.x.start ?? 0
  const x1 = view?.x.end ?? image.width
  const y0 = view?.y.start ?? 0
  const y1 = view?.y.end ?? image.height
  const [width, height] = fitSize(x1 - x0, y1 - y0, maxW, maxH)
  const rgba = new Uint8ClampedArray(width * height * 4)
  const count = image.channels.length
  const xPer = (x1 - x0) / width
  const yPer = (y1 - y0) / height
  for (let y = 0; y < height; y++) {
    const ya = Math.floor(y0 + y * yPer)
    const yb = Math.max(ya + 1, Math.floor(y0 + (y + 1) * yPer))
    for (let x = 0; x < width; x++) {
      const xa = Math.floor(x0 + x * xPer)
      const xb = Math.max(xa + 1, Math.floor(x0 + (x + 1) * xPer))
      const sums = [0, 0, 0, 0]
      let n = 0
      for (let yy = ya; yy < yb && yy < image.height; yy++) {
        for (let xx = xa; xx < xb && xx < image.width; xx++) {
          const i = yy * image.width + xx
          for (let c = 0; c < count && c < 4; c++) sums[c] += image.channels[c][i]
          n++
        }
      }
      const o = (y * width + x) * 4
      const v = (c: number) => Math.round((255 * sums[c]) / Math.max(1, n))
      if (count < 3) {
        rgba[o] = rgba[o + 1] = rgba[o + 2] = v(0)
        rgba[o + 3] = count === 2 ? v(1) : 255
      } else {
        rgba[o] = v(0)
        rgba[o + 1] = v(1)
        rgba[o + 2] = v(2)
        rgba[o + 3] = count >= 4 ? v(3) : 255
      }
    }
  }
  return { width, height, rgba }
}

/** A latent's channels as grey tiles, each stretched to its own min..max. */
export function latentTiles(latent: LatentValue, maxSize: number): Raster[] {
  const shape = latent.shape
  const h = shape.at(-2) ?? 1
  const w = shape.at(-1) ?? latent.data.length
  const channels = Math.max(1, Math.floor(latent.data.length / (w * h)))
  const tiles: Raster[] = []
  for (let c = 0; c < Math.min(channels, 8); c++) {
    const plane = latent.data.subarray(c * w * h, (c + 1) * w * h)
    let lo = Infinity
    let hi = -Infinity
    for (const v of plane) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    const span = hi - lo || 1
    const grey = new Float32Array(plane.length)
    for (let i = 0; i < plane.length; i++) grey[i] = (plane[i] - lo) / span
    tiles.push(
      imageRaster({ kind: 'image', width: w, height: h, channels: [grey] }, maxSize, maxSize),
    )
  }
  return tiles
}
