/**
 * Pillow's 8-bit picture adjustments, bit for bit (Pillow 9.4, checked against it in
 * tests/dsp/pillow-ops.test.ts): Gaussian blur (ImageFilter.GaussianBlur), grey and
 * desaturation (convert('L'), ImageEnhance.Color), and the ImageOps autocontrast, equalize and
 * invert. Planes are Uint8Array levels, `width × height`, row-major. C `float` arithmetic is
 * reproduced with Math.fround where Pillow computes in single precision.
 */

/**
 * The box radius whose three passes approximate a Gaussian of standard deviation `radius`
 * (Gwosdek et al. 2011, "Theoretical foundations of Gaussian convolution by extended box
 * filtering", eqs. 7, 11, 14), as libImaging/BoxBlur.c `_gaussian_blur_radius` in C floats:
 *   σ² = r² / passes,  L = √(12σ² + 1),  l = ⌊(L − 1) / 2⌋,
 *   a = (2l + 1)(l(l + 1) − 3σ²) / (6(σ² − (l + 1)²)),  radius = l + a.
 */
export function extendedBoxRadius(radius: number, passes = 3): number {
  const f = Math.fround
  const r = f(radius)
  const sigma2 = f(f(r * r) / passes)
  const L = f(Math.sqrt(12.0 * sigma2 + 1.0))
  const l = f(Math.floor((L - 1.0) / 2.0))
  let a = f(f(2 * l + 1) * f(f(l * f(l + 1)) - f(3 * sigma2)))
  a = f(a / f(6 * f(sigma2 - f(f(l + 1) * f(l + 1)))))
  return f(l + a)
}

/**
 * One pass of Pillow's extended box blur along a line (ImagingLineBoxBlur8): the mean over
 * 2·⌊radius⌋ + 1 pixels plus the two next ones weighted by the fraction, in 24-bit fixed point,
 * the edge pixels repeated outside the line. `at(i)` / `put(i, v)` address the line.
 */
function boxBlurLine(
  src: Uint8Array,
  dst: Uint8Array,
  offset: number,
  stride: number,
  length: number,
  radius: number,
  ww: number,
  fw: number,
): void {
  const lastx = length - 1
  const at = (x: number) => src[offset + x * stride]
  const edgeA = Math.min(radius + 1, length)
  const edgeB = Math.max(length - radius - 1, 0)
  let acc = at(0) * (radius + 1)
  for (let x = 0; x < edgeA - 1; x++) acc += at(x)
  acc += at(lastx) * (radius - edgeA + 1)
  const save = (x: number, left: number, right: number) => {
    const bulk = acc * ww + (at(left) + at(right)) * fw
    dst[offset + x * stride] = Math.floor((bulk + 8388608) / 16777216) & 255
  }
  if (edgeA <= edgeB) {
    for (let x = 0; x < edgeA; x++) {
      acc += at(x + radius) - at(0)
      save(x, 0, x + radius + 1)
    }
    for (let x = edgeA; x < edgeB; x++) {
      acc += at(x + radius) - at(x - radius - 1)
      save(x, x - radius - 1, x + radius + 1)
    }
    for (let x = edgeB; x <= lastx; x++) {
      acc += at(lastx) - at(x - radius - 1)
      save(x, x - radius - 1, lastx)
    }
  } else {
    for (let x = 0; x < edgeB; x++) {
      acc += at(x + radius) - at(0)
      save(x, 0, x + radius + 1)
    }
    for (let x = edgeB; x < edgeA; x++) {
      acc += at(lastx) - at(0)
      save(x, 0, lastx)
    }
    for (let x = edgeA; x <= lastx; x++) {
      acc += at(lastx) - at(x - radius - 1)
      save(x, x - radius - 1, lastx)
    }
  }
}

/**
 * Pillow's box blur (ImagingBoxBlur): `passes` horizontal passes, then `passes` vertical ones,
 * with a fractional radius. Weights as ImagingHorizontalBoxBlur: ww = ⌊2²⁴ / (2r + 1)⌋ (in
 * float), fw = ⌊(2²⁴ − (2⌊r⌋ + 1)·ww) / 2⌋.
 */
export function boxBlurU8(
  plane: Uint8Array,
  width: number,
  height: number,
  radius: number,
  passes = 3,
): Uint8Array {
  let current = plane.slice()
  if (radius === 0) return current
  const f = Math.fround
  const whole = Math.trunc(f(radius))
  const ww = Math.trunc(f(16777216 / f(f(2 * f(radius)) + 1)))
  const fw = Math.floor((16777216 - (whole * 2 + 1) * ww) / 2)
  let next = new Uint8Array(plane.length)
  const pass = (horizontal: boolean) => {
    const lines = horizontal ? height : width
    for (let i = 0; i < lines; i++) {
      if (horizontal) boxBlurLine(current, next, i * width, 1, width, whole, ww, fw)
      else boxBlurLine(current, next, i, width, height, whole, ww, fw)
    }
    ;[current, next] = [next, current]
  }
  for (let p = 0; p < passes; p++) pass(true)
  for (let p = 0; p < passes; p++) pass(false)
  return current
}

/** ImageFilter.GaussianBlur(radius): three extended box passes each way. */
export function gaussianBlurU8(
  plane: Uint8Array,
  width: number,
  height: number,
  radius: number,
): Uint8Array {
  return boxBlurU8(plane, width, height, extendedBoxRadius(radius, 3), 3)
}

/** convert('L'): ITU-R BT.601 luma in 16-bit fixed point, (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16. */
export function lumaU8(r: Uint8Array, g: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(r.length)
  for (let i = 0; i < r.length; i++)
    out[i] = (r[i] * 19595 + g[i] * 38470 + b[i] * 7471 + 0x8000) >> 16
  return out
}

/**
 * Image.blend(a, b, alpha) for alpha in 0..1 (libImaging/Blend.c): (UINT8)(a + alpha·(b − a)),
 * computed in C float and truncated. ImageEnhance.Color(im).enhance(f) is blend(grey, im, f).
 */
export function blendU8(a: Uint8Array, b: Uint8Array, alpha: number): Uint8Array {
  const f = Math.fround
  const k = f(alpha)
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = Math.trunc(f(a[i] + f(k * (b[i] - a[i]))))
  return out
}

function histogram(plane: Uint8Array): Float64Array {
  const h = new Float64Array(256)
  for (let i = 0; i < plane.length; i++) h[plane[i]]++
  return h
}

/** Removes `cut` pixels from one end of a histogram, as ImageOps.autocontrast does. */
function trim(h: Float64Array, cut: number, fromTop: boolean): void {
  for (let step = 0; step < 256 && cut > 0; step++) {
    const ix = fromTop ? 255 - step : step
    if (cut > h[ix]) {
      cut -= h[ix]
      h[ix] = 0
    } else {
      h[ix] -= cut
      cut = 0
    }
  }
}

/**
 * ImageOps.autocontrast(image, cutoff) for one band: drop `cutoff`% of the pixels at each end
 * of the histogram (⌊n·cutoff / 100⌋), then map the lowest level left to 0 and the highest to
 * 255: lut[i] = clamp(int(i·s − lo·s)), s = 255 / (hi − lo). A flat band is left as it is.
 */
export function autocontrastLut(plane: Uint8Array, cutoffPercent = 0): Uint8Array {
  const h = histogram(plane)
  if (cutoffPercent) {
    const n = plane.length
    trim(h, Math.floor((n * cutoffPercent) / 100), false)
    trim(h, Math.floor((n * cutoffPercent) / 100), true)
  }
  let lo = 0
  while (lo < 255 && !h[lo]) lo++
  let hi = 255
  while (hi > 0 && !h[hi]) hi--
  const lut = new Uint8Array(256)
  if (hi <= lo) return lut.map((_, i) => i)
  const scale = 255.0 / (hi - lo)
  const offset = -lo * scale
  for (let i = 0; i < 256; i++) lut[i] = Math.min(255, Math.max(0, Math.trunc(i * scale + offset)))
  return lut
}

/**
 * ImageOps.equalize for one band: step = ⌊(N − count of the top level) / 255⌋ over the levels
 * present, lut[i] = ⌊(⌊step / 2⌋ + Σ_{j<i} h_j) / step⌋ (clipped to 255 as Image.point does);
 * a band of one level (or too few pixels) is left as it is.
 */
export function equalizeLut(plane: Uint8Array): Uint8Array {
  const h = histogram(plane)
  const identity = () => new Uint8Array(256).map((_, i) => i)
  let total = 0
  let last = 0
  let levels = 0
  for (let i = 0; i < 256; i++) {
    if (!h[i]) continue
    total += h[i]
    last = h[i]
    levels++
  }
  if (levels <= 1) return identity()
  const step = Math.floor((total - last) / 255)
  if (!step) return identity()
  const lut = new Uint8Array(256)
  let n = Math.floor(step / 2)
  for (let i = 0; i < 256; i++) {
    lut[i] = Math.min(255, Math.floor(n / step))
    n += h[i]
  }
  return lut
}

/** ImageOps.invert: 255 − v. */
export const INVERT_LUT: Uint8Array = Uint8Array.from({ length: 256 }, (_, i) => 255 - i)

export function applyLut(plane: Uint8Array, lut: Uint8Array): Uint8Array {
  const out = new Uint8Array(plane.length)
  for (let i = 0; i < plane.length; i++) out[i] = lut[plane[i]]
  return out
}
