/**
 * Complex FFTs of any size, in place on interleaved [re0, im0, re1, im1, …] Float64Arrays,
 * unscaled both ways (inverse(forward(x)) = N·x). Powers of two use fft.js (radix-4) or
 * PFFFT; other sizes use Bluestein's chirp-z algorithm over a fast size (never zero padding,
 * which would change the transform). Internal to src/dsp: the public seam is fft.ts.
 */
import FFT from 'fft.js'
import {
  createPffftBluestein,
  createPffftComplex,
  pffftComplexSupports,
  type PffftModule,
} from './fft-pffft'

export interface ComplexFft {
  readonly size: number
  /** float32 when PFFFT does (part of) the work. */
  readonly precision: 'float32' | 'float64'
  forward(data: Float64Array): void
  inverse(data: Float64Array): void
}

const isPowerOfTwo = (n: number): boolean => n >= 1 && (n & (n - 1)) === 0

/** fft.js for power-of-two sizes ≥ 2; its inverse divides by N, undone here. */
function createFftJsComplex(n: number): ComplexFft {
  const fft = new FFT(n)
  const scratch = new Float64Array(2 * n)
  return {
    size: n,
    precision: 'float64',
    forward(data) {
      fft.transform(scratch, data)
      data.set(scratch)
    },
    inverse(data) {
      fft.inverseTransform(scratch, data)
      for (let i = 0; i < 2 * n; i++) data[i] = scratch[i] * n
    },
  }
}

const identity = (n: number): ComplexFft => ({
  size: n,
  precision: 'float64',
  forward: () => {},
  inverse: () => {},
})

/** Smallest size ≥ n the inner transform does fast: a power of two, or a PFFFT size. */
function fastSizeAtLeast(n: number, pffft: PffftModule | null): number {
  let pow2 = 1
  while (pow2 < n) pow2 *= 2
  if (!pffft) return pow2
  for (let m = Math.max(16, Math.ceil(n / 16) * 16); m < pow2; m += 16) {
    if (pffftComplexSupports(m)) return m
  }
  return pow2
}

/**
 * Bluestein: with the chirp c_n = exp(−iπn²/N), X_k = c_k · Σ_n (x_n c_n) · conj(c_{k−n}),
 * a linear convolution computed by an FFT of size M ≥ 2N−1 (Bluestein 1970; Rabiner, Schafer
 * & Rader 1969). n² is reduced mod 2N in integers so the chirp angle stays exact. The inverse
 * uses IDFT(x) = conj(DFT(conj(x))).
 */
function createBluestein(n: number, pffft: PffftModule | null): ComplexFft {
  const m = fastSizeAtLeast(2 * n - 1, pffft)
  const chirp = new Float64Array(2 * n)
  for (let k = 0; k < n; k++) {
    const angle = (Math.PI * ((k * k) % (2 * n))) / n
    chirp[2 * k] = Math.cos(angle)
    chirp[2 * k + 1] = -Math.sin(angle)
  }
  if (pffft && pffftComplexSupports(m)) return createPffftBluestein(pffft, n, m, chirp)
  const inner = createComplex(m, pffft)
  // Spectrum of the conjugate chirp, wrapped around so the convolution is circular in M.
  const kernel = new Float64Array(2 * m)
  for (let k = 0; k < n; k++) {
    kernel[2 * k] = chirp[2 * k]
    kernel[2 * k + 1] = -chirp[2 * k + 1]
    if (k > 0) {
      kernel[2 * (m - k)] = chirp[2 * k]
      kernel[2 * (m - k) + 1] = -chirp[2 * k + 1]
    }
  }
  inner.forward(kernel)
  const work = new Float64Array(2 * m)
  const run = (data: Float64Array, conjugate: boolean): void => {
    const s = conjugate ? -1 : 1
    work.fill(0)
    for (let k = 0; k < n; k++) {
      const re = data[2 * k]
      const im = s * data[2 * k + 1]
      const cr = chirp[2 * k]
      const ci = chirp[2 * k + 1]
      work[2 * k] = re * cr - im * ci
      work[2 * k + 1] = re * ci + im * cr
    }
    inner.forward(work)
    for (let k = 0; k < m; k++) {
      const re = work[2 * k]
      const im = work[2 * k + 1]
      const kr = kernel[2 * k]
      const ki = kernel[2 * k + 1]
      work[2 * k] = re * kr - im * ki
      work[2 * k + 1] = re * ki + im * kr
    }
    inner.inverse(work)
    const scale = 1 / m
    for (let k = 0; k < n; k++) {
      const re = work[2 * k] * scale
      const im = work[2 * k + 1] * scale
      const cr = chirp[2 * k]
      const ci = chirp[2 * k + 1]
      data[2 * k] = re * cr - im * ci
      data[2 * k + 1] = s * (re * ci + im * cr)
    }
  }
  return {
    size: n,
    precision: inner.precision,
    forward: (data) => run(data, false),
    inverse: (data) => run(data, true),
  }
}

/** A complex FFT of size n ≥ 1, using PFFFT where given and able. */
export function createComplex(n: number, pffft: PffftModule | null): ComplexFft {
  if (n === 1) return identity(1)
  if (pffft && pffftComplexSupports(n)) return createPffftComplex(pffft, n)
  if (isPowerOfTwo(n)) return createFftJsComplex(n)
  return createBluestein(n, pffft)
}
