/**
 * Griffin-Lim phase reconstruction with the "fast" momentum of Perraudin, Balazs & Søndergaard
 * (2013), exactly as torchaudio.functional.griffinlim (0.13) applies it. With S the target
 * magnitude, A the current unit phasors and α = m/(1+m) for the user-facing momentum m:
 *
 *   x      = ISTFT(S·A)                      (torch.istft, length = default)
 *   R_i    = STFT(x)                         (centred, reflect-padded)
 *   A      = (R_i − α·R_{i−1}) / (|R_i − α·R_{i−1}| + 1e-16),   R_0 = 0
 *
 * repeated `iterations` times, then x = ISTFT(S·A). The spectral convergence reported per
 * iteration is ‖|R_i| − S‖_F / ‖S‖_F (Sturmel & Daudet 2011).
 *
 * Speed: for the sizes the mixed-radix WASM FFT takes (all but those with a prime factor above
 * 31), the iterations run whole in WebAssembly, four frames per SIMD pass (griffin-lim-wasm.ts,
 * wasm/griffin-lim.inc.c); the working set is laid out once and an iteration is one call. Else,
 * and on the 'js' backend, the loop below: each frame transformed where it lies in a one-slot
 * SpectrumBlock, S·A written over R_i there, overlap-added from there.
 */
import { createRealFft, mixedRadixModule } from './fft'
import { mixedRadixSupports } from './fft-wasm'
import { griffinLimWasm } from './griffin-lim-wasm'
import { paddedWindow, type WindowName } from './window'

/** Initial phasors: unit with uniform phase; torch.rand on complex (re, im uniform in [0, 1)),
 * as the notebook's GriffinLim draws them; or explicit values, bin-major. */
export type GriffinLimInit =
  'random-phase' | 'notebook' | { re: ArrayLike<number>; im: ArrayLike<number> }

export interface GriffinLimOptions {
  fftSize: number
  hopSize: number
  window: WindowName
  /** Samples the window spans, centred in the frame (torch's win_length); default fftSize. */
  windowLength?: number
  iterations: number
  /** torchaudio's momentum, 0 ≤ m < 1 (0.99 in the notebook); applied as m/(1+m). */
  momentum: number
  init: GriffinLimInit
  /** Uniform in [0, 1); needed by the random starts. */
  random?: () => number
  /** Called after each iteration (1-based) with its spectral convergence. */
  onIteration?: (iteration: number, spectralConvergence: number) => void
  /** Checked before every iteration: cancellation stops within one iteration. */
  signal?: { throwIfAborted(): void }
}

export interface GriffinLimResult {
  waveform: Float32Array
  /** Spectral convergence after each iteration. */
  convergence: Float32Array
}

/**
 * Where the frames lie (centred, as torch.stft and torch.istft put them): the padded signal's
 * length n + hop·(frames − 1), the estimate's offset ⌊n/2⌋ and length in it, whether its ends are
 * reflected (torch pads by reflection; with no more samples than the offset, zeros), and the
 * window's nonzero span [lo, hi) (with a window shorter than the FFT, win_length, the samples
 * outside it are zero in every frame, so the loops skip them).
 */
export function griffinLimFraming(
  window: Float32Array,
  hop: number,
  frames: number,
): {
  offset: number
  fullLength: number
  length: number
  lo: number
  hi: number
  reflect: boolean
} {
  const n = window.length
  const offset = Math.floor(n / 2)
  const fullLength = n + hop * (frames - 1)
  const length = fullLength - 2 * offset
  let lo = 0
  while (lo < n && window[lo] === 0) lo++
  let hi = n
  while (hi > lo && window[hi - 1] === 0) hi--
  return { offset, fullLength, length, lo, hi, reflect: length > offset }
}

/**
 * Reconstructs a waveform whose STFT magnitude approximates `magnitude` (bin-major,
 * bins = ⌊fftSize/2⌋ + 1 rows). Output length hop·(frames − 1) (+1 for odd fftSize), as
 * torch.istft gives without `length`.
 */
export function griffinLim(magnitude: Float32Array, options: GriffinLimOptions): GriffinLimResult {
  const { fftSize: n, hopSize: hop, iterations, momentum } = options
  if (!(momentum >= 0 && momentum < 1))
    throw new RangeError(`momentum ${momentum} is not in [0, 1)`)
  if (!Number.isInteger(hop) || hop < 1 || hop > n) throw new RangeError(`Bad hop size ${hop}`)
  const fft = createRealFft(n)
  const bins = fft.bins
  const frames = magnitude.length / bins
  if (!Number.isInteger(frames) || frames < 1) {
    throw new RangeError(`${magnitude.length} values are not ${bins} bins × frames`)
  }
  const window = paddedWindow(options.window, n, options.windowLength)
  const size = bins * frames
  const { offset, fullLength, length, lo, hi, reflect } = griffinLimFraming(window, hop, frames)
  const alpha = momentum / (1 + momentum)
  const convergence = new Float32Array(iterations)
  // ‖S‖², for the spectral convergence (the WASM path sums it in its setup, in the same order).
  let targetEnergy = 0
  const report = (iteration: number, error: number): void => {
    const sc = targetEnergy > 0 ? Math.sqrt(error / targetEnergy) : 0
    convergence[iteration - 1] = sc
    options.onIteration?.(iteration, sc)
  }

  const wasm = mixedRadixModule()
  if (wasm && mixedRadixSupports(n)) {
    const waveform = griffinLimWasm(wasm, {
      n,
      hop,
      bins,
      frames,
      window,
      lo,
      hi,
      offset,
      length,
      reflect,
      alpha,
      iterations,
      signal: options.signal,
      magnitude,
      start: startRows(bins, frames, options),
      onEnergy: (energy) => (targetEnergy = energy),
      onError: report,
    })
    return { waveform, convergence }
  }

  // 1 / Σ w² overlap-added, 0 where the envelope vanishes (torch would raise there).
  const inverseEnvelope = new Float64Array(fullLength)
  const squares = Float64Array.from(window, (w) => w * w)
  for (let t = 0; t < frames; t++) {
    for (let i = lo, at = t * hop + lo; i < hi; i++, at++) inverseEnvelope[at] += squares[i]
  }
  for (let i = 0; i < fullLength; i++) {
    const e = inverseEnvelope[i]
    inverseEnvelope[i] = e > 1e-11 ? 1 / e : 0
  }
  for (let i = 0; i < size; i++) targetEnergy += magnitude[i] * magnitude[i]
  // Frame-major working set: mag[t·bins + k]; prev = R_{i−1} interleaved (re, im) per bin.
  const mag = new Float32Array(size)
  for (let k = 0; k < bins; k++) {
    for (let t = 0; t < frames; t++) mag[t * bins + k] = magnitude[k * frames + t]
  }
  const stride = 2 * bins
  const prev = new Float32Array(2 * size)
  // Synthesis window with the inverse FFT's 1/N folded in.
  const synthesisWindow = window.map((w) => w / n)
  const sum = new Float64Array(fullLength)
  const padded = new Float32Array(fullLength)
  const block = fft.createBlock(1)
  const { time, spectra: slot } = block

  /** Overlap-adds w·irfft(slot) for frame t into sum (normalised by the envelope later). */
  const synthesise = (t: number): void => {
    block.inverse(0)
    overlapAdd(block.memory(), time, synthesisWindow, lo, hi, sum, t * hop)
  }

  try {
    // x = ISTFT(S·A0); S·A0 is needed only here, so it is not kept.
    startingPoint(mag, bins, frames, options, (t, spectrum) => {
      block.memory().set(spectrum, slot)
      synthesise(t)
    })
    // Each pass: the estimate x (normalised, trimmed, reflect-padded as torch.stft pads it),
    // then per frame its spectrum R_i, the phase update, and at once the frame of the next ISTFT.
    for (let iteration = 0; iteration < iterations; iteration++) {
      options.signal?.throwIfAborted()
      for (let i = offset; i < offset + length; i++) {
        padded[i] = sum[i] * inverseEnvelope[i]
        sum[i] = 0 // cleared on the way for the next overlap-add
      }
      for (let j = 1; j <= offset; j++) {
        padded[offset - j] = reflect ? padded[offset + j] : 0
        padded[offset + length - 1 + j] = reflect ? padded[offset + length - 1 - j] : 0
      }
      sum.fill(0, 0, offset)
      sum.fill(0, offset + length)
      let error = 0
      for (let t = 0; t < frames; t++) {
        const start = t * hop
        windowSpan(block.memory(), time, padded, start, window, lo, hi)
        block.forward(0)
        error += update(block.memory(), slot, mag, t * bins, prev, t * stride, bins, alpha)
        synthesise(t)
      }
      report(iteration + 1, error)
    }
  } finally {
    block.free()
  }
  const waveform = new Float32Array(length)
  for (let i = 0; i < length; i++) waveform[i] = sum[offset + i] * inverseEnvelope[offset + i]
  return { waveform, convergence }
}

/**
 * One frame's phase update, in place: reads R from the slot at `at` and writes S·A over it,
 * A = (R − α·R_{i−1}) / (|R − α·R_{i−1}| + 1e-16); keeps R as R_{i−1}. Returns Σ (|R| − S)².
 */
function update(
  memory: Float32Array,
  at: number,
  mag: Float32Array,
  magAt: number,
  prev: Float32Array,
  prevAt: number,
  bins: number,
  alpha: number,
): number {
  let error = 0
  for (let k = 0, x = at, p = prevAt; k < bins; k++, x += 2, p += 2) {
    const rr = memory[x]
    const ri = memory[x + 1]
    const m = mag[magAt + k]
    if (m === 0) {
      // A zero target stays zero whatever the phase, and its R_{i−1} is never read: only
      // the error needs this bin.
      error += rr * rr + ri * ri
      memory[x] = 0
      memory[x + 1] = 0
      continue
    }
    const d = Math.sqrt(rr * rr + ri * ri) - m
    error += d * d
    const ar = rr - alpha * prev[p]
    const ai = ri - alpha * prev[p + 1]
    prev[p] = rr
    prev[p + 1] = ri
    const scale = m / (Math.sqrt(ar * ar + ai * ai) + 1e-16)
    memory[x] = ar * scale
    memory[x + 1] = ai * scale
  }
  return error
}

/** sum[start + i] += frame[at + i]·window[i] for lo ≤ i < hi. */
function overlapAdd(
  frame: Float32Array,
  at: number,
  window: Float32Array,
  lo: number,
  hi: number,
  sum: Float64Array,
  start: number,
): void {
  let i = lo
  // Unrolled by four: V8 runs these loops ~1.5× faster so (measured in bench).
  for (; i + 3 < hi; i += 4) {
    sum[start + i] += frame[at + i] * window[i]
    sum[start + i + 1] += frame[at + i + 1] * window[i + 1]
    sum[start + i + 2] += frame[at + i + 2] * window[i + 2]
    sum[start + i + 3] += frame[at + i + 3] * window[i + 3]
  }
  for (; i < hi; i++) sum[start + i] += frame[at + i] * window[i]
}

/** memory[at + i] = x[start + i]·window[i] on the window's span [lo, hi), zeros outside. */
function windowSpan(
  memory: Float32Array,
  at: number,
  x: Float32Array,
  start: number,
  window: Float32Array,
  lo: number,
  hi: number,
): void {
  memory.fill(0, at, at + lo)
  memory.fill(0, at + hi, at + window.length)
  let i = lo
  for (; i + 3 < hi; i += 4) {
    memory[at + i] = x[start + i] * window[i]
    memory[at + i + 1] = x[start + i + 1] * window[i + 1]
    memory[at + i + 2] = x[start + i + 2] * window[i + 2]
    memory[at + i + 3] = x[start + i + 3] * window[i + 3]
  }
  for (; i < hi; i++) memory[at + i] = x[start + i] * window[i]
}

/** Hands S·A0 for each frame t, interleaved, to `frame`. */
function startingPoint(
  mag: Float32Array,
  bins: number,
  frames: number,
  options: GriffinLimOptions,
  frame: (t: number, spectrum: Float32Array) => void,
): void {
  const { re, im } = startPhasors(bins, frames, options)
  const spec = new Float32Array(2 * bins * frames)
  for (let k = 0; k < bins; k++) {
    for (let t = 0; t < frames; t++) {
      const at = t * bins + k
      spec[2 * at] = mag[at] * re[k * frames + t]
      spec[2 * at + 1] = mag[at] * im[k * frames + t]
    }
  }
  for (let t = 0; t < frames; t++) frame(t, spec.subarray(2 * t * bins, 2 * (t + 1) * bins))
}

/** A0, the unit phasors (or start values), bin-major: bin k of frame t at k·frames + t. */
function startPhasors(
  bins: number,
  frames: number,
  options: GriffinLimOptions,
): { re: Float32Array; im: Float32Array } {
  const re = new Float32Array(bins * frames)
  const im = new Float32Array(bins * frames)
  startRows(bins, frames, options)(0, bins, re, im)
  return { re, im }
}

/**
 * A0 a few bins at a time, so that a caller need not hold all of it: the returned function writes
 * bins [from, to) (rows of `frames`) into re and im; it must be called for consecutive ranges from
 * bin 0 (the random starts draw in torch's element order: bin-major, real then imaginary part).
 */
function startRows(
  bins: number,
  frames: number,
  options: GriffinLimOptions,
): (from: number, to: number, re: Float32Array, im: Float32Array) => void {
  const { init, random } = options
  const size = bins * frames
  if (typeof init === 'object') {
    if (init.re.length !== size || init.im.length !== size) {
      throw new RangeError(`initial values must be ${bins}×${frames}`)
    }
    return (from, to, re, im) => {
      for (let i = from * frames, j = 0; i < to * frames; i++, j++) {
        re[j] = init.re[i]
        im[j] = init.im[i]
      }
    }
  }
  if (!random) throw new RangeError(`init '${init}' needs a random source`)
  let next = 0
  return (from, to, re, im) => {
    if (from !== next) throw new Error(`start rows asked out of order: ${from}, expected ${next}`)
    next = to
    const count = (to - from) * frames
    if (init === 'notebook') {
      for (let j = 0; j < count; j++) {
        re[j] = random()
        im[j] = random()
      }
    } else {
      for (let j = 0; j < count; j++) {
        const phase = 2 * Math.PI * random()
        re[j] = Math.cos(phase)
        im[j] = Math.sin(phase)
      }
    }
  }
}
