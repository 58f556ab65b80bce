import type { CancelSignal } from '../engine/define-node'
/**
 * Turns the bytes of an audio file into planar float samples: WAV here, MP3 / Ogg Vorbis / Ogg
 * Opus / FLAC through the WASM decoders (mpg123-decoder, @wasm-audio-decoders/*, ogg-opus-decoder;
 * other formats are turned into WAV before they reach here, see transcode.ts), which run in Node, workers
 * and browsers alike. Every failure is a UserError that says what was wrong and what to do.
 * Length is limited before decoding where the header tells it (WAV, FLAC) and while decoding
 * otherwise, so an hour-long file is refused without allocating an hour of samples.
 */

import { CancelledError, UserError } from '../engine/errors'
import { declaredLength } from './declared-length'
import { readFlacStreamInfo } from './flac-info'
import { describeSniffed, mpegChannelCount, sniff, type AudioFormat } from './sniff'
import { decodeWav, readWavHeader } from './wav'
import { createOpusDecoder } from './opus-decode'
import { decodeStreaming, type StreamDecoder } from './stream-decode'

export interface DecodeAudioOptions {
  /** Longer files are refused: a guard against hour-long files filling memory. */
  maxDurationSec: number
  /** The file name, for messages. */
  name?: string
  signal?: CancelSignal
}

export interface DecodedAudio {
  sampleRate: number
  channels: Float32Array[]
  format: AudioFormat
  /** True when the file ended early (a cut-short WAV) and what was there was decoded. */
  truncated: boolean
  /** Set when the file is damaged or cut short and only part of it decoded: say so. */
  damage?: AudioDamage
}

/** What a damaged file lost: the figures, and a sentence for people. */
export interface AudioDamage {
  message: string
  /** Seconds the file declares (its header), when it declares them. */
  declaredSec?: number
  /** Seconds that decoded and were loaded. */
  decodedSec: number
  /** Share of the declared length that is missing (0..1), when the length is declared. */
  lostFraction?: number
  lostSec?: number
  /** Frames or pages the decoder reported as damaged and skipped. */
  decodeErrors: number
  /** The file ends early (cut short) rather than being damaged inside. */
  cutShort: boolean
}

/** Less missing than this is a decoder's rounding of the start and end, not damage. */
const LOST_TOLERANCE_SEC = 0.05

const SUPPORTED = 'WAV, MP3, Ogg Vorbis, Ogg Opus or FLAC'

/** The longest sound any setting reads (Load Audio's largest "Max duration"): 1 hour. */
export const LONGEST_AUDIO_SEC = 3600

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
    // The hosts turn these into WAV first where they can (transcode.ts): the browser's own
    // decoder in the editor, ffmpeg on the command line. Reaching here means neither could.
    throw new UserError(
      `${label} is ${sniffed.what}, which only the browser's decoder (in the editor) or ffmpeg (on the command line) can read, and neither was available here.`,
      `Install ffmpeg and put it on PATH, or convert the file to ${SUPPORTED} (e.g. with Audacity or ffmpeg) and load that.`,
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

/**
 * The damage report for a file that decoded to `decodedFrames`, given what its header declares
 * (undefined when it declares nothing), the decoder's complaints, and whether it visibly ends
 * early. Undefined when nothing is missing.
 */
export function describeDamage(
  label: string,
  sampleRate: number,
  decodedFrames: number,
  declared: { frames?: number; complete: boolean },
  decodeErrors: number,
  wav = false,
): AudioDamage | undefined {
  const decodedSec = decodedFrames / sampleRate
  // A stream that visibly ends early declares only what it holds: no length to compare with.
  const declaredSec =
    declared.frames !== undefined && declared.complete ? declared.frames / sampleRate : undefined
  const lostSec = declaredSec !== undefined ? Math.max(0, declaredSec - decodedSec) : undefined
  const lost = lostSec !== undefined && lostSec > LOST_TOLERANCE_SEC
  if (!lost && decodeErrors === 0 && declared.complete) return undefined
  const lostFraction = lost && declaredSec ? lostSec / declaredSec : undefined
  const skipped =
    decodeErrors > 0
      ? `the decoder skipped ${decodeErrors} damaged frame${decodeErrors === 1 ? '' : 's'}`
      : ''
  const figures = { ...(declaredSec !== undefined && { declaredSec }), decodedSec, decodeErrors }
  if (lost && declaredSec !== undefined && lostFraction !== undefined) {
    // A WAV's header gives its length; a file shorter than it was cut, or its header lies.
    const what = wav ? 'is cut short, or its header is wrong' : 'is damaged or cut short'
    return {
      ...figures,
      lostSec,
      lostFraction,
      // A WAV shorter than its header is cut short (or lies); an MP3 or FLAC cannot tell.
      cutShort: wav,
      message:
        `${label} ${what}: it declares ${formatDuration(declaredSec)} but only ` +
        `${formatDuration(decodedSec)} could be read (${percent(lostFraction)} missing` +
        `${skipped ? `; ${skipped}` : ''}). What could be read is loaded.`,
    }
  }
  if (!declared.complete)
    return {
      ...figures,
      cutShort: true,
      message:
        `${label} is cut short: it ends without its end-of-stream mark, so part of it is ` +
        `missing (how much, the file does not say)${skipped ? `, and ${skipped}` : ''}. ` +
        `The ${formatDuration(decodedSec)} it holds are loaded.`,
    }
  return {
    ...figures,
    cutShort: false,
    message:
      `${label} is damaged: ${skipped}; ${formatDuration(decodedSec)} could be read and is ` +
      'loaded. Listen for clicks or noise where it was damaged.',
  }
}

/** "24 %", "0.4 %", "over 99 %": shares of a file, as read in a message. */
function percent(fraction: number): string {
  if (fraction > 0.99 && fraction < 1) return 'over 99 %'
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)} %`
}

function decodeWavChecked(bytes: Uint8Array, options: DecodeAudioOptions, label: string) {
  const header = readWavHeader(bytes)
  // What the file holds counts, not what its header claims: a header may lie (a 2 s file
  // declaring 6 h is cut short or damaged, and says so below, rather than "6 h long").
  const heldSec = header.frames / header.sampleRate
  if (heldSec > options.maxDurationSec) throw tooLong(label, heldSec, options.maxDurationSec)
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
  const damage = describeDamage(
    label,
    sampleRate,
    header.frames,
    { frames: header.declaredFrames, complete: true },
    0,
    true,
  )
  return { sampleRate, channels, format: 'wav' as const, truncated: header.truncated, damage }
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
    const declared = declaredLength(format, bytes)
    const damage = describeDamage(
      label,
      result.sampleRate,
      result.frames,
      declared,
      result.errorCount,
    )
    return {
      sampleRate: result.sampleRate,
      channels,
      format,
      truncated: damage?.cutShort ?? false,
      damage,
    }
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
        // mpg123-decoder prints each damaged frame to console.error as well as returning it;
        // the returned errors are counted into the warning, so the printed copy is dropped.
        decode: (chunk) => Promise.resolve(withoutMpg123Noise(() => d.decode(chunk))),
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
    case 'opus':
      return createOpusDecoder()
    case 'flac': {
      const { FLACDecoder } = await import('@wasm-audio-decoders/flac')
      const d = new FLACDecoder()
      await d.ready
      return { decode: (c) => d.decode(c), flush: () => d.flush(), free: () => d.free() }
    }
  }
}

/**
 * Runs a synchronous mpg123 call with its "mpg123-decoder: …" console.error lines held back
 * (anything else still goes through). Synchronous, so nothing else can log in between.
 */
function withoutMpg123Noise<T>(call: () => T): T {
  const original = console.error
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('mpg123-decoder:')) return
    original(...args)
  }
  try {
    return call()
  } finally {
    console.error = original
  }
}
