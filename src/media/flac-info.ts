/**
 * FLAC's STREAMINFO block, read without decoding so long files can be refused up front.
 * Layout (https://xiph.org/flac/format.html#metadata_block_streaminfo): after `fLaC` and a
 * 4-byte block header, 34 bytes of which bits 80–99 are the sample rate, 100–102 channels − 1,
 * 103–107 bits per sample − 1, 108–143 the total samples per channel (0 = unknown).
 */

export interface FlacStreamInfo {
  sampleRate: number
  channelCount: number
  bitsPerSample: number
  /** Samples per channel; 0 when the encoder did not know it. */
  totalSamples: number
}

export function readFlacStreamInfo(bytes: Uint8Array): FlacStreamInfo | undefined {
  let at = 0
  // An ID3v2 tag sometimes precedes the stream; its size is four 7-bit bytes.
  if (bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) {
    at = 10 + ((bytes[6] << 21) | (bytes[7] << 14) | (bytes[8] << 7) | bytes[9])
  }
  const isFlac = [0x66, 0x4c, 0x61, 0x43].every((b, i) => bytes[at + i] === b)
  const block = at + 8
  // The first block must be STREAMINFO (type 0) of exactly 34 bytes; anything else is damage.
  const blockLength = (bytes[at + 5] << 16) | (bytes[at + 6] << 8) | bytes[at + 7]
  if (!isFlac || (bytes[at + 4] & 0x7f) !== 0 || blockLength !== 34) return undefined
  if (bytes.length < block + 18) return undefined
  const b = (i: number) => bytes[block + i]
  const sampleRate = (b(10) << 12) | (b(11) << 4) | (b(12) >> 4)
  const channelCount = ((b(12) >> 1) & 0x7) + 1
  const bitsPerSample = (((b(12) & 1) << 4) | (b(13) >> 4)) + 1
  // 36 bits exceed 32-bit bit operations: take the top 4 bits by multiplication.
  const totalSamples =
    (b(13) & 0x0f) * 2 ** 32 + ((b(14) << 24) >>> 0) + ((b(15) << 16) | (b(16) << 8) | b(17))
  // Rates are 1..655350 Hz (20 bits); 0 is invalid in STREAMINFO.
  if (sampleRate === 0 || sampleRate > 655350) return undefined
  return { sampleRate, channelCount, bitsPerSample, totalSamples }
}
