/**
 * Recognising a file by its first bytes (magic numbers), so a wrong file gets a message that says
 * what it is instead of a decoder's stack trace. References: each format's specification
 * (RIFF/WAVE, ID3v2.4 §3.1, ISO 11172-3 frame header, RFC 3533 Ogg, FLAC format, PNG §5.2).
 */

export type AudioFormat = 'wav' | 'mp3' | 'ogg' | 'opus' | 'flac'

export type Sniffed =
  | { kind: 'audio'; format: AudioFormat }
  /** Sound in a container or codec we do not decode yet. */
  | { kind: 'unsupported-audio'; what: string }
  | { kind: 'image'; format: 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff' }
  /** `format` where a reader of ours may take it further (graph files: JSON, a share link, a zip). */
  | { kind: 'other'; what: string; format?: 'zip' | 'json' | 'text' }
  | { kind: 'unknown' }

const ascii = (bytes: Uint8Array, at: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(at, at + length))

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0): boolean =>
  magic.every((b, i) => bytes[at + i] === b)

/** What the bytes are, by their signature. */
export function sniff(bytes: Uint8Array): Sniffed {
  const head4 = ascii(bytes, 0, 4)
  if (head4 === 'RIFF' || head4 === 'RF64') {
    const form = ascii(bytes, 8, 4)
    if (form === 'WAVE') return { kind: 'audio', format: 'wav' }
    if (form === 'WEBP') return { kind: 'image', format: 'webp' }
    if (form === 'AVI ') return { kind: 'other', what: 'an AVI video' }
    return { kind: 'other', what: `a RIFF file of type "${form}"` }
  }
  if (head4.startsWith('ID3')) return sniffAfterId3(bytes)
  if (head4 === 'fLaC') return { kind: 'audio', format: 'flac' }
  if (head4 === 'OggS') return sniffOgg(bytes)
  if (head4 === 'FORM' && /^AIF[FC]$/.test(ascii(bytes, 8, 4)))
    return { kind: 'unsupported-audio', what: 'an AIFF file' }
  if (ascii(bytes, 4, 4) === 'ftyp') return { kind: 'unsupported-audio', what: 'an MP4/M4A file' }
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3]))
    return { kind: 'unsupported-audio', what: 'a WebM/Matroska file' }
  if (head4 === 'MThd') return { kind: 'other', what: 'a MIDI file (notes, not sound)' }
  const frame = sniffMpegFrame(bytes, 0)
  if (frame) return frame

  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { kind: 'image', format: 'png' }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' }
  if (head4 === 'GIF8') return { kind: 'image', format: 'gif' }
  if (head4.startsWith('BM') && bytes.length > 26) return { kind: 'image', format: 'bmp' }
  if (head4 === 'II*\0' || head4 === 'MM\0*') return { kind: 'image', format: 'tiff' }
  if (head4 === '%PDF') return { kind: 'other', what: 'a PDF document' }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]))
    return { kind: 'other', what: 'a ZIP archive', format: 'zip' }
  return sniffText(bytes)
}

/** Where an ID3v2 tag at the start ends (0 when there is none). */
export function id3End(bytes: Uint8Array): number {
  if (ascii(bytes, 0, 3) !== 'ID3') return 0
  // Tag size: four 7-bit "syncsafe" bytes, excluding the 10-byte header (+10 with a footer).
  const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7)
  return 10 + (size | (bytes[9] & 0x7f)) + (bytes[5] & 0x10 ? 10 : 0)
}

/**
 * Channels of an MP3, from its first frame header's mode bits (11 = single channel): mpg123
 * always decodes to two channels, and a mono file should stay mono.
 */
export function mpegChannelCount(bytes: Uint8Array): 1 | 2 | undefined {
  const start = id3End(bytes)
  const end = Math.min(bytes.length - 4, start + 65536)
  for (let at = start; at < end; at++) {
    if (sniffMpegFrame(bytes, at)?.kind === 'audio') return bytes[at + 3] >> 6 === 3 ? 1 : 2
  }
  return undefined
}

/** ID3v2 tags may precede MP3 (usually), FLAC or AAC; skip the tag and look at what follows. */
function sniffAfterId3(bytes: Uint8Array): Sniffed {
  const end = id3End(bytes)
  if (ascii(bytes, end, 4) === 'fLaC') return { kind: 'audio', format: 'flac' }
  const frame = sniffMpegFrame(bytes, end)
  // A tag with nothing recognisable after it is still most likely an MP3; the decoder will say.
  return frame ?? { kind: 'audio', format: 'mp3' }
}

/** An MPEG audio frame header (11 sync bits) or an AAC ADTS header (layer bits 00). */
function sniffMpegFrame(bytes: Uint8Array, at: number): Sniffed | undefined {
  if (bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return undefined
  const layer = (bytes[at + 1] >> 1) & 3
  const version = (bytes[at + 1] >> 3) & 3
  if (layer === 0) return { kind: 'unsupported-audio', what: 'raw AAC (ADTS)' }
  const bitrateIndex = bytes[at + 2] >> 4
  const rateIndex = (bytes[at + 2] >> 2) & 3
  if (version === 1 || bitrateIndex === 15 || rateIndex === 3) return undefined
  return { kind: 'audio', format: 'mp3' }
}

/** Ogg is a container: the first packet names the codec. */
function sniffOgg(bytes: Uint8Array): Sniffed {
  // Page header: 27 bytes, then `segments` lacing values, then the first packet.
  const segments = bytes[26] ?? 0
  const packet = 27 + segments
  if (ascii(bytes, packet + 1, 6) === 'vorbis') return { kind: 'audio', format: 'ogg' }
  if (ascii(bytes, packet, 8) === 'OpusHead') return { kind: 'audio', format: 'opus' }
  if (ascii(bytes, packet + 1, 4) === 'FLAC')
    return { kind: 'unsupported-audio', what: 'an Ogg FLAC file' }
  if (ascii(bytes, packet + 1, 6) === 'theora') return { kind: 'other', what: 'an Ogg video' }
  // Too short to tell: let the Vorbis decoder try and report.
  return bytes.length < packet + 8
    ? { kind: 'audio', format: 'ogg' }
    : { kind: 'unsupported-audio', what: 'an Ogg file with a codec other than Vorbis' }
}

/** JSON, HTML, XML or other text, judged from the first KiB. */
function sniffText(bytes: Uint8Array): Sniffed {
  const sample = bytes.subarray(0, 1024)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample)
  } catch {
    // A cut in the middle of a multi-byte character at the end of the sample is still text.
    if (sample.length < 1024) return { kind: 'unknown' }
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, 1020))
    } catch {
      return { kind: 'unknown' }
    }
  }
  const control = text.match(/[\x00-\x08\x0e-\x1f]/g)?.length ?? 0
  if (control > text.length / 100) return { kind: 'unknown' }
  const start = text.trimStart().slice(0, 100).toLowerCase()
  if (start.startsWith('{') || start.startsWith('['))
    return { kind: 'other', what: 'JSON text', format: 'json' }
  if (start.startsWith('<!doctype html') || start.startsWith('<html'))
    return { kind: 'other', what: 'a web page (HTML)' }
  if (start.startsWith('<svg') || (start.startsWith('<?xml') && /<svg/i.test(text)))
    return { kind: 'other', what: 'an SVG drawing' }
  if (start.startsWith('<?xml')) return { kind: 'other', what: 'an XML document' }
  return { kind: 'other', what: 'plain text', format: 'text' }
}

/** "a PNG image", "JSON text"…: for messages. */
export function describeSniffed(s: Sniffed): string {
  switch (s.kind) {
    case 'audio':
      return {
        wav: 'a WAV file',
        mp3: 'an MP3 file',
        ogg: 'an Ogg Vorbis file',
        opus: 'an Ogg Opus file',
        flac: 'a FLAC file',
      }[s.format]
    case 'image':
      return `${s.format === 'jpeg' ? 'a JPEG' : `a ${s.format.toUpperCase()}`} image`
    case 'unsupported-audio':
    case 'other':
      return s.what
    case 'unknown':
      return 'an unrecognised kind of file'
  }
}
