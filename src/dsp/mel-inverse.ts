/**
 * Linear spectrum from a mel spectrum: the inverse of `applyMel` (mel.ts) where one exists.
 * With F the filterbank (freqBins × melBins) and y one frame of mel values, y = Fᵀ s has
 * fewer equations than unknowns, so:
 *
 *   'least-squares'  s = max(0, F (FᵀF + εI)⁻¹ y)   the minimum-norm solution, then negatives
 *                    cut, as torchaudio ≥ 2.1's InverseMelScale (relu(lstsq(Fᵀ, y)), LAPACK
 *                    gels). ε = 1e-10 · max diag(FᵀF) only guards empty filters.
 *   'nnls'           min ½‖Fᵀ s − y‖² subject to s ≥ 0, by projected gradient with Nesterov
 *                    momentum (FISTA, Beck & Teboulle 2009), step 1/L with L ≥ λmax(FᵀF) from
 *                    Gershgorin's bound, started from the 'least-squares' answer. Closer to what
 *                    torchaudio < 2.1 approximated with 200 SGD steps (Riffusion's pin).
 *
 * FᵀF is banded (each frequency lies in at most two neighbouring triangles), so it is factored
 * once by a banded Cholesky and every frame is solved in O(melBins) per band width.
 */
import type { MelFilterbank } from './mel'

export type MelInversion = 'least-squares' | 'nnls'

export interface MelInverseOptions {
  method: MelInversion
  /** Projected-gradient iterations for 'nnls' (default 50). */
  iterations?: number
}

/** Gram matrix FᵀF as dense rows, with its band width p (G[i][j] = 0 for |i − j| > p). */
function gram(bank: MelFilterbank): { g: Float64Array; band: number } {
  const { melBins: n, weights, start, end } = bank
  const g = new Float64Array(n * n)
  let band = 0
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const lo = Math.max(start[i], start[j])
      const hi = Math.min(end[i], end[j])
      if (lo >= hi) {
        if (start[j] >= end[i] && end[j] > start[j]) break // later filters start later still
        continue
      }
      let sum = 0
      for (let k = lo; k < hi; k++) sum += weights[k * n + i] * weights[k * n + j]
      g[i * n + j] = sum
      g[j * n + i] = sum
      if (sum !== 0) band = Math.max(band, j - i)
    }
  }
  return { g, band }
}

/** Lower Cholesky factor of the banded SPD matrix a (dense storage), in place of a copy. */
function choleskyBanded(a: Float64Array, n: number, band: number): Float64Array {
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = Math.max(0, i - band); j <= i; j++) {
      let sum = a[i * n + j]
      for (let k = Math.max(0, i - band, j - band); k < j; k++) sum -= l[i * n + k] * l[j * n + k]
      l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / l[j * n + j]
    }
  }
  return l
}

/**
 * Inverts mel values (bin-major `melBins × frames`) to a non-negative linear spectrum
 * (`freqBins × frames`). Bins outside every filter come out 0.
 */
export function inverseMel(
  bank: MelFilterbank,
  mel: Float32Array,
  frames: number,
  options: MelInverseOptions,
): Float32Array {
  const { melBins: n, freqBins } = bank
  if (mel.length !== n * frames) {
    throw new RangeError(`${mel.length} values are not ${n} mel bins × ${frames} frames`)
  }
  const { g, band } = gram(bank)
  let maxDiag = 0
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, g[i * n + i])
  const a = g.slice()
  for (let i = 0; i < n; i++) a[i * n + i] += 1e-10 * maxDiag + 1e-300
  const l = choleskyBanded(a, n, band)

  // Solve (FᵀF + εI) C = Y for all frames at once, row by row (rows are frames-long vectors).
  const c = Float64Array.from(mel)
  for (let i = 0; i < n; i++) {
    const row = i * frames
    for (let k = Math.max(0, i - band); k < i; k++) {
      const w = l[i * n + k]
      if (w !== 0) for (let t = 0; t < frames; t++) c[row + t] -= w * c[k * frames + t]
    }
    const d = 1 / l[i * n + i]
    for (let t = 0; t < frames; t++) c[row + t] *= d
  }
  for (let i = n - 1; i >= 0; i--) {
    const row = i * frames
    for (let k = i + 1; k <= Math.min(n - 1, i + band); k++) {
      const w = l[k * n + i]
      if (w !== 0) for (let t = 0; t < frames; t++) c[row + t] -= w * c[k * frames + t]
    }
    const d = 1 / l[i * n + i]
    for (let t = 0; t < frames; t++) c[row + t] *= d
  }
  const s = new Float64Array(freqBins * frames)
  synthesise(bank, c, s, frames)
  for (let i = 0; i < s.length; i++) if (!(s[i] > 0)) s[i] = 0
  if (options.method === 'nnls') refineNonNegative(bank, mel, s, frames, options.iterations ?? 50)
  return Float32Array.from(s)
}

/** s[k, :] = Σ_m F[k, m] · c[m, :] over the filters covering bin k. */
function synthesise(bank: MelFilterbank, c: Float64Array, s: Float64Array, frames: number): void {
  const { melBins: n, weights, start, end } = bank
  s.fill(0)
  for (let m = 0; m < n; m++) {
    const from = m * frames
    for (let k = start[m]; k < end[m]; k++) {
      const w = weights[k * n + m]
      const row = k * frames
      for (let t = 0; t < frames; t++) s[row + t] += w * c[from + t]
    }
  }
}

/** r[m, :] = Σ_k F[k, m] · s[k, :] − y[m, :]. */
function residual(
  bank: MelFilterbank,
  s: Float64Array,
  y: Float32Array,
  r: Float64Array,
  frames: number,
): void {
  const { melBins: n, weights, start, end } = bank
  for (let m = 0; m < n; m++) {
    const row = m * frames
    for (let t = 0; t < frames; t++) r[row + t] = -y[row + t]
    for (let k = start[m]; k < end[m]; k++) {
      const w = weights[k * n + m]
      const from = k * frames
      for (let t = 0; t < frames; t++) r[row + t] += w * s[from + t]
    }
  }
}

/** FISTA with projection on s ≥ 0, in place, from the given start. */
function refineNonNegative(
  bank: MelFilterbank,
  y: Float32Array,
  s: Float64Array,
  frames: number,
  iterations: number,
): void {
  const { melBins: n } = bank
  const { g } = gram(bank)
  let lipschitz = 0
  for (let i = 0; i < n; i++) {
    let row = 0
    for (let j = 0; j < n; j++) row += Math.abs(g[i * n + j])
    lipschitz = Math.max(lipschitz, row)
  }
  if (!(lipschitz > 0)) return
  const step = 1 / lipschitz
  const r = new Float64Array(n * frames)
  const grad = new Float64Array(s.length)
  const z = s.slice()
  let previous = s.slice()
  let next = new Float64Array(s.length)
  let momentum = 1
  for (let it = 0; it < iterations; it++) {
    residual(bank, z, y, r, frames)
    synthesise(bank, r, grad, frames)
    for (let i = 0; i < s.length; i++) {
      const v = z[i] - step * grad[i]
      next[i] = v > 0 ? v : 0
    }
    const nextMomentum = (1 + Math.sqrt(1 + 4 * momentum * momentum)) / 2
    const beta = (momentum - 1) / nextMomentum
    for (let i = 0; i < s.length; i++) z[i] = next[i] + beta * (next[i] - previous[i])
    ;[previous, next] = [next, previous]
    momentum = nextMomentum
  }
  s.set(previous)
}
