/**
 * Writing WAV files: PCM 16/24-bit or IEEE float 32-bit, plain WAVEFORMAT(EX) for one or two
 * channels and WAVE_FORMAT_EXTENSIBLE beyond, with extra chunks (provenance) before the data.
 */

import { UserError } from '../engine/errors'
import type { PcmAudio } from './wav'

/** wFormatTag values (mmreg.h). */
export const FORMAT_PCM = 1
export const FORMAT_FLOAT = 3
export const FORMAT_EXTENSIBLE = 0xfffe

export type WavEncoding = 'pcm16' | 'pcm24' | 'float32'

export interface WavChunk {
  /** Four ASCII characters, e.g. `LIST`, `iXML`, or our own. */
  id: string
  data: Uint8Array
}

/** Chunk ids the writer owns; extra chunks may not use them. */
export const RESERVED_IDS = new Set(['RIFF', 'RF64', 'WAVE', 'fmt ', 'data', 'fact', 'ds64'])

/**
 * Encodes planar float audio as a WAV file. PCM clips to [−1, 1) and rounds to the nearest step
 * (scale 2^(bits−1), so integer files decode and re-encode bit-exactly; +1.0 becomes the largest
 * code, 1 − 2^(1−bits)). No dither: rounding error is at most half a step (−96 dB FS at 16 bit),
 * which is below what any node here needs. Float keeps values beyond ±1; in every format NaN
 * is written as 0 and ±∞ as ±1. `extraChunks` go before `data`.
 */
export function encodeWav(
  audio: PcmAudio,
  format: WavEncoding,
  extraChunks: readonly WavChunk[] = [],
): Uint8Array {
  const channelCount = audio.channels.length
  if (channelCount === 0) throw new Error('Cannot write a WAV file with no channels')
  if (channelCount > 65535) throw new Error(`Too many channels for WAV: ${channelCount}`)
  if (!(audio.sampleRate > 0) || !Number.isInteger(audio.sampleRate))
    throw new Error(`WAV needs a positive whole sample rate, got ${audio.sampleRate}`)
  const frames = audio.channels[0].length
  if (audio.channels.some((c) => c.length !== frames))
    throw new Error('All channels must have the same length')
  for (const chunk of extraChunks) {
    if (!/^[\x20-\x7e]{4}$/.test(chunk.id) || RESERVED_IDS.has(chunk.id))
      throw new Error(`Invalid or reserved WAV chunk id "${chunk.id}"`)
  }

  const size = format === 'pcm16' ? 2 : format === 'pcm24' ? 3 : 4
  const isFloat = format === 'float32'
  // WAVE_FORMAT_EXTENSIBLE is what the spec asks for beyond two channels; plain headers are read
  // by more tools, so they are used when they suffice.
  const extensible = channelCount > 2
  const fmtSize = extensible ? 40 : isFloat ? 18 : 16
  const block = size * channelCount
  // fmt's block align is 16-bit and its byte rate 32-bit: beyond them the header overflows and
  // nothing can read the file, so refuse with the limit instead (65535 bytes a frame).
  if (block > 0xffff) {
    const most = Math.floor(0xffff / size)
    throw new UserError(
      `A WAV file holds at most ${most} channels of ${size * 8}-bit ${isFloat ? 'float' : 'PCM'} ` +
        `(a frame is at most 65535 bytes); this audio has ${channelCount}.`,
      size > 2
        ? `Use fewer channels, or 16-bit PCM (up to ${Math.floor(0xffff / 2)} channels).`
        : 'Use fewer channels, or split them into several files.',
    )
  }
  if (audio.sampleRate * block > 0xffffffff)
    throw new UserError(
      `A WAV file cannot hold ${channelCount} channels at ${audio.sampleRate} Hz: its byte rate ` +
        `(${audio.sampleRate * block} bytes a second) is over the format's 4,294,967,295.`,
      'Use fewer channels or a lower sample rate.',
    )
  const dataBytes = frames * block
  const extraBytes = extraChunks.reduce((n, c) => n + 8 + c.data.length + (c.data.length & 1), 0)
  const total = 12 + 8 + fmtSize + (isFloat ? 12 : 0) + extraBytes + 8 + dataBytes
  if (total - 8 > 0xffffffff) throw new Error('Audio too long for a WAV file (over 4 GiB)')

  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  let p = 0
  const id = (s: string) => {
    for (let i = 0; i < 4; i++) out[p + i] = s.charCodeAt(i)
    p += 4
  }
  const u32 = (n: number) => {
    view.setUint32(p, n, true)
    p += 4
  }
  const u16 = (n: number) => {
    view.setUint16(p, n, true)
    p += 2
  }
  id('RIFF')
  u32(total - 8)
  id('WAVE')
  id('fmt ')
  u32(fmtSize)
  const tag = isFloat ? FORMAT_FLOAT : FORMAT_PCM
  u16(extensible ? FORMAT_EXTENSIBLE : tag)
  u16(channelCount)
  u32(audio.sampleRate)
  u32(audio.sampleRate * block)
  u16(block)
  u16(size * 8)
  if (extensible) {
    u16(22)
    u16(size * 8)
    u32(0) // channel mask 0: no speaker positions claimed
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00AA00389B71}
    u32(tag)
    out.set([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], p)
    p += 12
  } else if (isFloat) {
    u16(0)
  }
  if (isFloat) {
    id('fact')
    u32(4)
    u32(frames)
  }
  for (const chunk of extraChunks) {
    id(chunk.id)
    u32(chunk.data.length)
    out.set(chunk.data, p)
    p += chunk.data.length + (chunk.data.length & 1)
  }
  id('data')
  u32(dataBytes)
  writeSamples(audio.channels, format, view, p)
  return out
}

/** Interleaves the channels into `out` from byte `start`, one loop per format. */
function writeSamples(
  channels: Float32Array[],
  format: WavEncoding,
  view: DataView,
  start: number,
): void {
  const frames = channels[0].length
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
  const size = format === 'pcm16' ? 2 : format === 'pcm24' ? 3 : 4
  const block = size * channels.length
  for (const [c, channel] of channels.entries()) {
    let p = start + c * size
    if (format === 'float32') {
      for (let i = 0; i < frames; i++, p += block) {
        const x = channel[i]
        // Files we write must read back: infinities clip like PCM, NaN becomes silence.
        view.setFloat32(p, Number.isFinite(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0, true)
      }
    } else if (format === 'pcm16') {
      for (let i = 0; i < frames; i++, p += block) {
        const q = quantise(channel[i], 32768)
        bytes[p] = q
        bytes[p + 1] = q >> 8
      }
    } else {
      for (let i = 0; i < frames; i++, p += block) {
        const q = quantise(channel[i], 8388608)
        bytes[p] = q
        bytes[p + 1] = q >> 8
        bytes[p + 2] = q >> 16
      }
    }
  }
}

/**
 * round(x · scale) (halves up, as Math.round) clipped to the signed range [−scale, scale − 1];
 * NaN → 0. ⌊x·scale + ½⌋ is that rounding exactly here (x·scale + ½ is exact in float64 for a
 * float32 x within ±1; beyond, both clip) and costs half of Math.round's time.
 */
function quantise(x: number, scale: number): number {
  const q = Math.floor(x * scale + 0.5)
  return q >= scale ? scale - 1 : q < -scale ? -scale : q || 0
}
