import { describe, expect, it } from 'vitest'
import { literalPhaseVocoder } from '../../src/dsp/phase-vocoder-literal'
import { mulberry32 } from '../helpers/run-context'

/**
 * torchaudio's phase_vocoder on a real (channels, samples) tensor, written out again here in
 * float64 from its source (functional.py): angle of a real number is π below zero, else 0;
 * two zero frames appended; Δ = wrap(∠x1 − ∠x0 − ω) + ω with round half to even; the phase
 * accumulates from ∠x[0]; magnitude interpolated linearly; real part kept.
 */
function reference(x: ArrayLike<number>, rate: number, w: number): number[] {
  const n = x.length
  const at = (i: number) => (i < n ? x[i] : 0)
  const angle = (v: number) => (v < 0 ? Math.PI : 0)
  const halfEven = (v: number) => {
    const r = Math.round(v)
    return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r
  }
  const out: number[] = []
  let phase = angle(at(0))
  for (let i = 0; i < Math.ceil(n / rate); i++) {
    const s = i * rate
    const i0 = Math.floor(s)
    const a = s - i0
    const [x0, x1] = [at(i0), at(i0 + 1)]
    out.push((a * Math.abs(x1) + (1 - a) * Math.abs(x0)) * Math.cos(phase))
    const d = angle(x1) - angle(x0) - w
    phase += d - 2 * Math.PI * halfEven(d / (2 * Math.PI)) + w
  }
  return out
}

describe('the notebook’s literal phase_vocoder call', () => {
  it('worked by hand: mono at rate 1/3 gives |x| interpolated with the signs of its neighbours', () => {
    // With no phase advance each Δ is 0 or ±π, so cos φ is ±1: at step 3n the sign of x[n],
    // at 3n + 1 (one crossing counted once more) that of x[n + 1], at 3n + 2 (twice) x[n]'s.
    const x = Float32Array.from([0.5, -0.25, -1, 0.75, 0])
    const y = literalPhaseVocoder(x, 1 / 3, 0)
    const expected = [
      0.5,
      -(2 / 3) * 0.5 - (1 / 3) * 0.25,
      (1 / 3) * 0.5 + (2 / 3) * 0.25,
      -0.25,
      -((2 / 3) * 0.25 + (1 / 3) * 1),
      -((1 / 3) * 0.25 + (2 / 3) * 1),
      -1,
      (2 / 3) * 1 + (1 / 3) * 0.75,
      -((1 / 3) * 1 + (2 / 3) * 0.75),
      0.75,
      (2 / 3) * 0.75,
      (1 / 3) * 0.75,
      0,
      0,
      0,
    ]
    expect(y.length).toBe(15)
    for (let i = 0; i < expected.length; i++) expect(y[i]).toBeCloseTo(expected[i], 6)
  })

  it('matches the formula computed independently in float64 (mono, any sign pattern)', () => {
    const random = mulberry32(5)
    const x = Float32Array.from({ length: 400 }, () => random() * 2 - 1)
    for (const rate of [1 / 3, 0.4, 2.5]) {
      const y = literalPhaseVocoder(x, rate, 0)
      const r = reference(x, rate, 0)
      expect(y.length).toBe(r.length)
      // torch holds the time steps i·rate in float32: α is off by at most s·2⁻²⁴, so y by at
      // most that times |x[n+1] − x[n]| ≤ 2 (4.8e-5 at s = 400), plus float32 rounding of y.
      let worst = 0
      for (let i = 0; i < r.length; i++) {
        const bound = 2 * i * rate * 2 ** -24 + 2e-7
        worst = Math.max(worst, Math.abs(y[i] - r[i]) / bound)
      }
      expect(worst).toBeLessThan(1)
      // The closed form for step 3n, where the sign is x[n]'s own.
      if (rate === 1 / 3) for (let k = 0; k < 400; k++) expect(y[3 * k]).toBeCloseTo(x[k], 6)
    }
  })

  it('matches the formula with a phase advance, which cancels but for rounding', () => {
    // princarg takes whole turns off, so Δ ≡ ∠x1 − ∠x0 (mod 2π) whatever ω: the advance of a
    // stereo call's second row (π·hop) changes the result only through float32 rounding of
    // the phase it piles up. For hop 1 (ω = π; ≤ 1,200·π accumulated, float32 steps of 1e-4
    // rad) that stays below 1e-3.
    const random = mulberry32(9)
    const x = Float32Array.from({ length: 400 }, () => random() * 2 - 1)
    const w = Math.fround(Math.PI)
    const y = literalPhaseVocoder(x, 1 / 3, w)
    const r = reference(x, 1 / 3, w)
    const plain = literalPhaseVocoder(x, 1 / 3, 0)
    let worst = 0
    let fromPlain = 0
    for (let i = 0; i < r.length; i++) {
      worst = Math.max(worst, Math.abs(y[i] - r[i]))
      fromPlain = Math.max(fromPlain, Math.abs(y[i] - plain[i]))
    }
    expect(worst).toBeLessThan(1e-3)
    expect(fromPlain).toBeLessThan(1e-3)
  })

  it('has torch.arange’s length: ⌈N / rate⌉ (the notebook’s 119,301 samples → 357,903)', () => {
    expect(literalPhaseVocoder(new Float32Array(119301), 1 / 3, 0).length).toBe(357903)
    expect(literalPhaseVocoder(new Float32Array(10), 0.4, 0).length).toBe(25)
    expect(() => literalPhaseVocoder(new Float32Array(4), 0, 0)).toThrow(/rate/)
  })
})
