/**
 * Griffin-Lim's iterations in WebAssembly (src/dsp/wasm/griffin-lim.inc.c), four frames per
 * SIMD pass, for the sizes the mixed-radix FFT takes. griffin-lim.ts states the algorithm and
 * keeps the JavaScript loop; this file lays the working set out once in the module's memory
 * (magnitudes and R_{i−1} grouped by four frames, the estimate, the overlap-add sum, windows),
 * then runs one call per iteration, and frees it all after.
 */
import { createMixedRadixPlan, type MixedRadixModule } from './fft-wasm'

export interface GriffinLimLayout {
  n: number
  hop: number
  bins: number
  frames: number
  /** Analysis window, n values; its nonzero span [lo, hi). */
  window: Float32Array
  lo: number
  hi: number
  /** 1 / Σ w² over the full overlap-added length, 0 where it vanishes. */
  inverseEnvelope: Float64Array
  offset: number
  length: number
  reflect: boolean
  alpha: number
  iterations: number
  /** Looked at between iterations (an AbortSignal, or a worker's signal that polls its cancel flag). */
  signal?: { throwIfAborted(): void }
  /** S, bin-major: S at bin k, frame t is magnitude[k·frames + t]. */
  magnitude: Float32Array
  /** A0, bin-major as `magnitude` (the start is S·A0). */
  start: { re: Float32Array; im: Float32Array }
  /** Σ (|R_i| − S)² after iteration i (1-based). */
  onError: (iteration: number, error: number) => void
}

/** Runs the iterations; returns the waveform (length `length`). */
export function griffinLimWasm(mod: MixedRadixModule, g: GriffinLimLayout): Float32Array {
  const { n, hop, bins, frames } = g
  const plan = createMixedRadixPlan(mod, n, 'scalar')
  const h = n % 2 === 0 ? n / 2 : n
  const groups = Math.ceil(frames / 4)
  const full = n + hop * (frames - 1)
  const sizes = {
    mag: groups * bins * 4,
    prev: groups * bins * 8,
    padded: full,
    sum: full,
    inverse: full,
    window: n,
    synthesis: n,
    time: 4 * n,
    spectrum: 8 * bins,
    work: 16 * h,
  }
  const at: Partial<Record<keyof typeof sizes, number>> = {}
  let struct = 0
  try {
    for (const name of Object.keys(sizes) as (keyof typeof sizes)[]) {
      at[name] = mod.alloc(sizes[name])
    }
    struct = mod.alloc(24)
    const heap = mod.heap()
    const offsetOf = (name: keyof typeof sizes): number => at[name] ?? 0
    heap.fill(0, offsetOf('prev'), offsetOf('prev') + sizes.prev)
    heap.fill(0, offsetOf('mag'), offsetOf('mag') + sizes.mag)
    heap.fill(0, offsetOf('sum'), offsetOf('sum') + full)
    heap.fill(0, offsetOf('padded'), offsetOf('padded') + full)
    // S and S·A0 (into prev) in groups of four frames.
    const mag = offsetOf('mag')
    const prev = offsetOf('prev')
    const S = g.magnitude
    const { re, im } = g.start
    for (let k = 0; k < bins; k++) {
      const row = k * frames
      for (let t = 0; t < frames; t++) {
        const m = S[row + t]
        const lane = t & 3
        const group = (t >> 2) * bins + k
        heap[mag + group * 4 + lane] = m
        heap[prev + group * 8 + lane] = m * re[row + t]
        heap[prev + group * 8 + 4 + lane] = m * im[row + t]
      }
    }
    heap.set(g.inverseEnvelope, offsetOf('inverse'))
    heap.set(g.window, offsetOf('window'))
    heap.set(
      g.window.map((w) => w / n),
      offsetOf('synthesis'),
    )
    const ints = new Int32Array(heap.buffer, struct * 4, 23)
    ints.set([plan.pointer, n, hop, frames, groups, bins, g.lo, g.hi, g.offset, g.length, full])
    ints[11] = g.reflect ? 1 : 0
    new Float32Array(heap.buffer, struct * 4 + 48, 1)[0] = g.alpha
    const pointers = ['mag', 'prev', 'padded', 'sum', 'inverse', 'window', 'synthesis', 'time']
    ints.set(
      [...pointers, 'spectrum', 'work'].map((name) => offsetOf(name as keyof typeof sizes) * 4),
      13,
    )

    mod.exports.gl_start(struct * 4)
    for (let i = 1; i <= g.iterations; i++) {
      g.signal?.throwIfAborted()
      g.onError(i, mod.exports.gl_iteration(struct * 4))
    }
    const after = mod.heap()
    const sum = offsetOf('sum')
    const waveform = new Float32Array(g.length)
    for (let i = 0; i < g.length; i++) {
      waveform[i] = after[sum + g.offset + i] * g.inverseEnvelope[g.offset + i]
    }
    return waveform
  } finally {
    for (const offset of Object.values(at)) mod.release(offset)
    if (struct) mod.release(struct)
  }
}
