/**
 * A minimal WebM (Matroska) muxer for already-encoded video and audio: an EBML header and one
 * Segment holding SeekHead, Info (with the duration), Tracks, Clusters of SimpleBlocks (the last
 * Opus block in a BlockGroup, to carry DiscardPadding) and Cues, so players know the length and
 * can seek. Follows the Matroska specification (RFC 9559) and the WebM container guidelines
 * (webmproject.org/docs/container); element ids are listed below.
 * No DOM: the encoders (WebCodecs in the browser) live elsewhere and hand over their chunks.
 */
import { resample } from '../dsp/resample'
import type { AudioValue } from '../engine/values'
import { joinArrays } from '../engine/join-arrays'

/** Opus is coded at 48 kHz whatever the source's rate (RFC 7845 §5.1). */
export const OPUS_RATE = 48_000

/** A soundtrack as Opus takes it: at most two channels (WebM's stereo), at 48 kHz. */
export function opusSoundtrack(audio: AudioValue): Float32Array[] {
  const rate = Math.round(audio.sampleRate)
  return audio.channels
    .slice(0, 2)
    .map((channel) => (rate === OPUS_RATE ? channel : resample(channel, rate, OPUS_RATE)))
}

export interface MuxChunk {
  /** Presentation time in microseconds (WebCodecs' unit). */
  timestampUs: number
  key: boolean
  data: Uint8Array
  /** Length in microseconds, where the encoder gave one (WebCodecs' `duration`). */
  durationUs?: number
}

export interface WebmVideoTrack {
  codec: 'V_VP8' | 'V_VP9'
  width: number
  height: number
  chunks: readonly MuxChunk[]
}

export interface WebmAudioTrack {
  codec: 'A_OPUS'
  sampleRate: number
  channels: number
  /** Codec private data: the Opus identification header ("OpusHead", RFC 7845 §5.1). */
  codecPrivate: Uint8Array
  /** Samples (at 48 kHz) the decoder drops at the start: OpusHead's pre-skip. */
  preSkip: number
  chunks: readonly MuxChunk[]
  /**
   * The sound's own length. Opus codes whole packets (20 ms), so the last one runs on past
   * the end; given this and every chunk's duration, the surplus is marked as DiscardPadding on
   * the last block and players stop where the sound does (RFC 9559's DiscardPadding element).
   */
  durationSec?: number
}

const ID = {
  EBML: 0x1a45dfa3,
  EBMLVersion: 0x4286,
  EBMLReadVersion: 0x42f7,
  EBMLMaxIDLength: 0x42f2,
  EBMLMaxSizeLength: 0x42f3,
  DocType: 0x4282,
  DocTypeVersion: 0x4287,
  DocTypeReadVersion: 0x4285,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Duration: 0x4489,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackUID: 0x73c5,
  TrackType: 0x83,
  FlagLacing: 0x9c,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  CodecDelay: 0x56aa,
  SeekPreRoll: 0x56bb,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Audio: 0xe1,
  SamplingFrequency: 0xb5,
  Channels: 0x9f,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  DiscardPadding: 0x75a2,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
} as const

type Bytes = Uint8Array

/** Big-endian bytes of a non-negative integer, at least `min` of them. */
function uintBytes(value: number, min = 1): Bytes {
  const bytes: number[] = []
  let v = value
  do {
    bytes.unshift(v % 256)
    v = Math.floor(v / 256)
  } while (v > 0 || bytes.length < min)
  return Uint8Array.from(bytes)
}

/** An element's data size as an EBML variable-length integer (1–8 bytes, marker bit first). */
function sizeVint(size: number): Bytes {
  let length = 1
  while (length < 8 && size >= 2 ** (7 * length) - 1) length++
  const bytes = uintBytes(size, length)
  bytes[0] |= 0x80 >> (length - 1)
  return bytes
}

const el = (id: number, ...payload: Bytes[]): Bytes => {
  const data = joinArrays(Uint8Array, payload)
  return joinArrays(Uint8Array, [uintBytes(id), sizeVint(data.length), data])
}
const uint = (id: number, value: number, min = 1) => el(id, uintBytes(value, min))
/** A signed integer element (two's complement, big-endian) for a non-negative value. */
const sint = (id: number, value: number) => {
  const bytes = uintBytes(value)
  return el(id, bytes[0] & 0x80 ? joinArrays(Uint8Array, [Uint8Array.of(0), bytes]) : bytes)
}
const text = (id: number, value: string) => el(id, new TextEncoder().encode(value))
const float = (id: number, value: number) => {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setFloat64(0, value)
  return el(id, bytes)
}

interface Block {
  track: number
  timeMs: number
  key: boolean
  data: Bytes
  /** Nanoseconds of decoded sound to drop at the block's end. */
  discardPaddingNs?: number
}

/** A SimpleBlock, or a BlockGroup where the block carries DiscardPadding. */
function blockElement(block: Block, clusterMs: number): Bytes {
  const head = new Uint8Array(4)
  head[0] = 0x80 | block.track // track number as a 1-byte vint (tracks 1 and 2)
  new DataView(head.buffer).setInt16(1, block.timeMs - clusterMs)
  if (!block.discardPaddingNs) {
    head[3] = block.key ? 0x80 : 0
    return el(ID.SimpleBlock, head, block.data)
  }
  // A Block's flags have no key bit: a block without references is a key frame.
  return el(
    ID.BlockGroup,
    el(ID.Block, head, block.data),
    sint(ID.DiscardPadding, block.discardPaddingNs),
  )
}

/** Decoded audio past the sound's end, in ns (0 when unknown): what the last block drops. */
function audioPaddingNs(audio: WebmAudioTrack): number {
  const last = audio.chunks.at(-1)
  if (audio.durationSec === undefined || !last?.durationUs) return 0
  if (audio.chunks.some((c) => !c.durationUs)) return 0
  const codedUs = audio.chunks.reduce((sum, c) => sum + (c.durationUs ?? 0), 0)
  const decodedUs = codedUs - (audio.preSkip * 1e6) / 48000
  const surplusNs = Math.round((decodedUs - audio.durationSec * 1e6) * 1000)
  return Math.max(0, Math.min(surplusNs, last.durationUs * 1000))
}

/** Groups blocks (in time order) into clusters that start at video key frames (or every 30 s). */
function clusters(blocks: readonly Block[]): { timeMs: number; bytes: Bytes }[] {
  const out: { timeMs: number; parts: Bytes[] }[] = []
  for (const block of blocks) {
    const current = out.at(-1)
    const startsNew =
      !current ||
      (block.track === 1 && block.key && block.timeMs > current.timeMs) ||
      block.timeMs - current.timeMs > 30_000
    const cluster = startsNew ? { timeMs: block.timeMs, parts: [] } : current
    if (startsNew) out.push(cluster)
    cluster.parts.push(blockElement(block, cluster.timeMs))
  }
  return out.map((c) => ({
    timeMs: c.timeMs,
    bytes: el(ID.Cluster, uint(ID.Timestamp, c.timeMs), ...c.parts),
  }))
}

function trackEntries(video: WebmVideoTrack, audio?: WebmAudioTrack): Bytes {
  const videoEntry = el(
    ID.TrackEntry,
    uint(ID.TrackNumber, 1),
    uint(ID.TrackUID, 1),
    uint(ID.TrackType, 1),
    uint(ID.FlagLacing, 0),
    text(ID.CodecID, video.codec),
    el(ID.Video, uint(ID.PixelWidth, video.width), uint(ID.PixelHeight, video.height)),
  )
  if (!audio) return el(ID.Tracks, videoEntry)
  const audioEntry = el(
    ID.TrackEntry,
    uint(ID.TrackNumber, 2),
    uint(ID.TrackUID, 2),
    uint(ID.TrackType, 2),
    uint(ID.FlagLacing, 0),
    text(ID.CodecID, audio.codec),
    el(ID.CodecPrivate, audio.codecPrivate),
    uint(ID.CodecDelay, Math.round((audio.preSkip * 1e9) / 48000)),
    uint(ID.SeekPreRoll, 80_000_000),
    el(ID.Audio, float(ID.SamplingFrequency, audio.sampleRate), uint(ID.Channels, audio.channels)),
  )
  return el(ID.Tracks, videoEntry, audioEntry)
}

/**
 * The WebM file for these tracks. Timestamps are rounded to milliseconds (TimestampScale 1 ms);
 * `durationSec` is what players report as the length.
 */
export function muxWebm(options: {
  video: WebmVideoTrack
  audio?: WebmAudioTrack
  durationSec: number
  app?: string
}): Bytes {
  const { video, audio } = options
  const app = options.app ?? 'Synesthete'
  const toBlock = (track: number) => (chunk: MuxChunk) => ({
    track,
    timeMs: Math.round(chunk.timestampUs / 1000),
    key: chunk.key,
    data: chunk.data,
  })
  const audioBlocks: Block[] = (audio?.chunks ?? []).map(toBlock(2))
  const paddingNs = audio ? audioPaddingNs(audio) : 0
  const lastAudio = audioBlocks.at(-1)
  if (lastAudio && paddingNs > 0) lastAudio.discardPaddingNs = paddingNs
  const blocks = [...video.chunks.map(toBlock(1)), ...audioBlocks]
  // Stable sort: at equal times video comes first, so each cluster opens with its key frame.
  blocks.sort((a, b) => a.timeMs - b.timeMs || a.track - b.track)
  const header = el(
    ID.EBML,
    uint(ID.EBMLVersion, 1),
    uint(ID.EBMLReadVersion, 1),
    uint(ID.EBMLMaxIDLength, 4),
    uint(ID.EBMLMaxSizeLength, 8),
    text(ID.DocType, 'webm'),
    uint(ID.DocTypeVersion, 4),
    uint(ID.DocTypeReadVersion, 2),
  )
  const info = el(
    ID.Info,
    uint(ID.TimestampScale, 1_000_000),
    float(ID.Duration, options.durationSec * 1000),
    text(ID.MuxingApp, app),
    text(ID.WritingApp, app),
  )
  const tracks = trackEntries(video, audio)
  const made = clusters(blocks)
  // SeekHead entries use 8-byte positions, so its size is known before the positions are.
  const seek = (id: number, position: number) =>
    el(ID.Seek, el(ID.SeekID, uintBytes(id)), uint(ID.SeekPosition, position, 8))
  const seekHeadSize = el(
    ID.SeekHead,
    seek(ID.Info, 0),
    seek(ID.Tracks, 0),
    seek(ID.Cues, 0),
  ).length
  const infoAt = seekHeadSize
  const tracksAt = infoAt + info.length
  let at = tracksAt + tracks.length
  const cuePoints: Bytes[] = []
  for (const cluster of made) {
    cuePoints.push(
      el(
        ID.CuePoint,
        uint(ID.CueTime, cluster.timeMs),
        el(ID.CueTrackPositions, uint(ID.CueTrack, 1), uint(ID.CueClusterPosition, at)),
      ),
    )
    at += cluster.bytes.length
  }
  const cues = el(ID.Cues, ...cuePoints)
  const seekHead = el(
    ID.SeekHead,
    seek(ID.Info, infoAt),
    seek(ID.Tracks, tracksAt),
    seek(ID.Cues, at),
  )
  const segment = el(ID.Segment, seekHead, info, tracks, ...made.map((c) => c.bytes), cues)
  return joinArrays(Uint8Array, [header, segment])
}

/** The Opus identification header (RFC 7845 §5.1), mapping family 0 (mono or stereo). */
export function opusHead(channels: number, preSkip: number, inputSampleRate: number): Bytes {
  const head = new Uint8Array(19)
  head.set(new TextEncoder().encode('OpusHead'))
  const view = new DataView(head.buffer)
  head[8] = 1
  head[9] = channels
  view.setUint16(10, preSkip, true)
  view.setUint32(12, inputSampleRate, true)
  view.setInt16(16, 0, true)
  head[18] = 0
  return head
}
