/**
 * The values that flow on edges. Plain data of typed arrays, so they move between threads as
 * transferables and serialise to the cache without code per node.
 */

export type ValueKind = 'audio' | 'spectrogram' | 'image' | 'frames' | 'latent' | 'number' | 'text'

export const VALUE_KINDS: readonly ValueKind[] = [
  'audio',
  'spectrogram',
  'image',
  'frames',
  'latent',
  'number',
  'text',
]

/** Planar audio: one Float32Array per channel, all the same length. */
export interface AudioValue {
  kind: 'audio'
  sampleRate: number
  channels: Float32Array[]
}

export type WindowName = 'hann' | 'hamming' | 'blackman' | 'rectangular'

/** How the numbers of a spectrogram relate to amplitude. */
export type SpectrogramScale = 'power' | 'magnitude' | 'db' | 'mel'

/**
 * A spectrogram, one matrix per channel, each `bins × frames` stored bin-major
 * (`data[bin * frames + frame]`), bin 0 = DC. `phase` (radians, same layout) is kept when the
 * STFT was asked to keep it, so the phase vocoder and ISTFT can use it.
 */
export interface SpectrogramValue {
  kind: 'spectrogram'
  sampleRate: number
  fftSize: number
  hopSize: number
  window: WindowName
  center: boolean
  scale: SpectrogramScale
  bins: number
  frames: number
  channels: Float32Array[]
  phase?: Float32Array[]
}

/** Planar image in 0..1: 1, 3 or 4 channels of `width × height`, row 0 at the top. */
export interface ImageValue {
  kind: 'image'
  width: number
  height: number
  channels: Float32Array[]
  /**
   * The framing of the spectrogram the whole picture spans, rows from 0 Hz to Nyquist, when it
   * was drawn from one (Normalize sets it; nodes that repaint, split, resize, adjust or reorder
   * the columns of a picture keep it; a crop that cuts rows drops it, see Resize Image): readers
   * of pictures as sound default to it, so a Griffin-Lim added by hand writes the source's rate.
   */
  origin?: ImageOrigin
}

export interface ImageOrigin {
  sampleRate: number
  fftSize: number
  hopSize: number
}

/**
 * A sequence of equally sized pictures shown at `fps` frames per second: frame i is on screen
 * from i / fps to (i + 1) / fps. Each frame is an image's planar channels (1, 3 or 4 planes of
 * `width × height` in 0..1, row 0 at the top), every frame with the same channel count.
 * `audio`, when present, is the soundtrack a video export plays along, starting with frame 0.
 * `binHz`, when present, says the frames are spectra: one row each, column k the level at
 * binHz[k] Hz (see nodes/spectrum-frames.ts); `analysis` says how they were measured.
 */
export interface FramesValue {
  kind: 'frames'
  fps: number
  width: number
  height: number
  frames: Float32Array[][]
  audio?: AudioValue
  binHz?: number[]
  analysis?: SpectraAnalysis
  /**
   * Present when the value is a window onto a longer sequence (a long render made a window at
   * a time, see FrameWindow): `frames[0]` is frame `start` of `total`. Absent: the whole.
   */
  range?: FrameRange
}

/** Where a window of frames sits in its whole sequence. */
export interface FrameRange {
  /** Index of the window's first frame in the whole sequence. */
  start: number
  /** How many frames the whole sequence has. */
  total: number
}

/**
 * The frames a run makes when a long sequence is rendered a window at a time (headless, in
 * bounded memory; a farm job's frame range): frames `start` … `start + count − 1`. Nodes that
 * make frames from other values (Spectrum Frames) make only these; nodes that take frames work
 * on whatever window they are given, frame by frame.
 */
export interface FrameWindow {
  start: number
  count: number
}

/** How spectra frames were measured, written beside their CSV (spectra.json). */
export interface SpectraAnalysis {
  sampleRate: number
  /** Samples between frames (rate / fps; not whole when fps does not divide the rate). */
  chunkSamples: number
  /** FFT length. */
  windowSamples: number
  /** 'log-bands': loudest bin per log band, Hann, amplitude; 'post': the post's integer indices, no window, |rfft|. */
  binning: 'log-bands' | 'post'
}

/** A diffusion latent tensor, e.g. [1, 4, 64, 64]. */
export interface LatentValue {
  kind: 'latent'
  shape: number[]
  data: Float32Array
}

export interface NumberValue {
  kind: 'number'
  value: number
}

export interface TextValue {
  kind: 'text'
  value: string
}

export type Value =
  AudioValue | SpectrogramValue | ImageValue | FramesValue | LatentValue | NumberValue | TextValue

export interface ValueOfKind {
  audio: AudioValue
  spectrogram: SpectrogramValue
  image: ImageValue
  frames: FramesValue
  latent: LatentValue
  number: NumberValue
  text: TextValue
}

/** Every typed array a value holds, for transfer lists and size accounting. */
export function typedArraysOf(value: Value): Float32Array[] {
  switch (value.kind) {
    case 'audio':
    case 'image':
      return value.channels
    case 'spectrogram':
      return value.phase ? [...value.channels, ...value.phase] : value.channels
    case 'frames':
      return [...value.frames.flat(), ...(value.audio?.channels ?? [])]
    case 'latent':
      return [value.data]
    case 'number':
    case 'text':
      return []
  }
}

/** Approximate size in bytes, for cache bounds. */
export function byteSizeOf(value: Value): number {
  const arrays = typedArraysOf(value).reduce((sum, a) => sum + a.byteLength, 0)
  return arrays + (value.kind === 'text' ? value.value.length * 2 : 0) + 64
}

export function audioDurationSec(audio: AudioValue): number {
  return (audio.channels[0]?.length ?? 0) / audio.sampleRate
}

/** Whether every number a value holds is finite (no NaN, no infinities). */
export function isFiniteValue(value: Value): boolean {
  if (value.kind === 'number') return Number.isFinite(value.value)
  return typedArraysOf(value).every(allFinite)
}

/**
 * True when no value is NaN or ±∞: 0·x is 0 for every finite x and NaN otherwise, so a sum
 * over the array tells, without a branch per value (several times faster than isFinite each).
 * Four sums, each over every fourth value: with one, each addition waits for the one before
 * (three times slower; every node's outputs and inputs pass through here).
 */
export function allFinite(array: Float32Array): boolean {
  let z0 = 0
  let z1 = 0
  let z2 = 0
  let z3 = 0
  const length = array.length
  const fours = length - (length % 4)
  let i = 0
  for (; i < fours; i += 4) {
    z0 += array[i] * 0
    z1 += array[i + 1] * 0
    z2 += array[i + 2] * 0
    z3 += array[i + 3] * 0
  }
  for (; i < length; i++) z0 += array[i] * 0
  return z0 + z1 + z2 + z3 === 0
}

const count = (n: number) => Number.isInteger(n) && n >= 0

/**
 * What is inconsistent in a value's shape, in words, or undefined: every array as long as its
 * dimensions say, rates positive. Fresh results and cache hits are held to it alike, so a
 * damaged cache entry is recomputed rather than passed on.
 */
export function valueShapeProblem(value: Value): string | undefined {
  switch (value.kind) {
    case 'audio': {
      if (!(value.sampleRate > 0 && Number.isFinite(value.sampleRate)))
        return `has a sample rate of ${value.sampleRate}`
      const length = value.channels[0]?.length ?? 0
      if (value.channels.some((c) => c.length !== length)) return 'has channels of unequal length'
      return undefined
    }
    case 'spectrogram': {
      if (!(value.sampleRate > 0 && Number.isFinite(value.sampleRate)))
        return `has a sample rate of ${value.sampleRate}`
      if (!count(value.bins) || !count(value.frames)) return `is ${value.bins} × ${value.frames}`
      if (!(value.fftSize >= 1 && value.hopSize >= 1)) return 'has no FFT size or hop'
      const size = value.bins * value.frames
      const planes = [...value.channels, ...(value.phase ?? [])]
      if (planes.some((c) => c.length !== size))
        return `has a channel that is not ${value.bins} × ${value.frames}`
      if (value.phase && value.phase.length !== value.channels.length)
        return 'has phase for some channels only'
      return undefined
    }
    case 'image': {
      if (!(value.width >= 1 && value.height >= 1 && count(value.width) && count(value.height)))
        return `is ${value.width} × ${value.height} pixels`
      if (value.channels.length < 1 || value.channels.length > 4)
        return `has ${value.channels.length} channels`
      const size = value.width * value.height
      if (value.channels.some((c) => c.length !== size))
        return `has a channel that is not ${value.width} × ${value.height}`
      return undefined
    }
    case 'frames': {
      if (!(value.fps > 0 && Number.isFinite(value.fps))) return `has a frame rate of ${value.fps}`
      if (!count(value.width) || !count(value.height))
        return `has frames of ${value.width} × ${value.height}`
      if (value.range) {
        const { start, total } = value.range
        if (!count(start) || !count(total) || start + value.frames.length > total)
          return `holds frames ${start} to ${start + value.frames.length} of ${total}`
      }
      const size = value.width * value.height
      const planes = value.frames[0]?.length ?? 0
      for (const frame of value.frames)
        if (frame.length !== planes || frame.some((p) => p.length !== size))
          return `has a frame that is not ${planes} planes of ${value.width} × ${value.height}`
      return value.audio ? valueShapeProblem(value.audio) : undefined
    }
    case 'latent':
      if (!value.shape.every(count)) return `has the shape [${value.shape.join(', ')}]`
      if (value.shape.reduce((a, b) => a * b, 1) !== value.data.length)
        return `holds ${value.data.length} numbers, not [${value.shape.join(', ')}]`
      return undefined
    case 'number':
    case 'text':
      return undefined
  }
}

/** The largest magnitude a value holds (finite ones only), for messages about overflow. */
export function largestMagnitude(value: Value): number {
  if (value.kind === 'number') return Number.isFinite(value.value) ? Math.abs(value.value) : 0
  let max = 0
  for (const array of typedArraysOf(value))
    for (let i = 0; i < array.length; i++) {
      const v = Math.abs(array[i])
      if (v > max && v !== Infinity) max = v
    }
  return max
}

/**
 * What makes a stored value unusable, or undefined: an inconsistent shape or NaN/infinities.
 * Fresh results pass the same checks in the runner (checkOutputs), so a cache entry read back
 * from disk or IndexedDB that fails them was damaged there.
 */
export function storedValueProblem(value: Value): string | undefined {
  return (
    valueShapeProblem(value) ?? (isFiniteValue(value) ? undefined : 'holds NaN or infinite values')
  )
}
