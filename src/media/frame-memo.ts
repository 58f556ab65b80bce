/**
 * A bounded in-memory store of finished frames, keyed by content, for nodes that run an
 * expensive step once per frame (Stable Diffusion per Frame). It lives as long as the thread
 * that runs the node (the GPU worker in the browser, the process in the CLI), so a run that
 * was cancelled half-way, or whose later frames changed, redoes only the frames it lacks.
 * Entries are copied in and out: results leave their worker as transferred buffers, which
 * would otherwise empty the stored copy.
 */
import { canonicalJson, sha256Hex } from '../engine/hash'
import type { ImageValue } from '../engine/values'

const copy = (image: ImageValue): ImageValue => ({
  ...image,
  channels: image.channels.map((c) => c.slice()),
})

const bytesOf = (image: ImageValue) => image.channels.reduce((n, c) => n + c.byteLength, 0)

export class FrameMemo {
  private readonly entries = new Map<string, ImageValue>()
  private bytes = 0

  constructor(private readonly maxBytes = 256 * 1024 * 1024) {}

  get size(): number {
    return this.entries.size
  }

  get(key: string): ImageValue | undefined {
    const hit = this.entries.get(key)
    if (!hit) return undefined
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key)
    this.entries.set(key, hit)
    return copy(hit)
  }

  set(key: string, image: ImageValue): void {
    const size = bytesOf(image)
    if (size > this.maxBytes) return
    const old = this.entries.get(key)
    if (old) {
      this.bytes -= bytesOf(old)
      this.entries.delete(key)
    }
    this.entries.set(key, copy(image))
    this.bytes += size
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(oldest)
      this.bytes -= bytesOf(value)
    }
  }

  clear(): void {
    this.entries.clear()
    this.bytes = 0
  }
}

/** SHA-256 of a frame's pixels and whatever else decides its result (`settings`). */
export async function frameKey(image: ImageValue, settings: unknown): Promise<string> {
  const pixels = new Uint8Array(bytesOf(image))
  let at = 0
  for (const c of image.channels) {
    pixels.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at)
    at += c.byteLength
  }
  const frameHash = await sha256Hex(pixels)
  return sha256Hex(
    canonicalJson({ settings, frame: frameHash, width: image.width, height: image.height }),
  )
}
