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
 * as STFT → phase vocoder at rate 1/stretch → ISTFT of length round(stretch·L): pitch is kept.
 */
import { istftComplex, stftComplex, type ComplexSpectrogram } from './stft'
import type { WindowName } from './window'

const f = Math.fround
const TWO_PI = f(2 * Math.PI)

/** torch.linspace(0, π·hop, bins) in float32, as torch 1.13's CPU kernel computes it. */
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
function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** Stretches a complex STFT (bin-major) in time by 1/rate; rate > 1 is faster. */
export function phaseVocoder(
  spec: ComplexSpectrogram,
  rate: number,
  advance: Float32Array,
): ComplexSpectrogram {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate ${rate} must be > 0`)
  const { bins, frames } = spec
  if (advance.length !== bins) throw new RangeError(`phase advance needs ${bins} values`)
  if (rate === 1) return { bins, frames, re: spec.re.slice(), im: spec.im.slice() }
  // torch.arange(0, frames, rate) in float32: ⌈frames/rate⌉ steps, each computed in double.
  const steps = Math.max(0, Math.ceil(frames / rate))
  const first = new Int32Array(steps)
  const alpha = new Float32Array(steps)
  const second = new Int32Array(steps)
  for (let i = 0; i < steps; i++) {
    const s = f(i * rate)
    first[i] = Math.floor(s)
    alpha[i] = s - Math.floor(s)
    second[i] = Math.floor(f(s + 1))
  }
  const re = new Float32Array(bins * steps)
  const im = new Float32Array(bins * steps)
  const angle = new Float32Array(frames + 2)
  const norm = new Float32Array(frames + 2)
  for (let k = 0; k < bins; k++) {
    const row = k * frames
    for (let t = 0; t < frames; t++) {
      const x = spec.re[row + t]
      const y = spec.im[row + t]
      angle[t] = Math.atan2(y, x)
      norm[t] = Math.hypot(x, y)
    }
    const w = advance[k]
    const out = k * steps
    let accumulated = angle[0] // torch.cumsum accumulates in double, stores float32
    for (let i = 0; i < steps; i++) {
      const t0 = first[i]
      const t1 = second[i]
      const a = alpha[i]
      const magnitude = f(f(a * norm[t1]) + f(f(1 - a) * norm[t0]))
      const phase = f(accumulated)
      re[out + i] = f(magnitude * f(Math.cos(phase)))
      im[out + i] = f(magnitude * f(Math.sin(phase)))
      let d = f(f(angle[t1] - angle[t0]) - w)
      d = f(d - f(TWO_PI * roundHalfEven(f(d / TWO_PI))))
      accumulated += f(d + w)
    }
  }
  return { bins, frames: steps, re, im }
}

export interface TimeStretchOptions {
  fftSize?: number
  hopSize?: number
  window?: WindowName
}

/**
 * Longer by `stretch` (3 = three times as long) at the same pitch: STFT (centred, reflect) →
 * phaseVocoder(rate = 1/stretch) → ISTFT, as the notebook evidently intended.
 */
export function timeStretch(
  signal: Float32Array | Float64Array,
  stretch: number,
  options: TimeStretchOptions = {},
): Float32Array {
  if (!(stretch > 0) || !Number.isFinite(stretch))
    throw new RangeError(`stretch ${stretch} must be > 0`)
  const framing = {
    fftSize: options.fftSize ?? 512,
    hopSize: options.hopSize ?? 128,
    window: options.window ?? 'hann',
    center: true,
  }
  const spec = stftComplex(signal, { ...framing, padMode: 'reflect' })
  const stretched = phaseVocoder(spec, 1 / stretch, phaseAdvance(spec.bins, framing.hopSize))
  return istftComplex(stretched, framing, Math.round(stretch * signal.length))
}
