/**
 * The notebook's chirp synthesis (notebook-chain.md item 9): every image column is a linear
 * chirp over the whole duration T, as scipy.signal.chirp(t, f0, T, ratio·f0) (method 'linear'):
 *
 *   y(t) = (1/D) Σ_c A_c · cos(2π (f_c t + ½ β_c t²)),   β_c = (ratio − 1)·f_c / T
 *        = (1/D) Σ_c A_c · cos(2π f_c u(t)),             u(t) = t + ½ (ratio − 1) t² / T
 *
 * with f_c = baseHz·r_c, A_c = ampOffset + ampScale·g_c (column means of red and green), D the
 * column count. Every column shares the warp u(t), so y = g(u(t)) with one band-limited
 * function g(u) = (1/D) Σ_c A_c cos(2π f_c u) of highest frequency F = max f_c. We evaluate g
 * as a type-3 non-uniform Fourier sum (Barnett, Magland & af Klinteberg, "A parallel non-uniform
 * fast Fourier transform library based on an exponential of semicircle kernel", SIAM J. Sci.
 * Comput. 41 (2019)): on a grid of spacing h = 1/(4F) (oversampling σ = 2) the coefficients
 *
 *   G_j = (1/D) Σ_c (A_c / φ̂(2π f_c h)) cos(2π f_c h j)      (cosine recurrences, exact restarts)
 *
 * interpolated with the "exponential of semicircle" kernel φ(x) = exp(β(√(1 − (2x/W)²) − 1)),
 * W = 12 taps, β = 2.3·W: g(u) = Σ_j G_j φ(u/h − j) up to aliasing of order 1e−11 relative to
 * Σ|A_c|/D. φ̂ (its Fourier transform) comes from Gauss–Legendre quadrature. Cost: O(D·T·F) for
 * the grid plus 12 taps per output sample, instead of D cosines per sample.
 */

export type ChirpTimeAxis = 'notebook-linspace' | 'exact'

export interface ChirpSumOptions {
  /** Start frequency of each column, Hz. */
  frequenciesHz: Float64Array
  /** Amplitude of each column. */
  amplitudes: Float64Array
  /** End frequency over start frequency (the notebook: 1.5). */
  frequencyRatio: number
  durationSec: number
  sampleRateHz: number
  /**
   * 'notebook-linspace': t_n = n·T/(N − 1), numpy.linspace(0, T, N) (the notebook);
   * 'exact': t_n = n / sampleRate.
   */
  timeAxis: ChirpTimeAxis
  /** The sum is divided by this (the notebook: the column count). Default: the column count. */
  divisor?: number
  /** Called between blocks with the fraction done; may throw to stop. */
  onProgress?: (fraction: number) => void
}

/** Sample count of a render: round(T · rate) (numpy's int() would truncate 0.7·24000 to 16799). */
export function chirpSampleCount(durationSec: number, sampleRateHz: number): number {
  return Math.max(0, Math.round(durationSec * sampleRateHz))
}

/** Sample times: numpy.linspace(0, T, N) exactly (n·step, last = T), or n / rate. */
export function chirpTime(n: number, count: number, options: ChirpSumOptions): number {
  if (options.timeAxis === 'exact') return n / options.sampleRateHz
  if (count < 2) return 0
  return n === count - 1 ? options.durationSec : n * (options.durationSec / (count - 1))
}

/** The notebook's mapping: f_c = baseHz·r_c, A_c = offset + scale·g_c. */
export function notebookChirpColumns(
  red: ArrayLike<number>,
  green: ArrayLike<number>,
  baseFrequencyHz: number,
  amplitudeOffset: number,
  amplitudeScale: number,
): { frequenciesHz: Float64Array; amplitudes: Float64Array } {
  return {
    frequenciesHz: Float64Array.from(red, (r) => baseFrequencyHz * r),
    amplitudes: Float64Array.from(green, (g) => amplitudeOffset + amplitudeScale * g),
  }
}

const W = 12
const BETA = 2.3 * W
const BLOCK = 2048
const RESTART = 512

/** φ(x), x in grid steps, support |x| ≤ W/2. */
const kernel = (x: number): number => {
  const z = (2 * x) / W
  const s = 1 - z * z
  return s > 0 ? Math.exp(BETA * (Math.sqrt(s) - 1)) : 0
}

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_n; Golub–Welsch accuracy). */
function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n)
  const weights = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5))
    let dp = 1
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1
      let p1 = x
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k]
      dp = (n * (x * p1 - p0)) / (x * x - 1)
      const dx = p1 / dp
      x -= dx
      if (Math.abs(dx) < 1e-16) break
    }
    nodes[i] = x
    weights[i] = 2 / ((1 - x * x) * dp * dp)
  }
  return { nodes, weights }
}

const QUAD = gaussLegendre(4 * W + 40)

/** φ tabulated every 1/Q step (d = (i − 2)/Q − W/2), read by 4-point Lagrange interpolation. */
const Q = 2048
const TABLE = Float64Array.from({ length: W * Q + 5 }, (_, i) => kernel((i - 2) / Q - W / 2))

/** φ̂(ω) = ∫ φ(x) cos(ωx) dx over |x| ≤ W/2, ω in radians per grid step. */
function kernelTransform(omega: number): number {
  let sum = 0
  const half = W / 2
  for (let i = 0; i < QUAD.nodes.length; i++) {
    const x = half * QUAD.nodes[i]
    sum += QUAD.weights[i] * kernel(x) * Math.cos(omega * x)
  }
  return sum * half
}

/**
 * Adds Σ_c a_c cos(ω_c j) for j = first … first + out.length − 1 into `out`: the Chebyshev
 * recurrence y_{j+1} = 2cos(ω)·y_j − y_{j−1}, restarted from exact cosines every RESTART
 * steps (error ≲ 1.5·ε·RESTART² of a_c), two columns at a time for instruction-level parallelism.
 */
function accumulateGrid(
  out: Float64Array,
  first: number,
  omegas: Float64Array,
  amps: Float64Array,
) {
  const columns = omegas.length
  for (let c = 0; c < columns; c += 2) {
    const wA = omegas[c]
    const wB = c + 1 < columns ? omegas[c + 1] : 0
    const aA = amps[c]
    const aB = c + 1 < columns ? amps[c + 1] : 0
    const kA = 2 * Math.cos(wA)
    const kB = 2 * Math.cos(wB)
    for (let s = 0; s < out.length; s += RESTART) {
      const j = first + s
      let a0 = aA * Math.cos(wA * (j - 1))
      let a1 = aA * Math.cos(wA * j)
      let b0 = aB * Math.cos(wB * (j - 1))
      let b1 = aB * Math.cos(wB * j)
      const end = Math.min(out.length, s + RESTART)
      for (let i = s; i < end; i++) {
        out[i] += a1 + b1
        const a2 = kA * a1 - a0
        const b2 = kB * b1 - b0
        a0 = a1
        a1 = a2
        b0 = b1
        b1 = b2
      }
    }
  }
}

/**
 * Renders (1/D) Σ_c A_c cos(2π f_c u(t_n)) for n = 0 … N − 1, N = chirpSampleCount(T, rate),
 * into `output` when given (a Float64Array keeps full precision). Accurate to about 1e−10 of
 * Σ|A_c|/D against the float64 closed form.
 */
export function chirpSum<T extends Float32Array | Float64Array = Float32Array>(
  options: ChirpSumOptions,
  output?: T,
): T {
  const { frequenciesHz, amplitudes, frequencyRatio, durationSec, sampleRateHz } = options
  if (frequenciesHz.length !== amplitudes.length)
    throw new RangeError('chirpSum: one amplitude per frequency is needed')
  if (!(durationSec > 0) || !(sampleRateHz > 0))
    throw new RangeError('chirpSum: duration and sample rate must be positive')
  const count = chirpSampleCount(durationSec, sampleRateHz)
  const out = (output ?? new Float32Array(count)) as T
  if (out.length !== count) throw new RangeError(`chirpSum: the output must hold ${count} samples`)
  const divisor = options.divisor ?? frequenciesHz.length
  if (count === 0 || frequenciesHz.length === 0) return out
  let fMax = 0
  let constant = 0
  for (let c = 0; c < frequenciesHz.length; c++) {
    if (amplitudes[c] === 0) continue
    fMax = Math.max(fMax, Math.abs(frequenciesHz[c]))
    constant += amplitudes[c] / divisor
  }
  if (fMax === 0) {
    out.fill(constant) // every column is cos(0) = 1
    return out
  }
  const h = 1 / (4 * fMax)
  const omegas = Float64Array.from(frequenciesHz, (f) => 2 * Math.PI * Math.abs(f) * h)
  const amps = Float64Array.from(amplitudes, (a, c) => a / divisor / kernelTransform(omegas[c]))
  const warp = (0.5 * (frequencyRatio - 1)) / durationSec
  const x = new Float64Array(BLOCK)
  for (let n0 = 0; n0 < count; n0 += BLOCK) {
    const len = Math.min(BLOCK, count - n0)
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < len; i++) {
      const t = chirpTime(n0 + i, count, options)
      const v = (t + warp * t * t) / h // u(t) in grid steps
      x[i] = v
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }
    const first = Math.ceil(lo - W / 2)
    const grid = new Float64Array(Math.floor(hi + W / 2) - first + 1)
    accumulateGrid(grid, first, omegas, amps)
    for (let i = 0; i < len; i++) {
      const local = x[i] - first
      const j0 = Math.ceil(local - W / 2)
      // Every tap sits at the same fraction p between table points: shared Lagrange weights.
      const pos = (local - j0 + W / 2) * Q + 2
      const b = Math.floor(pos)
      const p = pos - b
      const wa = (-p * (p - 1) * (p - 2)) / 6
      const wb = ((p + 1) * (p - 1) * (p - 2)) / 2
      const wc = (-(p + 1) * p * (p - 2)) / 2
      const wd = ((p + 1) * p * (p - 1)) / 6
      let acc = 0
      for (let m = 0, k = b; m < W; m++, k -= Q)
        acc +=
          grid[j0 + m] * (wa * TABLE[k - 1] + wb * TABLE[k] + wc * TABLE[k + 1] + wd * TABLE[k + 2])
      out[n0 + i] = acc
    }
    options.onProgress?.((n0 + len) / count)
  }
  return out
}
