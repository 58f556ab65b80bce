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
 * fills `heap()[inOffset…]`, calls `run`, and reads `heap()[outOffset…]`.
 */
export interface PffftReal {
  readonly size: number
  heap(): Float32Array
  readonly inOffset: number
  readonly outOffset: number
  run(direction: 'forward' | 'backward'): void
}

export function createPffftReal(mod: PffftModule, n: number): PffftReal {
  if (!pffftRealSupports(n)) throw new RangeError(`PFFFT real transforms cannot do size ${n}`)
  const plan = newPlan(mod, n, REAL)
  return {
    size: n,
    heap: () => mod.HEAPF32,
    inOffset: plan.inPtr >> 2,
    outOffset: plan.outPtr >> 2,
    run(direction) {
      const dir = direction === 'forward' ? FORWARD : BACKWARD
      mod._pffft_transform_ordered(plan.setup, plan.inPtr, plan.outPtr, plan.workPtr, dir)
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
