/**
 * Griffin-Lim over a long spectrogram in overlapping chunks, spliced where they agree best.
 *
 *   1. Frames are cut into chunks of C frames overlapping by O (chunks.ts).
 *   2. Chunk 0 runs Griffin-Lim (griffin-lim.ts) from the usual random start. Chunk k starts
 *      from the phase its predecessor settled on in the frames they share: arg STFT(x_{k−1})
 *      there (phase carried across), random elsewhere. So both reconstructions of the shared
 *      stretch are near one signal, not two unrelated ones that would beat when crossfaded.
 *   3. Inside the shared frames (less a margin of half a window at each end, where a chunk's
 *      edge bends its solution) the splice goes at the column j where the two waveforms differ
 *      least: d(j) = Σ (x_{k−1} − x_k)² / Σ (x_{k−1}² + x_k²) over samples j·H ± H; a raised-cosine
 *      crossfade of `fadeLength` samples is centred there.
 *
 * The result has the length one Griffin-Lim over all frames gives: H·(frames − 1) (+1 for odd N).
 * Memory and the time per step stay bounded by the chunk, and progress and cancellation come
 * per chunk.
 */
import { planChunks, type Chunk } from './chunks'
import { griffinLim, type GriffinLimOptions } from './griffin-lim'
import { stftComplex } from './stft'

export interface ChunkedGriffinLimOptions extends GriffinLimOptions {
  /** Frames per chunk; a spectrogram of no more frames runs as one Griffin-Lim. */
  chunkFrames: number
  /** Frames shared by neighbouring chunks (the splice is chosen among them). */
  overlapFrames: number
  /** Crossfade at each splice, in samples; default 2·hop. */
  fadeLength?: number
  /** Called when chunk `index` (0-based) of `count` starts. */
  onChunk?: (index: number, count: number) => void
}

export interface ChunkedGriffinLimResult {
  waveform: Float32Array
  /** Sample positions of the splices (centres of the crossfades). */
  splices: number[]
  chunks: Chunk[]
}

export function chunkedGriffinLim(
  magnitude: Float32Array,
  options: ChunkedGriffinLimOptions,
): ChunkedGriffinLimResult {
  const { fftSize: n, hopSize: hop } = options
  const bins = Math.floor(n / 2) + 1
  const frames = magnitude.length / bins
  if (!Number.isInteger(frames) || frames < 1) {
    throw new RangeError(`${magnitude.length} values are not ${bins} bins × frames`)
  }
  const span = options.windowLength ?? n
  const margin = Math.ceil(span / 2 / hop) + 1
  // A chunk must be long enough for torch.stft's reflect padding of its own waveform.
  const minimumFrames = Math.ceil(n / 2 / hop) + 2
  const chunkFrames = Math.max(options.chunkFrames, minimumFrames)
  const overlap = Math.min(Math.max(options.overlapFrames, 1), chunkFrames - 1)
  const chunks = planChunks(frames, chunkFrames, overlap)
  const outLength = n + hop * (frames - 1) - 2 * Math.floor(n / 2)
  const out = new Float32Array(outLength)
  const fade = Math.max(2, Math.round(options.fadeLength ?? 2 * hop))
  const splices: number[] = []
  let previous: Float32Array | undefined
  let previousChunk: Chunk | undefined

  chunks.forEach((chunk, k) => {
    options.onChunk?.(k, chunks.length)
    const width = chunk.end - chunk.start
    const sub = new Float32Array(bins * width)
    for (let b = 0; b < bins; b++) {
      sub.set(magnitude.subarray(b * frames + chunk.start, b * frames + chunk.end), b * width)
    }
    const init =
      previous && previousChunk
        ? carriedStart(previous, previousChunk, chunk, bins, options)
        : options.init
    const { waveform } = griffinLim(sub, { ...options, init })
    const offset = chunk.start * hop
    if (!previous || !previousChunk) {
      out.set(waveform.subarray(0, Math.min(waveform.length, outLength - offset)), offset)
    } else {
      const at = spliceColumn(previous, waveform, previousChunk, chunk, hop, margin) * hop
      splices.push(at)
      const from = Math.max(offset, at - Math.floor(fade / 2))
      for (let i = from; i < outLength; i++) {
        const local = i - offset
        if (local >= waveform.length) break
        const t = (i - (at - fade / 2)) / fade
        const w = t <= 0 ? 0 : t >= 1 ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * t)
        out[i] = w * waveform[local] + (1 - w) * out[i]
      }
    }
    previous = waveform
    previousChunk = chunk
  })
  return { waveform: out, splices, chunks }
}

/** The start for `chunk`: the phase of STFT(previous waveform) on shared frames, random elsewhere. */
function carriedStart(
  previous: Float32Array,
  previousChunk: Chunk,
  chunk: Chunk,
  bins: number,
  options: ChunkedGriffinLimOptions,
): { re: Float32Array; im: Float32Array } {
  const { random } = options
  if (!random) throw new RangeError('chunked Griffin-Lim needs a random source')
  const width = chunk.end - chunk.start
  const spec = stftComplex(previous, {
    fftSize: options.fftSize,
    hopSize: options.hopSize,
    window: options.window,
    windowLength: options.windowLength,
    center: true,
    padMode: 'reflect',
  })
  const re = new Float32Array(bins * width)
  const im = new Float32Array(bins * width)
  for (let b = 0; b < bins; b++) {
    for (let t = 0; t < width; t++) {
      const at = b * width + t
      const g = chunk.start + t
      const p = g - previousChunk.start
      if (g < previousChunk.end && p < spec.frames) {
        const xr = spec.re[b * spec.frames + p]
        const xi = spec.im[b * spec.frames + p]
        const norm = Math.hypot(xr, xi)
        re[at] = norm > 0 ? xr / norm : 1
        im[at] = norm > 0 ? xi / norm : 0
      } else if (options.init === 'notebook') {
        re[at] = random()
        im[at] = random()
      } else {
        const phase = 2 * Math.PI * random()
        re[at] = Math.cos(phase)
        im[at] = Math.sin(phase)
      }
    }
  }
  return { re, im }
}

/** The shared column (global frame index) where the two waveforms differ least. */
function spliceColumn(
  a: Float32Array,
  b: Float32Array,
  chunkA: Chunk,
  chunkB: Chunk,
  hop: number,
  margin: number,
): number {
  const first = chunkB.start
  const last = chunkA.end - 1
  let lo = first + margin
  let hi = last - margin
  if (lo > hi) lo = hi = Math.floor((first + last) / 2)
  let best = lo
  let bestDistance = Infinity
  for (let j = lo; j <= hi; j++) {
    let diff = 0
    let energy = 1e-30
    for (let s = j * hop - hop; s < j * hop + hop; s++) {
      const ia = s - chunkA.start * hop
      const ib = s - chunkB.start * hop
      if (ia < 0 || ib < 0 || ia >= a.length || ib >= b.length) continue
      const d = a[ia] - b[ib]
      diff += d * d
      energy += a[ia] * a[ia] + b[ib] * b[ib]
    }
    const distance = diff / energy
    if (distance < bestDistance) {
      bestDistance = distance
      best = j
    }
  }
  return best
}
