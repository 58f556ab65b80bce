/**
 * Reading one image channel as an STFT magnitude for Griffin-Lim. The image is width = frames,
 * height = bins (row 0 at the top); pixel values c in 0..1 are levels over a range of R dB:
 *
 *   'db'            |X| = 10^((c·R − R)/20)           c = 1 → 0 dB, c = 0 → −R dB (a level in dB
 *                                                      is the same for power and magnitude)
 *   'notebook'      |X|² = 10^((c·R − R)/20)          the seed notebook's formula: a power read
 *                                                      with the magnitude exponent, so only R/2
 *                                                      dB of magnitude range (40 dB for R = 80)
 *
 * Orientation: 'low-at-bottom' puts DC on the last row (as audio editors draw spectrograms);
 * 'low-at-top' puts it on row 0 (the notebook). When `bins` differs from the image height the
 * pixel values are interpolated linearly between rows before the mapping.
 */

export type SpectrogramOrientation = 'low-at-bottom' | 'low-at-top'
export type ImageValueScale = 'notebook' | 'db'

export interface ImageToMagnitudeOptions {
  orientation: SpectrogramOrientation
  valueScale: ImageValueScale
  /** R, the level range in dB that pixel values 0..1 span. */
  dbRange: number
  /** Frequency bins wanted; defaults to the image height. */
  bins?: number
}

/** dB per unit of pixel value → magnitude exponent: |X| = 10^((c − 1)·R / divisor). */
function divisorOf(scale: ImageValueScale): number {
  return scale === 'notebook' ? 40 : 20
}

/** The float32 values of the 8-bit levels k/255, k = 0 … 255. */
const LEVELS = Float32Array.from({ length: 256 }, (_v, k) => k / 255)

/** Returns a bin-major magnitude matrix (bins × width, bin 0 = DC). */
export function imageChannelToMagnitude(
  channel: ArrayLike<number>,
  width: number,
  height: number,
  options: ImageToMagnitudeOptions,
): Float32Array {
  const bins = options.bins ?? height
  if (channel.length !== width * height) {
    throw new RangeError(`channel has ${channel.length} values, not ${width}×${height}`)
  }
  if (!(bins >= 1 && height >= 1 && width >= 1)) throw new RangeError('empty image')
  const out = new Float32Array(bins * width)
  const perUnit = options.dbRange / divisorOf(options.valueScale)
  const lowAtTop = options.orientation === 'low-at-top'
  const magnitudeOf = (c: number) => Math.pow(10, (c - 1) * perUnit)
  // Pictures from 8-bit sources hold only the levels k/255: their 256 magnitudes are computed
  // once (the same Math.pow of the same value, so the same result), not once per pixel.
  const eightBit = Float64Array.from(LEVELS, magnitudeOf)
  const lookUp = (c: number) => {
    const k = Math.round(c * 255)
    return LEVELS[k] === c ? eightBit[k] : magnitudeOf(c)
  }
  for (let k = 0; k < bins; k++) {
    // Position of bin k in image rows, counted from the DC edge, with end points aligned.
    const fromDc = bins === 1 ? 0 : (k * (height - 1)) / (bins - 1)
    const lower = Math.floor(fromDc)
    const upper = Math.min(lower + 1, height - 1)
    const weight = fromDc - lower
    const rowA = lowAtTop ? lower : height - 1 - lower
    const rowB = lowAtTop ? upper : height - 1 - upper
    for (let t = 0; t < width; t++) {
      const a = channel[rowA * width + t]
      const c = weight === 0 ? a : a + (channel[rowB * width + t] - a) * weight
      out[k * width + t] = lookUp(c)
    }
  }
  return out
}
