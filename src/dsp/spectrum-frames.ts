/**
 * Spectra of a sound at a video frame rate, read at log-spaced frequencies: the analysis behind
 * audio-driven image sequences.
 *
 * Timing: frame i describes the sound around t_i = i / fps, from a window of `fftSize` samples
 * centred on sample c_i = round(i · rate / fps), zeros outside the sound (librosa's centred
 * frames, `center=True, pad_mode='constant'`, with a hop of rate / fps samples, which need not
 * be whole). A sound of S samples gives ⌈S · fps / rate⌉ frames: every frame starts before the
 * sound ends, and a video at `fps` lasts at least as long as the sound.
 *
 * Level: A_k = 2 |X_k| / Σ_n w_n, the amplitude of a sinusoid centred on bin k, so a full-scale
 * sine reads 1 (0 dBFS) (Heinzel, Rüdiger & Schilling 2002, "Spectrum and spectral density
 * estimation by the DFT", §9, the amplitude spectrum). Several channels: √(mean A²), the
 * level of their power average (phases cannot cancel).
 *
 * Bins: f_j = fmin · (fmax / fmin)^(j / (N − 1)), j = 0 … N − 1 (logarithmic, as a piano's keys).
 * Bin j reads the loudest FFT bin whose centre frequency lies in its band [f_j / √r, f_j · √r),
 * r = (fmax / fmin)^(1 / (N − 1)) the ratio between neighbours, so no tone between bins is
 * missed; where that band holds no FFT bin (low frequencies, narrower than rate / fftSize), A
 * is interpolated linearly at f_j between the two FFT bins around it.
 */
import { createRealFft } from './fft'
import { makeWindow, type WindowName } from './window'

export interface SpectrumFrameOptions {
  fps: number
  fftSize: number
  bins: number
  minHz: number
  maxHz: number
  window?: WindowName
}

/** Frames `start` … `start + count − 1` only (clipped to the sound's frames); default all. */
export interface FrameSpan {
  start: number
  count: number
}

/** The frame indices a span covers in a sequence of `total` frames: [from, to). */
function spanOf(total: number, span?: FrameSpan): [number, number] {
  if (!span) return [0, total]
  const from = Math.min(total, Math.max(0, span.start))
  return [from, Math.min(total, from + Math.max(0, span.count))]
}

/** ⌈S · fps / rate⌉ frames for S samples (at least one for a sound of one sample or more). */
export function spectrumFrameCount(samples: number, sampleRate: number, fps: number): number {
  if (samples <= 0) return 0
  // The tolerance keeps 3 s at 24 fps at 72 frames despite rounding in S · fps / rate.
  return Math.max(1, Math.ceil((samples * fps) / sampleRate - 1e-9))
}

/** The centre sample of frame i: round(i · rate / fps). */
export function frameCentreSample(frame: number, sampleRate: number, fps: number): number {
  return Math.round((frame * sampleRate) / fps)
}

/** f_j = fmin · (fmax / fmin)^(j / (N − 1)); one bin sits at fmin. */
export function logBinFrequencies(count: number, minHz: number, maxHz: number): Float64Array {
  const out = new Float64Array(count)
  const ratio = maxHz / minHz
  for (let j = 0; j < count; j++) out[j] = count === 1 ? minHz : minHz * ratio ** (j / (count - 1))
  return out
}

/** How each log bin reads the FFT: a band of FFT bins [lo, hi], or interpolation at `at`. */
interface BinReader {
  lo: number
  hi: number
  at: number
}

function binReaders(freqs: Float64Array, fftSize: number, sampleRate: number): BinReader[] {
  const hzPerBin = sampleRate / fftSize
  const last = Math.floor(fftSize / 2)
  const halfStep = freqs.length > 1 ? Math.sqrt(freqs[1] / freqs[0]) : 1
  return Array.from(freqs, (f) => {
    const lo = Math.ceil(f / halfStep / hzPerBin)
    const hi = Math.min(last, Math.ceil((f * halfStep) / hzPerBin) - 1)
    return { lo, hi, at: Math.min(last, f / hzPerBin) }
  })
}

/**
 * The spectrum of every frame at the log bins, as amplitudes (see above): one Float32Array of
 * `bins` values per frame (per frame of `span`, when given: each frame depends only on its own
 * window of the sound). Calls `onFrame` after each frame (for progress and cancellation).
 */
export function spectrumFrames(
  channels: readonly Float32Array[],
  sampleRate: number,
  options: SpectrumFrameOptions,
  onFrame?: (done: number, total: number) => void,
  span?: FrameSpan,
): Float32Array[] {
  const { fps, fftSize, bins } = options
  const samples = channels[0]?.length ?? 0
  const count = spectrumFrameCount(samples, sampleRate, fps)
  const window = makeWindow(options.window ?? 'hann', fftSize)
  let windowSum = 0
  for (let n = 0; n < fftSize; n++) windowSum += window[n]
  const gain = 2 / windowSum
  const fft = createRealFft(fftSize)
  const fftBins = fft.bins
  const input = new Float64Array(fftSize)
  const spectrum = new Float64Array(2 * fftBins)
  const power = new Float64Array(fftBins)
  const readers = binReaders(
    logBinFrequencies(bins, options.minHz, options.maxHz),
    fftSize,
    sampleRate,
  )
  const half = Math.floor(fftSize / 2)
  const out: Float32Array[] = []
  const [from, to] = spanOf(count, span)
  for (let i = from; i < to; i++) {
    const start = frameCentreSample(i, sampleRate, fps) - half
    power.fill(0)
    for (const channel of channels) {
      for (let n = 0; n < fftSize; n++) {
        const s = start + n
        input[n] = s >= 0 && s < samples ? channel[s] * window[n] : 0
      }
      fft.forwardInterleaved(input, spectrum)
      for (let k = 0; k < fftBins; k++) {
        const re = spectrum[2 * k]
        const im = spectrum[2 * k + 1]
        power[k] += re * re + im * im
      }
    }
    const scale = (gain * gain) / Math.max(1, channels.length)
    const frame = new Float32Array(bins)
    for (let j = 0; j < bins; j++) {
      const { lo, hi, at } = readers[j]
      let p: number
      if (lo <= hi) {
        p = 0
        for (let k = lo; k <= hi; k++) if (power[k] > p) p = power[k]
      } else {
        // Interpolate the amplitude, not the power, between the FFT bins around f_j.
        const k0 = Math.floor(at)
        const k1 = Math.min(fftBins - 1, k0 + 1)
        const t = at - k0
        p = ((1 - t) * Math.sqrt(power[k0]) + t * Math.sqrt(power[k1])) ** 2
      }
      frame[j] = Math.sqrt(p * scale)
    }
    out.push(frame)
    onFrame?.(i + 1 - from, to - from)
  }
  return out
}

/**
 * Amplitudes to 0..1 for pictures: 'db' maps 20·log10(A) from `floorDb` (black) to 0 dBFS (white),
 * 'linear' clamps A itself to 0..1. Silence gives 0 in both.
 */
export function levelsToUnit(
  amplitudes: Float32Array,
  scale: 'db' | 'linear',
  floorDb: number,
): Float32Array {
  const out = new Float32Array(amplitudes.length)
  for (let j = 0; j < amplitudes.length; j++) {
    const a = amplitudes[j]
    const v = scale === 'linear' ? a : (20 * Math.log10(Math.max(a, 1e-12)) - floorDb) / -floorDb
    out[j] = v > 1 ? 1 : v > 0 ? v : 0
  }
  return out
}

/**
 * The Spectral Diffusion post's bins: integer FFT indices
 *   idx_j = ⌊10^(1 + j · (log10(N/2) − 1) / (count − 1))⌋,  j = 0 … count − 1
 * (numpy's `logspace(1, log10(n_window / 2), count).astype(int)`), so several low bins can
 * read the same index, as the post's CSV does.
 */
export function postBinIndices(count: number, fftSize: number): Int32Array {
  // numpy's linspace: start + j · step, the last point set to the stop exactly.
  const top = Math.log10(fftSize / 2)
  const step = count > 1 ? (top - 1) / (count - 1) : 0
  return Int32Array.from({ length: count }, (_, j) => {
    const exponent = count > 1 && j === count - 1 ? top : 1 + j * step
    return Math.trunc(10 ** exponent) // astype(int) truncates toward zero
  })
}

/** Where frame i's chunk starts and how long it is: the rate / fps samples from round(i·rate/fps). */
export function postChunk(frame: number, sampleRate: number, fps: number): [number, number] {
  const start = frameCentreSample(frame, sampleRate, fps)
  return [start, frameCentreSample(frame + 1, sampleRate, fps) - start]
}

/**
 * The post's spectra, frame by frame: the frame's chunk of rate / fps samples, mono as the mean
 * of the channels ((L + R) / 2), scaled as the post's int16 samples / 2¹⁶ (that is s / 2 for
 * floats s = int16 / 2¹⁵), cut or zero-padded to `fftSize` samples with no window
 * (`numpy.fft.rfft(chunk, n_window)`), and |X| read at `postBinIndices`: linear amplitudes,
 * one row per frame, as its CSV.
 */
export function postSpectrumFrames(
  channels: readonly Float32Array[],
  sampleRate: number,
  options: { fps: number; fftSize: number; bins: number },
  onFrame?: (done: number, total: number) => void,
  span?: FrameSpan,
): Float32Array[] {
  const { fps, fftSize, bins } = options
  const samples = channels[0]?.length ?? 0
  const count = spectrumFrameCount(samples, sampleRate, fps)
  const [from, to] = spanOf(count, span)
  const fft = createRealFft(fftSize)
  const input = new Float64Array(fftSize)
  const spectrum = new Float64Array(2 * fft.bins)
  const indices = postBinIndices(bins, fftSize)
  const scale = 1 / (2 * Math.max(1, channels.length))
  const out: Float32Array[] = []
  for (let i = from; i < to; i++) {
    const [start, length] = postChunk(i, sampleRate, fps)
    input.fill(0)
    const end = Math.min(start + Math.min(length, fftSize), samples)
    for (const channel of channels)
      for (let s = start; s < end; s++) input[s - start] += channel[s] * scale
    fft.forwardInterleaved(input, spectrum)
    out.push(Float32Array.from(indices, (k) => Math.hypot(spectrum[2 * k], spectrum[2 * k + 1])))
    onFrame?.(i + 1 - from, to - from)
  }
  return out
}
