/**
 * How long a compressed file says it is, read from its headers without decoding, so what a
 * decoder gives can be compared with it: a damaged or cut-short file decodes to less.
 * MP3: the Xing/Info frame count (with LAME's encoder delay and padding, which gapless decoders
 * such as mpg123 remove). Ogg: the granule position and end-of-stream flag of the last page
 * (RFC 3533 §6). FLAC: STREAMINFO's total (flac-info.ts).
 */

import { readFlacStreamInfo } from './flac-info'
import { id3End, type AudioFormat } from './sniff'

export interface DeclaredLength {
  /** Sample frames the file declares, when it declares them. */
  frames?: number
  /** False when the file visibly ends early (an Ogg stream without its end-of-stream page). */
  complete: boolean
}

export function declaredLength(format: AudioFormat, bytes: Uint8Array): DeclaredLength {
  switch (format) {
    case 'mp3':
      return { frames: mp3DeclaredFrames(bytes), complete: true }
    case 'ogg':
    case 'opus': // the last granule counts 48 kHz samples, with the few ms of pre-skip
      return oggDeclared(bytes)
    case 'flac': {
      const total = readFlacStreamInfo(bytes)?.totalSamples
      return { frames: total || undefined, complete: true }
    }
    case 'wav':
      return { complete: true }
  }
}

/**
 * The frame count of a Xing or Info header in the first MPEG frame (Xing's VBR header, which
 * LAME and ffmpeg also write for CBR as "Info"): frames × samples per frame, less LAME's encoder
 * delay and padding (12 bits each, 21 bytes into the LAME tag) when the tag is there.
 */
export function mp3DeclaredFrames(bytes: Uint8Array): number | undefined {
  const at = id3End(bytes)
  if (bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return undefined
  const version = (bytes[at + 1] >> 3) & 3 // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = (bytes[at + 1] >> 1) & 3 // 3 = layer I, 2 = II, 1 = III
  const mono = bytes[at + 3] >> 6 === 3
  const mpeg1 = version === 3
  // Side information length (ISO 11172-3 §2.4.1.7, ISO 13818-3 for the lower rates).
  const side = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17
  const x = at + 4 + side
  if (x + 12 > bytes.length) return undefined
  const tag = String.fromCharCode(...bytes.subarray(x, x + 4))
  if (tag !== 'Xing' && tag !== 'Info') return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const flags = view.getUint32(x + 4)
  if (!(flags & 1)) return undefined
  const frames = view.getUint32(x + 8)
  const perFrame = layer === 3 ? 384 : layer === 1 && !mpeg1 ? 576 : 1152
  // The LAME tag follows the Xing fields present: frames, bytes, 100-byte TOC, quality.
  const lame = x + 8 + (flags & 1 ? 4 : 0) + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + 4
  let trim = 0
  if (flags & 8 && lame + 24 <= bytes.length) {
    const delay = (bytes[lame + 21] << 4) | (bytes[lame + 22] >> 4)
    const padding = ((bytes[lame + 22] & 0x0f) << 8) | bytes[lame + 23]
    trim = delay + padding
  }
  return Math.max(0, frames * perFrame - trim)
}

/**
 * The last Ogg page's granule position (for Vorbis, the sample frames up to its end) and
 * whether it carries the end-of-stream flag (header type bit 2). Searched from the end.
 */
function oggDeclared(bytes: Uint8Array): DeclaredLength {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = bytes.length - 27; at >= 0; at--) {
    if (bytes[at] !== 0x4f || bytes[at + 1] !== 0x67 || bytes[at + 2] !== 0x67) continue
    if (bytes[at + 3] !== 0x53 || bytes[at + 4] !== 0) continue
    const granule = view.getBigInt64(at + 6, true)
    const ended = (bytes[at + 5] & 4) !== 0
    // -1 means no packet ends on this page; it says nothing about the length.
    return { frames: granule > 0n ? Number(granule) : undefined, complete: ended }
  }
  return { complete: false }
}

/** The sample rate of the first MPEG audio frame (after an ID3v2 tag): ISO 11172-3 §2.4.2.3. */
export function mp3SampleRate(bytes: Uint8Array): number | undefined {
  const at = id3End(bytes)
  if (bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return undefined
  const version = (bytes[at + 1] >> 3) & 3 // 3 = MPEG-1, 2 = MPEG-2 (half), 0 = MPEG-2.5 (quarter)
  const base = [44100, 48000, 32000][(bytes[at + 2] >> 2) & 3]
  if (base === undefined || version === 1) return undefined
  return version === 3 ? base : version === 2 ? base / 2 : base / 4
}
