import { joinArrays } from './join-arrays'

/**
 * Raw DEFLATE (RFC 1951) unpacked through the platform's DecompressionStream (browsers and Node
 * alike), giving up as soon as the output passes `limit` bytes, so a small input cannot expand
 * into gigabytes: the bytes, 'too large', or 'damaged' (not DEFLATE, or cut short).
 */
export async function inflateRaw(
  bytes: Uint8Array,
  limit: number,
): Promise<Uint8Array | 'too large' | 'damaged'> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'))
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > limit) {
        await reader.cancel().catch(() => undefined)
        return 'too large'
      }
      chunks.push(value)
    }
  } catch {
    return 'damaged'
  }
  return joinArrays(Uint8Array, chunks)
}
