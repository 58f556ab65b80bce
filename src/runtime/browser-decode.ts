import { UserError } from '../engine/errors'
import type { HostDecoded } from '../media/transcode'

/**
 * Decodes sound our WASM decoders cannot read (M4A/AAC, Opus or Vorbis in WebM, AIFF…) with the
 * browser's own decoder, `decodeAudioData`, on the page (the executor resolves files here, and
 * workers have no audio context). It decodes at the context's rate, so the context is made at
 * the file's own rate where the container says it (MP4's sample entry; Opus is always 48 kHz),
 * and the decoder resamples nothing then.
 */
export async function browserDecode(
  bytes: Uint8Array,
  name: string,
  what: string,
): Promise<HostDecoded> {
  const label = name ? `"${name}"` : 'The file'
  if (typeof OfflineAudioContext === 'undefined')
    throw new UserError(
      `${label} is ${what}, which this browser cannot decode here.`,
      'Convert it to WAV, MP3, Ogg Vorbis, Ogg Opus or FLAC and load that.',
    )
  const sampleRate = containerSampleRate(bytes) ?? 48000
  const context = new OfflineAudioContext(1, 1, sampleRate)
  try {
    // decodeAudioData detaches the buffer it is given: hand it a copy.
    const buffer = await context.decodeAudioData(bytes.slice().buffer)
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) =>
      buffer.getChannelData(c).slice(),
    )
    return { sampleRate: buffer.sampleRate, channels }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new UserError(
      `${label} is ${what}, but the browser could not decode it (${detail}).`,
      'Check that the file plays in another program; if it does, convert it to WAV or FLAC and load that.',
    )
  }
}

/** The sample rate an MP4/M4A's audio sample entry ('mp4a') declares, or Opus's fixed 48 kHz. */
export function containerSampleRate(bytes: Uint8Array): number | undefined {
  const text = (at: number, n: number) => String.fromCharCode(...bytes.subarray(at, at + n))
  if (text(4, 4) === 'ftyp') {
    // ISO 14496-12 AudioSampleEntry: box header (8), reserved (6), data reference index (2),
    // reserved (8), channel count (2), sample size (2), pre-defined (2), reserved (2), then the
    // rate as 16.16 fixed point: its whole part sits 32 bytes into the box.
    for (let at = 4; at + 36 <= bytes.length; at++) {
      if (bytes[at] !== 0x6d || text(at, 4) !== 'mp4a') continue
      const box = at - 4
      const rate = (bytes[box + 32] << 8) | bytes[box + 33]
      if (rate >= 8000 && rate <= 192000) return rate
    }
    return undefined
  }
  const ebml = bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3
  const head = text(0, Math.min(bytes.length, 4096))
  if (ebml && head.includes('A_OPUS')) return 48000
  return undefined
}
