/** Ground truths the DSP tests measure against, in float64. */

/**
 * The real DFT by its definition, X_k = Σ_t x_t·e^{−2πikt/N} for k ≤ N/2, from a table of
 * e^{−2πij/N} indexed by kt mod N (so the angle is exact however large kt grows).
 */
export function dft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length
  const cos = Float64Array.from({ length: n }, (_, j) => Math.cos((2 * Math.PI * j) / n))
  const sin = Float64Array.from({ length: n }, (_, j) => Math.sin((2 * Math.PI * j) / n))
  const bins = Math.floor(n / 2) + 1
  const re = new Float64Array(bins)
  const im = new Float64Array(bins)
  for (let k = 0; k < bins; k++) {
    let r = 0
    let i = 0
    for (let t = 0, j = 0; t < n; t++, j = j + k >= n ? j + k - n : j + k) {
      r += x[t] * cos[j]
      i -= x[t] * sin[j]
    }
    re[k] = r
    im[k] = i
  }
  return { re, im }
}

/** Signal-to-difference ratio in dB, 10·log10(Σ r² / Σ (r − a)²) over [from, to). */
export function snrDb(
  reference: ArrayLike<number>,
  actual: ArrayLike<number>,
  from = 0,
  to = reference.length,
): number {
  let signal = 0
  let noise = 0
  for (let i = from; i < to; i++) {
    signal += reference[i] ** 2
    noise += (reference[i] - actual[i]) ** 2
  }
  return 10 * Math.log10(signal / noise)
}
