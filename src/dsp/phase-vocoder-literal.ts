/**
 * What the notebook's stretch line really computes: torchaudio.functional.phase_vocoder
 * (0.13+) handed a raw waveform of shape (channels, samples) instead of a complex STFT, so each
 * channel is read as a frequency bin and each sample as a frame; the real part of its complex
 * result (what a cast to a saveable array keeps). For row c with phase advance ω_c, output step
 * i at input time s_i = i·rate (n = ⌊s_i⌋, α = s_i − n, two zeros appended to x):
 *
 *   ∠v = π if v < 0 else 0                         (torch.angle of a real number)
 *   Δ_i = princarg(∠x[n+1] − ∠x[n] − ω_c) + ω_c      (princarg: p − 2π·round(p / 2π), half to even)
 *   φ_0 = ∠x[0],  φ_i = φ_{i−1} + Δ_{i−1}           (torch.cumsum, double accumulator)
 *   y_i = (α·|x[n+1]| + (1 − α)·|x[n]|) · cos φ_i
 *
 * princarg takes whole turns off, so Δ ≡ ∠x[n+1] − ∠x[n] (mod 2π) whatever ω, and cos φ is ±1:
 * y is |x| resampled linearly at 1/rate with the signs of the samples around each step, the
 * sound slowed down and lowered in pitch, buzzing where it crosses zero. A large ω matters only
 * through float32 rounding of the phase it piles up (noise that grows with time). Computed in
 * float32 where torch does (source: torchaudio/functional/functional.py, phase_vocoder).
 */
import { roundHalfEven } from './phase-vocoder'
import { sinCos } from './sincos'

const f = Math.fround
const PI = f(Math.PI)
const TWO_PI = f(2 * Math.PI)

/** One row (one channel) of phase_vocoder(x, rate, ω) on a real waveform; the real part. */
export function literalPhaseVocoder(x: Float32Array, rate: number, advance: number): Float32Array {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate ${rate} must be > 0`)
  const n = x.length
  const count = Math.max(0, Math.ceil(n / rate)) // torch.arange(0, n, rate)
  const out = new Float32Array(count)
  const w = f(advance)
  const at = (i: number) => (i < n ? x[i] : 0)
  const angle = (v: number) => (v < 0 ? PI : 0)
  const sc = new Float64Array(2)
  let phase = n > 0 ? angle(x[0]) : 0
  for (let i = 0; i < count; i++) {
    const s = f(i * rate)
    const i0 = Math.floor(s)
    const i1 = Math.floor(f(s + 1))
    const a = s - i0
    const x0 = at(i0)
    const x1 = at(i1)
    const magnitude = f(f(a * Math.abs(x1)) + f(f(1 - a) * Math.abs(x0)))
    sinCos(f(phase), sc)
    out[i] = f(magnitude * f(sc[1]))
    let d = f(f(angle(x1) - angle(x0)) - w)
    d = f(d - f(TWO_PI * roundHalfEven(f(d / TWO_PI))))
    phase += f(d + w)
  }
  return out
}
