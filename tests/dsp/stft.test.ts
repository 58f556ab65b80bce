import { beforeAll, describe, expect, it } from 'vitest'
import { initFastFft, setDefaultFftBackend } from '../../src/dsp/fft'
import {
  istft,
  istftComplex,
  SignalTooShortError,
  stft,
  stftComplex,
  stftFrameCount,
  type StftOptions,
} from '../../src/dsp/stft'
import { windowEnvelope } from '../../src/dsp/stft-frames'
import { makeWindow, paddedWindow, windowSpectrumTaps, WINDOW_NAMES } from '../../src/dsp/window'
import { decodeWav } from '../../src/media/wav'
import { fixtureBytes, fixtureNpy } from '../helpers/fixtures'
import { NOTEBOOK_STFT } from '../helpers/notebook-chain'
import { mulberry32 } from '../helpers/run-context'

beforeAll(async () => {
  await initFastFft()
})

const noise = (length: number, seed: number): Float32Array => {
  const random = mulberry32(seed)
  return Float32Array.from({ length }, () => random() * 2 - 1)
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length): number {
  let worst = 0
  for (let i = from; i < to; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

describe('windows', () => {
  it('are periodic, as torch.hann_window(N) by default', () => {
    const hann = makeWindow('hann', 8)
    const expected = [0, 0.1464466, 0.5, 0.8535534, 1, 0.8535534, 0.5, 0.1464466]
    expected.forEach((v, i) => expect(hann[i]).toBeCloseTo(v, 6))
    // A periodic Hann at hop N/4 overlap-adds to exactly 1.5.
    const w = makeWindow('hann', 16)
    for (let n = 0; n < 4; n++) expect(w[n] + w[n + 4] + w[n + 8] + w[n + 12]).toBeCloseTo(2, 6)
    expect(makeWindow('hamming', 4)[0]).toBeCloseTo(0.08, 7)
    expect(makeWindow('blackman', 4)[2]).toBeCloseTo(1, 6)
    expect(Array.from(makeWindow('rectangular', 3))).toEqual([1, 1, 1])
    expect(Array.from(makeWindow('hann', 1))).toEqual([1])
  })

  it.each(WINDOW_NAMES)('%s windows a spectrum by its taps as it windows samples', (name) => {
    // DFT(w·x)_k = c0·X_k + c1·(X_{k±1}) + c2·(X_{k±2}), X periodic in N: checked in float64
    // against the windowed DFT for an odd and an even N.
    for (const n of [12, 15]) {
      const x = Array.from(noise(n, n))
      const w = makeWindow(name, n)
      const dft = (v: number[], k: number): [number, number] => {
        let re = 0
        let im = 0
        v.forEach((s, i) => {
          re += s * Math.cos((2 * Math.PI * k * i) / n)
          im -= s * Math.sin((2 * Math.PI * k * i) / n)
        })
        return [re, im]
      }
      const [c0, c1, c2] = windowSpectrumTaps(name)
      for (let k = 0; k < n; k++) {
        const at = (m: number) => dft(x, (k + m + n) % n)
        const expected = dft(
          x.map((s, i) => s * w[i]),
          k,
        )
        for (const part of [0, 1]) {
          const tapped =
            c0 * at(0)[part] + c1 * (at(-1)[part] + at(1)[part]) + c2 * (at(-2)[part] + at(2)[part])
          expect(Math.abs(tapped - expected[part])).toBeLessThan(1e-6) // w is float32
        }
      }
    }
  })
})

describe('stft', () => {
  it('puts a sine in its bin with the analytic amplitude', () => {
    // On-bin sine A·sin(2πk0n/N) under a periodic Hann: X[k0] = A·N/4 (half the energy in
    // the positive bin, times the window's mean 1/2), X[k0±1] = A·N/8, every other bin 0.
    const n = 512
    const k0 = 37
    const amplitude = 0.5
    const x = Float32Array.from(
      { length: 8192 },
      (_, i) => amplitude * Math.sin((2 * Math.PI * k0 * i) / n),
    )
    const { bins, frames, values } = stft(x, { ...NOTEBOOK_STFT, power: 1 })
    expect(bins).toBe(257)
    expect(frames).toBe(1 + Math.floor(8192 / 256))
    const t = Math.floor(frames / 2) // a frame away from the padded edges
    const at = (k: number): number => values[k * frames + t]
    // float32 arithmetic: ~1e-6 relative to the peak N·A/4 = 64.
    expect(at(k0)).toBeCloseTo((amplitude * n) / 4, 3)
    expect(at(k0 - 1)).toBeCloseTo((amplitude * n) / 8, 3)
    expect(at(k0 + 1)).toBeCloseTo((amplitude * n) / 8, 3)
    for (const k of [0, 10, k0 - 2, k0 + 2, 200, 256]) expect(at(k)).toBeLessThan(1e-3)
  })

  it('counts frames as torch does', () => {
    expect(stftFrameCount(220500, NOTEBOOK_STFT)).toBe(862)
    expect(stftFrameCount(144000, NOTEBOOK_STFT)).toBe(563)
    expect(stftFrameCount(1000, { ...NOTEBOOK_STFT, center: false })).toBe(2)
  })

  it.each([
    ['sweep_log_mono_44100', 1],
    ['chord_stereo_48000', 2],
  ])(
    'matches torchaudio Spectrogram(n_fft=512) power, channels averaged, on %s',
    (name, channelCount) => {
      const audio = decodeWav(fixtureBytes(`notebook/${name}/input.wav`))
      expect(audio.channels.length).toBe(channelCount)
      const reference = fixtureNpy(`notebook/${name}/power_spec_mean.npy`)
      const specs = audio.channels.map((c) => stft(c, { ...NOTEBOOK_STFT, power: 2 }))
      expect([1, specs[0].bins, specs[0].frames]).toEqual(reference.shape)
      const mean = new Float64Array(specs[0].values.length)
      for (const s of specs) for (let i = 0; i < mean.length; i++) mean[i] += s.values[i]
      for (let i = 0; i < mean.length; i++) mean[i] /= specs.length
      const peak = reference.data.reduce((a, b) => Math.max(a, b), 0)
      // Both are float32 FFTs: rounding error is ~ε·log2(N) of the largest values (measured
      // 2.3e-7 of the peak). 1e-5 of the peak fails any real error (a wrong window, padding or
      // frame offset moves values by whole percent).
      expect(maxAbsDiff(mean, reference.data)).toBeLessThan(1e-5 * peak)
      // Where the power is within 40 dB of the peak, agreement is better than 0.01 dB.
      for (let i = 0; i < mean.length; i++) {
        if (reference.data[i] > 1e-4 * peak) {
          expect(Math.abs(10 * Math.log10(mean[i] / reference.data[i]))).toBeLessThan(0.01)
        }
      }
    },
  )

  it('says clearly when audio is too short to reflect-pad, as torch fails at ≤ N/2 samples', () => {
    expect(() => stft(new Float32Array(256), { ...NOTEBOOK_STFT, power: 2 })).toThrow(
      new SignalTooShortError(256, 257, 512),
    )
    expect(() => stft(new Float32Array(256), { ...NOTEBOOK_STFT, power: 2 })).toThrow(
      'audio too short: 256 samples, need at least 257 for FFT size 512',
    )
    expect(stft(new Float32Array(257), { ...NOTEBOOK_STFT, power: 2 }).frames).toBe(2)
  })

  it('frames a single sample with constant padding, without NaN', () => {
    const { frames, values } = stft(new Float32Array([0.5]), {
      ...NOTEBOOK_STFT,
      padMode: 'constant',
      power: 2,
    })
    expect(frames).toBe(1)
    expect(values.every(Number.isFinite)).toBe(true)
    expect(values[0]).toBeCloseTo(0.25, 6) // the sample sits at the window's centre, w = 1
  })
})

/** torch.stft by its definition, in float64: X[k, t] = Σ_n w[n]·x̃[t·H + n]·e^{−2πikn/N}. */
function definitionStft(x: Float32Array, options: StftOptions): { re: number[]; im: number[] } {
  const { fftSize: n, hopSize } = options
  const w = paddedWindow(options.window, n, options.windowLength)
  const pad = options.center ? Math.floor(n / 2) : 0
  const sample = (j: number): number => {
    if (j >= 0 && j < x.length) return x[j]
    if (options.padMode === 'constant') return 0
    return j < 0 ? x[-j] : x[2 * x.length - 2 - j]
  }
  const frames = stftFrameCount(x.length, options)
  const bins = Math.floor(n / 2) + 1
  const re = new Array<number>(bins * frames).fill(0)
  const im = new Array<number>(bins * frames).fill(0)
  const cos = Array.from({ length: n }, (_, m) => Math.cos((2 * Math.PI * m) / n))
  const sin = Array.from({ length: n }, (_, m) => Math.sin((2 * Math.PI * m) / n))
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < n; i++) {
      const v = w[i] * sample(t * hopSize - pad + i)
      for (let k = 0; k < bins; k++) {
        re[k * frames + t] += v * cos[(k * i) % n]
        im[k * frames + t] -= v * sin[(k * i) % n]
      }
    }
  }
  return { re, im }
}

describe.each(['auto', 'js'] as const)('stft with the %s FFT backend', (backend) => {
  it.each([
    [64, 4, 'hann', undefined, 'reflect'], // 4 blocks of frames, the last one short
    [66, 16, 'hamming', undefined, 'reflect'], // 34 bins: two after the groups of four
    [64, 20, 'blackman', undefined, 'constant'],
    [64, 16, 'rectangular', undefined, 'reflect'],
    [63, 16, 'hann', undefined, 'reflect'],
    [8, 3, 'blackman', undefined, 'reflect'],
    [7, 2, 'hann', undefined, 'reflect'],
    [64, 16, 'hann', 40, 'reflect'],
    [100, 25, 'blackman', 99, 'constant'],
    [2048, 512, 'hann', undefined, 'reflect'],
  ] as const)(
    'agrees with the definition at N %i, hop %i, %s window of length %s, %s padding',
    (n, hop, window, windowLength, padMode) => {
      setDefaultFftBackend(backend)
      try {
        const options: StftOptions = {
          fftSize: n,
          hopSize: hop,
          window,
          ...(windowLength ? { windowLength } : {}),
          center: true,
          padMode,
        }
        const x = noise(Math.max(1000, 3 * n), n)
        const expected = definitionStft(x, options)
        const peak = Math.max(...expected.re.map((re, i) => Math.hypot(re, expected.im[i])))
        const complex = stftComplex(x, options)
        // float32 FFTs: ~ε·log2(N) of the peak, as the fixture comparison above.
        expect(maxAbsDiff(complex.re, expected.re)).toBeLessThan(1e-5 * peak)
        expect(maxAbsDiff(complex.im, expected.im)).toBeLessThan(1e-5 * peak)
        const magnitude = expected.re.map((re, i) => Math.hypot(re, expected.im[i]))
        const power = magnitude.map((m) => m * m)
        expect(maxAbsDiff(stft(x, { ...options, power: 1 }).values, magnitude)).toBeLessThan(
          1e-5 * peak,
        )
        const withPhase = stft(x, { ...options, power: 2, keepPhase: true })
        expect(maxAbsDiff(withPhase.values, power)).toBeLessThan(1e-5 * peak * peak)
        expect(withPhase.values).toEqual(stft(x, { ...options, power: 2 }).values)
        withPhase.phase?.forEach((phase, i) => {
          if (magnitude[i] < 1e-3 * peak) return // the angle of a rounding error is noise
          const turn = phase - Math.atan2(expected.im[i], expected.re[i])
          expect(Math.abs(Math.atan2(Math.sin(turn), Math.cos(turn)))).toBeLessThan(1e-2)
        })
      } finally {
        setDefaultFftBackend('auto')
      }
    },
  )
})

describe('windowEnvelope', () => {
  it('equals the brute-force overlap-added squared window everywhere', () => {
    for (const [n, hop, frames] of [
      [16, 4, 9],
      [15, 4, 7],
      [8, 8, 3],
      [10, 3, 2],
    ]) {
      const window = makeWindow('hann', n)
      const brute = new Float64Array(n + hop * (frames - 1))
      for (let t = 0; t < frames; t++) {
        for (let i = 0; i < n; i++) brute[t * hop + i] += window[i] * window[i]
      }
      const envelope = windowEnvelope(window, hop, frames)
      brute.forEach((v, j) => expect(envelope.at(j)).toBeCloseTo(v, 12))
    }
  })
})

describe('istft', () => {
  it.each([
    [512, 128, 'hann'],
    [512, 256, 'hann'],
    [598, 299, 'hann'],
    [511, 100, 'hamming'],
    [2048, 512, 'blackman'],
  ] as const)('inverts stft (N %i, hop %i, %s) to float32 precision', (n, hop, window) => {
    const x = noise(20000, n)
    const options: StftOptions = {
      fftSize: n,
      hopSize: hop,
      window,
      center: true,
      padMode: 'reflect',
    }
    const y = istftComplex(stftComplex(x, options), options, x.length)
    expect(y.length).toBe(x.length)
    // Samples are ≤ 1; float32 FFTs both ways leave errors of a few ε·log2(N).
    expect(maxAbsDiff(x, y)).toBeLessThan(1e-5)
  })

  it('rebuilds from magnitude and phase', () => {
    const x = noise(5000, 7)
    const spec = stft(x, { ...NOTEBOOK_STFT, hopSize: 128, power: 1, keepPhase: true })
    const phase = spec.phase
    expect(phase).toBeDefined()
    const y = istft(
      spec.values,
      phase ?? new Float32Array(),
      { ...NOTEBOOK_STFT, hopSize: 128 },
      5000,
    )
    expect(maxAbsDiff(x, y)).toBeLessThan(1e-5)
  })

  it('gives H·(frames − 1) samples by default and zeros past the frames, never NaN', () => {
    const options = { ...NOTEBOOK_STFT, hopSize: 128 }
    const spec = stftComplex(noise(1000, 3), options)
    expect(istftComplex(spec, options).length).toBe(128 * (spec.frames - 1))
    const long = istftComplex(spec, options, 2000)
    expect(long.every(Number.isFinite)).toBe(true)
    expect(maxAbsDiff(long, new Float32Array(2000), 1200)).toBe(0)
  })

  it('returns zeros, not NaN, where the window envelope vanishes', () => {
    // Uncentred periodic Hann: w[0] = 0, so the first sample has no window energy at all.
    const options = { ...NOTEBOOK_STFT, center: false, hopSize: 128 }
    const y = istftComplex(stftComplex(noise(4096, 5), options), options)
    expect(y[0]).toBe(0)
    expect(y.every(Number.isFinite)).toBe(true)
  })
})
