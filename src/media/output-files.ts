/**
 * The files output nodes export, made in one place so the CLI and the editor write identical
 * bytes for the same value and params.
 */

import { UserError } from '../engine/errors'
import { encodePng, type PlanarImage } from './png'
import { encodeWav, type PcmAudio, type WavChunk, type WavEncoding } from './wav'

export interface OutputFile {
  fileName: string
  bytes: Uint8Array
}

/**
 * A file name from what the user typed: characters that are invalid on common file systems
 * (Windows is the strictest) become `_`, an extension they typed is dropped, and empty names
 * fall back. Keeps names portable between the CLI's folder and the browser's download.
 */
export function safeFileStem(name: string, extension: string, fallback = 'output'): string {
  let stem = name
    .trim()
    .replace(new RegExp(`\\.${extension}$`, 'i'), '')
    .replace(/[<>:"/\\|?*\x00-\x1f\x7f]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120)
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(stem)) stem = `_${stem}`
  return stem || fallback
}

/** The WAV file an Audio Output node exports; `extraChunks` carry provenance. */
export function audioOutputFile(
  audio: PcmAudio,
  params: { name: string; format: WavEncoding },
  extraChunks: readonly WavChunk[] = [],
): OutputFile {
  // A WAV header holds whole rates only; rounding a fractional rate shifts pitch inaudibly.
  const sampleRate = Math.round(audio.sampleRate)
  if (!(sampleRate >= 1))
    throw new UserError(
      `Cannot write a WAV file at a sample rate of ${audio.sampleRate} Hz.`,
      'Resample the audio to a normal rate (e.g. 44100 Hz) before the output.',
    )
  if (audio.channels.length === 0)
    throw new UserError('The audio to export has no channels.', 'Connect a node that makes sound.')
  return {
    fileName: `${safeFileStem(params.name, 'wav')}.wav`,
    bytes: encodeWav({ sampleRate, channels: audio.channels }, params.format, extraChunks),
  }
}

/** The PNG file an Image Output node exports; `text` carries provenance. */
export function imageOutputFile(
  image: PlanarImage,
  params: { name: string },
  text: Record<string, string> = {},
): OutputFile {
  return { fileName: `${safeFileStem(params.name, 'png')}.png`, bytes: encodePng(image, text) }
}
