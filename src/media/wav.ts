/**
 * RIFF/WAVE reading and writing. Reads PCM 8-bit unsigned, 16/24/32-bit signed integer, 32/64-bit
 * IEEE float, plain or WAVE_FORMAT_EXTENSIBLE, chunks in any order (odd sizes padded), RF64, and
 * files cut short (whole frames only). Writes PCM 16/24-bit or float32, with extra chunks.
 * Reference: Microsoft "Multimedia Programming Interface and Data Specifications 1.0" (1991),
 * "WAVEFORMATEXTENSIBLE" (Microsoft docs), EBU Tech 3306 (RF64).
 */

import { UserError } from '../engine/errors'
import { readChunkId, riffChunks } from './riff'
import {
  FORMAT_EXTENSIBLE,
  FORMAT_FLOAT,
  FORMAT_PCM,
  RESERVED_IDS,
  type WavChunk,
} from './wav-encode'

export { encodeWav, type WavChunk, type WavEncoding } from './wav-encode'

export interface PcmAudio {
  sampleRate: number
  channels: Float32Array[]
}

export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64'

export interface WavHeader {
  sampleRate: number
  channelCount: number
  sampleFormat: WavSampleFormat
  /** Whole frames present in the file (fewer than declared when it is cut short). */
  frames: number
  /** Frames the data chunk declares; equals `frames` unless the file is cut short. */
  declaredFrames: number
  /** Duration the file declares, in seconds: what a length limit should be checked against. */
  declaredDurationSec: number
  truncated: boolean
  /** Byte offset and length of the sample data present. */
  dataOffset: number
  dataBytes: number
  /** Bytes per sample frame (all channels): the header's block align. */
  frameBytes: number
}

/** A 32-bit size of all ones: "unknown" from streaming writers, "see ds64" in RF64. */
const SIZE_UNKNOWN = 0xffffffff

const KNOWN_CODECS: Record<number, string> = {
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'µ-law',
  0x11: 'IMA ADPCM',
  0x31: 'GSM 6.10',
  0x50: 'MPEG',
  0x55: 'MP3',
}

const notWav = (message: string): UserError =>
  new UserError(message, 'Export the file again as a standard WAV (PCM or float), or use FLAC.')

/**
 * Parses the header of a WAV file without decoding samples, so long files can be refused.
 * `bytes` may be only the file's beginning (enough to hold its header chunks) when `fileSize`
 * gives the whole file's size: frames are then what the whole file holds.
 */
export function readWavHeader(bytes: Uint8Array, fileSize = bytes.length): WavHeader {
  if (bytes.length === 0) throw new UserError('The WAV file is empty (0 bytes).')
  const riff = readChunkId(bytes, 0)
  if (bytes.length < 12 || (riff !== 'RIFF' && riff !== 'RF64') || readChunkId(bytes, 8) !== 'WAVE')
    throw notWav(
      riff === 'RIFX' ? 'Big-endian (RIFX) WAV files are not supported.' : 'Not a WAV file.',
    )
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)

  let fmt: { tag: number; channels: number; rate: number; block: number; bits: number } | undefined
  let data: { offset: number; declared: number } | undefined
  let ds64DataSize: number | undefined
  for (const chunk of riffChunks(bytes, 12)) {
    // Header chunks are read only when whole; a cut-off one is as good as absent.
    const whole = (size: number) => chunk.size >= size && chunk.offset + size <= bytes.length
    if (chunk.id === 'ds64' && whole(16)) {
      ds64DataSize = Number(view.getBigUint64(chunk.offset + 8, true))
    } else if (chunk.id === 'fmt ' && whole(16)) {
      const o = chunk.offset
      let tag = view.getUint16(o, true)
      if (tag === FORMAT_EXTENSIBLE && whole(40)) tag = view.getUint16(o + 24, true)
      fmt = {
        tag,
        channels: view.getUint16(o + 2, true),
        rate: view.getUint32(o + 4, true),
        block: view.getUint16(o + 12, true),
        bits: view.getUint16(o + 14, true),
      }
    } else if (chunk.id === 'data') {
      let declared = chunk.size
      if (declared === SIZE_UNKNOWN) declared = ds64DataSize ?? fileSize - chunk.offset
      data = { offset: chunk.offset, declared }
    }
  }
  if (!fmt) throw notWav('The WAV file has no format ("fmt ") chunk, or it is damaged.')
  if (!data) throw notWav('The WAV file has no audio ("data") chunk.')
  if (fmt.tag !== FORMAT_PCM && fmt.tag !== FORMAT_FLOAT) {
    const codec = KNOWN_CODECS[fmt.tag] ?? `format code 0x${fmt.tag.toString(16)}`
    throw notWav(`This WAV file is compressed (${codec}); only PCM and float WAV are supported.`)
  }
  if (fmt.channels === 0) throw notWav('The WAV file declares zero channels.')
  if (fmt.rate === 0) throw notWav('The WAV file declares a sample rate of 0 Hz.')
  const sampleFormat = sampleFormatOf(fmt.tag, fmt.bits, fmt.block, fmt.channels)

  const available = Math.max(0, Math.min(data.declared, fileSize - data.offset))
  const frames = Math.floor(available / fmt.block)
  const declaredFrames = Math.floor(data.declared / fmt.block)
  return {
    sampleRate: fmt.rate,
    channelCount: fmt.channels,
    sampleFormat,
    frames,
    declaredFrames,
    declaredDurationSec: declaredFrames / fmt.rate,
    truncated: data.declared > available,
    dataOffset: data.offset,
    dataBytes: frames * fmt.block,
    frameBytes: fmt.block,
  }
}

function sampleFormatOf(tag: number, bits: number, block: number, channels: number) {
  // The container size is the block size per channel; valid bits may be fewer (e.g. 20 in 24),
  // left-justified, so reading the whole container scales them correctly.
  const bytesPerSample = block / channels
  const formats: Record<string, WavSampleFormat> = {
    '1:1': 'pcm8',
    '1:2': 'pcm16',
    '1:3': 'pcm24',
    '1:4': 'pcm32',
    '3:4': 'float32',
    '3:8': 'float64',
  }
  const format = formats[`${tag}:${bytesPerSample}`]
  if (!format || bits > bytesPerSample * 8 || bits === 0)
    throw notWav(
      `Unsupported WAV sample layout: ${tag === FORMAT_FLOAT ? 'float' : 'integer'}, ` +
        `${bits} bits in ${block} bytes per frame for ${channels} channel(s).`,
    )
  return format
}

/** Decodes a WAV file to planar float samples (integers scaled by 1/2^(bits−1)). */
export function decodeWav(bytes: Uint8Array): PcmAudio {
  const header = readWavHeader(bytes)
  const { frames, channelCount, sampleFormat } = header
  if (frames === 0 && header.declaredFrames > 0)
    throw new UserError(
      'The WAV file is cut short: it ends before its first whole sample frame.',
      'The file may not have finished downloading or copying; get it again.',
    )
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames))
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, header.dataBytes)
  const read = sampleReader(sampleFormat, view)
  const size = bytesPerSample[sampleFormat]
  let offset = 0
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channelCount; c++) {
      channels[c][i] = read(offset)
      offset += size
    }
  }
  return { sampleRate: header.sampleRate, channels }
}

const bytesPerSample: Record<WavSampleFormat, number> = {
  pcm8: 1,
  pcm16: 2,
  pcm24: 3,
  pcm32: 4,
  float32: 4,
  float64: 8,
}

function sampleReader(format: WavSampleFormat, v: DataView): (offset: number) => number {
  switch (format) {
    case 'pcm8':
      return (o) => (v.getUint8(o) - 128) / 128
    case 'pcm16':
      return (o) => v.getInt16(o, true) / 32768
    case 'pcm24':
      return (o) => ((v.getInt8(o + 2) << 16) | v.getUint16(o, true)) / 8388608
    case 'pcm32':
      return (o) => v.getInt32(o, true) / 2147483648
    case 'float32':
      return (o) => v.getFloat32(o, true)
    case 'float64':
      return (o) => v.getFloat64(o, true)
  }
}

/** The chunks of a WAV file other than format and data (e.g. provenance written by us). */
export function readWavChunks(bytes: Uint8Array): WavChunk[] {
  readWavHeader(bytes)
  return riffChunks(bytes, 12)
    .filter((c) => !RESERVED_IDS.has(c.id) && c.offset + c.size <= bytes.length)
    .map((c) => ({ id: c.id, data: bytes.slice(c.offset, c.offset + c.size) }))
}
