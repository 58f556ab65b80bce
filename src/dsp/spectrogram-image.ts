/**
 * Spectrogram → picture, the notebook's chain (notebook-chain.md items 2–4) with its choices
 * as options. From a `bins × frames` matrix (bin-major, bin 0 = DC):
 *
 *   level  = 10·log10(p + 10^(floor/10))   for power   (the notebook: p + 1e−9, a −90 dB floor)
 *          = 20·log10(m + 10^(floor/20))   for magnitude
 *          = max(v, floor)                  for values already in dB
 *   v      = (level − min) / (max − min)    'min-max' over the matrix (constant matrix → 0)
 *          = clamp((level − bottom) / (top − bottom), 0, 1)   'fixed'
 *   pixel  = ⌊255·v⌋ ('truncate', the notebook's uint8 cast), round(255·v), or v ('none')
 *
 * then Pillow's resize to width × height (8-bit arithmetic for quantised pixels, as the
 * notebook resizes its uint8 image; float otherwise) and the rows flipped for low frequencies
 * at the bottom. Arithmetic is float32 step by step, as the notebook's torch code, so the
 * notebook's image is reproduced bit for bit (tests/dsp/spectrogram-image.test.ts).
 */

import { flipRows, fromUint8, toUint8 } from './image-ops'
import { resizeF32, resizeU8, type ResampleFilter } from './resize'

export type SpectrogramLevelScale = 'power' | 'magnitude' | 'db'
export type LevelRange = 'min-max' | 'fixed'
export type Quantize = 'truncate' | 'round' | 'none'
export type Orientation = 'low-at-bottom' | 'low-at-top'

export interface SpectrogramImageOptions {
  /** What the matrix holds. */
  scale: SpectrogramLevelScale
  /** The floor added before the logarithm, as a level in dB (the notebook: −90). */
  floorDb: number
  range: LevelRange
  /** Level drawn white and black for the 'fixed' range, dB. */
  topDb: number
  bottomDb: number
  quantize: Quantize
  orientation: Orientation
  /** Output size in pixels; 0 keeps frames (width) or bins (height). */
  width: number
  height: number
  /** Default 'bicubic', Pillow's default. */
  filter?: ResampleFilter
  /** 1 grey plane, or 3 copies of it (the notebook's convert('RGB')). */
  channels: 1 | 3
}

export interface PlanarImage {
  width: number
  height: number
  channels: Float32Array[]
}

const f = Math.fround

/** Levels in dB (float32 steps), row 0 = DC. */
export function spectrogramLevelsDb(
  matrix: Float32Array,
  scale: SpectrogramLevelScale,
  floorDb: number,
): Float32Array {
  if (scale === 'db') return matrix.map((v) => Math.max(v, floorDb))
  const factor = scale === 'power' ? 10 : 20
  const floor = f(10 ** (floorDb / factor))
  // Negative power or magnitude (rounding noise) counts as 0.
  return matrix.map((v) => f(factor * f(Math.log10(f((v > 0 ? v : 0) + floor)))))
}

/** Levels in dB to 0..1 by the chosen range; a constant matrix gives 0 (black), never NaN. */
export function normaliseLevels(
  levels: Float32Array,
  range: LevelRange,
  topDb: number,
  bottomDb: number,
): Float32Array {
  let lo = f(bottomDb)
  let span = f(f(topDb) - lo)
  if (range === 'min-max') {
    lo = Infinity
    let hi = -Infinity
    for (const v of levels) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    span = f(hi - lo)
  }
  if (!(span > 0) || !Number.isFinite(span)) return new Float32Array(levels.length)
  return levels.map((v) => Math.min(1, Math.max(0, f(f(v - lo) / span))))
}

/** The whole chain: a `bins × frames` matrix to a `width × height` image in 0..1. */
export function spectrogramToImage(
  matrix: Float32Array,
  bins: number,
  frames: number,
  options: SpectrogramImageOptions,
): PlanarImage {
  if (!(bins > 0 && frames > 0) || matrix.length !== bins * frames)
    throw new RangeError(
      `spectrogramToImage: ${bins} × ${frames} does not fit ${matrix.length} values`,
    )
  const levels = spectrogramLevelsDb(matrix, options.scale, options.floorDb)
  const unit = normaliseLevels(levels, options.range, options.topDb, options.bottomDb)
  const width = options.width > 0 ? options.width : frames
  const height = options.height > 0 ? options.height : bins
  const filter = options.filter ?? 'bicubic'
  let plane: Float32Array
  if (options.quantize === 'none') {
    plane = resizeF32(unit, frames, bins, width, height, filter)
    for (let i = 0; i < plane.length; i++) plane[i] = Math.min(1, Math.max(0, plane[i]))
  } else {
    const levels8 = toUint8(unit, options.quantize)
    plane = fromUint8(resizeU8(levels8, frames, bins, width, height, filter))
  }
  if (options.orientation === 'low-at-bottom') plane = flipRows(plane, width, height)
  const channels = options.channels === 3 ? [plane, plane.slice(), plane.slice()] : [plane]
  return { width, height, channels }
}

/**
 * Several channels' matrices combined as mean power (the notebook averages stereo as power):
 * magnitudes are squared, dB values taken to power, and the result's scale is 'power'.
 */
export function meanPower(
  matrices: readonly Float32Array[],
  scale: SpectrogramLevelScale,
): Float32Array {
  const sum = new Float64Array(matrices[0].length)
  const toPower = (v: number) =>
    scale === 'power' ? v : scale === 'magnitude' ? v * v : 10 ** (v / 10)
  for (const m of matrices) for (let i = 0; i < sum.length; i++) sum[i] += toPower(m[i])
  return Float32Array.from(sum, (v) => v / matrices.length)
}
