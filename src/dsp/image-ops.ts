/**
 * Operations on planar image channels: `width × height` Float32Arrays in 0..1, row-major, row 0
 * at the top. 8-bit levels are k/255; a plane holding only such levels (as from a PNG or a
 * quantised spectrogram) is handled in exact 8-bit arithmetic where that matters.
 */

import { resizeF32, resizeU8, type ResampleFilter, type SourceBox } from './resize'

/** True when every value is exactly the float32 nearest some k/255, k = 0 … 255. */
export function isEightBit(plane: Float32Array): boolean {
  for (let i = 0; i < plane.length; i++) {
    const v = plane[i]
    if (!(v >= 0 && v <= 1) || Math.fround(Math.round(v * 255) / 255) !== v) return false
  }
  return true
}

/** A value in 0..1 to an 8-bit level: round(v·255) or ⌊v·255⌋ (as a uint8 cast), clamped. */
export function unitToLevel(value: number, mode: 'round' | 'truncate'): number {
  const v = Math.fround(value * 255)
  const k = mode === 'round' ? Math.round(v) : Math.floor(v)
  return k > 255 ? 255 : k > 0 ? k : 0 // NaN → 0
}

/** Values in 0..1 to 8-bit levels (unitToLevel for each). */
export function toUint8(plane: Float32Array, mode: 'round' | 'truncate' = 'round'): Uint8Array {
  const out = new Uint8Array(plane.length)
  for (let i = 0; i < plane.length; i++) out[i] = unitToLevel(plane[i], mode)
  return out
}

/** 8-bit levels to 0..1: k / 255 (as torchvision ToTensor). */
export function fromUint8(levels: Uint8Array): Float32Array {
  // A loop, not Float32Array.from(levels, map): V8 gathers a mapped from() in a JS array first,
  // which at 16384² pixels runs out of heap ("invalid array length") and aborts the process.
  const out = new Float32Array(levels.length)
  for (let i = 0; i < levels.length; i++) out[i] = levels[i] / 255
  return out
}

/**
 * The index of the first NaN or infinite value, or −1. Blocks are summed as Σ 0·x first (0 when
 * every x is finite, NaN otherwise: no branch per value); only a block that fails is searched.
 * Each block in four sums over every fourth value: with one, each addition waits for the one
 * before (twice as slow).
 */
export function firstNonFinite(values: Float32Array | Float64Array | readonly number[]): number {
  const BLOCK = 4096 // a multiple of four: the fours never straddle two blocks
  for (let start = 0; start < values.length; start += BLOCK) {
    const end = Math.min(values.length, start + BLOCK)
    let z0 = 0
    let z1 = 0
    let z2 = 0
    let z3 = 0
    let i = start
    for (; i + 3 < end; i += 4) {
      z0 += values[i] * 0
      z1 += values[i + 1] * 0
      z2 += values[i + 2] * 0
      z3 += values[i + 3] * 0
    }
    for (; i < end; i++) z0 += values[i] * 0
    if (z0 + z1 + z2 + z3 === 0) continue
    for (let j = start; j < end; j++) if (!Number.isFinite(values[j])) return j
  }
  return -1
}

/** A copy with the rows in reverse order (top ↔ bottom). */
export function flipRows<T extends Float32Array | Uint8Array>(
  plane: T,
  width: number,
  height: number,
): T {
  const out = (
    plane instanceof Uint8Array ? new Uint8Array(plane.length) : new Float32Array(plane.length)
  ) as T
  for (let y = 0; y < height; y++)
    out.set(plane.subarray(y * width, (y + 1) * width), (height - 1 - y) * width)
  return out
}

export type GreyMethod = 'luma' | 'mean'

/**
 * One grey plane from 1, 3 or 4 channels (alpha ignored): 'luma' is ITU-R BT.601
 * 0.299 R + 0.587 G + 0.114 B (Pillow's convert('L') weights), 'mean' is (R + G + B) / 3.
 */
export function toGrey(
  channels: readonly Float32Array[],
  method: GreyMethod = 'luma',
): Float32Array {
  if (channels.length < 3) return channels[0].slice()
  const [r, g, b] = channels
  const [wr, wg, wb] = method === 'luma' ? [0.299, 0.587, 0.114] : [1 / 3, 1 / 3, 1 / 3]
  return Float32Array.from(r, (v, i) => wr * v + wg * g[i] + wb * b[i])
}

/** The red, green and blue planes: a grey image gives its plane three times (copies). */
export function splitRgb(
  channels: readonly Float32Array[],
): [Float32Array, Float32Array, Float32Array] {
  const pick = (c: number) => (channels.length >= 3 ? channels[c] : channels[0]).slice()
  return [pick(0), pick(1), pick(2)]
}

/**
 * Mean of each column over the rows, in float64. For an 8-bit plane the exact levels k/255 are
 * summed (what numpy's mean of uint8/255 gives), not their float32 roundings.
 */
export function columnMeans(plane: Float32Array, width: number, height: number): Float64Array {
  const exact = isEightBit(plane)
  const sums = new Float64Array(width)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = plane[y * width + x]
      sums[x] += exact ? Math.round(v * 255) : v
    }
  return sums.map((s) => (exact ? s / 255 / height : s / height))
}

/** 'auto' resizes 8-bit planes in Pillow's 8-bit arithmetic and any other plane as mode 'F'. */
export type ResizeDepth = 'auto' | '8-bit' | 'float'

/**
 * Resizes a 0..1 plane with Pillow's resampling: in 8-bit fixed point (the result is k/255) or
 * as float (clamped to 0..1, since bicubic and lanczos overshoot).
 */
export function resizeUnitPlane(
  plane: Float32Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  filter: ResampleFilter = 'bicubic',
  depth: ResizeDepth = 'auto',
  box?: SourceBox,
): Float32Array {
  const eightBit = depth === '8-bit' || (depth === 'auto' && isEightBit(plane))
  if (eightBit)
    return fromUint8(resizeU8(toUint8(plane), width, height, outWidth, outHeight, filter, box))
  const out = resizeF32(plane, width, height, outWidth, outHeight, filter, box)
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]))
  return out
}

/**
 * What is wrong with planar image data, in words ("is empty (0×0 pixels)", "has NaN at …"),
 * or undefined when it is usable: at least 1×1, equal-sized channels, finite values.
 */
export function imageProblem(
  width: number,
  height: number,
  channels: readonly Float32Array[],
): string | undefined {
  if (!(width >= 1 && height >= 1) || channels.length === 0)
    return `is empty (${width}×${height} pixels, ${channels.length} channels)`
  for (const [c, plane] of channels.entries()) {
    if (plane.length !== width * height)
      return `has a channel of ${plane.length} values where ${width}×${height} = ${width * height} were expected`
    const bad = firstNonFinite(plane)
    if (bad >= 0)
      return `has ${plane[bad]} at pixel (${bad % width}, ${Math.floor(bad / width)}) of channel ${c + 1}`
  }
  return undefined
}
