import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  applyMel,
  hzToMel,
  melFilterbank,
  melToHz,
  type MelNorm,
  type MelScale,
} from '../../src/dsp/mel'
import { inverseMel } from '../../src/dsp/mel-inverse'

interface Reference {
  cases: {
    name: string
    sampleRate: number
    fftSize: number
    melBins: number
    fMinHz: number
    fMaxHz: number
    norm: MelNorm
    scale: MelScale
    corners: number[]
    weights: number[]
  }[]
  riffusion: { filters: { mel: number; first: number; last: number; sum: number; peak: number }[] }
  inversion: { mel: number[]; linear: number[]; frames: number }
}

// numpy float64 transcription of torchaudio's melscale_fbanks (tests/fixtures/README.md).
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/mel/mel_reference.json', import.meta.url), 'utf8'),
) as Reference

describe('mel scales', () => {
  it('follows the HTK formula 2595·log10(1 + f/700) and inverts it', () => {
    expect(hzToMel(700, 'htk')).toBeCloseTo(2595 * Math.log10(2), 10)
    expect(hzToMel(0, 'htk')).toBe(0)
    for (const hz of [20, 440, 1000, 10000, 22050]) {
      expect(melToHz(hzToMel(hz, 'htk'), 'htk')).toBeCloseTo(hz, 8)
      expect(melToHz(hzToMel(hz, 'slaney'), 'slaney')).toBeCloseTo(hz, 8)
    }
  })

  it('joins the Slaney scale’s linear and log parts at 1 kHz = 15 mel', () => {
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 12)
    expect(hzToMel(999.999, 'slaney')).toBeCloseTo(15, 4)
    expect(hzToMel(6400, 'slaney')).toBeCloseTo(15 + 27, 10) // logstep = ln 6.4 / 27
  })
})

describe('melFilterbank', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))(
    'matches torchaudio’s formula computed by numpy: %s',
    (_name, c) => {
      const bank = melFilterbank({ ...c })
      // Both are float64 evaluations of one formula; only the order of operations differs.
      expect(bank.weights.length).toBe(c.weights.length)
      let worst = 0
      for (let i = 0; i < c.weights.length; i++)
        worst = Math.max(worst, Math.abs(bank.weights[i] - c.weights[i]))
      expect(worst).toBeLessThan(1e-12)
    },
  )

  it('is the analytic HTK triangle: 1 at a bin on a corner, linear down to its neighbours', () => {
    // 16 kHz, n_fft 64: bins every 250 Hz. With f_max chosen so corner m+1 lands on 1000 Hz.
    const melBins = 4
    const top = melToHz((hzToMel(1000, 'htk') * (melBins + 1)) / 2, 'htk') // corner 2 = 1000 Hz
    const bank = melFilterbank({
      sampleRate: 16000,
      fftSize: 64,
      melBins,
      fMinHz: 0,
      fMaxHz: top,
      scale: 'htk',
      norm: 'none',
    })
    const f = (p: number) => melToHz((p * hzToMel(top, 'htk')) / (melBins + 1), 'htk')
    expect(bank.weights[4 * melBins + 1]).toBeCloseTo(1, 12) // bin 4 = 1000 Hz, filter 1's peak
    const hz = 750 // bin 3, on filter 1's rising edge
    expect(bank.weights[3 * melBins + 1]).toBeCloseTo((hz - f(1)) / (f(2) - f(1)), 12)
  })

  it('gives Riffusion’s 512 filters over 8821 bins the ranges, sums and peaks numpy finds', () => {
    const bank = melFilterbank({
      sampleRate: 44100,
      fftSize: 17640,
      melBins: 512,
      fMinHz: 0,
      fMaxHz: 10000,
      scale: 'htk',
      norm: 'none',
    })
    expect(bank.freqBins).toBe(8821)
    for (const r of reference.riffusion.filters) {
      expect([bank.start[r.mel], bank.end[r.mel] - 1]).toEqual([r.first, r.last])
      let sum = 0
      let peak = 0
      for (let k = bank.start[r.mel]; k < bank.end[r.mel]; k++) {
        sum += bank.weights[k * 512 + r.mel]
        peak = Math.max(peak, bank.weights[k * 512 + r.mel])
      }
      expect(sum).toBeCloseTo(r.sum, 10)
      expect(peak).toBeCloseTo(r.peak, 10)
    }
  })

  it('applies as mel[m, t] = Σ_k fb[k, m] · S[k, t]', () => {
    const bank = melFilterbank({ ...reference.cases[0] })
    const frames = 3
    const spectrum = new Float32Array(bank.freqBins * frames)
    spectrum[5 * frames + 1] = 2 // bin 5, frame 1
    const mel = applyMel(bank, spectrum, frames)
    for (let m = 0; m < bank.melBins; m++) {
      expect(mel[m * frames + 1]).toBeCloseTo(2 * bank.weights[5 * bank.melBins + m], 6)
      expect(mel[m * frames]).toBe(0)
    }
  })
})

describe('inverseMel', () => {
  const c = reference.cases[0]
  const bank = melFilterbank({ ...c })
  const { frames } = reference.inversion
  const mel = Float32Array.from(reference.inversion.mel)

  it('least squares is relu(lstsq(Fᵀ, y)), the minimum-norm solution numpy finds', () => {
    const linear = inverseMel(bank, mel, frames, { method: 'least-squares' })
    // float32 in and out (1e-7 relative) and a 1e-10 ridge: 1e-5 absolute on values ~1.
    for (let i = 0; i < linear.length; i++)
      expect(linear[i]).toBeCloseTo(reference.inversion.linear[i], 5)
  })

  it('non-negative least squares fits the mel rows at least as well, never negative', () => {
    const residual = (s: Float32Array) => {
      const back = applyMel(bank, s, frames)
      return back.reduce((sum, v, i) => sum + (v - mel[i]) ** 2, 0)
    }
    const ls = inverseMel(bank, mel, frames, { method: 'least-squares' })
    const nnls = inverseMel(bank, mel, frames, { method: 'nnls', iterations: 200 })
    expect(Math.min(...nnls)).toBeGreaterThanOrEqual(0)
    expect(residual(nnls)).toBeLessThanOrEqual(residual(ls) + 1e-9)
  })

  it('turns silence into zeros, never NaN', () => {
    for (const method of ['least-squares', 'nnls'] as const) {
      const out = inverseMel(bank, new Float32Array(bank.melBins * 4), 4, { method })
      expect(out.every((v) => v === 0)).toBe(true)
    }
  })
})
