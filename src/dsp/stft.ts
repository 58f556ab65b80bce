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
 *
 * Speed: where the mixed-radix WASM module takes the size, stft-wasm.ts runs every frame in
 * WASM, four per SIMD pass (src/dsp/wasm/stft.inc.c); the JavaScript below is the fallback and
 * the reference. There frames are transformed a block at a time in the WASM heap, the window
 * is applied to the spectrum as taps (window.ts: exact for full-length windows, and it leaves
 * a plain copy of the samples per frame), and each bin's row is written a block of frames at
 * once. bench/dsp.ts times it on 3 minutes of audio.
 */
import { mixedRadixModule, type FloatArray } from './fft'
import {
  blockReader,
  checkFraming,
  normaliseOverlap,
  overlapAdder,
  type BlockReader,
  type SpectrumTaps,
  stftFrameCount,
  type FrameOptions,
  type StftOptions,
} from './stft-frames'
import { overlapAddWasm, stftWasm } from './stft-wasm'

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

/**
 * Frames per block: as many spectra as fit in 512 KiB (they stay in L2 while every bin's row
 * is written), 8 to 64, so each row gets up to 64 consecutive frames (4 cache lines) per block.
 */
function blockFrames(fftSize: number): number {
  return Math.max(8, Math.min(64, Math.floor(131072 / (fftSize + 16))))
}

/**
 * Reads every frame, a block at a time, and hands `sink` each block's slots: the spectra X
 * that the reader's taps turn into the windowed spectra Y (stft-frames.ts, blockReader).
 */
function analyse(
  signal: FloatArray,
  options: StftOptions,
  sink: (first: number, count: number, memory: Float32Array, reader: BlockReader) => void,
): void {
  const slots = blockFrames(options.fftSize)
  const reader = blockReader(signal, options, slots)
  try {
    for (let first = 0; first < reader.frames; first += slots) {
      const count = Math.min(slots, reader.frames - first)
      reader.read(first, count)
      sink(first, count, reader.block.memory(), reader)
    }
  } finally {
    reader.free()
  }
}

/**
 * Writes Y = taps ⊛ X of slots 0 … count − 1 into spectrum[j·2·bins …], interleaved, frame by
 * frame: the general path (complex values, phase).
 */
function windowed(
  memory: Float32Array,
  reader: BlockReader,
  count: number,
  spectrum: Float32Array,
): void {
  const { bins, block } = reader
  const [c0, c1, c2] = reader.taps
  for (let j = 0; j < count; j++) {
    const from = block.spectra + j * block.stride
    const to = 2 * j * bins
    for (let i = 0; i < 2 * bins; i++) {
      const at = from + i
      spectrum[to + i] =
        c0 * memory[at] +
        c1 * (memory[at - 2] + memory[at + 2]) +
        c2 * (memory[at - 4] + memory[at + 4])
    }
  }
}

/** The complex STFT (torch.stft(..., return_complex=True)), bin-major. */
export function stftComplex(signal: FloatArray, options: StftOptions): ComplexSpectrogram {
  const frames = stftFrameCount(signal.length, options)
  const bins = Math.floor(options.fftSize / 2) + 1
  const fast = stftWasm(mixedRadixModule(), signal, options, 'complex')
  if (fast) return { bins, frames, re: fast[0], im: fast[1] }
  const re = new Float32Array(bins * frames)
  const im = new Float32Array(bins * frames)
  const spectrum = new Float32Array(blockFrames(options.fftSize) * 2 * bins)
  analyse(signal, options, (first, count, memory, reader) => {
    windowed(memory, reader, count, spectrum)
    for (let k = 0; k < bins; k++) {
      const row = k * frames + first
      for (let j = 0, at = 2 * k; j < count; j++, at += 2 * bins) {
        re[row + j] = spectrum[at]
        im[row + j] = spectrum[at + 1]
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
  const mode = options.keepPhase ? 'phase' : options.power === 1 ? 'magnitude' : 'power'
  const fast = stftWasm(mixedRadixModule(), signal, options, mode)
  if (fast && options.keepPhase && options.power === 1) squareRoots(fast[0])
  if (fast) return { bins, frames, values: fast[0], ...(fast[1] ? { phase: fast[1] } : {}) }
  const values = new Float32Array(bins * frames)
  if (!options.keepPhase) {
    analyse(signal, options, (first, count, memory, reader) =>
      powerRows(memory, reader, first, count, values, frames),
    )
    if (options.power === 1) squareRoots(values)
    return { bins, frames, values }
  }
  const phase = new Float32Array(bins * frames)
  const spectrum = new Float32Array(blockFrames(options.fftSize) * 2 * bins)
  analyse(signal, options, (first, count, memory, reader) => {
    // Values as without the phase, to the last bit; the phase from Y rounded to float32.
    powerRows(memory, reader, first, count, values, frames)
    windowed(memory, reader, count, spectrum)
    for (let k = 0; k < bins; k++) {
      const row = k * frames + first
      for (let j = 0, at = 2 * k; j < count; j++, at += 2 * bins) {
        phase[row + j] = Math.atan2(spectrum[at + 1], spectrum[at])
      }
    }
  })
  if (options.power === 1) squareRoots(values)
  return { bins, frames, values, phase }
}

/**
 * values[k·frames + first + j] = |Y_k|² of slot j, Y = taps ⊛ X: the hot path, reading the
 * slots where the FFT left them and writing each bin's row a block of frames at a time.
 * Three-tap windows (all but Blackman) go four bins per pass, sharing their neighbours' loads.
 * Each loop lives in its own function, so V8 never meets a loop it has no type feedback for.
 */
function powerRows(
  memory: Float32Array,
  reader: BlockReader,
  first: number,
  count: number,
  values: Float32Array,
  frames: number,
): void {
  const [c0, c1, c2] = reader.taps
  const { spectra, stride } = reader.block
  const bins = reader.bins
  const done = c2 === 0 ? bins - (bins % 4) : 0
  if (done > 0) threeTapRows(memory, spectra, stride, c0, c1, count, values, first, frames, done)
  for (let k = done; k < bins; k++) {
    fiveTapRow(memory, spectra + 2 * k, stride, reader.taps, count, values, k * frames + first)
  }
}

function threeTapRows(
  memory: Float32Array,
  spectra: number,
  stride: number,
  c0: number,
  c1: number,
  count: number,
  values: Float32Array,
  first: number,
  frames: number,
  bins: number,
): void {
  const twoRows = 2 * frames
  const threeRows = 3 * frames
  for (let k = 0; k < bins; k += 4) {
    // Indices kept as one running value and constant offsets: V8 runs this ~1.5× faster
    // than recomputing row + j per store (measured).
    let row = k * frames + first
    const end = row + count
    for (let at = spectra + 2 * k; row < end; row++, at += stride) {
      const m1r = memory[at - 2]
      const m1i = memory[at - 1]
      const x0r = memory[at]
      const x0i = memory[at + 1]
      const x1r = memory[at + 2]
      const x1i = memory[at + 3]
      const x2r = memory[at + 4]
      const x2i = memory[at + 5]
      const x3r = memory[at + 6]
      const x3i = memory[at + 7]
      const p4r = memory[at + 8]
      const p4i = memory[at + 9]
      const ar = c0 * x0r + c1 * (m1r + x1r)
      const ai = c0 * x0i + c1 * (m1i + x1i)
      const br = c0 * x1r + c1 * (x0r + x2r)
      const bi = c0 * x1i + c1 * (x0i + x2i)
      const cr = c0 * x2r + c1 * (x1r + x3r)
      const ci = c0 * x2i + c1 * (x1i + x3i)
      const dr = c0 * x3r + c1 * (x2r + p4r)
      const di = c0 * x3i + c1 * (x2i + p4i)
      values[row] = ar * ar + ai * ai
      values[row + frames] = br * br + bi * bi
      values[row + twoRows] = cr * cr + ci * ci
      values[row + threeRows] = dr * dr + di * di
    }
  }
}

/** One bin's row, from its value in slot 0 at `at`, any taps. */
function fiveTapRow(
  memory: Float32Array,
  at: number,
  stride: number,
  taps: SpectrumTaps,
  count: number,
  values: Float32Array,
  row: number,
): void {
  const [c0, c1, c2] = taps
  for (let end = row + count; row < end; row++, at += stride) {
    const re =
      c0 * memory[at] +
      c1 * (memory[at - 2] + memory[at + 2]) +
      c2 * (memory[at - 4] + memory[at + 4])
    const im =
      c0 * memory[at + 1] +
      c1 * (memory[at - 1] + memory[at + 3]) +
      c2 * (memory[at - 3] + memory[at + 5])
    values[row] = re * re + im * im
  }
}

/** |X| from |X|², in place. */
function squareRoots(values: Float32Array): void {
  for (let i = 0; i < values.length; i++) values[i] = Math.sqrt(values[i])
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
  checkFraming(options)
  const fast = overlapAddWasm(mixedRadixModule(), spec, options, (sum, interior) =>
    normaliseOverlap(sum, options, frames, length, interior),
  )
  if (fast) return fast
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
