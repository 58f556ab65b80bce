import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzlibSync } from 'fflate'
import { describe, expect, it, vi } from 'vitest'
import { UserError } from '../../src/engine/errors'
import { decodePng, encodePng, readPngText, rgbaPngStored } from '../../src/media/png'
import { crc32, crc32Table, pngChunks } from '../../src/media/png-chunks'
import { encodeWav } from '../../src/media/wav'
import { mulberry32 } from '../../src/engine/random'
import { hasFfmpeg } from '../helpers/ffmpeg-loudness'
import { fixtureBytes, fixtureJson } from '../helpers/fixtures'

interface PngCase {
  file: string
  width: number
  height: number
  channels: number[][]
}

function userError(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError')
}

const plane = (n: number, fn: (i: number) => number) =>
  Float32Array.from({ length: n }, (_, i) => fn(i))

describe('encodePng and decodePng', () => {
  for (const count of [1, 3, 4]) {
    it(`round-trips ${count} channel(s) exactly on the 8-bit grid and within half a level off it`, () => {
      const [width, height] = [7, 5]
      const onGrid = Array.from({ length: count }, (_, c) =>
        plane(35, (i) => ((i * 7 + c * 40) % 256) / 255),
      )
      const back = decodePng(encodePng({ width, height, channels: onGrid }))
      expect([back.width, back.height, back.channels.length]).toEqual([width, height, count])
      back.channels.forEach((ch, c) => expect(ch).toEqual(onGrid[c]))

      const offGrid = Array.from({ length: count }, (_, c) =>
        plane(35, (i) => (i * 0.0291 + c * 0.17) % 1),
      )
      decodePng(encodePng({ width, height, channels: offGrid })).channels.forEach((ch, c) =>
        ch.forEach((v, i) =>
          expect(Math.abs(v - offGrid[c][i])).toBeLessThanOrEqual(0.5 / 255 + 1e-7),
        ),
      )
    })
  }

  it('clamps values outside 0..1 and writes NaN as 0', () => {
    const back = decodePng(
      encodePng({ width: 4, height: 1, channels: [Float32Array.of(-0.5, 1.5, NaN, 0.5)] }),
    )
    expect(Array.from(back.channels[0])).toEqual([0, 1, 0, Math.fround(128 / 255)])
  })

  it('keeps row 0 at the top', () => {
    const image = { width: 1, height: 2, channels: [Float32Array.of(1, 0)] }
    const bytes = encodePng(image)
    expect(decodePng(bytes).channels[0][0]).toBe(1)
  })

  it('refuses channel counts and sizes it cannot write', () => {
    expect(() =>
      encodePng({ width: 1, height: 1, channels: [new Float32Array(1), new Float32Array(1)] }),
    ).toThrow(/1, 3 or 4/)
    expect(() => encodePng({ width: 2, height: 2, channels: [new Float32Array(3)] })).toThrow(
      /width × height/,
    )
  })
})

describe('encodePng: filters and deflate', () => {
  const random = mulberry32(21)
  /** A smooth picture (Sub should win) and a noisy one (None should), 3 channels, odd sizes. */
  const [width, height] = [301, 37]
  const smooth = [0, 1, 2].map((c) =>
    plane(width * height, (i) => 0.5 + 0.45 * Math.sin((i % width) / (40 + 7 * c) + i / width)),
  )
  const noisy = [0, 1, 2].map(() => plane(width * height, () => random()))
  /** The 8-bit levels encodePng promises: clamp, round to the nearest level, NaN → 0. */
  const levels = (channels: Float32Array[]): number[] => {
    const out: number[] = []
    for (let i = 0; i < width * height; i++)
      for (const ch of channels) {
        const v = ch[i]
        out.push(v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0)
      }
    return out
  }
  /** The filter byte of every row, from the inflated IDAT. */
  const filterBytes = (png: Uint8Array, stride: number): number[] => {
    const idat = pngChunks(png).find((c) => c.type === 'IDAT')!
    const rows = unzlibSync(png.subarray(idat.offset, idat.offset + idat.length))
    expect(rows.length).toBe(stride * height)
    return Array.from({ length: height }, (_, y) => rows[y * stride])
  }

  it('filters smooth pictures with Sub and noisy ones with None, and reads both back exactly', () => {
    for (const [channels, filter] of [
      [smooth, 1],
      [noisy, 0],
    ] as const) {
      const png = encodePng({ width, height, channels })
      expect(new Set(filterBytes(png, width * 3 + 1))).toEqual(new Set([filter]))
      const back = decodePng(png)
      back.channels.forEach((ch, c) =>
        ch.forEach((v, i) => expect(v).toBe(Math.fround(levels([channels[c]])[i] / 255))),
      )
    }
  })

  it('rounds each value as Math.round(v·255) does, at every half level and its neighbours', () => {
    const values: number[] = []
    for (let k = 0; k < 255; k++) {
      const half = Math.fround((k + 0.5) / 255)
      const bits = new Float32Array([half])
      const word = new Uint32Array(bits.buffer)
      for (const step of [-1, 0, 1]) {
        word[0] += step
        values.push(bits[0])
        word[0] -= step
      }
    }
    const channel = Float32Array.from(values)
    const back = decodePng(encodePng({ width: values.length, height: 1, channels: [channel] }))
    expect(Array.from(back.channels[0], (v) => Math.round(v * 255))).toEqual(
      values.map((v) => Math.round(v * 255)),
    )
  })

  it.runIf(hasFfmpeg())('writes files ffmpeg decodes to the same levels (grey, RGB, RGBA)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'png-encode-'))
    try {
      const cases = [
        { channels: [smooth[0]], format: 'gray' },
        { channels: smooth, format: 'rgb24' },
        { channels: [...noisy, smooth[1]], format: 'rgba' },
      ]
      for (const { channels, format } of cases) {
        const file = join(dir, `${format}.png`)
        writeFileSync(file, encodePng({ width, height, channels }, { Comment: 'ünïcode' }))
        const run = spawnSync(
          'ffmpeg',
          ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', format, '-'],
          { maxBuffer: 1 << 24 },
        )
        expect(run.status, run.stderr?.toString()).toBe(0)
        expect(Array.from(run.stdout as Buffer)).toEqual(levels(channels))
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('writes the same picture through fflate where there is no node:zlib (a browser)', async () => {
    const png = encodePng({ width, height, channels: smooth }, { Software: 'Synesthete' })
    vi.resetModules()
    const spy = vi.spyOn(process, 'getBuiltinModule').mockImplementation(() => undefined)
    try {
      const browser = await import('../../src/media/png')
      const bytes = browser.encodePng(
        { width, height, channels: smooth },
        { Software: 'Synesthete' },
      )
      expect(spy).toHaveBeenCalled()
      const idat = (p: Uint8Array) => {
        const c = pngChunks(p).find((chunk) => chunk.type === 'IDAT')!
        return unzlibSync(p.subarray(c.offset, c.offset + c.length))
      }
      expect(idat(bytes)).toEqual(idat(png)) // the same filtered rows, deflated by fflate
      expect(decodePng(bytes)).toEqual(decodePng(png))
      expect(readPngText(bytes)).toEqual({ Software: 'Synesthete' })
    } finally {
      spy.mockRestore()
      vi.resetModules()
    }
  })
})

describe('rgbaPngStored (the editor previews)', () => {
  it('writes RGBA bytes that a PNG reader gives back exactly, alpha and row order included', () => {
    const [width, height] = [200, 90] // 72,090 bytes with filter bytes: two stored blocks
    const rgba = new Uint8ClampedArray(width * height * 4)
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 97 + (i >> 7)) & 255
    const png = rgbaPngStored(width, height, rgba)
    const image = decodePng(png)
    expect([image.width, image.height, image.channels.length]).toEqual([width, height, 4])
    for (let p = 0; p < width * height; p++)
      for (let c = 0; c < 4; c++)
        expect(Math.round(image.channels[c][p] * 255)).toBe(rgba[p * 4 + c])
    // Every chunk's CRC is right (readers such as Chromium's check it).
    const view = new DataView(png.buffer, png.byteOffset)
    for (const chunk of pngChunks(png))
      expect(view.getUint32(chunk.offset + chunk.length)).toBe(
        crc32(png.subarray(chunk.offset - 4, chunk.offset + chunk.length)),
      )
  })

  it('refuses bytes that are not width × height pixels', () => {
    expect(() => rgbaPngStored(4, 4, new Uint8Array(60))).toThrow(/4 × 4 RGBA pixels, got 60/)
  })
})

describe('PNG text chunks', () => {
  it('writes Latin-1 text as tEXt and other text as UTF-8 iTXt, and reads both back', () => {
    const graph = JSON.stringify({ prompt: 'a spectrogram of rain → ocean, 雨', nodes: 3 })
    const bytes = encodePng(
      { width: 2, height: 1, channels: [Float32Array.of(0, 1)] },
      { Software: 'Synesthete', graph },
    )
    const types = pngChunks(bytes).map((c) => c.type)
    expect(types.slice(0, 3)).toEqual(['IHDR', 'tEXt', 'iTXt'])
    expect(readPngText(bytes)).toEqual({ Software: 'Synesthete', graph })
    expect(decodePng(bytes).channels[0]).toEqual(Float32Array.of(0, 1))
  })

  it('gives every chunk a correct CRC', () => {
    const bytes = encodePng(
      { width: 1, height: 1, channels: [Float32Array.of(0.5)] },
      { note: 'ünïcode ✓' },
    )
    const view = new DataView(bytes.buffer)
    for (const c of pngChunks(bytes)) {
      expect(view.getUint32(c.offset + c.length)).toBe(
        crc32(bytes.subarray(c.offset - 4, c.offset + c.length)),
      )
    }
    // zlib's CRC-32 (used where Node has it) and the table's agree, on the check value too.
    const check = new TextEncoder().encode('123456789')
    expect(crc32Table(check)).toBe(0xcbf43926)
    expect(crc32(check)).toBe(0xcbf43926)
    expect(crc32Table(bytes)).toBe(crc32(bytes))
  })

  it('refuses keywords PNG does not allow', () => {
    const image = { width: 1, height: 1, channels: [Float32Array.of(0)] }
    expect(() => encodePng(image, { '': 'x' })).toThrow(/keyword/)
    expect(() => encodePng(image, { ' padded': 'x' })).toThrow(/keyword/)
    expect(() => encodePng(image, { ['k'.repeat(80)]: 'x' })).toThrow(/keyword/)
  })
})

describe('decodePng on every colour type and bit depth (Pillow and a spec-following writer)', () => {
  const cases = fixtureJson<PngCase[]>('media/png/cases.json')
  it.each(cases.map((c) => [c.file, c] as const))(
    'decodes %s to the expected planar values',
    (_name, c) => {
      const image = decodePng(fixtureBytes(`media/${c.file}`))
      expect([image.width, image.height, image.channels.length]).toEqual([
        c.width,
        c.height,
        c.channels.length,
      ])
      // Exact up to float32 rounding of value / (2^depth − 1): 16-bit levels stay distinct.
      image.channels.forEach((ch, k) =>
        ch.forEach((v, i) => expect(v).toBeCloseTo(c.channels[k][i], 7)),
      )
    },
  )
})

describe('decodePng refuses what it cannot use', () => {
  const png = () => encodePng({ width: 8, height: 8, channels: [plane(64, (i) => i / 63)] })

  it('says JPEG and WebP are not supported yet', () => {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46)
    const error = userError(() => decodePng(jpeg, { name: 'photo.jpg' }))
    expect(error.message).toBe('"photo.jpg" is a JPEG image; only PNG images can be read yet.')
    expect(error.hint).toMatch(/Convert the picture to PNG/)
    const webp = new TextEncoder().encode('RIFF\x10\0\0\0WEBPVP8 ')
    expect(userError(() => decodePng(webp)).message).toMatch(/WEBP image; only PNG/)
  })

  it('says what a non-image file looks like', () => {
    const wav = encodeWav({ sampleRate: 8000, channels: [new Float32Array(4)] }, 'pcm16')
    expect(userError(() => decodePng(wav)).message).toBe(
      'The image is not a PNG image: it looks like a WAV file.',
    )
    expect(userError(() => decodePng(new Uint8Array(0))).message).toMatch(/empty/)
  })

  it('calls a corrupted or cut-short PNG damaged', () => {
    const corrupt = png()
    const idat = pngChunks(corrupt).find((c) => c.type === 'IDAT')!
    corrupt[idat.offset + 2] ^= 0xff
    expect(userError(() => decodePng(corrupt)).message).toMatch(/damaged or cut short/)
    const bytes = png()
    expect(userError(() => decodePng(bytes.slice(0, bytes.length - 30))).message).toMatch(
      /damaged or cut short/,
    )
    expect(userError(() => decodePng(bytes.slice(0, 20))).message).toMatch(/damaged or cut short/)
  })

  it('refuses a huge image from its header, before decoding', () => {
    const bytes = png()
    const view = new DataView(bytes.buffer)
    view.setUint32(16, 100_000)
    view.setUint32(20, 100_000)
    const error = userError(() => decodePng(bytes))
    expect(error.message).toMatch(/100000×100000 pixels; the limit is 33.6 megapixels/)
  })
})
