/**
 * Short-time Fourier transform and its inverse, with the semantics of torch.stft / torch.istft
 * (torch 1.13, onesided, unnormalised, win_length = n_fft):
 *
 *   X[k, t] = Σ_{n<N} w[n] · x̃[t·H + n] · e^{−2πikn/N},  k = 0 … ⌊N/2⌋
 *
 * where x̃ is x padded by ⌊N/2⌋ on each side when `center` (reflect or zeros), so frame t is
 * centred on sample t·H; frames = 1 + ⌊(L̃ − N)/H⌋. The inverse overlap-adds w·irfft(X_t) and
 * divides by the overlap-added w² (the least-squares estimate of Griffin & Lim 1984), then
 * trims the centre padding. Matrices are bin-major: values[bin · frames + frame].
 */
import { createRealFft, type FloatArray } from './fft'
import { minimumLengthForPad, paddedSample, type PadMode } from './reflect-pad'
import { makeWindow, type WindowName } from './window'

export interface FrameOptions {
  fftSize: number
  hopSize: number
  window: WindowName
  center: boolean
}

export interface StftOptions extends FrameOptions {
  padMode: PadMode
}

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

/** Thrown when a signal is too short for the framing; the message is meant for users. */
export class SignalTooShortError extends RangeError {
  override readonly name = 'SignalTooShortError'
  constructor(
    readonly length: number,
    readonly minimum: number,
    readonly fftSize: number,
  ) {
    super(`audio too short: ${length} samples, need at least ${minimum} for FFT size ${fftSize}`)
  }
}

/** The fewest samples the options can frame (reflect padding needs ⌊N/2⌋ + 1, as torch). */
export function minimumStftLength(options: StftOptions): number {
  if (!options.center) return options.fftSize
  return Math.max(1, minimumLengthForPad(Math.floor(options.fftSize / 2), options.padMode))
}

export function stftFrameCount(length: number, options: FrameOptions): number {
  const padded = options.center ? length + 2 * Math.floor(options.fftSize / 2) : length
  return padded < options.fftSize ? 0 : 1 + Math.floor((padded - options.fftSize) / options.hopSize)
}

function checkFraming({ fftSize, hopSize }: FrameOptions): void {
  if (!Number.isInteger(fftSize) || fftSize < 1) throw new RangeError(`Bad FFT size ${fftSize}`)
  if (!Number.isInteger(hopSize) || hopSize < 1) throw new RangeError(`Bad hop size ${hopSize}`)
}

const BLOCK = 64

/**
 * Runs the windowed FFT over every frame, handing blocks of up to BLOCK frames to `sink` as
 * interleaved spectra at `stride` floats per frame, so bin-major output is written a cache line
 * at a time. The stride is padded to an odd number of cache lines: a stride near 4 KiB would
 * map every frame of a bin to the same L1 set.
 */
function analyse(
  signal: FloatArray,
  options: StftOptions,
  sink: (firstFrame: number, count: number, block: Float32Array, stride: number) => void,
): { bins: number; frames: number } {
  checkFraming(options)
  const { fftSize: n, hopSize, center, padMode } = options
  const minimum = minimumStftLength(options)
  if (signal.length < minimum) throw new SignalTooShortError(signal.length, minimum, n)
  const pad = center ? Math.floor(n / 2) : 0
  const length = signal.length
  const frames = stftFrameCount(signal.length, options)
  const fft = createRealFft(n)
  const bins = fft.bins
  const window = makeWindow(options.window, n)
  const frame = new Float32Array(n)
  const stride = (Math.ceil((2 * bins) / 16) | 1) * 16
  const block = new Float32Array(BLOCK * stride)
  const views = Array.from({ length: BLOCK }, (_, j) =>
    block.subarray(j * stride, (j + 1) * stride),
  )
  for (let first = 0; first < frames; first += BLOCK) {
    const count = Math.min(BLOCK, frames - first)
    for (let j = 0; j < count; j++) {
      const start = (first + j) * hopSize - pad
      if (start >= 0 && start + n <= length) {
        for (let i = 0; i < n; i++) frame[i] = signal[start + i] * window[i]
      } else {
        for (let i = 0; i < n; i++) frame[i] = paddedSample(signal, start + i, padMode) * window[i]
      }
      fft.forwardInterleaved(frame, views[j])
    }
    sink(first, count, block, stride)
  }
  return { bins, frames }
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
 * torch.istft: overlap-add of w·irfft(X_t), divided by Σ_t w²[n − t·H] where that sum exceeds
 * 1e-11 (torch raises there instead; we output 0, never NaN), centre padding trimmed. Output
 * length: `length` if given (zero-filled past the frames), else H·(frames − 1) when centred.
 */
export function istftComplex(
  spec: ComplexSpectrogram,
  options: FrameOptions,
  length?: number,
): Float32Array {
  checkFraming(options)
  const { fftSize: n, hopSize, center } = options
  const { bins, frames } = spec
  const fft = createRealFft(n)
  if (bins !== fft.bins) throw new RangeError(`${bins} bins do not fit FFT size ${n}`)
  const window = makeWindow(options.window, n)
  const fullLength = frames > 0 ? n + hopSize * (frames - 1) : 0
  const sum = new Float64Array(fullLength)
  const envelope = new Float64Array(fullLength)
  const re = new Float32Array(bins)
  const im = new Float32Array(bins)
  const frame = new Float32Array(n)
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      re[k] = spec.re[k * frames + t]
      im[k] = spec.im[k * frames + t]
    }
    fft.inverse(re, im, frame)
    const start = t * hopSize
    for (let i = 0; i < n; i++) {
      sum[start + i] += frame[i] * window[i]
      envelope[start + i] += window[i] * window[i]
    }
  }
  const offset = center ? Math.floor(n / 2) : 0
  const natural = Math.max(0, fullLength - 2 * offset)
  const outLength = length ?? natural
  const out = new Float32Array(outLength)
  for (let i = 0; i < outLength; i++) {
    const at = offset + i
    if (at < fullLength && envelope[at] > 1e-11) out[i] = sum[at] / envelope[at]
  }
  return out
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
