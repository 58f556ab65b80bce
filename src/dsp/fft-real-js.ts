/**
 * Real DFTs in JavaScript over an inner complex FFT (fft-complex.ts), interleaved spectra.
 *
 * Even N = 2h: z_n = x_{2n} + i·x_{2n+1}, Z = FFT_h(z), then with E_k = (Z_k + conj Z_{h−k})/2
 * and O_k = (Z_k − conj Z_{h−k})/(2i): X_k = E_k + e^{−2πik/N}·O_k (Numerical Recipes §12.3).
 * The inverse runs the same relations backwards. Odd N: a full N-point complex transform.
 * Imaginary parts of X_0 and X_{N/2} are ignored by the inverse, as irfft does.
 */
import { createComplex } from './fft-complex'
import type { FloatArray, InterleavedCore } from './fft'
import type { PffftModule } from './fft-pffft'

export function jsRealFft(n: number, mod: PffftModule | null): InterleavedCore {
  const even = n % 2 === 0
  const m = even ? n / 2 : n
  const bins = Math.floor(n / 2) + 1
  const inner = createComplex(m, mod)
  const buffer = new Float64Array(2 * m)
  const twCos = new Float64Array(bins)
  const twSin = new Float64Array(bins)
  for (let k = 0; k < bins; k++) {
    twCos[k] = Math.cos((2 * Math.PI * k) / n)
    twSin[k] = Math.sin((2 * Math.PI * k) / n)
  }

  function forwardInterleaved(input: FloatArray, out: FloatArray): void {
    if (!even) {
      for (let i = 0; i < n; i++) {
        buffer[2 * i] = input[i]
        buffer[2 * i + 1] = 0
      }
      inner.forward(buffer)
      for (let i = 0; i < 2 * bins; i++) out[i] = buffer[i]
      out[1] = 0
      return
    }
    for (let i = 0; i < n; i++) buffer[i] = input[i]
    inner.forward(buffer)
    for (let k = 0; k <= m; k++) {
      const z = k === m ? 0 : k
      const j = k === 0 || k === m ? 0 : m - k
      const zr = buffer[2 * z]
      const zi = buffer[2 * z + 1]
      const yr = buffer[2 * j]
      const yi = -buffer[2 * j + 1]
      const er = (zr + yr) / 2
      const ei = (zi + yi) / 2
      const or = (zi - yi) / 2
      const oi = -(zr - yr) / 2
      const c = twCos[k]
      const s = -twSin[k]
      out[2 * k] = er + c * or - s * oi
      out[2 * k + 1] = ei + c * oi + s * or
    }
    out[1] = 0
    out[2 * m + 1] = 0
  }

  function inverseInterleaved(spectrum: FloatArray, out: FloatArray, scaled = true): void {
    const scale = scaled ? 1 / n : 1
    if (!even) {
      buffer[0] = spectrum[0]
      buffer[1] = 0
      for (let k = 1; k < bins; k++) {
        buffer[2 * k] = spectrum[2 * k]
        buffer[2 * k + 1] = spectrum[2 * k + 1]
        buffer[2 * (n - k)] = spectrum[2 * k]
        buffer[2 * (n - k) + 1] = -spectrum[2 * k + 1]
      }
      inner.inverse(buffer)
      for (let i = 0; i < n; i++) out[i] = buffer[2 * i] * scale
      return
    }
    for (let k = 0; k < m; k++) {
      const xr = spectrum[2 * k]
      const xi = k === 0 ? 0 : spectrum[2 * k + 1]
      const yr = spectrum[2 * (m - k)]
      const yi = k === 0 ? 0 : -spectrum[2 * (m - k) + 1]
      const er = xr + yr
      const ei = xi + yi
      const dr = xr - yr
      const di = xi - yi
      const c = twCos[k]
      const s = twSin[k]
      // 2·O_k = (X_k − conj X_{h−k})·e^{+2πik/N};  2·Z_k = 2·E_k + i·2·O_k
      const or = dr * c - di * s
      const oi = dr * s + di * c
      buffer[2 * k] = er - oi
      buffer[2 * k + 1] = ei + or
    }
    inner.inverse(buffer)
    for (let i = 0; i < n; i++) out[i] = buffer[i] * scale
  }

  const backend = inner.precision === 'float32' ? 'pffft' : 'js'
  return { size: n, bins, backend, forwardInterleaved, inverseInterleaved }
}
