import { constants, deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../src/engine/errors'
import { decodePng, encodePng, inflatedSize } from '../../src/media/png'
import { makeChunk, PNG_SIGNATURE } from '../../src/media/png-chunks'
import { loadImage } from '../../nodes/load-image'
import { createRunContext } from '../helpers/run-context'

function userError(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError')
}

function ihdr(width: number, height: number, depth = 8, colourType = 2, interlace = 0) {
  const data = new Uint8Array(13)
  const view = new DataView(data.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  data.set([depth, colourType, 0, 0, interlace], 8)
  return makeChunk('IHDR', data)
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) out.set(p, (at += p.length) - p.length)
  return out
}

/**
 * A zlib stream of `megabytes` MiB of zero bytes, built without ever holding them: one MiB of
 * zeros deflated with a sync flush ends byte-aligned and not final, so copies of it can follow
 * each other; an empty final stored block and the Adler-32 (a = 1, b = n mod 65521 for zeros,
 * RFC 1950 §8.2) close it. The zeros are valid PNG rows (filter 0, black pixels).
 */
function zerosZlib(megabytes: number): Uint8Array {
  const piece = deflateRawSync(new Uint8Array(1 << 20), {
    level: 9,
    finishFlush: constants.Z_SYNC_FLUSH,
  })
  const n = megabytes * (1 << 20)
  const adler = new Uint8Array(4)
  new DataView(adler.buffer).setUint32(0, (((n % 65521) << 16) | 1) >>> 0)
  const final = Uint8Array.of(0x01, 0x00, 0x00, 0xff, 0xff)
  return concat([
    Uint8Array.of(0x78, 0xda),
    ...Array.from({ length: megabytes }, () => piece),
    final,
    adler,
  ])
}

/** A PNG whose IDAT data (split into 1 MB chunks, as encoders do) is `zlib`. */
function pngWith(header: Uint8Array, zlib: Uint8Array): Uint8Array {
  const idats: Uint8Array[] = []
  for (let at = 0; at < zlib.length; at += 1 << 20)
    idats.push(makeChunk('IDAT', zlib.subarray(at, at + (1 << 20))))
  return concat([
    Uint8Array.from(PNG_SIGNATURE),
    header,
    ...idats,
    makeChunk('IEND', new Uint8Array(0)),
  ])
}

describe('decodePng against decompression bombs', () => {
  it('refuses a 100×100 PNG whose data inflates to 1 GiB, with small memory', () => {
    const bomb = pngWith(ihdr(100, 100), zerosZlib(1024))
    expect(bomb.length).toBeLessThan(2e6)
    const before = process.memoryUsage().rss
    const error = userError(() => decodePng(bomb, { name: 'bomb.png' }))
    const grown = process.memoryUsage().rss - before
    // 100 × (1 + 300) = 30,100 bytes is all the header allows; the inflater stops one step past it.
    expect(error.message).toBe(
      '"bomb.png" says it is 100×100 pixels, but its compressed data inflates to more than the ' +
        '30,100 bytes that size needs (a decompression bomb, or a damaged file); it was not read.',
    )
    expect(error.hint).toMatch(/export it again as PNG/)
    // Inflating it whole would take over 1 GB (fast-png alone held 3.2 GB).
    expect(grown).toBeLessThan(200e6)
  })

  it('accepts data that inflates to exactly the size the header needs', () => {
    // 64 × 64 grey: 64 rows of filter byte 0 and 64 zero samples = 4160 bytes.
    const zlib = new Uint8Array(deflateRawSync(new Uint8Array(64 * 65)))
    const stream = concat([
      Uint8Array.of(0x78, 0x9c),
      zlib,
      Uint8Array.of(0, 0, 0, 0), // Adler-32 of zeros: b = 4160, a = 1
    ])
    new DataView(stream.buffer).setUint32(stream.length - 4, ((4160 << 16) | 1) >>> 0)
    const image = decodePng(pngWith(ihdr(64, 64, 8, 0), stream))
    expect([image.width, image.height, image.channels.length]).toEqual([64, 64, 1])
    expect(image.channels[0].every((v) => v === 0)).toBe(true)
    // One more row of data than that is refused.
    const extra = new Uint8Array(deflateRawSync(new Uint8Array(65 * 65)))
    const tooLong = pngWith(ihdr(64, 64, 8, 0), concat([Uint8Array.of(0x78, 0x9c), extra]))
    expect(userError(() => decodePng(tooLong)).message).toMatch(/more than the 4,160 bytes/)
  })

  it('knows the inflated size of every layout (PNG spec §7.2, Adam7 §8.2)', () => {
    expect(inflatedSize(100, 100, 24, false)).toBe(100 * 301)
    expect(inflatedSize(5, 3, 1, false)).toBe(3 * 2) // 5 bits → 1 byte per row
    expect(inflatedSize(3, 2, 16 * 4, false)).toBe(2 * 25)
    // 1×1 interlaced: only pass 1 has a pixel.
    expect(inflatedSize(1, 1, 8, true)).toBe(2)
    // 8×8 interlaced grey: passes are 1×1, 1×1, 2×1, 2×2, 4×2, 4×4, 8×4 pixels.
    expect(inflatedSize(8, 8, 8, true)).toBe(2 + 2 + 3 + 2 * 3 + 2 * 5 + 4 * 5 + 4 * 9)
  })
})

describe('zero-size pictures are refused at the door', () => {
  it.each([
    [0, 0],
    [0, 7],
    [7, 0],
  ])('%i×%i', (width, height) => {
    const empty = pngWith(ihdr(width, height), new Uint8Array(0))
    const error = userError(() => decodePng(empty, { name: 'empty.png' }))
    expect(error.message).toBe(`"empty.png" is ${width}×${height} pixels: it holds no picture.`)
  })

  it('in Load Image, with the file named', async () => {
    const empty = pngWith(ihdr(0, 0), new Uint8Array(0))
    const file = (name: string, bytes: Uint8Array) => ({ ref: `file:${name}`, name, bytes })
    const run = async () =>
      loadImage.run({}, { file: file('nothing.png', empty) }, createRunContext())
    await expect(run()).rejects.toThrow('"nothing.png" is 0×0 pixels: it holds no picture.')
    // A real picture still loads through the same node.
    const png = encodePng({ width: 2, height: 1, channels: [Float32Array.of(0, 1)] })
    const loaded = await loadImage.run({}, { file: file('ok.png', png) }, createRunContext())
    expect(loaded.image.width).toBe(2)
  })
})
