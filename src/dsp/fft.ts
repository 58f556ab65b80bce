/**
 * The one FFT seam of Synesthete: real forward and inverse DFTs of any size N ≥ 1.
 *
 *   forward: X_k = Σ_{n<N} x_n · e^{−2πikn/N},  k = 0 … ⌊N/2⌋  (numpy.fft.rfft)
 *   inverse: x_n = (1/N) Σ_{k<N} X_k · e^{+2πikn/N} over the Hermitian completion of X, with
 *            the imaginary parts of X_0 (and X_{N/2} for even N) ignored (numpy.fft.irfft),
 *   so inverse(forward(x)) = x.
 *
 * Backends: PFFFT (WASM SIMD, single precision) for N = 2^a·3^b·5^c multiples of 32 once
 * `initFastFft()` has resolved; otherwise JavaScript: an N/2-point complex FFT (fft.js for powers
 * of two, Bluestein otherwise) unpacked to the real spectrum for even N, an N-point complex one
 * for odd N. Plans are cached per size and backend.
 */
import { createComplex, type ComplexFft } from './fft-complex'
import { createPffftReal, loadPffft, pffftRealSupports, type PffftModule } from './fft-pffft'

export type FloatArray = Float32Array | Float64Array
export type FftBackend = 'pffft' | 'js'

export interface RealFft {
  readonly size: number
  /** ⌊N/2⌋ + 1 */
  readonly bins: number
  /** 'pffft' where any part runs in PFFFT (single precision), 'js' when all float64 JS. */
  readonly backend: FftBackend
  /** Reads input[0 … N−1]; writes re/im[0 … bins−1]. */
  forward(input: FloatArray): { re: Float64Array; im: Float64Array }
  forward<T extends FloatArray>(input: FloatArray, re: T, im: T): { re: T; im: T }
  /** Reads re/im[0 … bins−1]; writes output[0 … N−1], scaled by 1/N. */
  inverse(re: FloatArray, im: FloatArray): Float64Array
  inverse<T extends FloatArray>(re: FloatArray, im: FloatArray, output: T): T
}

export interface FastFftOptions {
  /** The pffft.wasm bytes, where the package cannot fetch them itself. */
  wasmBinary?: ArrayBuffer | Uint8Array
}

let pffft: PffftModule | null = null
let pffftPromise: Promise<boolean> | null = null
let pffftFailure: string | undefined
const plans = new Map<string, RealFft>()

/**
 * Loads the WASM SIMD backend once (later calls return the same promise). Never rejects:
 * resolves false and records why (see `fastFftStatus`) where WASM SIMD is unavailable.
 */
export function initFastFft(options: FastFftOptions = {}): Promise<boolean> {
  pffftPromise ??= loadPffft(options.wasmBinary ? { wasmBinary: options.wasmBinary } : {}).then(
    (mod) => {
      pffft = mod
      return true
    },
    (error: unknown) => {
      pffftFailure = error instanceof Error ? error.message : String(error)
      return false
    },
  )
  return pffftPromise
}

export function fastFftStatus(): { ready: boolean; failure?: string } {
  return { ready: pffft !== null, failure: pffftFailure }
}

/** A cached real FFT plan of the given size. 'auto' picks PFFFT when loaded and able. */
export function createRealFft(size: number, options: { backend?: 'auto' | 'js' } = {}): RealFft {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`FFT size must be ≥ 1, not ${size}`)
  const mod = options.backend === 'js' ? null : pffft
  const key = `${size}:${mod ? 'pffft' : 'js'}`
  let plan = plans.get(key)
  if (!plan) {
    plan = mod && pffftRealSupports(size) ? pffftRealFft(mod, size) : jsRealFft(size, mod)
    plans.set(key, plan)
  }
  return plan
}

function pffftRealFft(mod: PffftModule, n: number): RealFft {
  const core = createPffftReal(mod, n)
  const h = n / 2
  const { inOffset, outOffset } = core
  return {
    size: n,
    bins: h + 1,
    backend: 'pffft',
    forward(input: FloatArray, re?: FloatArray, im?: FloatArray) {
      const outRe = re ?? new Float64Array(h + 1)
      const outIm = im ?? new Float64Array(h + 1)
      let heap = core.heap()
      heap.set(input.length === n ? input : input.subarray(0, n), inOffset)
      core.run('forward')
      heap = core.heap()
      outRe[0] = heap[outOffset]
      outIm[0] = 0
      outRe[h] = heap[outOffset + 1]
      outIm[h] = 0
      for (let k = 1, o = outOffset + 2; k < h; k++, o += 2) {
        outRe[k] = heap[o]
        outIm[k] = heap[o + 1]
      }
      return { re: outRe, im: outIm }
    },
    inverse(re: FloatArray, im: FloatArray, output?: FloatArray) {
      const out = output ?? new Float64Array(n)
      let heap = core.heap()
      heap[inOffset] = re[0]
      heap[inOffset + 1] = re[h]
      for (let k = 1, o = inOffset + 2; k < h; k++, o += 2) {
        heap[o] = re[k]
        heap[o + 1] = im[k]
      }
      core.run('backward')
      heap = core.heap()
      const scale = 1 / n
      for (let i = 0; i < n; i++) out[i] = heap[outOffset + i] * scale
      return out
    },
  } as RealFft
}

/**
 * Even N = 2h: z_n = x_{2n} + i·x_{2n+1}, Z = FFT_h(z), then with E_k = (Z_k + conj Z_{h−k})/2
 * and O_k = (Z_k − conj Z_{h−k})/(2i): X_k = E_k + e^{−2πik/N}·O_k (Numerical Recipes §12.3).
 * The inverse runs the same relations backwards. Odd N: a full N-point complex transform.
 */
function jsRealFft(n: number, mod: PffftModule | null): RealFft {
  const even = n % 2 === 0 && n > 1
  const m = even ? n / 2 : n
  const bins = Math.floor(n / 2) + 1
  const inner: ComplexFft = createComplex(m, mod)
  const buffer = new Float64Array(2 * m)
  const twCos = new Float64Array(bins)
  const twSin = new Float64Array(bins)
  for (let k = 0; k < bins; k++) {
    twCos[k] = Math.cos((2 * Math.PI * k) / n)
    twSin[k] = Math.sin((2 * Math.PI * k) / n)
  }
  const forward = (input: FloatArray, re?: FloatArray, im?: FloatArray) => {
    const outRe = re ?? new Float64Array(bins)
    const outIm = im ?? new Float64Array(bins)
    if (!even) {
      for (let i = 0; i < n; i++) {
        buffer[2 * i] = input[i]
        buffer[2 * i + 1] = 0
      }
      inner.forward(buffer)
      for (let k = 0; k < bins; k++) {
        outRe[k] = buffer[2 * k]
        outIm[k] = buffer[2 * k + 1]
      }
      outIm[0] = 0
      return { re: outRe, im: outIm }
    }
    for (let i = 0; i < n; i++) buffer[i] = input[i]
    inner.forward(buffer)
    for (let k = 0; k <= m; k++) {
      const j = k === 0 || k === m ? 0 : m - k
      const zr = buffer[2 * (k % m)]
      const zi = buffer[2 * (k % m) + 1]
      const yr = buffer[2 * j]
      const yi = -buffer[2 * j + 1]
      const er = (zr + yr) / 2
      const ei = (zi + yi) / 2
      const or = (zi - yi) / 2
      const oi = -(zr - yr) / 2
      const c = twCos[k]
      const s = -twSin[k]
      outRe[k] = er + c * or - s * oi
      outIm[k] = ei + c * oi + s * or
    }
    outIm[0] = 0
    outIm[m] = 0
    return { re: outRe, im: outIm }
  }
  const inverse = (re: FloatArray, im: FloatArray, output?: FloatArray) => {
    const out = output ?? new Float64Array(n)
    if (!even) {
      buffer[0] = re[0]
      buffer[1] = 0
      for (let k = 1; k < bins; k++) {
        buffer[2 * k] = re[k]
        buffer[2 * k + 1] = im[k]
        buffer[2 * (n - k)] = re[k]
        buffer[2 * (n - k) + 1] = -im[k]
      }
      inner.inverse(buffer)
      for (let i = 0; i < n; i++) out[i] = buffer[2 * i] / n
      return out
    }
    for (let k = 0; k < m; k++) {
      const xr = re[k]
      const xi = k === 0 ? 0 : im[k]
      const yr = re[m - k]
      const yi = k === 0 ? 0 : -im[m - k]
      const er = xr + yr
      const ei = xi + yi
      const dr = xr - yr
      const di = xi - yi
      const c = twCos[k]
      const s = twSin[k]
      // O_k·2 = (X_k − conj X_{h−k})·e^{+2πik/N};  Z_k = E_k + i·O_k
      const or = dr * c - di * s
      const oi = dr * s + di * c
      buffer[2 * k] = er - oi
      buffer[2 * k + 1] = ei + or
    }
    inner.inverse(buffer)
    const scale = 1 / n
    for (let i = 0; i < m; i++) {
      out[2 * i] = buffer[2 * i] * scale
      out[2 * i + 1] = buffer[2 * i + 1] * scale
    }
    return out
  }
  const backend = inner.precision === 'float32' ? 'pffft' : 'js'
  return { size: n, bins, backend, forward, inverse } as RealFft
}
