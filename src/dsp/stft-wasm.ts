/**
 * STFT and ISTFT in WebAssembly (src/dsp/wasm/stft.inc.c): the same transforms as stft.ts,
 * four frames per SIMD pass through the mixed-radix FFT's four-frame stages, one call for all
 * frames. This file lays out the padded signal, the window and the outputs once in the
 * module's memory; stft.ts calls it where the module is loaded and takes the size, and keeps
 * its JavaScript path as the fallback and the reference (tests/dsp/stft-wasm.test.ts).
 *
 * Differences from the JavaScript path, all at float32 rounding: the window multiplies the
 * samples (there it is applied to the spectrum as taps), the FFT is ours (there PFFFT where it
 * takes the size), overlap-adds round each product to float32 before the sum.
 */
import type { FloatArray } from './fft'
import { createMixedRadixPlan, mixedRadixSupports, type MixedRadixModule } from './fft-wasm'
import { paddedSample, type PadMode } from './reflect-pad'
import {
  checkedFraming,
  stftFrameCount,
  type FrameOptions,
  type InteriorNormaliser,
  type StftOptions,
} from './stft-frames'
import { paddedWindow } from './window'

interface StftExports {
  st_stft: (stft: number) => void
  st_istft: (istft: number) => void
  pv_stretch: (stretch: number, first: number, last: number) => void
  st_normalise: (sum: number, folded: number, hop: number, m: number, count: number) => void
  /** For tests: the vocoder's atan2 over float64 arrays and sincos over float32 ones (byte offsets). */
  st_check_atan2: (y: number, x: number, out: number, count: number) => void
  st_check_sincos4: (x: number, sine: number, cosine: number, count: number) => void
}

export const stftExports = (mod: MixedRadixModule): StftExports =>
  mod.exports as unknown as StftExports

let enabled = true

/**
 * Runs `work` with the per-frame WASM paths off (stft.ts and phase-vocoder.ts then run their
 * JavaScript loops): for the bench's same-run A/B and the tests' cross-checks.
 */
export function withoutWasmFrames<T>(work: () => T): T {
  const before = enabled
  enabled = false
  try {
    return work()
  } finally {
    enabled = before
  }
}

/** The module where the WASM frame paths may run FFT size n (a mixed-radix plan), else null. */
export function wasmFramesFor(mod: MixedRadixModule | null, n: number): MixedRadixModule | null {
  return enabled && mod && mixedRadixSupports(n) ? mod : null
}

/**
 * Blocks of the module's memory, freed together: `floats` allocates, `free` returns them all.
 * Offsets are in floats; the struct a call reads is a row of 4-byte fields (`struct`).
 */
export class WasmArena {
  private readonly blocks: number[] = []
  constructor(readonly mod: MixedRadixModule) {}

  /** `count` floats (16-byte aligned), zeroed unless `zero` is false. */
  floats(count: number, zero = true): number {
    const at = this.mod.alloc(Math.max(4, count))
    this.blocks.push(at)
    if (zero) this.mod.heap().fill(0, at, at + Math.max(4, count))
    return at
  }

  /**
   * The interior of an ISTFT's normalisation in WASM (st_normalise) for a sum at float offset
   * `sum` of this arena, hop H: normaliseOverlap's `interior`. Allocates now, so views of the
   * memory taken after stay valid while it runs.
   */
  normaliser(sum: number, hop: number): InteriorNormaliser {
    const envelope = this.floats(2 * hop, false)
    return (folded, at, count, m) => {
      if (count <= 0) return
      new Float64Array(this.mod.exports.memory.buffer, envelope * 4, hop).set(folded)
      stftExports(this.mod).st_normalise((sum + at) * 4, envelope * 4, hop, m, count)
    }
  }

  /** A copy of `values` (converted to float32). */
  copy(values: ArrayLike<number>): number {
    const at = this.floats(values.length)
    this.mod.heap().set(values, at)
    return at
  }

  /** A struct of int32 fields (pointers as byte offsets); returns its byte offset. */
  struct(fields: number[]): number {
    const at = this.floats(fields.length)
    new Int32Array(this.mod.exports.memory.buffer, at * 4, fields.length).set(fields)
    return at * 4
  }

  free(): void {
    for (const at of this.blocks.splice(0)) this.mod.release(at)
  }
}

/**
 * Writes samples start … start + count − 1 of the signal padded as torch.stft pads it
 * (paddedSample past the ends) to the module's memory at float offset `at`.
 */
export function writePadded(
  heap: Float32Array,
  at: number,
  signal: FloatArray,
  start: number,
  count: number,
  padMode: PadMode,
): void {
  const from = Math.min(Math.max(start, 0), signal.length)
  const to = Math.max(from, Math.min(start + count, signal.length))
  heap.set(signal.subarray(from, to), at + from - start)
  for (let j = start; j < from; j++) heap[at + j - start] = paddedSample(signal, j, padMode)
  for (let j = to; j < start + count; j++) heap[at + j - start] = paddedSample(signal, j, padMode)
}

/** The signal padded as torch.stft pads it (⌊N/2⌋ each side when centred), in the arena. */
export function paddedSignal(
  arena: WasmArena,
  signal: FloatArray,
  pad: number,
  padMode: PadMode,
): number {
  const at = arena.floats(signal.length + 2 * pad, false) // every value written below
  writePadded(arena.mod.heap(), at, signal, -pad, signal.length + 2 * pad, padMode)
  return at
}

/** The buffers of the four-frame transforms: time (n v4), spectrum (2·stride v4), work (4h v4). */
export function frameBuffers(arena: WasmArena, n: number, stride: number): number[] {
  const h = n % 2 === 0 ? n / 2 : n
  return [4 * n, 8 * stride, 16 * h].map((floats) => arena.floats(floats) * 4)
}

/** The window as st_frames4 takes it: halved for even n (rfft4 folds its ½ into the frames). */
export const analysisWindow = (window: Float32Array): Float32Array =>
  window.length % 2 === 0 ? window.map((w) => w / 2) : window

export type StftMode = 'power' | 'magnitude' | 'complex' | 'phase'
const MODES: Record<StftMode, number> = { power: 0, magnitude: 1, complex: 2, phase: 3 }

/**
 * The STFT in WASM, bin-major: [|X|²], [|X|], [re, im] or [|X|², arg X] by mode; null where
 * the module or the size is not there (the caller runs the JavaScript path) or its memory is
 * full. Throws what stft.ts throws for a bad framing.
 */
export function stftWasm(
  mod: MixedRadixModule | null,
  signal: FloatArray,
  options: StftOptions,
  mode: StftMode,
): Float32Array[] | null {
  const { fftSize: n, hopSize, pad, length } = checkedFraming(signal, options)
  const frames = stftFrameCount(length, options)
  if (!mod || !wasmFramesFor(mod, n) || frames === 0) return null
  const bins = Math.floor(n / 2) + 1
  const arena = new WasmArena(mod)
  try {
    const plan = createMixedRadixPlan(mod, n, 'scalar')
    const padded = paddedSignal(arena, signal, pad, options.padMode)
    const window = arena.copy(analysisWindow(paddedWindow(options.window, n, options.windowLength)))
    const two = mode === 'complex' || mode === 'phase'
    const out0 = arena.floats(bins * frames, false)
    const out1 = two ? arena.floats(bins * frames, false) : out0
    const struct = arena.struct([
      plan.pointer,
      n,
      hopSize,
      bins,
      frames,
      MODES[mode],
      padded * 4,
      window * 4,
      out0 * 4,
      out1 * 4,
      ...frameBuffers(arena, n, Math.ceil(bins / 4) * 4),
    ])
    stftExports(mod).st_stft(struct)
    const heap = mod.heap()
    const first = heap.slice(out0, out0 + bins * frames)
    return two ? [first, heap.slice(out1, out1 + bins * frames)] : [first]
  } catch (error) {
    if (error instanceof RangeError) return null // the module's memory is full: JavaScript
    throw error
  } finally {
    arena.free()
  }
}

/**
 * Σ_t w·irfft(X_t) placed at t·H, unnormalised (overlapAdder's sum, stft-frames.ts), from a
 * bin-major complex spectrogram; handed to `finish` as a view of the module's memory, valid
 * only during the call. Null where the module or size is not there or its memory is full.
 */
export function overlapAddWasm<T>(
  mod: MixedRadixModule | null,
  spec: { bins: number; frames: number; re: Float32Array; im: Float32Array },
  options: FrameOptions,
  finish: (sum: Float32Array, interior: InteriorNormaliser) => T,
): T | null {
  const { fftSize: n, hopSize } = options
  const { bins, frames } = spec
  if (!mod || !wasmFramesFor(mod, n) || frames === 0) return null
  const arena = new WasmArena(mod)
  let sum: number
  try {
    const plan = createMixedRadixPlan(mod, n, 'scalar')
    const re = arena.copy(spec.re)
    const im = arena.copy(spec.im)
    const window = paddedWindow(options.window, n, options.windowLength)
    const synthesis = arena.copy(window.map((w) => w / n))
    const full = n + hopSize * (frames - 1)
    sum = arena.floats(full)
    const struct = arena.struct([
      plan.pointer,
      n,
      hopSize,
      bins,
      frames,
      re * 4,
      im * 4,
      synthesis * 4,
      sum * 4,
      ...frameBuffers(arena, n, Math.ceil(bins / 4) * 4),
    ])
    stftExports(mod).st_istft(struct)
    const interior = arena.normaliser(sum, hopSize)
    return finish(mod.heap().subarray(sum, sum + full), interior)
  } catch (error) {
    if (error instanceof RangeError) return null
    throw error
  } finally {
    arena.free()
  }
}
