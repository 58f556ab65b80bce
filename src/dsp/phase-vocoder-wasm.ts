/**
 * The phase vocoder's time stretch in WebAssembly (src/dsp/wasm/stft.inc.c, pv_stretch): the
 * loop of phase-vocoder.ts's timeStretch (its formulas and sources are there) in one call, input
 * frames analysed four at a time as the output reaches them, output steps four at a time (one
 * per lane) through vocoding, the inverse FFT and the overlap-add. This file lays out the padded
 * signal, the steps, the ring of analysed frames and the sum once in the module's memory.
 *
 * It agrees with the JavaScript loop to float32 rounding: angles by fdlibm's atan2 in double,
 * rounded to float32 where the JavaScript rounds them, the same float32 steps for Δ and the
 * magnitudes, the phase accumulated in double; sines and cosines within 2^−24 of the JavaScript's
 * (reduced in double, evaluated in float32); the FFT is ours where the JavaScript's may be PFFFT.
 */
import { createMixedRadixPlan, type MixedRadixModule } from './fft-wasm'
import {
  checkedFraming,
  normaliseRange,
  stftFrameCount,
  windowEnvelope,
  type FrameOptions,
} from './stft-frames'
import { analysisWindow, frameBuffers, stftExports, WasmArena, writePadded } from './stft-wasm'
import { paddedWindow } from './window'

/** Output steps per call: the window of the sum the module holds is this many hops long. */
let stretchChunkSteps = 4096

/**
 * Bytes stretchWasm holds while it runs (beyond the result it returns): the steps (first,
 * second, alpha: 12 B each, in JavaScript and copied into the module), the window of the sum
 * (chunk·hop + n floats) and that of the padded signal (the frames one chunk's steps read, about
 * chunk·rate·hop + 8·hop + n floats, at most the padded signal); the ring, plan and frame buffers
 * are a few times bins·n and left out. 3 min ×3 at 512/128: about 7 MB a channel (measured:
 * the module grew from 1 MB to 5 MB, JavaScript held the result and about 2 MB more).
 */
export function stretchWasmBytes(
  n: number,
  hopSize: number,
  stepCount: number,
  rate: number,
  length: number,
): number {
  const chunk = Math.min(stepCount, stretchChunkSteps)
  const sum = chunk * hopSize + n
  const samples = Math.min(length + n, Math.ceil(chunk * rate + 8) * hopSize + n)
  return 2 * 12 * stepCount + 4 * (sum + samples)
}

/** For tests: a smaller window, so that a short sound crosses several. */
export function setStretchChunkSteps(steps: number): void {
  stretchChunkSteps = steps
}

export interface StretchSteps {
  count: number
  /** The two input frames of each output step and the weight of the second (phase-vocoder.ts). */
  first: Int32Array
  second: Int32Array
  alpha: Float32Array
}

/**
 * STFT (centred, reflect) → phase vocoder over `steps` → ISTFT of `length` samples, as
 * timeStretch; null where the module's memory is full (the caller runs JavaScript). `advance`
 * is ω (bins values), `frames` the input frames, `rate` the input frames per output step.
 */
export function stretchWasm(
  mod: MixedRadixModule,
  signal: Float32Array | Float64Array,
  framing: FrameOptions,
  steps: StretchSteps,
  advance: Float32Array,
  rate: number,
  length: number,
): Float32Array | null {
  const { fftSize: n, hopSize, pad } = checkedFraming(signal, { ...framing, padMode: 'reflect' })
  const frames = stftFrameCount(signal.length, framing)
  const bins = advance.length
  const stride = Math.ceil(bins / 4) * 4
  // Frames one group of four steps reads, and the group of four analysed with them, lie within
  // 3·rate + 10 of each other (stft.inc.c): the ring holds them all.
  const ring = 4 * Math.ceil((3 * rate + 12) / 4)
  const arena = new WasmArena(mod)
  try {
    const plan = createMixedRadixPlan(mod, n, 'scalar')
    const window = paddedWindow(framing.window, n, framing.windowLength)
    const full = n + hopSize * (steps.count - 1)
    const ints = (values: Int32Array): number => {
      const at = arena.floats(values.length)
      new Int32Array(mod.exports.memory.buffer, at * 4, values.length).set(values)
      return at
    }
    const advanceAt = arena.floats(stride)
    mod.heap().set(advance, advanceAt)
    const fields = [
      plan.pointer,
      n,
      hopSize,
      bins,
      frames,
      steps.count,
      ring,
      stride,
      0, // padded: below
      arena.copy(analysisWindow(window)),
      arena.copy(window.map((w) => w / n)),
      advanceAt,
      ints(steps.first),
      ints(steps.second),
      arena.copy(steps.alpha),
      arena.floats(ring * stride), // angle
      arena.floats(ring * stride), // norm
      arena.floats(ring), // held
      arena.floats(2 * stride), // phase, float64
      arena.floats(4 * stride), // delta
      arena.floats(4), // delta_key
      arena.floats(stride), // zeros
    ].map((value, i) => (i >= 8 ? value * 4 : value))
    // The sum a window at a time: after steps … s1 − 1, the samples before s1·hop are final, so
    // they are divided by Σ w² into the output and the window moves on (the module holds
    // chunk·hop + n samples of it, not the whole stretched length).
    const chunk = 4 * Math.ceil(Math.max(4, stretchChunkSteps) / 4)
    const span = Math.min(full, chunk * hopSize + n)
    const sum = arena.floats(span)
    // The padded signal a window at a time too: the samples of the groups of four frames a
    // chunk's steps may analyse, from frame first[s0]'s group to second[s1 − 1]'s.
    const samplesFor = (s0: number, s1: number): [number, number] => {
      const low = 4 * (steps.first[s0] >> 2)
      const high = Math.min(frames - 1, 4 * (steps.second[s1 - 1] >> 2) + 3)
      return [low * hopSize, Math.max(low, high) * hopSize + n]
    }
    let most = 0
    for (let s0 = 0; s0 < steps.count; s0 += chunk) {
      const [p0, p1] = samplesFor(s0, Math.min(steps.count, s0 + chunk))
      most = Math.max(most, p1 - p0)
    }
    const samples = arena.floats(most, false)
    fields[8] = samples * 4
    const struct = arena.struct([...fields, sum * 4, ...frameBuffers(arena, n, stride), 0, 0])
    const interior = arena.normaliser(sum, hopSize)
    const offset = Math.floor(n / 2) // centred
    const out = new Float32Array(length)
    const end = Math.min(length, full - offset)
    const envelope = windowEnvelope(window, hopSize, steps.count)
    const { pv_stretch: run } = stftExports(mod)
    for (let s0 = 0; s0 < steps.count; s0 += chunk) {
      const s1 = Math.min(steps.count, s0 + chunk)
      const origin = s0 * hopSize
      const [p0, p1] = samplesFor(s0, s1)
      writePadded(mod.heap(), samples, signal, p0 - pad, p1 - p0, 'reflect')
      new Int32Array(mod.exports.memory.buffer, struct + 4 * (fields.length + 4), 2).set([
        origin,
        p0,
      ])
      run(struct, s0, s1)
      const final = s1 < steps.count ? s1 * hopSize : full
      const heap = mod.heap()
      const from = Math.max(0, origin - offset)
      const to = Math.min(end, final - offset)
      const view = { sum: heap.subarray(sum, sum + span), base: origin }
      if (to > from) normaliseRange(view, envelope, offset, out, from, to, interior)
      // The samples still open move to the window's start; the rest is cleared.
      heap.copyWithin(sum, sum + (final - origin), sum + span)
      heap.fill(0, sum + span - (final - origin), sum + span)
    }
    return out
  } catch (error) {
    if (error instanceof RangeError) return null // the module's memory is full: JavaScript
    throw error
  } finally {
    arena.free()
  }
}
