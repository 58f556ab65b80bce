/**
 * Griffin-Lim's iterations in WebAssembly (src/dsp/wasm/griffin-lim.inc.c), four frames per
 * SIMD pass, for the sizes the mixed-radix FFT takes. griffin-lim.ts states the algorithm and
 * keeps the JavaScript loop; this file lays the working set out once in the module's memory
 * (magnitudes and R_{i−1} grouped by four frames, the estimate, the overlap-add sum, windows;
 * gl_setup and gl_rows build them there from S and A0, a few bins at a time through a small
 * buffer, so neither S nor A0 is ever copied whole), then runs one call per iteration, and frees
 * it all.
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
  offset: number
  length: number
  reflect: boolean
  alpha: number
  iterations: number
  /** Looked at between iterations (an AbortSignal, or a worker's signal that polls its cancel flag). */
  signal?: { throwIfAborted(): void }
  /** S, bin-major: S at bin k, frame t is magnitude[k·frames + t]. */
  magnitude: Float32Array
  /** Writes A0's bins [from, to) (bin-major rows, as `magnitude`) into re and im; called for
   * consecutive ranges from bin 0. The start is S·A0. */
  start: (from: number, to: number, re: Float32Array, im: Float32Array) => void
  /** ‖S‖², once, before the first iteration. */
  onEnergy: (energy: number) => void
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
  // The lane layout (griffin-lim.inc.c): even n, hop n/2.
  const lanes = n % 2 === 0 && 2 * hop === n
  const sizes = {
    mag: groups * bins * 4,
    prev: groups * bins * 8,
    padded: lanes ? 1 : full,
    sum: lanes ? 1 : full,
    inverse: full,
    inverse64: 2 * full,
    window: n,
    synthesis: n,
    analysis: n,
    time: 4 * n,
    spectrum: 8 * bins,
    work: 16 * h,
    blocks: lanes ? (groups + 1) * hop * 4 : 1,
    invLanes: lanes ? (groups + 1) * hop * 4 : 1,
    frames2: lanes ? 2 * n * 4 : 1,
    ends: lanes ? Math.max(1, 2 * g.offset) : 1,
  }
  const at: Partial<Record<keyof typeof sizes, number>> = {}
  let struct = 0
  // Blocks freed as soon as they are used: the rows buffer, the waveform.
  const temporary: number[] = []
  const temporaryBlock = (floats: number): number => {
    const offset = mod.alloc(floats)
    temporary.push(offset)
    return offset
  }
  try {
    for (const name of Object.keys(sizes) as (keyof typeof sizes)[]) {
      at[name] = mod.alloc(sizes[name])
    }
    struct = mod.alloc(30)
    // S and A0 pass through a buffer of about 2^18 values each (1 MB), some bins at a time.
    const rows = Math.max(1, Math.min(bins, Math.floor(262144 / frames)))
    const buffer = temporaryBlock(3 * rows * frames)
    let heap = mod.heap()
    const offsetOf = (name: keyof typeof sizes): number => at[name] ?? 0
    heap.set(g.window, offsetOf('window'))
    const ints = new Int32Array(heap.buffer, struct * 4, 30)
    ints.set([plan.pointer, n, hop, frames, groups, bins, g.lo, g.hi, g.offset, g.length, full])
    ints[11] = g.reflect ? 1 : 0
    new Float32Array(heap.buffer, struct * 4 + 48, 1)[0] = g.alpha
    const pointers = ['mag', 'prev', 'padded', 'sum', 'inverse', 'window', 'synthesis', 'time']
    ints.set(
      [...pointers, 'spectrum', 'work', 'inverse64', 'analysis'].map(
        (name) => offsetOf(name as keyof typeof sizes) * 4,
      ),
      13,
    )
    ints[25] = lanes ? 1 : 0
    ints.set(
      (['blocks', 'invLanes', 'frames2', 'ends'] as const).map((name) => offsetOf(name) * 4),
      26,
    )
    // Laid out in WASM: the envelope and windows (gl_setup), then mag and prev = S·A0 by rows
    // (gl_rows), ‖S‖² summed on through them in bin-major order.
    mod.exports.gl_setup(struct * 4)
    let energy = 0
    const [sAt, reAt, imAt] = [0, 1, 2].map((i) => buffer + i * rows * frames)
    for (let from = 0; from < bins; from += rows) {
      const to = Math.min(bins, from + rows)
      const count = (to - from) * frames
      heap = mod.heap()
      heap.set(g.magnitude.subarray(from * frames, to * frames), sAt)
      g.start(from, to, heap.subarray(reAt, reAt + count), heap.subarray(imAt, imAt + count))
      energy = mod.exports.gl_rows(struct * 4, sAt * 4, reAt * 4, imAt * 4, from, to, energy)
    }
    g.onEnergy(energy)
    for (const offset of temporary.splice(0)) mod.release(offset)

    mod.exports.gl_start(struct * 4)
    for (let i = 1; i <= g.iterations; i++) {
      g.signal?.throwIfAborted()
      const error = lanes
        ? mod.exports.gl_iteration_lanes(struct * 4, i === g.iterations ? 1 : 0)
        : mod.exports.gl_iteration(struct * 4)
      g.onError(i, error)
    }
    const out = mod.alloc(g.length)
    temporary.push(out)
    mod.exports.gl_finish(struct * 4, out * 4)
    return mod.heap().slice(out, out + g.length)
  } finally {
    for (const offset of [...Object.values(at), ...temporary]) mod.release(offset)
    if (struct) mod.release(struct)
  }
}
