/**
 * Short-time Fourier transform and its inverse, with the semantics of torch.stft / torch.istft
 * (torch 1.13, onesided, unnormalised, win_length = n_fft):
 *
 *   X[k, t] = Σ_{n<N} w[n] · x̃[t·H + n] · e^{−2πikn/N},  k = 0 … ⌊N/2⌋
 *
 * where x̃ is x padded by ⌊N/2⌋ on each side when `center` (reflect or zeros), so frame t is
 * centred on sample t·H. The inverse overlap-adds w·irfft(X_t) and divides by the
 * overlap-added w² (the least-squares estimate of Griffin & Lim 1984), then trims the centre
 * padding. Matrices are bin-major: values[bin · frames + frame]. Frame-level pieces live in
 * stft-frames.ts.
 */
import type { FloatArray } from './fft'
import {
  frameReader,
  overlapAdder,
  stftFrameCount,
  type FrameOptions,
  type StftOptions,
} from './stft-frames'

export {
  minimumStftLength,
  SignalTooShortError,
  stftFrameCount,
  tooShortMessage,
  type FrameOptions,
  type StftOptions,
} from './stft-frames'

/** A complex STFT, bin-major, bins = ⌊fftSize/2⌋ + 1. */
export interface ComplexSpectrogram {
  bins: number
  frames: number
  re: Float32Array
  im: Float32Array
}

export interface Spectrogram {
  bins: number
  frames: number
  /** |X|^power, bin-major. */
  values: Float32Array
  /** arg X in radians, bin-major, when asked for. */
  phase?: Float32Array
}

const BLOCK = 64

/**
 * Reads every frame, handing blocks of up to BLOCK frames to `sink` as interleaved spectra at
 * `stride` floats per frame, so bin-major output is written a cache line at a time. The
 * stride is padded to an odd number of cache lines: a stride near 4 KiB would map every frame
 * of a bin to the same L1 set.
 */
function analyse(
  signal: FloatArray,
  options: StftOptions,
  sink: (firstFrame: number, count: number, block: Float32Array, stride: number) => void,
): void {
  const reader = frameReader(signal, options)
  const { bins, frames } = reader
  const stride = (Math.ceil((2 * bins) / 16) | 1) * 16
  const block = new Float32Array(BLOCK * stride)
  const views = Array.from({ length: BLOCK }, (_, j) =>
    block.subarray(j * stride, (j + 1) * stride),
  )
  for (let first = 0; first < frames; first += BLOCK) {
    const count = Math.min(BLOCK, frames - first)
    for (let j = 0; j < count; j++) reader.read(first + j, views[j])
    sink(first, count, block, stride)
  }
}

/** The complex STFT (torch.stft(..., return_complex=True)), bin-major. */
export function stftComplex(signal: FloatArray, options: StftOptions): ComplexSpectrogram {
  const frames = stftFrameCount(signal.length, options)
  const bins = Math.floor(options.fftSize / 2) + 1
  const re = new Float32Array(bins * frames)
  const im = new Float32Array(bins * frames)
  analyse(signal, options, (first, count, block, stride) => {
    for (let k = 0; k < bins; k++) {
      const row = k * frames + first
      for (let j = 0, at = 2 * k; j < count; j++, at += stride) {
        re[row + j] = block[at]
        im[row + j] = block[at + 1]
      }
    }
  })
  return { bins, frames, re, im }
}

/** |STFT|^power (torchaudio Spectrogram, normalized=False), with the phase if asked. */
export function stft(
  signal: FloatArray,
  options: StftOptions & { power: 1 | 2; keepPhase?: boolean },
): Spectrogram {
  const frames = stftFrameCount(signal.length, options)
  const bins = Math.floor(options.fftSize / 2) + 1
  const values = new Float32Array(bins * frames)
  const phase = options.keepPhase ? new Float32Array(bins * frames) : undefined
  const squared = options.power === 2
  analyse(signal, options, (first, count, block, stride) => {
    for (let k = 0; k < bins; k++) {
      const row = k * frames + first
      for (let j = 0, at = 2 * k; j < count; j++, at += stride) {
        const re = block[at]
        const im = block[at + 1]
        const p = re * re + im * im
        values[row + j] = squared ? p : Math.sqrt(p)
        if (phase) phase[row + j] = Math.atan2(im, re)
      }
    }
  })
  return phase ? { bins, frames, values, phase } : { bins, frames, values }
}

/**
 * torch.istft: overlap-add of w·irfft(X_t), divided by Σ_t w²[n − t·H] where that exceeds 1e-11
 * (0 elsewhere, never NaN), centre padding trimmed. Output length: `length` if given (zeros
 * past the frames), else H·(frames − 1) when centred (+1 for odd N).
 */
export function istftComplex(
  spec: ComplexSpectrogram,
  options: FrameOptions,
  length?: number,
): Float32Array {
  const { bins, frames } = spec
  if (bins !== Math.floor(options.fftSize / 2) + 1) {
    throw new RangeError(`${bins} bins do not fit FFT size ${options.fftSize}`)
  }
  const adder = overlapAdder(options, frames)
  const spectrum = new Float32Array(2 * bins)
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      spectrum[2 * k] = spec.re[k * frames + t]
      spectrum[2 * k + 1] = spec.im[k * frames + t]
    }
    adder.add(t, spectrum)
  }
  return adder.finish(length)
}

/** istftComplex from magnitude and phase (radians), both bin-major. */
export function istft(
  magnitude: Float32Array,
  phase: Float32Array,
  options: FrameOptions,
  length?: number,
): Float32Array {
  const bins = Math.floor(options.fftSize / 2) + 1
  const frames = magnitude.length / bins
  if (!Number.isInteger(frames) || phase.length !== magnitude.length) {
    throw new RangeError(
      `magnitude (${magnitude.length}) and phase (${phase.length}) must be ${bins}×frames`,
    )
  }
  const re = new Float32Array(magnitude.length)
  const im = new Float32Array(magnitude.length)
  for (let i = 0; i < magnitude.length; i++) {
    re[i] = magnitude[i] * Math.cos(phase[i])
    im[i] = magnitude[i] * Math.sin(phase[i])
  }
  return istftComplex({ bins, frames, re, im }, options, length)
}
