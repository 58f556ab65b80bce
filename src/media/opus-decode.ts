import type { StreamDecoder } from './stream-decode'

/**
 * Ogg Opus through ogg-opus-decoder (the same WASM family as our Vorbis and FLAC decoders, so it
 * runs in Node, workers and browsers alike). Always 48 kHz, as Opus decodes. It reads the Ogg
 * container only: Opus in WebM is left to the browser's decoder (transcode.ts) and refused on
 * the command line with that said.
 */
export async function createOpusDecoder(): Promise<StreamDecoder> {
  const { OggOpusDecoder } = await import('ogg-opus-decoder')
  const d = new OggOpusDecoder()
  await d.ready
  return {
    decode: (chunk) => Promise.resolve(d.decode(chunk)),
    flush: () => d.flush(),
    free: () => d.free(),
  }
}
