/**
 * The WASM SIMD backend: PFFFT (Julien Pommier, a vectorised FFTPACK) built by
 * @echogarden/pffft-wasm. Single precision. Sizes: N = 2^a·3^b·5^c with N a multiple of 32
 * for real transforms and of 16 for complex ones. PFFFT asserts on other sizes and an
 * Emscripten assertion aborts the whole module, so sizes are checked here before any call.
 * Transforms are unscaled: backward(forward(x)) = N·x (pffft.h).
 */
import type { PffftModule, PffftModuleOptions } from '@echogarden/pffft-wasm/simd'
import type { ComplexFft } from './fft-complex'

export type { PffftModule }

const REAL = 0
const COMPLEX = 1
const FORWARD = 0
const BACKWARD = 1

/** True when n = 2^a·3^b·5^c. */
export function isSmooth235(n: number): boolean {
  if (!Number.isInteger(n) || n < 1) return false
  for (const p of [2, 3, 5]) while (n % p === 0) n /= p
  return n === 1
}

export const pffftRealSupports = (n: number): boolean => n % 32 === 0 && isSmooth235(n)
export const pffftComplexSupports = (n: number): boolean => n % 16 === 0 && isSmooth235(n)

/** Loads and instantiates the SIMD build; rejects where WASM SIMD is missing. */
export async function loadPffft(options: PffftModuleOptions = {}): Promise<PffftModule> {
  const { default: createModule } = await import('@echogarden/pffft-wasm/simd')
  const mod = await createModule(options)
  if (mod._pffft_simd_size() !== 4) throw new Error('PFFFT was built without SIMD')
  return mod
}

/** A plan: setup plus aligned input, output and work buffers in the WASM heap. */
interface Plan {
  setup: number
  inPtr: number
  outPtr: number
  workPtr: number
}

function newPlan(mod: PffftModule, n: number, kind: number): Plan {
  const floats = kind === REAL ? n : 2 * n
  const setup = mod._pffft_new_setup(n, kind)
  if (setup === 0) throw new Error(`PFFFT cannot plan size ${n}`)
  return {
    setup,
    inPtr: mod._pffft_aligned_malloc(floats * 4),
    outPtr: mod._pffft_aligned_malloc(floats * 4),
    workPtr: mod._pffft_aligned_malloc(floats * 4),
  }
}

/**
 * Real transform in PFFFT's ordered layout: [X0.re, X(N/2).re, X1.re, X1.im, …]. The caller
 * fills `heap()[inOffset…]`, calls `run`, and reads `heap()[outOffset…]`; or transforms between
 * buffers of its own from `alloc`. Offsets count floats and must be multiples of 4 (PFFFT
 * asserts 16-byte alignment); input and output may be the same buffer (pffft.h).
 */
export interface PffftReal {
  readonly size: number
  /** The heap now: a view that is replaced when the heap grows, so re-read it after `alloc`. */
  heap(): Float32Array
  readonly inOffset: number
  readonly outOffset: number
  run(direction: 'forward' | 'backward'): void
  /** Transforms heap[from … from+N) into heap[to … to+N). */
  runAt(from: number, to: number, direction: 'forward' | 'backward'): void
  /** `floats` 16-byte-aligned floats in the heap; returns their offset. */
  alloc(floats: number): number
  release(offset: number): void
}

export function createPffftReal(mod: PffftModule, n: number): PffftReal {
  if (!pffftRealSupports(n)) throw new RangeError(`PFFFT real transforms cannot do size ${n}`)
  const plan = newPlan(mod, n, REAL)
  const { setup, workPtr } = plan
  return {
    size: n,
    heap: () => mod.HEAPF32,
    inOffset: plan.inPtr >> 2,
    outOffset: plan.outPtr >> 2,
    run(direction) {
      const dir = direction === 'forward' ? FORWARD : BACKWARD
      mod._pffft_transform_ordered(setup, plan.inPtr, plan.outPtr, workPtr, dir)
    },
    runAt(from, to, direction) {
      const dir = direction === 'forward' ? FORWARD : BACKWARD
      mod._pffft_transform_ordered(setup, from << 2, to << 2, workPtr, dir)
    },
    alloc(floats) {
      const pointer = mod._pffft_aligned_malloc(floats * 4)
      if (pointer === 0) throw new RangeError(`PFFFT heap cannot hold ${floats} more floats`)
      return pointer >> 2
    },
    release(offset) {
      mod._pffft_aligned_free(offset << 2)
    },
  }
}

/** Complex transform, in place on an interleaved Float64Array, unscaled both ways. */
export function createPffftComplex(mod: PffftModule, n: number): ComplexFft {
  if (!pffftComplexSupports(n)) throw new RangeError(`PFFFT complex cannot do size ${n}`)
  const plan = newPlan(mod, n, COMPLEX)
  const inOffset = plan.inPtr >> 2
  const outOffset = plan.outPtr >> 2
  const run = (data: Float64Array, dir: number): void => {
    let heap = mod.HEAPF32
    heap.set(data.subarray(0, 2 * n), inOffset)
    mod._pffft_transform_ordered(plan.setup, plan.inPtr, plan.outPtr, plan.workPtr, dir)
    heap = mod.HEAPF32
    for (let i = 0; i < 2 * n; i++) data[i] = heap[outOffset + i]
  }
  return {
    size: n,
    precision: 'float32',
    forward: (data) => run(data, FORWARD),
    inverse: (data) => run(data, BACKWARD),
  }
}

/**
 * Bluestein's algorithm (see fft-complex.ts) with the whole convolution inside WASM: PFFFT's
 * unordered forward transform, `pffft_zconvolve_accumulate` against the precomputed kernel
 * spectrum, and the unordered backward transform; only the two chirp products run in JS.
 * `chirp` holds c_k = exp(−iπk²/N) interleaved; m ≥ 2N − 1 must be a PFFFT complex size.
 */
export function createPffftBluestein(
  mod: PffftModule,
  n: number,
  m: number,
  chirp: Float64Array,
): ComplexFft {
  if (!pffftComplexSupports(m)) throw new RangeError(`PFFFT complex cannot do size ${m}`)
  const plan = newPlan(mod, m, COMPLEX)
  const kernelPtr = mod._pffft_aligned_malloc(2 * m * 4)
  const accPtr = mod._pffft_aligned_malloc(2 * m * 4)
  const inOffset = plan.inPtr >> 2
  const outOffset = plan.outPtr >> 2
  const accOffset = accPtr >> 2
  // Kernel conj(c_k) for |k| < N, wrapped so the circular convolution of size m is linear.
  let heap = mod.HEAPF32
  heap.fill(0, inOffset, inOffset + 2 * m)
  for (let k = 0; k < n; k++) {
    for (const at of k === 0 ? [0] : [k, m - k]) {
      heap[inOffset + 2 * at] = chirp[2 * k]
      heap[inOffset + 2 * at + 1] = -chirp[2 * k + 1]
    }
  }
  mod._pffft_transform(plan.setup, plan.inPtr, kernelPtr, plan.workPtr, FORWARD)
  heap.fill(0, inOffset, inOffset + 2 * m)
  const run = (data: Float64Array, sign: number): void => {
    heap = mod.HEAPF32
    for (let k = 0; k < n; k++) {
      const re = data[2 * k]
      const im = sign * data[2 * k + 1]
      const cr = chirp[2 * k]
      const ci = chirp[2 * k + 1]
      heap[inOffset + 2 * k] = re * cr - im * ci
      heap[inOffset + 2 * k + 1] = re * ci + im * cr
    }
    mod._pffft_transform(plan.setup, plan.inPtr, plan.outPtr, plan.workPtr, FORWARD)
    heap.fill(0, accOffset, accOffset + 2 * m)
    mod._pffft_zconvolve_accumulate(plan.setup, plan.outPtr, kernelPtr, accPtr, 1 / m)
    mod._pffft_transform(plan.setup, accPtr, plan.outPtr, plan.workPtr, BACKWARD)
    for (let k = 0; k < n; k++) {
      const re = heap[outOffset + 2 * k]
      const im = heap[outOffset + 2 * k + 1]
      const cr = chirp[2 * k]
      const ci = chirp[2 * k + 1]
      data[2 * k] = re * cr - im * ci
      data[2 * k + 1] = sign * (re * ci + im * cr)
    }
  }
  return {
    size: n,
    precision: 'float32',
    forward: (data) => run(data, 1),
    inverse: (data) => run(data, -1),
  }
}
