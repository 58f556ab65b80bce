/**
 * Phase vocoder time stretch with the semantics of torchaudio.functional.phase_vocoder (0.13),
 * including its float32 rounding, so results match torch closely. For output step i at input
 * time s_i = i·rate (t0 = ⌊s_i⌋, α = s_i − t0, two zero frames appended):
 *
 *   |Y_i| = α·|X_{t0+1}| + (1 − α)·|X_{t0}|
 *   Δ_i   = princarg(∠X_{t0+1} − ∠X_{t0} − ω) + ω,    ω_k = linspace(0, π·hop, bins)_k
 *   ∠Y_0 = ∠X_0,  ∠Y_i = ∠Y_{i−1} + Δ_{i−1}          (torch.cumsum: double accumulator)
 *
 * (Flanagan & Golden 1966; Laroche & Dolson 1999; librosa.phase_vocoder.) timeStretch wraps it
 * as STFT → phase vocoder at rate 1/stretch → ISTFT of length round(stretch·L), pitch kept,
 * streaming frame by frame so memory stays O(output) however long the sound.
 */
import { mixedRadixModule } from './fft'
import { mixedRadixSupports } from './fft-wasm'
import { stretchWasm, stretchWasmBytes } from './phase-vocoder-wasm'
import { sinCos } from './sincos'
import type { ComplexSpectrogram } from './stft'
import { frameReader, overlapAdder, stftFrameCount } from './stft-frames'
import { wasmFramesFor } from './stft-wasm'
import type { WindowName } from './window'

const f = Math.fround
const TWO_PI = f(2 * Math.PI)
const sc = new Float64Array(2)

/** torch.linspace(0, π·hop, bins) in float32, as torch's CPU kernel computes it. */
export function phaseAdvance(bins: number, hopSize: number): Float32Array {
  const out = new Float32Array(bins)
  if (bins === 1) return out
  const end = f(Math.PI * hopSize)
  const step = f(end / (bins - 1))
  const halfway = Math.floor(bins / 2)
  for (let i = 0; i < bins; i++) {
    out[i] = i < halfway ? f(step * i) : f(end - f(step * (bins - i - 1)))
  }
  return out
}

/** Round half to even, as torch.round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}

interface Steps {
  count: number
  first: Int32Array
  second: Int32Array
  alpha: Float32Array
}

/** torch.arange(0, frames, rate) in float32: ⌈frames/rate⌉ steps, each computed in double. */
function timeSteps(frames: number, rate: number): Steps {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate ${rate} must be > 0`)
  const count = Math.max(0, Math.ceil(frames / rate))
  const first = new Int32Array(count)
  const second = new Int32Array(count)
  const alpha = new Float32Array(count)
  for (let i = 0; i < count; i++) {
    const s = f(i * rate)
    first[i] = Math.floor(s)
    alpha[i] = s - Math.floor(s)
    second[i] = Math.floor(f(s + 1)) // (time_steps + 1).long(), rounded in float32
  }
  return { count, first, second, alpha }
}

/** A frame in polar form, as torch's angle() and abs() give it (float32). */
interface Polar {
  angle: Float32Array
  norm: Float32Array
}

function toPolar(spectrum: Float32Array, out: Polar): void {
  for (let k = 0; k < out.angle.length; k++) {
    const x = spectrum[2 * k]
    const y = spectrum[2 * k + 1]
    out.angle[k] = Math.atan2(y, x)
    out.norm[k] = Math.sqrt(x * x + y * y) // float32 inputs: no overflow in double
  }
}

/** Δ_k = princarg(∠X1 − ∠X0 − ω) + ω in float32, as torch computes it. */
function increments(p0: Polar, p1: Polar, advance: Float32Array, out: Float32Array): void {
  for (let k = 0; k < advance.length; k++) {
    const w = advance[k]
    let d = f(f(p1.angle[k] - p0.angle[k]) - w)
    d = f(d - f(TWO_PI * roundHalfEven(f(d / TWO_PI))))
    out[k] = f(d + w)
  }
}

/**
 * One output frame, interleaved, from the two input frames around it; then advances the
 * accumulated phase (float64, as torch.cumsum's accumulator) by Δ.
 */
function vocode(
  p0: Polar,
  p1: Polar,
  a: number,
  delta: Float32Array,
  phase: Float64Array,
  out: Float32Array,
): void {
  const b = f(1 - a)
  for (let k = 0; k < delta.length; k++) {
    const magnitude = f(f(a * p1.norm[k]) + f(b * p0.norm[k]))
    sinCos(f(phase[k]), sc)
    out[2 * k] = f(magnitude * f(sc[1]))
    out[2 * k + 1] = f(magnitude * f(sc[0]))
    phase[k] += delta[k]
  }
}

/** Δ for successive output steps, recomputed only when the pair of input frames changes. */
function deltaCache(bins: number, advance: Float32Array) {
  const delta = new Float32Array(bins)
  let key = -1
  return (t0: number, t1: number, p0: Polar, p1: Polar): Float32Array => {
    const pair = t0 * 4 + (t1 - t0)
    if (pair !== key) {
      increments(p0, p1, advance, delta)
      key = pair
    }
    return delta
  }
}

const zeroPolar = (bins: number): Polar => ({
  angle: new Float32Array(bins),
  norm: new Float32Array(bins),
})

/** Stretches a complex STFT (bin-major) in time by 1/rate; rate > 1 is faster. */
export function phaseVocoder(
  spec: ComplexSpectrogram,
  rate: number,
  advance: Float32Array,
): ComplexSpectrogram {
  const { bins, frames } = spec
  if (advance.length !== bins) throw new RangeError(`phase advance needs ${bins} values`)
  if (rate === 1) return { bins, frames, re: spec.re.slice(), im: spec.im.slice() }
  const steps = timeSteps(frames, rate)
  const polar = Array.from({ length: frames + 2 }, () => zeroPolar(bins))
  const spectrum = new Float32Array(2 * bins)
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      spectrum[2 * k] = spec.re[k * frames + t]
      spectrum[2 * k + 1] = spec.im[k * frames + t]
    }
    toPolar(spectrum, polar[t])
  }
  const phase = Float64Array.from(polar[0].angle)
  const re = new Float32Array(bins * steps.count)
  const im = new Float32Array(bins * steps.count)
  const deltaFor = deltaCache(bins, advance)
  for (let i = 0; i < steps.count; i++) {
    const t0 = steps.first[i]
    const t1 = steps.second[i]
    const delta = deltaFor(t0, t1, polar[t0], polar[t1])
    vocode(polar[t0], polar[t1], steps.alpha[i], delta, phase, spectrum)
    for (let k = 0; k < bins; k++) {
      re[k * steps.count + i] = spectrum[2 * k]
      im[k * steps.count + i] = spectrum[2 * k + 1]
    }
  }
  return { bins, frames: steps.count, re, im }
}

export interface TimeStretchOptions {
  fftSize?: number
  hopSize?: number
  window?: WindowName
}

/**
 * Longer by `stretch` (3 = three times as long) at the same pitch: STFT (centred, reflect) →
 * phaseVocoder(rate = 1/stretch) → ISTFT, as the notebook evidently intended. Streams: input
 * frames are analysed once, as the output reaches them.
 */
export function timeStretch(
  signal: Float32Array | Float64Array,
  stretch: number,
  options: TimeStretchOptions = {},
): Float32Array {
  if (!(stretch > 0) || !Number.isFinite(stretch)) {
    throw new RangeError(`stretch ${stretch} must be > 0`)
  }
  const framing = {
    fftSize: options.fftSize ?? 512,
    hopSize: options.hopSize ?? 128,
    window: options.window ?? 'hann',
    center: true,
  }
  const reader = frameReader(signal, { ...framing, padMode: 'reflect' })
  const { bins, frames } = reader
  const steps = timeSteps(frames, 1 / stretch)
  const advance = phaseAdvance(bins, framing.hopSize)
  const length = Math.round(stretch * signal.length)
  // The same loop in WASM where the module takes the size (phase-vocoder-wasm.ts).
  const mod = wasmFramesFor(mixedRadixModule(), framing.fftSize)
  const fast = mod && stretchWasm(mod, signal, framing, steps, advance, 1 / stretch, length)
  if (fast) return fast
  const adder = overlapAdder(framing, steps.count)
  const spectrum = new Float32Array(2 * bins)
  // Output steps need input frames t0 ≤ t1 ≤ t0 + 2, never decreasing: a ring of 4 suffices.
  const ring = Array.from({ length: 4 }, () => ({ frame: -1, polar: zeroPolar(bins) }))
  const zero = zeroPolar(bins)
  const polarOf = (t: number): Polar => {
    if (t >= frames) return zero
    const slot = ring[t % 4]
    if (slot.frame !== t) {
      reader.read(t, spectrum)
      toPolar(spectrum, slot.polar)
      slot.frame = t
    }
    return slot.polar
  }
  const phase = Float64Array.from(polarOf(0).angle)
  const deltaFor = deltaCache(bins, advance)
  for (let i = 0; i < steps.count; i++) {
    const t0 = steps.first[i]
    const t1 = steps.second[i]
    const p0 = polarOf(t0)
    const p1 = polarOf(t1)
    vocode(p0, p1, steps.alpha[i], deltaFor(t0, t1, p0, p1), phase, spectrum)
    adder.add(i, spectrum)
  }
  return adder.finish(length)
}

/**
 * Memory timeStretch holds while it stretches one channel of `length` samples, beyond the
 * channel and its result (4·round(stretch·length) B): in WASM (sizes the mixed-radix FFT takes)
 * the steps and the module's windows of the signal and the sum (stretchWasmBytes, a few MB
 * whatever the length); in JavaScript the steps (12 B each) and the whole overlap-added sum in
 * float32 (4·(n + hop·(steps − 1)) B).
 */
export function timeStretchWorkingBytes(
  length: number,
  stretch: number,
  options: TimeStretchOptions = {},
): number {
  const fftSize = options.fftSize ?? 512
  const hopSize = options.hopSize ?? 128
  const frames = stftFrameCount(length, { fftSize, hopSize, window: 'hann', center: true })
  const steps = Math.max(0, Math.ceil(frames * stretch))
  if (mixedRadixSupports(fftSize)) {
    return stretchWasmBytes(fftSize, hopSize, steps, 1 / stretch, length)
  }
  return 12 * steps + 4 * (fftSize + hopSize * Math.max(0, steps - 1))
}
