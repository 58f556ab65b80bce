/**
 * Turns the bytes of an audio file into planar float samples: WAV here, MP3 / Ogg Vorbis / FLAC
 * through the WASM decoders (mpg123-decoder, @wasm-audio-decoders/*), which run in Node, workers
 * and browsers alike. Every failure is a UserError that says what was wrong and what to do.
 * Length is limited before decoding where the header tells it (WAV, FLAC) and while decoding
 * otherwise, so an hour-long file is refused without allocating an hour of samples.
 */

import { CancelledError, UserError } from '../engine/errors'
import { readFlacStreamInfo } from './flac-info'
import { describeSniffed, mpegChannelCount, sniff, type AudioFormat } from './sniff'
import { decodeWav, readWavHeader } from './wav'
import { decodeStreaming, type StreamDecoder } from './stream-decode'

export interface DecodeAudioOptions {
  /** Longer files are refused: a guard against hour-long files filling memory. */
  maxDurationSec: number
  /** The file name, for messages. */
  name?: string
  signal?: AbortSignal
}

export interface DecodedAudio {
  sampleRate: number
  channels: Float32Array[]
  format: AudioFormat
  /** True when the file ended early (a cut-short WAV) and what was there was decoded. */
  truncated: boolean
}

const SUPPORTED = 'WAV, MP3, Ogg Vorbis or FLAC'

export async function decodeAudio(
  bytes: Uint8Array,
  options: DecodeAudioOptions,
): Promise<DecodedAudio> {
  const label = options.name ? `"${options.name}"` : 'The file'
  if (bytes.length === 0)
    throw new UserError(
      `${label} is empty (0 bytes).`,
      'It may not have finished downloading or saving; choose the file again.',
    )
  const sniffed = sniff(bytes)
  if (sniffed.kind === 'unsupported-audio')
    throw new UserError(
      `${label} is ${sniffed.what}, which cannot be read yet.`,
      `Convert it to ${SUPPORTED} (e.g. with Audacity or ffmpeg) and load that.`,
    )
  if (sniffed.kind !== 'audio') {
    const looksLike =
      sniffed.kind === 'unknown' ? '' : `: it looks like ${describeSniffed(sniffed)}`
    throw new UserError(
      `${label} is not an audio file${looksLike}.`,
      sniffed.kind === 'image'
        ? 'Use a Load Image node for pictures; choose a sound file here.'
        : `Choose a ${SUPPORTED} file.`,
    )
  }
  options.signal?.throwIfAborted()
  const decoded =
    sniffed.format === 'wav'
      ? decodeWavChecked(bytes, options, label)
      : await decodeCompressed(sniffed.format, bytes, options, label)
  const frames = decoded.channels[0]?.length ?? 0
  if (frames === 0 || decoded.channels.length === 0)
    throw new UserError(
      `${label} holds no audio: it decodes to zero samples.`,
      'Check that the file plays in another program, or choose another file.',
    )
  return decoded
}

/** "6.0 s", "2 min 30 s", "10 min", "1 h 5 min": durations as people say them. */
export function formatDuration(sec: number): string {
  if (sec < 60) return `${sec.toFixed(1)} s`
  const h = Math.floor(sec / 3600)
  const m = Math.floor((sec % 3600) / 60)
  const s = Math.floor(sec % 60)
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`
  return s > 0 ? `${m} min ${s} s` : `${m} min`
}

function tooLong(label: string, durationSec: number, maxSec: number, about = false): UserError {
  return new UserError(
    `${label} is ${about ? 'about ' : ''}${formatDuration(durationSec)} long; ` +
      `the limit is ${formatDuration(maxSec)}.`,
    'Trim the file to the part you need, or raise "Max duration" on the node.',
  )
}

function decodeWavChecked(bytes: Uint8Array, options: DecodeAudioOptions, label: string) {
  const header = readWavHeader(bytes)
  if (header.declaredDurationSec > options.maxDurationSec)
    throw tooLong(label, header.declaredDurationSec, options.maxDurationSec)
  const { sampleRate, channels } = decodeWav(bytes)
  let bad = 0
  let first = -1
  for (const channel of channels)
    for (let i = 0; i < channel.length; i++)
      if (!Number.isFinite(channel[i])) {
        bad++
        if (first < 0 || i < first) first = i
      }
  if (bad > 0)
    throw new UserError(
      `${label} holds ${bad} invalid sample value(s) (NaN or infinity), the first at ` +
        `${(first / sampleRate).toFixed(3)} s.`,
      'The file is damaged or was written by a faulty program; re-export it from its source.',
    )
  return { sampleRate, channels, format: 'wav' as const, truncated: header.truncated }
}

async function decodeCompressed(
  format: Exclude<AudioFormat, 'wav'>,
  bytes: Uint8Array,
  options: DecodeAudioOptions,
  label: string,
): Promise<DecodedAudio> {
  if (format === 'flac') {
    // STREAMINFO states the length up front (0 when the encoder did not know it).
    const info = readFlacStreamInfo(bytes)
    if (
      info &&
      info.totalSamples > 0 &&
      info.totalSamples / info.sampleRate > options.maxDurationSec
    )
      throw tooLong(label, info.totalSamples / info.sampleRate, options.maxDurationSec)
  }
  const decoder = await createDecoder(format)
  try {
    const result = await decodeStreaming(decoder, bytes, options.maxDurationSec, options.signal)
    if (result.kind === 'too-long')
      throw tooLong(label, result.estimatedSec, options.maxDurationSec, true)
    if (result.frames === 0) throw undecodable(label, format, result.errors[0])
    const channels =
      format === 'mp3' && mpegChannelCount(bytes) === 1
        ? result.channels.slice(0, 1)
        : result.channels
    return { sampleRate: result.sampleRate, channels, format, truncated: false }
  } catch (error) {
    if (error instanceof UserError || error instanceof CancelledError) throw error
    if (options.signal?.aborted) throw new CancelledError()
    throw undecodable(label, format, error instanceof Error ? error.message : String(error))
  } finally {
    decoder.free()
  }
}

function undecodable(label: string, format: AudioFormat, detail?: string): UserError {
  const what = describeSniffed({ kind: 'audio', format })
  return new UserError(
    `${label} could not be decoded as ${what}: it seems damaged or cut short` +
      (detail ? ` (decoder: ${detail.trim().replace(/\.$/, '')}).` : '.'),
    'Check that the file plays in another program; if it does not, get or export it again.',
  )
}

/** The decoders are loaded on first use: they are large WASM modules most graphs never need. */
async function createDecoder(format: Exclude<AudioFormat, 'wav'>): Promise<StreamDecoder> {
  switch (format) {
    case 'mp3': {
      const { MPEGDecoder } = await import('mpg123-decoder')
      const d = new MPEGDecoder()
      await d.ready
      return {
        decode: (chunk) => Promise.resolve(d.decode(chunk)),
        flush: () => Promise.resolve(undefined),
        free: () => d.free(),
      }
    }
    case 'ogg': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis')
      const d = new OggVorbisDecoder()
      await d.ready
      return { decode: (c) => d.decode(c), flush: () => d.flush(), free: () => d.free() }
    }
    case 'flac': {
      const { FLACDecoder } = await import('@wasm-audio-decoders/flac')
      const d = new FLACDecoder()
      await d.ready
      return { decode: (c) => d.decode(c), flush: () => d.flush(), free: () => d.free() }
    }
  }
}
