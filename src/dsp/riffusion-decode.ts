/**
 * A Riffusion picture plane back to sound (riffusion.ts has the format): brightness → mel
 * amplitudes → linear magnitudes (mel-inverse.ts) → Griffin-Lim, whole or in spliced chunks
 * (chunked-griffin-lim.ts). With `wrap`, the picture is read as a loop: its last columns are
 * put before it and its first after it, so the sound around the seam is reconstructed in one
 * piece; the W·hop samples of the picture proper are kept, their first F samples crossfaded
 * with the F samples that followed them, so the end flows into the start when repeated.
 */
import { chunkedGriffinLim } from './chunked-griffin-lim'
import type { GriffinLimOptions } from './griffin-lim'
import { inverseMel, type MelInversion } from './mel-inverse'
import { planeToMel, riffusionFilterbank, type RiffusionFraming } from './riffusion'

export interface RiffusionDecodeOptions {
  /** melBins is taken from the plane's height. */
  framing: Omit<RiffusionFraming, 'melBins'>
  power: number
  maxValue: number
  inversion: MelInversion
  nnlsIterations?: number
  iterations: number
  momentum: number
  init: 'notebook' | 'random-phase'
  random: () => number
  /** Columns per Griffin-Lim chunk; wider pictures are read in spliced chunks. */
  chunkColumns: number
  overlapColumns: number
  /** Read the picture as a seamless loop. */
  wrap: boolean
  /** Looked at between iterations (an AbortSignal, or a worker's signal that polls its cancel flag). */
  signal?: { throwIfAborted(): void }
  onIteration?: (iteration: number, total: number) => void
}

/** Samples of the decoded sound: hop·(width − 1), or hop·width for a loop. */
export function riffusionDecodedLength(width: number, hopSize: number, wrap: boolean): number {
  return wrap ? hopSize * width : hopSize * (width - 1)
}

export function riffusionDecode(
  plane: Float32Array,
  width: number,
  height: number,
  options: RiffusionDecodeOptions,
): Float32Array {
  const { framing } = options
  const hop = framing.hopSize
  const margin = options.wrap ? Math.min(width, Math.max(8, options.overlapColumns)) : 0
  const columns = width + 2 * margin
  const source = margin > 0 ? wrapColumns(plane, width, height, margin) : plane
  const mel = planeToMel(source, columns, height, options.maxValue, options.power)
  const bank = riffusionFilterbank({ ...framing, melBins: height })
  const linear = inverseMel(bank, mel, columns, {
    method: options.inversion,
    iterations: options.nnlsIterations,
  })
  const chunkFrames = Math.max(2, options.chunkColumns)
  let total = options.iterations
  let done = 0
  const gl: GriffinLimOptions = {
    fftSize: framing.fftSize,
    hopSize: hop,
    window: 'hann',
    windowLength: framing.windowLength,
    iterations: options.iterations,
    momentum: options.momentum,
    init: options.init,
    random: options.random,
    signal: options.signal,
    onIteration: () => options.onIteration?.(++done, total),
  }
  const { waveform } = chunkedGriffinLim(linear, {
    ...gl,
    chunkFrames,
    overlapFrames: Math.min(options.overlapColumns, chunkFrames - 1),
    onChunk: (_index, count) => (total = count * options.iterations),
  })
  if (margin === 0) return waveform
  const start = margin * hop
  const length = width * hop
  const fade = Math.min(Math.floor(length / 2), Math.floor((margin * hop) / 2), 2205)
  const loop = waveform.slice(start, start + length)
  for (let i = 0; i < fade; i++) {
    const w = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / fade)
    loop[i] = w * loop[i] + (1 - w) * waveform[start + length + i]
  }
  return loop
}

/** [last m columns | plane | first m columns], row-major. */
function wrapColumns(plane: Float32Array, width: number, height: number, m: number): Float32Array {
  const columns = width + 2 * m
  const out = new Float32Array(columns * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < columns; x++) {
      const from = (((x - m) % width) + width) % width
      out[y * columns + x] = plane[y * width + from]
    }
  }
  return out
}
