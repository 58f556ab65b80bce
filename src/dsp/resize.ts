/**
 * Pillow-compatible image resampling over planar `width × height` planes (row-major, row 0 at
 * the top). A port of Pillow 9.4 `Image.resize` (libImaging/Resample.c; Geometry.c for nearest):
 *
 *   - separable: a HORIZONTAL pass to the output width over the source rows that the vertical
 *     pass will read, then a VERTICAL pass; a pass is skipped when its size does not change;
 *   - for output index i: scale s = (in1 − in0) / out, filter scale fs = max(s, 1) (the kernel
 *     is stretched when shrinking: antialiasing), support = kernel support · fs,
 *     centre = in0 + (i + ½)·s, taps x ∈ [xmin, xmax) with xmin = max(0, ⌊centre − support + ½⌋),
 *     xmax = min(in, ⌊centre + support + ½⌋), w_x = K((x − centre + ½) / fs), normalised to Σ = 1;
 *   - 8-bit planes: weights in fixed point, round-half-away(w · 2²²); acc = 2²¹ + Σ pixel·w;
 *     out = clamp(acc >> 22, 0, 255); the intermediate image is 8-bit (rounded between passes);
 *   - float planes (Pillow mode 'F'): float64 weights and accumulation, float32 storage.
 *
 * Kernels (Pillow's): box (support ½), bilinear/triangle (1), hamming (1), bicubic Keys a = −½ (2),
 * lanczos-3 sinc(x)·sinc(x/3) (3). Nearest is Pillow's affine nearest: src = ⌊(i + ½)·s⌋.
 * Checked bit-exact against Pillow 9.4 (tests/dsp/resize.test.ts).
 */

export type ResampleFilter = 'nearest' | 'box' | 'bilinear' | 'hamming' | 'bicubic' | 'lanczos'

export const RESAMPLE_FILTERS: readonly ResampleFilter[] = [
  'nearest',
  'box',
  'bilinear',
  'hamming',
  'bicubic',
  'lanczos',
]

/** The source region to resample (Pillow's `box`): [x0, x1) × [y0, y1), may be fractional. */
export interface SourceBox {
  x0: number
  y0: number
  x1: number
  y1: number
}

interface Kernel {
  fn: (x: number) => number
  support: number
}

const sinc = (x: number): number => {
  if (x === 0) return 1
  const px = x * Math.PI
  return Math.sin(px) / px
}

const KERNELS: Record<Exclude<ResampleFilter, 'nearest'>, Kernel> = {
  box: { support: 0.5, fn: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: {
    support: 1,
    fn: (x) => {
      const ax = Math.abs(x)
      return ax < 1 ? 1 - ax : 0
    },
  },
  hamming: {
    support: 1,
    fn: (x) => {
      const ax = Math.abs(x)
      if (ax === 0) return 1
      if (ax >= 1) return 0
      const px = ax * Math.PI
      // Pillow writes 0.54f + 0.46f: float literals, promoted to double.
      return (Math.sin(px) / px) * (Math.fround(0.54) + Math.fround(0.46) * Math.cos(px))
    },
  },
  bicubic: {
    support: 2,
    fn: (x) => {
      const a = -0.5
      const ax = Math.abs(x)
      if (ax < 1) return ((a + 2) * ax - (a + 3)) * ax * ax + 1
      if (ax < 2) return (((ax - 5) * ax + 8) * ax - 4) * a
      return 0
    },
  },
  lanczos: { support: 3, fn: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
}

/** Per output index: the first tap and tap count, and `ksize` weights (zero past the count). */
export interface ResampleCoefficients {
  ksize: number
  /** [xmin, count] for each output index. */
  bounds: Int32Array
  /** outSize × ksize weights, normalised to sum 1 per output index. */
  weights: Float64Array
}

/** Pillow's `precompute_coeffs` for one axis: `in0`, `in1` are the source box edges. */
export function resampleCoefficients(
  inSize: number,
  outSize: number,
  filter: Exclude<ResampleFilter, 'nearest'>,
  in0 = 0,
  in1 = inSize,
): ResampleCoefficients {
  const kernel = KERNELS[filter]
  // Pillow keeps the box as C floats: the span is a float subtraction, widened to double.
  const start = Math.fround(in0)
  const scale = Math.fround(Math.fround(in1) - start) / outSize
  const filterScale = Math.max(scale, 1)
  const support = kernel.support * filterScale
  const ksize = Math.ceil(support) * 2 + 1
  const bounds = new Int32Array(outSize * 2)
  const weights = new Float64Array(outSize * ksize)
  const ss = 1 / filterScale
  for (let i = 0; i < outSize; i++) {
    const center = start + (i + 0.5) * scale
    const xmin = Math.max(0, Math.trunc(center - support + 0.5))
    const count = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin
    const row = i * ksize
    let sum = 0
    for (let x = 0; x < count; x++) {
      const w = kernel.fn((x + xmin - center + 0.5) * ss)
      weights[row + x] = w
      sum += w
    }
    if (sum !== 0) for (let x = 0; x < count; x++) weights[row + x] /= sum
    bounds[i * 2] = xmin
    bounds[i * 2 + 1] = Math.max(0, count)
  }
  return { ksize, bounds, weights }
}

const PRECISION_BITS = 22

/**
 * Weights in Pillow's 8-bit fixed point: round half away from zero of w · 2²² (C's int), kept
 * as whole float64 values: the passes sum them in float64, exactly, faster than in int32.
 */
function fixedPoint(weights: Float64Array): Float64Array {
  const one = 1 << PRECISION_BITS
  const out = new Float64Array(weights.length)
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]
    out[i] = w < 0 ? Math.trunc(-0.5 + w * one) : Math.trunc(0.5 + w * one)
  }
  return out
}

function checkSizes(length: number, width: number, height: number, outW: number, outH: number) {
  for (const [name, v] of [
    ['width', width],
    ['height', height],
    ['output width', outW],
    ['output height', outH],
  ] as const)
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`Resize: ${name} must be a whole number ≥ 1, not ${v}`)
  if (length !== width * height)
    throw new RangeError(
      `Resize: a ${width}×${height} plane needs ${width * height} values, not ${length}`,
    )
}

type Plane = Uint8Array | Float32Array

/**
 * The two passes, written once per sample type so every loop sees one array kind (a loop over
 * `Uint8Array | Float32Array` runs several times slower in V8). 8-bit: Pillow's accumulator,
 * 2²¹ + Σ pixel·w, then clip8(acc >> 22); float: Σ pixel·w in float64, stored as float32.
 * Horizontal and vertical stay two near-twins on purpose: one pass over a stride (taps `tap`
 * apart, lines `line` apart) was tried in both loop orders, matched Pillow bit for bit, and was
 * slower on every size measured (1.02–1.31× CPU time in the same run: the notebook's 257×10336
 * → 400×300, upscales, thumbnails), since each twin's loop order and unit stride suit its axis.
 */
interface Passes<T extends Plane> {
  horizontal(
    src: T,
    srcWidth: number,
    out: T,
    rows: number,
    rowOffset: number,
    c: ResampleCoefficients,
  ): void
  vertical(src: T, width: number, out: T, c: ResampleCoefficients): void
}

const HALF = 1 << (PRECISION_BITS - 1)

const clip8 = (acc: number): number => {
  const v = acc >> PRECISION_BITS
  return v < 0 ? 0 : v > 255 ? 255 : v
}

const PASSES_U8: Passes<Uint8Array> = {
  horizontal(src, srcWidth, out, rows, rowOffset, { ksize, bounds, weights }) {
    const k = fixedPoint(weights)
    const outWidth = bounds.length >> 1
    let y = 0
    // Four rows at a time share each weight load. The integer sums are exact in float64 (and
    // faster than int32 ops in V8); clip8's >> wraps them as Pillow's int would.
    for (; y + 4 <= rows; y += 4) {
      const r0 = (y + rowOffset) * srcWidth
      const r1 = r0 + srcWidth
      const r2 = r1 + srcWidth
      const r3 = r2 + srcWidth
      const o = y * outWidth
      for (let i = 0; i < outWidth; i++) {
        const first = bounds[2 * i]
        const count = bounds[2 * i + 1]
        const kRow = i * ksize
        let a0 = HALF
        let a1 = HALF
        let a2 = HALF
        let a3 = HALF
        for (let t = 0; t < count; t++) {
          const w = k[kRow + t]
          const x = first + t
          a0 += src[r0 + x] * w
          a1 += src[r1 + x] * w
          a2 += src[r2 + x] * w
          a3 += src[r3 + x] * w
        }
        out[o + i] = clip8(a0)
        out[o + outWidth + i] = clip8(a1)
        out[o + 2 * outWidth + i] = clip8(a2)
        out[o + 3 * outWidth + i] = clip8(a3)
      }
    }
    for (; y < rows; y++) {
      const srcRow = (y + rowOffset) * srcWidth
      const o = y * outWidth
      for (let i = 0; i < outWidth; i++) {
        const base = srcRow + bounds[2 * i]
        const kRow = i * ksize - base
        const end = base + bounds[2 * i + 1]
        let acc = HALF
        for (let x = base; x < end; x++) acc += src[x] * k[kRow + x]
        out[o + i] = clip8(acc)
      }
    }
  },
  vertical(src, width, out, { ksize, bounds, weights }) {
    const k = fixedPoint(weights)
    const outHeight = bounds.length >> 1
    for (let i = 0; i < outHeight; i++) {
      const min = bounds[2 * i]
      const count = bounds[2 * i + 1]
      const kRow = i * ksize
      const o = i * width
      let x = 0
      // Four columns at a time in registers, each summing its taps in order.
      for (; x + 4 <= width; x += 4) {
        let a0 = HALF
        let a1 = HALF
        let a2 = HALF
        let a3 = HALF
        for (let t = 0; t < count; t++) {
          const w = k[kRow + t]
          const r = (min + t) * width + x
          a0 += src[r] * w
          a1 += src[r + 1] * w
          a2 += src[r + 2] * w
          a3 += src[r + 3] * w
        }
        out[o + x] = clip8(a0)
        out[o + x + 1] = clip8(a1)
        out[o + x + 2] = clip8(a2)
        out[o + x + 3] = clip8(a3)
      }
      for (; x < width; x++) {
        let acc = HALF
        for (let t = 0; t < count; t++) acc += src[(min + t) * width + x] * k[kRow + t]
        out[o + x] = clip8(acc)
      }
    }
  },
}

/** Pillow mode 'F': float64 weights and sums, float32 storage. */
const PASSES_F32: Passes<Float32Array> = {
  horizontal(src, srcWidth, out, rows, rowOffset, { ksize, bounds, weights: k }) {
    const outWidth = bounds.length >> 1
    let y = 0
    // Four rows at a time share each weight load; each pixel still sums its taps in order.
    for (; y + 4 <= rows; y += 4) {
      const r0 = (y + rowOffset) * srcWidth
      const r1 = r0 + srcWidth
      const r2 = r1 + srcWidth
      const r3 = r2 + srcWidth
      const o = y * outWidth
      for (let i = 0; i < outWidth; i++) {
        const first = bounds[2 * i]
        const count = bounds[2 * i + 1]
        const kRow = i * ksize
        let a0 = 0
        let a1 = 0
        let a2 = 0
        let a3 = 0
        for (let t = 0; t < count; t++) {
          const w = k[kRow + t]
          const x = first + t
          a0 += src[r0 + x] * w
          a1 += src[r1 + x] * w
          a2 += src[r2 + x] * w
          a3 += src[r3 + x] * w
        }
        out[o + i] = a0
        out[o + outWidth + i] = a1
        out[o + 2 * outWidth + i] = a2
        out[o + 3 * outWidth + i] = a3
      }
    }
    for (; y < rows; y++) {
      const srcRow = (y + rowOffset) * srcWidth
      const o = y * outWidth
      for (let i = 0; i < outWidth; i++) {
        const base = srcRow + bounds[2 * i]
        const kRow = i * ksize - base
        const end = base + bounds[2 * i + 1]
        let acc = 0
        for (let x = base; x < end; x++) acc += src[x] * k[kRow + x]
        out[o + i] = acc
      }
    }
  },
  vertical(src, width, out, { ksize, bounds, weights: k }) {
    const outHeight = bounds.length >> 1
    for (let i = 0; i < outHeight; i++) {
      const min = bounds[2 * i]
      const count = bounds[2 * i + 1]
      const kRow = i * ksize
      const o = i * width
      let x = 0
      // Four columns at a time in registers, each summing its taps in order.
      for (; x + 4 <= width; x += 4) {
        let a0 = 0
        let a1 = 0
        let a2 = 0
        let a3 = 0
        for (let t = 0; t < count; t++) {
          const w = k[kRow + t]
          const r = (min + t) * width + x
          a0 += src[r] * w
          a1 += src[r + 1] * w
          a2 += src[r + 2] * w
          a3 += src[r + 3] * w
        }
        out[o + x] = a0
        out[o + x + 1] = a1
        out[o + x + 2] = a2
        out[o + x + 3] = a3
      }
      for (; x < width; x++) {
        let acc = 0
        for (let t = 0; t < count; t++) acc += src[(min + t) * width + x] * k[kRow + t]
        out[o + x] = acc
      }
    }
  },
}

function resizePlane<T extends Plane>(
  src: T,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  filter: ResampleFilter,
  box: SourceBox | undefined,
  make: (n: number) => T,
  passes: Passes<T>,
): T {
  checkSizes(src.length, width, height, outWidth, outHeight)
  const b = box ?? { x0: 0, y0: 0, x1: width, y1: height }
  if (outWidth === width && outHeight === height && !box) return src.slice() as T
  if (filter === 'nearest')
    return nearest(src, width, outWidth, outHeight, b, make(outWidth * outHeight))
  // Pillow's test, as written in ImagingResampleInner.
  const needH = outWidth !== width || b.x0 !== 0 || b.x1 !== outWidth
  const needV = outHeight !== height || b.y0 !== 0 || b.y1 !== outHeight
  const vert = resampleCoefficients(height, outHeight, filter, b.y0, b.y1)
  let image = src
  let imageWidth = width
  if (needH) {
    // Only the rows the vertical pass reads: [first, last).
    const first = vert.bounds[0]
    const last = vert.bounds[(outHeight - 1) * 2] + vert.bounds[(outHeight - 1) * 2 + 1]
    const horiz = resampleCoefficients(width, outWidth, filter, b.x0, b.x1)
    for (let i = 0; i < outHeight; i++) vert.bounds[i * 2] -= first
    const temp = make(outWidth * (last - first))
    passes.horizontal(src, width, temp, last - first, first, horiz)
    image = temp
    imageWidth = outWidth
  }
  if (needV) {
    const out = make(imageWidth * outHeight)
    passes.vertical(image, imageWidth, out, vert)
    return out
  }
  return image === src ? (src.slice() as T) : image
}

/** Pillow's nearest (ImagingScaleAffine): positions stepped in float64 from a half step. */
function nearest<T extends Plane>(
  src: T,
  width: number,
  outW: number,
  outH: number,
  b: SourceBox,
  out: T,
): T {
  const axis = (n: number, from: number, to: number, size: number) => {
    const step = Math.fround(Math.fround(to) - Math.fround(from)) / n
    const index = new Int32Array(n)
    let pos = Math.fround(from) + step * 0.5
    for (let i = 0; i < n; i++, pos += step)
      index[i] = Math.min(size - 1, pos < 0 ? 0 : Math.trunc(pos))
    return index
  }
  const xs = axis(outW, b.x0, b.x1, width)
  const ys = axis(outH, b.y0, b.y1, src.length / width)
  for (let y = 0; y < outH; y++) {
    const row = ys[y] * width
    for (let x = 0; x < outW; x++) out[y * outW + x] = src[row + xs[x]]
  }
  return out
}

/** Resizes an 8-bit plane exactly as Pillow does for mode 'L' (and each band of 'RGB'). */
export function resizeU8(
  src: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  filter: ResampleFilter = 'bicubic',
  box?: SourceBox,
): Uint8Array {
  return resizePlane(
    src,
    width,
    height,
    outWidth,
    outHeight,
    filter,
    box,
    (n) => new Uint8Array(n),
    PASSES_U8,
  )
}

/** Resizes a float plane exactly as Pillow does for mode 'F' (float64 sums, float32 storage). */
export function resizeF32(
  src: Float32Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  filter: ResampleFilter = 'bicubic',
  box?: SourceBox,
): Float32Array {
  return resizePlane(
    src,
    width,
    height,
    outWidth,
    outHeight,
    filter,
    box,
    (n) => new Float32Array(n),
    PASSES_F32,
  )
}
