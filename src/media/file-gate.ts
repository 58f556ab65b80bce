/**
 * Sizes checked before memory is spent: a file is judged from its size and its first bytes
 * (the header) before it is read whole, so a 2-hour WAV, a 2.5 GB file or a picture of a
 * billion pixels is refused in milliseconds instead of after gigabytes and minutes.
 */

import type { AnyNodeDefinition } from '../engine/define-node'
import { UserError } from '../engine/errors'
import { formatDuration, LONGEST_AUDIO_SEC } from './decode-audio'
import { mp3DeclaredFrames, mp3SampleRate } from './declared-length'
import { readFlacStreamInfo } from './flac-info'
import { MAX_PNG_PIXELS } from './png'
import { pngChunks } from './png-chunks'
import { describeSniffed, sniff, type AudioFormat } from './sniff'
import { readWavHeader } from './wav'

/** How much of a file to read for its header: enough for WAV chunks before the data, ID3 tags. */
export const HEAD_BYTES = 1 << 16

/**
 * The largest file read whole: Node's readFile stops at 2 GiB ("greater than 2 GiB"), and a
 * browser's ArrayBuffer of that size rarely fits beside the app.
 */
export const MAX_FILE_BYTES = 2 ** 31 - 1

/** A file this much larger than the sound its header declares is not that sound. */
const OVERSIZE_FACTOR = 16
const OVERSIZE_SLACK = 16 << 20

export interface GateLimits {
  /** The longest sound to accept; default: the longest any Load Audio setting reads. */
  maxAudioSec?: number
  maxPixels?: number
}

const sizeOf = (bytes: number) =>
  bytes >= 2 ** 30
    ? `${(bytes / 2 ** 30).toFixed(1)} GB`
    : bytes >= 2 ** 20
      ? `${Math.round(bytes / 2 ** 20)} MB`
      : `${Math.max(1, Math.round(bytes / 1024))} kB`

/**
 * Throws a UserError when a file cannot be used, judged from its `size` and its first bytes
 * (`head`, up to HEAD_BYTES); returns quietly when it may be read whole.
 */
export function checkBeforeReading(
  name: string,
  size: number,
  head: Uint8Array,
  limits: GateLimits = {},
): void {
  const maxAudioSec = limits.maxAudioSec ?? LONGEST_AUDIO_SEC
  const label = `"${name}"`
  if (size > MAX_FILE_BYTES)
    throw new UserError(
      `${label} is ${sizeOf(size)}; files over 2 GB cannot be loaded.`,
      'Trim it to the part you need, or convert a sound to FLAC or MP3 and a picture to a smaller PNG.',
    )
  const sniffed = sniff(head)
  if (sniffed.kind === 'image' && sniffed.format === 'png') {
    const ihdr = pngChunks(head)[0]
    if (ihdr?.type !== 'IHDR') return
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
    const [width, height] = [view.getUint32(ihdr.offset), view.getUint32(ihdr.offset + 4)]
    const maxPixels = limits.maxPixels ?? MAX_PNG_PIXELS
    if (width * height > maxPixels)
      throw new UserError(
        `${label} is ${width}×${height} pixels; the limit is ${(maxPixels / 1e6).toFixed(1)} megapixels.`,
        'Scale the image down before loading it.',
      )
    return
  }
  if (sniffed.kind !== 'audio') return
  const declaredSec = audioSeconds(sniffed.format, head, size)
  if (declaredSec === undefined) return
  if (declaredSec.held > maxAudioSec)
    throw new UserError(
      `${label} is ${formatDuration(declaredSec.held)} long; no reader takes more than ` +
        `${formatDuration(maxAudioSec)}.`,
      'Trim the file to the part you need first (e.g. with Audacity or ffmpeg).',
    )
  if (declaredSec.soundBytes !== undefined) {
    const expected = declaredSec.soundBytes * OVERSIZE_FACTOR + OVERSIZE_SLACK
    if (size > expected)
      throw new UserError(
        `${label} is ${sizeOf(size)}, but its header declares only ` +
          `${formatDuration(declaredSec.held)} of sound (${sizeOf(declaredSec.soundBytes)}): ` +
          'the rest is not that sound. The file is damaged or not what it claims to be.',
        'Export the sound again from its source.',
      )
  }
}

/**
 * Seconds of sound a file holds by its header and real size (WAV: what its data chunk holds
 * within the file; FLAC STREAMINFO; MP3 Xing/Info), and for WAV the bytes that sound takes.
 */
function audioSeconds(
  format: AudioFormat,
  head: Uint8Array,
  size: number,
): { held: number; soundBytes?: number } | undefined {
  try {
    if (format === 'wav') {
      const header = readWavHeader(head, size)
      return {
        held: header.frames / header.sampleRate,
        soundBytes: header.dataOffset + header.declaredFrames * header.frameBytes,
      }
    }
    if (format === 'flac') {
      const info = readFlacStreamInfo(head)
      return info?.totalSamples ? { held: info.totalSamples / info.sampleRate } : undefined
    }
    if (format === 'mp3') {
      const frames = mp3DeclaredFrames(head)
      const rate = mp3SampleRate(head)
      return frames && rate ? { held: frames / rate } : undefined
    }
  } catch {
    return undefined // an unreadable header is the decoder's to report, with its own words
  }
  return undefined
}

/**
 * Why a loader will not read a file starting with `head`, in words (what the file is, and what
 * the node reads: the first sentence of its description), or undefined when it reads it. The
 * node's `accepts` decides; the editor's pickers and drops and the CLI's --input say the same.
 */
export function notReadBy(
  def: Pick<AnyNodeDefinition, 'title' | 'description' | 'accepts'>,
  name: string,
  head: Uint8Array,
): string | undefined {
  if (!def.accepts || def.accepts(head)) return undefined
  const first = /^.+?\.(?=\s|$)/s.exec(def.description.trim())?.[0] ?? def.description
  const takes = first.startsWith('Reads ')
    ? `${def.title} r${first.slice(1)}`
    : `${def.title}: ${first}`
  return `“${name}” is ${describeSniffed(sniff(head))}, which ${def.title} does not read. ${takes}`
}
