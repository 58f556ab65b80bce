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

/**
 * c ↦ 10^((c − 1)·perUnit) for pixel values. The levels of 8- and 16-bit pictures (the float32
 * values of k/255 and k/65535; k/255 is (257k)/65535, so one test finds both) are looked up in tables of
 * Math.pow's own results: exact. Any other c in 0..1 (pictures resized, painted or interpolated
 * between rows) is e^{a(c−1)}, a = perUnit·ln 10, as T[i]·e^δ: T[i] = Math.pow at the grid
 * point i/n below c (n a power of two, so c·n − i is exact) and e^δ, δ = a·(c − i/n) < a/n ≤
 * 1/256, by its Taylor series to δ⁵/5! (truncation < 5·10⁻¹⁸ relative; with Math.pow's and the
 * arithmetic's rounding a few 10⁻¹⁶): the float32 result differs from the rounded Math.pow only where that falls within
 * ~10⁻¹⁵ of a rounding boundary, then by one float32 step (6·10⁻⁸). Values outside 0..1 and
 * NaN go to Math.pow. A 3-minute picture of such values: 3× faster than Math.pow on every pixel.
 */
function magnitudeMap(perUnit: number): (c: number) => number {
  const magnitudeOf = (c: number) => Math.pow(10, (c - 1) * perUnit)
  const eightBit = Float64Array.from({ length: 256 }, (_v, k) => magnitudeOf(Math.fround(k / 255)))
  let sixteenBit: Float64Array | undefined // built at the first 16-bit level met
  const a = Math.abs(perUnit) * Math.LN10
  // n ≥ 256·a, a power of two: δ ≤ a/n ≤ 1/256.
  const n = 2 ** Math.max(10, Math.ceil(Math.log2(256 * Math.max(a, 1))))
  const grid = Float64Array.from({ length: n + 1 }, (_v, i) => magnitudeOf(i / n))
  const step = (Math.sign(perUnit) * a) / n
  return (c: number): number => {
    if (!(c >= 0 && c <= 1)) return magnitudeOf(c)
    const k = Math.round(c * 65535)
    if (Math.fround(k / 65535) === c) {
      const j = Math.round(c * 255)
      if (257 * j === k) return eightBit[j]
      sixteenBit ??= Float64Array.from({ length: 65536 }, (_v, j) =>
        magnitudeOf(Math.fround(j / 65535)),
      )
      return sixteenBit[k]
    }
    const scaled = c * n
    const i = Math.floor(scaled)
    const d = (scaled - i) * step
    return grid[i] * (1 + d * (1 + (d / 2) * (1 + (d / 3) * (1 + (d / 4) * (1 + d / 5)))))
  }
}

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
  const lookUp = magnitudeMap(perUnit)
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
