/**
 * The one FFT seam of Synesthete: real forward and inverse DFTs of any size N ≥ 1.
 *
 *   forward: X_k = Σ_{n<N} x_n · e^{−2πikn/N},  k = 0 … ⌊N/2⌋  (numpy.fft.rfft)
 *   inverse: x_n = (1/N) Σ_{k<N} X_k · e^{+2πikn/N} over the Hermitian completion of X, with
 *            the imaginary parts of X_0 (and X_{N/2} for even N) ignored (numpy.fft.irfft),
 *   so inverse(forward(x)) = x.
 *
 * Backends, once `initFastFft()` has resolved (all WASM SIMD, single precision): PFFFT for
 * N = 2^a·3^b·5^c multiples of 32; our mixed-radix FFT (fft-wasm.ts, src/dsp/wasm/fft.c) for
 * every other N ≥ 8 (stages of radix up to 257, and Rader stages for large primes whose P − 1
 * factors well; Rader's algorithm, zero-padded where p − 1 is slow, for primes p and 2p;
 * Bluestein's for the rest); N < 8 in JavaScript (fft-real-js.ts). Before that, or when told
 * 'js', all JavaScript (fft.js, float64, with Bluestein over it). Plans are cached per size and
 * backend. Spectra come split (re[], im[]) or interleaved ([re0, im0, re1, im1, …], 2·bins
 * values); hot loops over many frames use a SpectrumBlock, whose buffers live in the WASM heap so
 * nothing is copied per frame.
 */
import { createPffftReal, loadPffft, pffftRealSupports, type PffftModule } from './fft-pffft'
import { jsRealFft } from './fft-real-js'
import {
  createBluesteinPlan,
  createMixedRadixPlan,
  createRaderPlan,
  largestPrime,
  loadMixedRadix,
  mixedRadixSupports,
  raderFirstSupports,
  raderSupports,
  type MixedRadixModule,
} from './fft-wasm'

export type FloatArray = Float32Array | Float64Array
export type FftBackend = 'pffft' | 'mixed-radix' | 'js'

export interface RealFft {
  readonly size: number
  /** ⌊N/2⌋ + 1 */
  readonly bins: number
  /**
   * 'pffft' where any part runs in PFFFT, 'mixed-radix' in our WASM FFT (both single
   * precision), 'js' when all float64 JS.
   */
  readonly backend: FftBackend
  /** Reads input[0 … N−1]; writes re/im[0 … bins−1]. */
  forward(input: FloatArray): { re: Float64Array; im: Float64Array }
  forward<T extends FloatArray>(input: FloatArray, re: T, im: T): { re: T; im: T }
  /** Reads re/im[0 … bins−1]; writes output[0 … N−1], scaled by 1/N. */
  inverse(re: FloatArray, im: FloatArray): Float64Array
  inverse<T extends FloatArray>(re: FloatArray, im: FloatArray, output: T): T
  /** Reads input[0 … N−1]; writes spectrum[0 … 2·bins−1] interleaved. */
  forwardInterleaved(input: FloatArray, spectrum: FloatArray): void
  /**
   * Reads spectrum[0 … 2·bins−1] interleaved; writes output[0 … N−1], scaled by 1/N, or
   * unscaled (N times larger) when `scaled` is false, for callers that fold 1/N elsewhere.
   */
  inverseInterleaved(spectrum: FloatArray, output: FloatArray, scaled?: boolean): void
  /**
   * Buffers for `count` frames that transform where they lie (see SpectrumBlock), with `margin`
   * spare values (rounded up to a multiple of 4) on each side of every spectrum. Call `free`.
   */
  createBlock(count: number, margin?: number): SpectrumBlock
}

/**
 * Frames transformed in place, for hot loops: a time buffer of N values and `count` spectrum
 * slots in one Float32Array, the WASM heap under PFFFT. Slot j holds 2·bins values interleaved
 * from `spectra + j·stride`, with `margin` values free for the caller on either side.
 */
export interface SpectrumBlock {
  readonly count: number
  /** Offset of the time buffer: the input of `forward`, the output of `inverse`. */
  readonly time: number
  /** Offset of slot 0's spectrum; slot j's is `spectra + j·stride`. */
  readonly spectra: number
  readonly stride: number
  readonly margin: number
  /** The memory now. Re-read it after creating any plan or block: the WASM heap may move. */
  memory(): Float32Array
  /** rfft of the time buffer into slot j, with im X_0 = im X_{N/2} = 0. */
  forward(slot: number): void
  /** N·irfft(slot j) into the time buffer, unscaled; im X_0 and im X_{N/2} are ignored. */
  inverse(slot: number): void
  /** Returns the memory (to the WASM heap); the block must not be used after. */
  free(): void
}

/** The interleaved core each backend provides; split methods are derived from it. */
export type InterleavedCore = Pick<
  RealFft,
  'size' | 'bins' | 'backend' | 'forwardInterleaved' | 'inverseInterleaved'
> &
  Partial<Pick<RealFft, 'createBlock'>>

export interface FastFftOptions {
  /** The pffft.wasm bytes, where the package cannot fetch them itself. */
  wasmBinary?: ArrayBuffer | Uint8Array
}

let pffft: PffftModule | null = null
let mixedRadix: MixedRadixModule | null = null
let defaultBackend: 'auto' | 'js' = 'auto'
let pffftPromise: Promise<boolean> | null = null
let pffftFailure: string | undefined
const plans = new Map<string, RealFft>()

/**
 * Loads the WASM SIMD backend once (later calls return the same promise). Never rejects:
 * resolves false and records why (see `fastFftStatus`) where WASM SIMD is unavailable.
 */
export function initFastFft(options: FastFftOptions = {}): Promise<boolean> {
  pffftPromise ??= Promise.all([
    loadPffft(options.wasmBinary ? { wasmBinary: options.wasmBinary } : {}),
    loadMixedRadix(),
  ]).then(
    ([mod, mixed]) => {
      pffft = mod
      mixedRadix = mixed
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

/** The mixed-radix WASM module for loops that run whole in it (griffin-lim.ts), or null when
 * not loaded or when the default backend is 'js'. */
export function mixedRadixModule(): MixedRadixModule | null {
  return defaultBackend === 'js' ? null : mixedRadix
}

/**
 * What `createRealFft` uses when not told: 'auto' (PFFFT when loaded and able) or 'js' (for
 * benchmarks and cross-checks of whole pipelines against the pure-JS path).
 */
export function setDefaultFftBackend(backend: 'auto' | 'js'): void {
  defaultBackend = backend
}

/**
 * A cached real FFT plan of the given size. 'auto' picks, once the WASM backends are loaded,
 * PFFFT for its sizes (2^a·3^b·5^c multiples of 32), else the mixed-radix module: Rader's
 * algorithm for primes (raderSupports), its stages (mixedRadixSupports), else Bluestein's
 * algorithm (createBluesteinPlan) for any N ≥ 8.
 */
export function createRealFft(size: number, options: { backend?: 'auto' | 'js' } = {}): RealFft {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`FFT size must be ≥ 1, not ${size}`)
  const wasm = (options.backend ?? defaultBackend) !== 'js'
  const mod = wasm ? pffft : null
  // Keyed by what is loaded, so a plan made before initFastFft() is not kept after it.
  const key = `${size}:${wasm && (pffft || mixedRadix) ? 'wasm' : 'js'}`
  let plan = plans.get(key)
  if (!plan) {
    const core =
      mod && pffftRealSupports(size)
        ? pffftRealCore(mod, size)
        : wasm && mixedRadix && raderSupports(size)
          ? mixedRadixCore(mixedRadix, size, 'rader')
          : wasm && mixedRadix && mixedRadixSupports(size)
            ? mixedRadixCore(mixedRadix, size, 'stages')
            : wasm && mixedRadix && raderFirstSupports(size)
              ? mixedRadixCore(mixedRadix, size, 'rader-first')
              : wasm && mixedRadix && size >= 8
                ? mixedRadixCore(mixedRadix, size, 'bluestein')
                : jsRealFft(size, mod)
    plan = withSplitMethods(core)
    plans.set(key, plan)
  }
  return plan
}

/**
 * The mixed-radix WASM FFT (fft-wasm.ts): interleaved spectra straight from fx_rfft, or for
 * prime sizes p and 2p from Rader's algorithm over it (fx_rader_rfft).
 */
function mixedRadixCore(
  mod: MixedRadixModule,
  n: number,
  kind: 'stages' | 'rader' | 'rader-first' | 'bluestein',
): InterleavedCore {
  const { exports } = mod
  const [{ pointer, bins }, rfft, irfft] =
    kind === 'rader'
      ? [createRaderPlan(mod, n), exports.fx_rader_rfft, exports.fx_rader_irfft]
      : kind === 'bluestein'
        ? [createBluesteinPlan(mod, n), exports.fx_bluestein_rfft, exports.fx_bluestein_irfft]
        : kind === 'rader-first'
          ? [
              createMixedRadixPlan(mod, n, 'lanes', largestPrime(n)),
              exports.fx_rfft,
              exports.fx_irfft,
            ]
          : [createMixedRadixPlan(mod, n), exports.fx_rfft, exports.fx_irfft]
  const inAt = mod.alloc(n)
  const specAt = mod.alloc(2 * bins)
  return {
    size: n,
    bins,
    backend: 'mixed-radix',
    forwardInterleaved(input, spectrum) {
      mod.heap().set(input.length === n ? input : input.subarray(0, n), inAt)
      rfft(pointer, inAt << 2, specAt << 2)
      spectrum.set(mod.heap().subarray(specAt, specAt + 2 * bins))
    },
    inverseInterleaved(spectrum, output, scaled = true) {
      mod.heap().set(spectrum.subarray(0, 2 * bins), specAt)
      irfft(pointer, specAt << 2, inAt << 2)
      const scale = 1 / n
      // Into float32, the module scales as this loop would, bit for bit (fx_scale), at about a
      // tenth of its time (0.9× of a whole 4801-point inverse).
      if (scaled && output instanceof Float32Array) exports.fx_scale(inAt << 2, n, scale)
      const result = mod.heap().subarray(inAt, inAt + n)
      if (!scaled || output instanceof Float32Array) {
        output.set(result)
        return
      }
      for (let i = 0; i < n; i++) output[i] = result[i] * scale
    },
    createBlock(count, margin = 0) {
      const layout = blockLayout(n, bins, count, margin)
      const base = mod.alloc(layout.floats)
      const time = base + layout.time
      const spectra = base + layout.spectra
      const { stride } = layout
      return {
        count,
        time,
        spectra,
        stride,
        margin: layout.margin,
        memory: () => mod.heap(),
        forward: (j) => rfft(pointer, time << 2, (spectra + j * stride) << 2),
        inverse: (j) => irfft(pointer, (spectra + j * stride) << 2, time << 2),
        free: () => mod.release(base),
      }
    },
  }
}

/**
 * PFFFT's ordered real layout is [X0.re, X_{N/2}.re, X1.re, X1.im, …]: one memcpy away from
 * interleaved, with DC and Nyquist moved.
 */
function pffftRealCore(mod: PffftModule, n: number): InterleavedCore {
  const core = createPffftReal(mod, n)
  const { inOffset, outOffset } = core
  return {
    size: n,
    bins: n / 2 + 1,
    backend: 'pffft',
    forwardInterleaved(input, spectrum) {
      core.heap().set(input.length === n ? input : input.subarray(0, n), inOffset)
      core.run('forward')
      const heap = core.heap()
      spectrum.set(heap.subarray(outOffset, outOffset + n))
      spectrum[n] = heap[outOffset + 1]
      spectrum[n + 1] = 0
      spectrum[1] = 0
    },
    inverseInterleaved(spectrum, output, scaled = true) {
      const heap = core.heap()
      heap.set(spectrum.subarray(0, n), inOffset)
      heap[inOffset + 1] = spectrum[n]
      core.run('backward')
      const result = core.heap().subarray(outOffset, outOffset + n)
      if (!scaled) {
        output.set(result)
        return
      }
      const scale = 1 / n
      for (let i = 0; i < n; i++) output[i] = result[i] * scale
    },
    createBlock(count, margin = 0) {
      const layout = blockLayout(n, n / 2 + 1, count, margin)
      const base = core.alloc(layout.floats)
      const time = base + layout.time
      const spectra = base + layout.spectra
      const { stride } = layout
      return {
        count,
        time,
        spectra,
        stride,
        margin: layout.margin,
        memory: () => core.heap(),
        forward(j) {
          const at = spectra + j * stride
          core.runAt(time, at, 'forward')
          const heap = core.heap()
          heap[at + n] = heap[at + 1]
          heap[at + n + 1] = 0
          heap[at + 1] = 0
        },
        inverse(j) {
          const at = spectra + j * stride
          let heap = core.heap()
          const im0 = heap[at + 1]
          heap[at + 1] = heap[at + n]
          core.runAt(at, time, 'backward')
          heap = core.heap()
          heap[at + 1] = im0
        },
        free: () => core.release(base),
      }
    },
  }
}

/**
 * Where a block's buffers lie, in floats from its start, all 16-byte aligned for PFFFT: the
 * time buffer, then the slots. The stride is an odd number of 64-byte cache lines, so walking
 * one bin across the slots does not map every slot to the same L1 set (a stride of 8 KiB does).
 */
function blockLayout(n: number, bins: number, count: number, margin: number) {
  const spare = Math.ceil(margin / 4) * 4
  const time = 0
  const spectra = Math.ceil(n / 4) * 4 + spare
  const lines = Math.ceil((2 * bins + 2 * spare) / 16)
  const stride = (lines | 1) * 16
  return { time, spectra, stride, margin: spare, floats: spectra + count * stride }
}

/** A block over any core, in a Float32Array of its own, through the interleaved methods. */
function jsBlock(core: InterleavedCore, count: number, margin: number): SpectrumBlock {
  const { size: n, bins } = core
  const layout = blockLayout(n, bins, count, margin)
  const memory = new Float32Array(layout.floats)
  const { time, spectra, stride } = layout
  const input = memory.subarray(time, time + n)
  const slots = Array.from({ length: count }, (_, j) =>
    memory.subarray(spectra + j * stride, spectra + j * stride + 2 * bins),
  )
  return {
    count,
    time,
    spectra,
    stride,
    margin: layout.margin,
    memory: () => memory,
    forward: (j) => core.forwardInterleaved(input, slots[j]),
    inverse: (j) => core.inverseInterleaved(slots[j], input, false),
    free: () => {},
  }
}

function withSplitMethods(core: InterleavedCore): RealFft {
  const { size, bins } = core
  const scratch = new Float64Array(2 * bins)
  function forward(input: FloatArray, re?: FloatArray, im?: FloatArray) {
    const outRe = re ?? new Float64Array(bins)
    const outIm = im ?? new Float64Array(bins)
    core.forwardInterleaved(input, scratch)
    for (let k = 0; k < bins; k++) {
      outRe[k] = scratch[2 * k]
      outIm[k] = scratch[2 * k + 1]
    }
    return { re: outRe, im: outIm }
  }
  function inverse(re: FloatArray, im: FloatArray, output?: FloatArray) {
    const out = output ?? new Float64Array(size)
    for (let k = 0; k < bins; k++) {
      scratch[2 * k] = re[k]
      scratch[2 * k + 1] = im[k]
    }
    core.inverseInterleaved(scratch, out)
    return out
  }
  const createBlock = (count: number, margin = 0): SpectrumBlock =>
    core.createBlock ? core.createBlock(count, margin) : jsBlock(core, count, margin)
  return { ...core, forward, inverse, createBlock } as RealFft
}
