/**
 * Spectra drawn as pictures: bars, pie slices, the Spectral Diffusion post's half pie and its
 * p5.js circles, and a wobbling polar ring, over a blurred noise field. Pure rasterisation into planar RGB in 0..1 (row 0 at the top), antialiased by
 * coverage: a pixel whose centre lies d pixels inside a shape's edge is covered
 * clamp(d + ½, 0, 1), and composited as out = bg·(1 − α·c) + colour·α·c (Porter & Duff 1984,
 * "over" with a constant alpha α).
 */
import { resizeF32 } from './resize'

export type SpectrumStyle = 'bars' | 'pie' | 'half-pie' | 'circles' | 'polar'
export type SpectrumPalette = 'rainbow' | 'heat' | 'white'

export interface SpectrumDrawOptions {
  style: SpectrumStyle
  palette: SpectrumPalette
  /** Opacity of the shapes over the background, 0..1. */
  opacity: number
  /** Levels are multiplied by this (then clamped to 1) before drawing. */
  gain: number
  /** Polar: how far the ring's radius swings (0 = a circle), as a fraction of it. */
  wobble: number
  /** Seconds into the sequence: the polar wobble turns with time. */
  timeSec: number
}

/**
 * Three passes of a box blur along lines of a float plane, edges repeated, with the extended
 * box of Gwosdek et al. (2011) so that the passes together are a Gaussian of standard deviation
 * `sigma` (the float twin of Pillow's GaussianBlur, pillow-ops.ts): radius ρ = l + a from
 * `boxRadius`, weights 1 / (2ρ + 1) inside ±⌊ρ⌋ and the remainder split over the two next pixels.
 */
function gaussianBlurF32(plane: Float32Array, width: number, height: number, sigma: number): void {
  const sigma2 = (sigma * sigma) / 3
  const l = Math.floor((Math.sqrt(12 * sigma2 + 1) - 1) / 2)
  const rho = l + ((2 * l + 1) * (l * (l + 1) - 3 * sigma2)) / (6 * (sigma2 - (l + 1) ** 2))
  const r = Math.floor(rho)
  const w = 1 / (2 * rho + 1)
  const far = (1 - (2 * r + 1) * w) / 2
  const line = new Float32Array(Math.max(width, height))
  const pass = (count: number, length: number, index: (line: number, i: number) => number) => {
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < length; i++) line[i] = plane[index(k, i)]
      const at = (i: number) => line[i < 0 ? 0 : i >= length ? length - 1 : i]
      for (let i = 0; i < length; i++) {
        let sum = 0
        for (let j = -r; j <= r; j++) sum += at(i + j)
        plane[index(k, i)] = w * sum + far * (at(i - r - 1) + at(i + r + 1))
      }
    }
  }
  for (let p = 0; p < 3; p++) pass(height, width, (y, x) => y * width + x)
  for (let p = 0; p < 3; p++) pass(width, height, (x, y) => y * width + x)
}

/**
 * A smooth random field of `width × height` in [0, level] per RGB plane: uniform noise (from
 * `random`, so a seed gives the same field) at a quarter of the picture's resolution, blurred
 * with a Gaussian of σ = scale / 8 there (blobs about `scale` pixels across in the picture),
 * enlarged with Pillow's bicubic, then stretched to its own min..max.
 */
export function noiseField(
  width: number,
  height: number,
  scale: number,
  level: number,
  random: () => number,
): Float32Array[] {
  const gw = Math.max(2, Math.ceil(width / 4))
  const gh = Math.max(2, Math.ceil(height / 4))
  return [0, 1, 2].map(() => {
    const grid = Float32Array.from({ length: gw * gh }, () => random())
    gaussianBlurF32(grid, gw, gh, Math.max(0.5, scale / 8))
    const plane = resizeF32(grid, gw, gh, width, height, 'bicubic')
    let lo = Infinity
    let hi = -Infinity
    for (const v of plane) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    const span = hi - lo > 1e-9 ? hi - lo : 1
    for (let i = 0; i < plane.length; i++) plane[i] = (level * (plane[i] - lo)) / span
    return plane
  })
}

/** HSV (h in turns) to RGB, all in 0..1 (Smith 1978). */
function hsv(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 6) % 6
    return v - v * s * Math.max(0, Math.min(k, 4 - k, 1))
  }
  return [f(5), f(3), f(1)]
}

/** The colour of bin j of n at level v: a hue per bin, a heat ramp by level, or white. */
export function binColour(
  palette: SpectrumPalette,
  j: number,
  n: number,
  v: number,
): [number, number, number] {
  if (palette === 'white') return [1, 1, 1]
  if (palette === 'heat')
    return [Math.min(1, 3 * v), Math.min(1, Math.max(0, 3 * v - 1)), Math.max(0, 3 * v - 2)]
  return hsv((0.83 * j) / Math.max(1, n - 1), 0.85, 1)
}

const clamp01 = (v: number) => (v > 1 ? 1 : v > 0 ? v : 0)

/**
 * Draws one spectrum (`levels` in 0..1, low frequencies first) over `background` (three planes,
 * copied) and returns the RGB planes.
 */
export function drawSpectrum(
  levels: Float32Array,
  background: readonly Float32Array[],
  width: number,
  height: number,
  options: SpectrumDrawOptions,
): Float32Array[] {
  const n = levels.length
  const out = background.slice(0, 3).map((plane) => plane.slice())
  if (n === 0) return out
  const v = Float32Array.from(levels, (x) => clamp01(x * options.gain))
  const colours = Array.from(v, (x, j) => binColour(options.palette, j, n, x))
  const alpha = clamp01(options.opacity)
  const paint = (i: number, coverage: number, j: number, colour?: readonly number[]) => {
    const a = alpha * coverage
    if (a <= 0) return
    const c = colour ?? colours[j]
    for (let k = 0; k < 3; k++) out[k][i] = out[k][i] * (1 - a) + c[k] * a
  }
  if (options.style === 'circles') {
    drawCircles(v, width, height, paint)
    return out
  }
  if (options.style === 'bars') {
    for (let x = 0; x < width; x++) {
      // The loudest of the bins this column shows (several when bins outnumber columns).
      const j0 = Math.floor((x * n) / width)
      const j1 = Math.max(j0 + 1, Math.floor(((x + 1) * n) / width))
      let j = j0
      for (let k = j0 + 1; k < j1 && k < n; k++) if (v[k] > v[j]) j = k
      const top = v[j] * height
      for (let y = 0; y < height; y++) paint(y * width + x, clamp01(top - (height - 1 - y)), j)
    }
    return out
  }
  const cx = width / 2
  const cy = height / 2
  const size = Math.min(width, height)
  const turn = 2 * Math.PI
  const phase = turn * 0.25 * options.timeSec
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - cx
      const dy = y + 0.5 - cy
      const r = Math.hypot(dx, dy)
      // Angle clockwise from the top, in turns.
      let t = Math.atan2(dx, -dy) / turn
      if (t < 0) t += 1
      if (options.style === 'pie') {
        const j = Math.min(n - 1, Math.floor(t * n))
        paint(y * width + x, clamp01(0.48 * size * v[j] - r + 0.5), j)
      } else if (options.style === 'half-pie') {
        // The post: draw.pieslice(box, i·step − 90, (i + 1)·step − 90), step = 180 / bins.
        // Pillow's angles run clockwise from 3 o'clock, so −90…90 is t ∈ [0, ½) here: bin 0
        // at the top, the last at the bottom, the left half empty.
        if (t >= 0.5) continue
        const j = Math.min(n - 1, Math.floor(2 * t * n))
        paint(y * width + x, clamp01(0.48 * size * v[j] - r + 0.5), j)
      } else {
        // Polar: levels interpolated around a base circle that wobbles with time.
        const pos = t * n - 0.5
        const j0 = (Math.floor(pos) + n) % n
        const j1 = (j0 + 1) % n
        const f = pos - Math.floor(pos)
        const level = (1 - f) * v[j0] + f * v[j1]
        const base = 0.24 * size * (1 + options.wobble * Math.sin(3 * turn * t + phase))
        const edge = base + 0.24 * size * level
        paint(y * width + x, clamp01(edge - r + 0.5), f < 0.5 ? j0 : j1)
      }
    }
  }
  return out
}

/**
 * The Spectral Diffusion post's p5.js sketch (angleMode DEGREES), per bin i of n with
 * magnitude m (here m = 90·level, so a full bin sweeps the whole turn):
 *
 *   fill(i·4, m·2, 100)                      (0..255 per channel, clamped)
 *   for t = 0, 1, … ≤ m·4:  θ = t − 90,  ρ = i·2 + sin(8t)·4
 *     circle(ρ cos θ, ρ sin θ, size / n)  and its mirror at θ' = 180 − θ
 *
 * centred on the picture. The sketch's units are scaled by k so the outermost ring
 * (ρ ≤ 2(n − 1) + 4) fits in 0.48 of the picture's smaller side; the dots keep their diameter
 * of size / n pixels.
 */
function drawCircles(
  v: Float32Array,
  width: number,
  height: number,
  paint: (pixel: number, coverage: number, bin: number, colour?: readonly number[]) => void,
): void {
  const n = v.length
  const size = Math.min(width, height)
  const k = (0.48 * size) / (2 * (n - 1) + 4)
  const radius = Math.max(0.5, size / n / 2)
  const cx = width / 2
  const cy = height / 2
  const degree = Math.PI / 180
  for (let i = 0; i < n; i++) {
    const m = 90 * v[i]
    const colour = [Math.min(255, i * 4) / 255, Math.min(255, m * 2) / 255, 100 / 255]
    const disc = (x0: number, y0: number): void => {
      const xa = Math.max(0, Math.floor(x0 - radius - 1))
      const xb = Math.min(width - 1, Math.ceil(x0 + radius + 1))
      const ya = Math.max(0, Math.floor(y0 - radius - 1))
      const yb = Math.min(height - 1, Math.ceil(y0 + radius + 1))
      for (let y = ya; y <= yb; y++)
        for (let x = xa; x <= xb; x++) {
          const d = radius - Math.hypot(x + 0.5 - x0, y + 0.5 - y0)
          paint(y * width + x, clamp01(d + 0.5), i, colour)
        }
    }
    for (let t = 0; t <= m * 4; t++) {
      const theta = (t - 90) * degree
      const rho = k * (i * 2 + Math.sin(8 * t * degree) * 4)
      const mirror = (180 - (t - 90)) * degree
      disc(cx + rho * Math.cos(theta), cy + rho * Math.sin(theta))
      disc(cx + rho * Math.cos(mirror), cy + rho * Math.sin(mirror))
    }
  }
}
