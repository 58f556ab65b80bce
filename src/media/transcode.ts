import type { FileResolver, ResolvedFile } from '../engine/keys'
import { sniff } from './sniff'
import { encodeWav } from './wav-encode'

/** Decoded sound from a decoder outside our own: the browser's, or ffmpeg. */
export interface HostDecoded {
  sampleRate: number
  channels: Float32Array[]
}

/**
 * Decodes a file our WASM decoders cannot read (M4A/AAC, Opus in WebM, AIFF…; `what` names it,
 * e.g. "an MP4/M4A file"). Throws a UserError that says what to do when it cannot.
 */
export type HostDecoder = (bytes: Uint8Array, name: string, what: string) => Promise<HostDecoded>

/**
 * A file resolver that hands sound files in formats only the host can decode to the nodes as a
 * 32-bit float WAV (lossless for what the decoder gave), so Load Audio, running anywhere (a
 * worker, Node), needs no decoder of its own for them. The SHA-256 of the original bytes keys
 * the node, so the same file keeps its cache. Decodings are remembered per reference (the last
 * few), as every run resolves its files again.
 */
export function transcodingResolver(resolve: FileResolver, decode: HostDecoder): FileResolver {
  const done = new Map<string, Promise<ResolvedFile>>()
  return async (ref) => {
    const file = await resolve(ref)
    const sniffed = sniff(file.bytes)
    if (sniffed.kind !== 'unsupported-audio') return file
    let converted = done.get(ref)
    if (!converted) {
      converted = decode(file.bytes, file.name, sniffed.what).then((audio) => ({
        name: file.name,
        bytes: encodeWav(audio, 'float32'),
        sha256: file.sha256,
      }))
      done.set(ref, converted)
      converted.catch(() => done.delete(ref)) // a failure may be fixed (ffmpeg installed): retry
      if (done.size > 4) done.delete(done.keys().next().value ?? '')
    }
    return converted
  }
}
