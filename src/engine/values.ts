/**
 * The values that flow on edges. Plain data of typed arrays, so they move between threads as
 * transferables and serialise to the cache without code per node.
 */

export type ValueKind = 'audio' | 'spectrogram' | 'image' | 'latent' | 'number' | 'text'

export const VALUE_KINDS: readonly ValueKind[] = [
  'audio',
  'spectrogram',
  'image',
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
  AudioValue | SpectrogramValue | ImageValue | LatentValue | NumberValue | TextValue

export interface ValueOfKind {
  audio: AudioValue
  spectrogram: SpectrogramValue
  image: ImageValue
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
  for (const array of typedArraysOf(value)) {
    for (let i = 0; i < array.length; i++) if (!Number.isFinite(array[i])) return false
  }
  return true
}
