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

import { flipRows, fromUint8, unitToLevel } from './image-ops'
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

/** The level in dB of one value (float32 steps); negative power or magnitude counts as 0. */
function levelDbOf(scale: SpectrogramLevelScale, floorDb: number): (v: number) => number {
  if (scale === 'db') return (v) => Math.max(v, floorDb)
  const factor = scale === 'power' ? 10 : 20
  const floor = f(10 ** (floorDb / factor))
  return (v) => f(factor * f(Math.log10(f((v > 0 ? v : 0) + floor))))
}

/** Levels in dB (float32 steps), row 0 = DC. */
export function spectrogramLevelsDb(
  matrix: Float32Array,
  scale: SpectrogramLevelScale,
  floorDb: number,
): Float32Array {
  const level = levelDbOf(scale, floorDb)
  // A plain loop: a typed array's map() with a callback runs several times slower.
  const out = new Float32Array(matrix.length)
  for (let i = 0; i < matrix.length; i++) out[i] = level(matrix[i])
  return out
}

/** The dB level drawn black and the span to white; undefined when empty (the picture is black). */
function levelSpan(
  range: LevelRange,
  quietest: number,
  loudest: number,
  topDb: number,
  bottomDb: number,
): { lo: number; span: number } | undefined {
  const lo = range === 'min-max' ? quietest : f(bottomDb)
  const span = range === 'min-max' ? f(loudest - quietest) : f(f(topDb) - lo)
  return span > 0 && Number.isFinite(span) ? { lo, span } : undefined
}

/** (level − lo) / span in float32 steps, clamped to 0..1 (NaN stays NaN). */
function unitOf(level: number, lo: number, span: number): number {
  const v = f(f(level - lo) / span)
  return v < 0 ? 0 : v > 1 ? 1 : v
}

/** Levels in dB to 0..1 by the chosen range; a constant matrix gives 0 (black), never NaN. */
export function normaliseLevels(
  levels: Float32Array,
  range: LevelRange,
  topDb: number,
  bottomDb: number,
): Float32Array {
  let quietest = Infinity
  let loudest = -Infinity
  for (let i = 0; i < levels.length; i++) {
    const v = levels[i]
    if (v < quietest) quietest = v
    if (v > loudest) loudest = v
  }
  const out = new Float32Array(levels.length)
  const s = levelSpan(range, quietest, loudest, topDb, bottomDb)
  if (s) for (let i = 0; i < levels.length; i++) out[i] = unitOf(levels[i], s.lo, s.span)
  return out
}

/** Float32 values in the order of their size as int32 keys (−∞ … −0 < +0 … +∞; NaN outside). */
const keyOf = (bits: number): number => (bits < 0 ? bits ^ 0x7fffffff : bits)
const KEY_MIN = keyOf(0xff800000 | 0) // −∞
const KEY_MAX = 0x7f800000 // +∞

/**
 * The chain to 8-bit levels (spectrogramLevelsDb, normaliseLevels, toUint8) without a logarithm
 * per pixel. Each step is monotone non-decreasing in the value, so a pixel's level is the count
 * of thresholds at or below it, where threshold k is the least float32 whose level is ≥ k. The
 * 255 thresholds are found once, by bisection over float32 values in order; each pixel then
 * costs a look-up on its key's top 16 bits and a comparison or two. The quietest and loudest
 * levels are those of the smallest and largest values, for the same reason. Identical to the
 * step-by-step chain (tests/dsp/spectrogram-image.test.ts compares them).
 */
export function spectrogramLevelsU8(
  matrix: Float32Array,
  options: Pick<SpectrogramImageOptions, 'scale' | 'floorDb' | 'range' | 'topDb' | 'bottomDb'> & {
    quantize: 'round' | 'truncate'
  },
): Uint8Array {
  const levelDb = levelDbOf(options.scale, options.floorDb)
  let smallest = Infinity
  let largest = -Infinity
  let anyNaN = false
  for (let i = 0; i < matrix.length; i++) {
    const v = matrix[i]
    if (v < smallest) smallest = v
    if (v > largest) largest = v
    if (v !== v) anyNaN = true
  }
  // min and max over the levels, as normaliseLevels takes them (a NaN level is skipped).
  const ends = smallest <= largest ? [smallest, largest] : []
  if (anyNaN) ends.push(NaN)
  const levels = ends.map(levelDb).filter((v) => v === v)
  const s = levelSpan(
    options.range,
    Math.min(Infinity, ...levels),
    Math.max(-Infinity, ...levels),
    options.topDb,
    options.bottomDb,
  )
  const out = new Uint8Array(matrix.length)
  if (!s) return out
  const levelOf = (v: number) => unitToLevel(unitOf(levelDb(v), s.lo, s.span), options.quantize)
  const scratch = new Int32Array(1)
  const asFloat = new Float32Array(scratch.buffer)
  const levelAtKey = (key: number) => {
    scratch[0] = key < 0 ? key ^ 0x7fffffff : key
    return levelOf(asFloat[0])
  }
  // thresholds[k]: the least key whose level is ≥ k (past +∞ when none); thresholds[256] ends.
  const thresholds = new Int32Array(257).fill(KEY_MAX + 1)
  let from = KEY_MIN
  for (let k = 1; k <= 255; k++) {
    let lo = from
    let hi = KEY_MAX + 1
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (levelAtKey(mid) >= k) hi = mid
      else lo = mid + 1
    }
    thresholds[k] = from = lo
  }
  // start[b]: the level at the first key of bucket b (the key's top 16 bits).
  const start = new Uint8Array(65536)
  for (let b = 0, level = 0; b < 65536; b++) {
    const first = (b - 32768) * 65536
    while (level < 255 && thresholds[level + 1] <= first) level++
    start[b] = level
  }
  const nanLevel = levelOf(NaN)
  const bits = new Int32Array(matrix.buffer, matrix.byteOffset, matrix.length)
  for (let i = 0; i < bits.length; i++) {
    const key = keyOf(bits[i])
    if (key < KEY_MIN || key > KEY_MAX) {
      out[i] = nanLevel
      continue
    }
    let level = start[(key >> 16) + 32768]
    while (key >= thresholds[level + 1]) level++
    out[i] = level
  }
  return out
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
  const width = options.width > 0 ? options.width : frames
  const height = options.height > 0 ? options.height : bins
  const filter = options.filter ?? 'bicubic'
  let plane: Float32Array
  if (options.quantize === 'none') {
    const levels = spectrogramLevelsDb(matrix, options.scale, options.floorDb)
    const unit = normaliseLevels(levels, options.range, options.topDb, options.bottomDb)
    plane = resizeF32(unit, frames, bins, width, height, filter)
    for (let i = 0; i < plane.length; i++) plane[i] = Math.min(1, Math.max(0, plane[i]))
  } else {
    const levels8 = spectrogramLevelsU8(matrix, { ...options, quantize: options.quantize })
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
  const out = new Float32Array(sum.length)
  for (let i = 0; i < sum.length; i++) out[i] = sum[i] / matrices.length
  return out
}
