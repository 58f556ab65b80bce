import type { CancelSignal } from '../engine/define-node'
/**
 * Feeding a compressed file to a WASM decoder piece by piece, so decoding can stop as soon as the
 * output passes the length limit (memory stays bounded by the limit, not by the file) and can be
 * cancelled between pieces.
 */

import { CancelledError } from '../engine/errors'

export interface DecodedPiece {
  channelData: Float32Array[]
  samplesDecoded: number
  sampleRate: number
  errors: { message: string }[]
}

/** The common shape of mpg123-decoder and @wasm-audio-decoders/*. */
export interface StreamDecoder {
  decode(chunk: Uint8Array): Promise<DecodedPiece>
  /** Samples held back at the end of the stream (undefined when the decoder holds none). */
  flush(): Promise<DecodedPiece | undefined>
  free(): void
}

export type StreamResult =
  | {
      kind: 'done'
      sampleRate: number
      channels: Float32Array[]
      frames: number
      /** Decoder complaints about damaged frames, deduplicated. */
      errors: string[]
      /** How many complaints there were in all (one per damaged frame or page). */
      errorCount: number
    }
  /** Stopped past the limit; the length is extrapolated from the bytes read so far. */
  | { kind: 'too-long'; estimatedSec: number }

/** 64 KiB: a few seconds of typical MP3 / Vorbis, a fraction of a second of FLAC. */
const PIECE_BYTES = 1 << 16

export async function decodeStreaming(
  decoder: StreamDecoder,
  bytes: Uint8Array,
  maxDurationSec: number,
  signal?: CancelSignal,
): Promise<StreamResult> {
  const pieces: Float32Array[][] = []
  const errors = new Set<string>()
  let errorCount = 0
  let frames = 0
  let sampleRate = 0
  const add = (piece: DecodedPiece | undefined): boolean => {
    if (!piece) return false
    for (const e of piece.errors) errors.add(e.message)
    errorCount += piece.errors.length
    if (piece.samplesDecoded === 0) return false
    sampleRate ||= piece.sampleRate
    pieces.push(piece.channelData.map((c) => c.subarray(0, piece.samplesDecoded)))
    frames += piece.samplesDecoded
    return frames / sampleRate > maxDurationSec
  }
  const tooLong = (bytesRead: number): StreamResult => ({
    kind: 'too-long',
    estimatedSec: (frames / sampleRate) * (bytes.length / Math.max(1, bytesRead)),
  })
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
    if (signal?.aborted) throw new CancelledError()
    const end = Math.min(bytes.length, at + PIECE_BYTES)
    if (add(await decoder.decode(bytes.subarray(at, end)))) return tooLong(end)
  }
  if (add(await decoder.flush())) return tooLong(bytes.length)
  return {
    kind: 'done',
    sampleRate,
    channels: joinPieces(pieces, frames),
    frames,
    errors: [...errors],
    errorCount,
  }
}

/** Concatenates pieces per channel; a channel missing from a piece is filled with silence. */
function joinPieces(pieces: Float32Array[][], frames: number): Float32Array[] {
  const channelCount = Math.max(0, ...pieces.map((p) => p.length))
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames))
  let offset = 0
  for (const piece of pieces) {
    piece.forEach((samples, c) => channels[c].set(samples, offset))
    offset += piece[0]?.length ?? 0
  }
  return channels
}
