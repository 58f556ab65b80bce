/**
 * PNG to and from planar float images in 0..1 (row 0 at the top). Decoding goes through
 * fast-png: every bit depth and colour type, palettes expanded, 16-bit kept as 16-bit, Adam7.
 * Encoding (written here) gives 8-bit grey, RGB or RGBA with optional text chunks (provenance).
 */

import { decode as fastDecode, convertIndexedToRgb } from 'fast-png'
import { Unzlib, zlibSync } from 'fflate'
import { UserError } from '../engine/errors'
import {
  PNG_SIGNATURE,
  makeChunk,
  nodeZlib,
  pngChunks,
  readTextChunks,
  textChunk,
} from './png-chunks'
import { joinArrays } from '../engine/join-arrays'
import { describeSniffed, sniff } from './sniff'

/** What an image needs to be written: ImageValue without its kind tag. */
export interface PlanarImage {
  width: number
  height: number
  channels: Float32Array[]
}

/** Pictures with more pixels are refused before decoding (e.g. 8192 × 4096). */
export const MAX_PNG_PIXELS = 2 ** 25

export interface DecodePngOptions {
  /** Larger images are refused before decoding. Default 2^25 (e.g. 8192 × 4096). */
  maxPixels?: number
  /** The file name, for messages. */
  name?: string
}

/**
 * Encodes 1 (grey), 3 (RGB) or 4 (RGBA) channels as 8-bit PNG: each value is clamped to 0..1 and
 * rounded to the nearest of 256 levels (NaN → 0). `text` becomes tEXt/iTXt chunks, before the
 * image data.
 *
 * Each row is filtered with Sub (the difference from the pixel to its left, PNG spec §9.2) or
 * None, whichever deflates smaller on a sample of 16 rows: Sub suits smooth pictures (a painting
 * resized to 31,008 columns: 3.9 MB against 10.2 MB with None), None noisy ones (a 3-minute
 * spectrogram: 13.2 MB against 15.8 MB). Then deflate at level 1, in Node's native zlib where
 * there is one (fflate's in a browser). On those two 3-minute RGB pictures (24 MB of samples)
 * that took 0.3-0.5 s where fast-png (no filter, fflate at level 3) took 1.0-1.3 s for files of
 * 6.9 and 11.4 MB.
 */
export function encodePng(image: PlanarImage, text: Record<string, string> = {}): Uint8Array {
  const { width, height, channels } = image
  const count = channels.length
  if (count !== 1 && count !== 3 && count !== 4)
    throw new Error(`PNG export needs 1, 3 or 4 channels, got ${count}`)
  if (!(width > 0 && height > 0) || !Number.isInteger(width) || !Number.isInteger(height))
    throw new Error(`Invalid image size ${width}×${height}`)
  const pixels = width * height
  if (channels.some((c) => c.length !== pixels))
    throw new Error(`Every channel must hold width × height = ${pixels} values`)
  const stride = width * count + 1 // a row: its filter byte, then the samples
  const rows = new Uint8Array(height * stride)
  for (let c = 0; c < count; c++) {
    const channel = channels[c]
    for (let y = 0; y < height; y++) {
      let at = y * stride + 1 + c
      for (let i = y * width; i < (y + 1) * width; i++, at += count) {
        const v = channel[i]
        // v·255 of a float32 v is exact in float64 (32 significant bits), so +0.5 then
        // truncation rounds as Math.round does.
        rows[at] = v > 0 ? (v < 1 ? (v * 255 + 0.5) | 0 : 255) : 0
      }
    }
  }
  if (subDeflatesSmaller(rows, stride, height, count))
    for (let y = 0; y < height; y++) subFilter(rows, y * stride, stride, count)
  const header = new Uint8Array(13)
  const view = new DataView(header.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  header[8] = 8 // bits per sample
  header[9] = count === 1 ? 0 : count === 3 ? 2 : 6 // grey, RGB, RGBA
  return joinArrays(Uint8Array, [
    Uint8Array.from(PNG_SIGNATURE),
    makeChunk('IHDR', header),
    ...Object.entries(text).map(([keyword, value]) => textChunk(keyword, value)),
    makeChunk('IDAT', deflate(rows)),
    makeChunk('IEND', new Uint8Array(0)),
  ])
}

/** Row `start` (its filter byte first) with filter Sub: each byte less the one `bpp` before it. */
function subFilter(rows: Uint8Array, start: number, stride: number, bpp: number): void {
  rows[start] = 1
  // Right to left, so each byte's left neighbour is still unfiltered when it is read.
  for (let i = start + stride - 1; i > start + bpp; i--) rows[i] -= rows[i - bpp]
}

/** Whether a sample of up to 16 rows spread over the picture deflates smaller with Sub than None. */
function subDeflatesSmaller(
  rows: Uint8Array,
  stride: number,
  height: number,
  bpp: number,
): boolean {
  const picks = Math.min(16, height)
  const none = new Uint8Array(picks * stride)
  for (let k = 0; k < picks; k++) {
    const y = Math.floor((k * height) / picks)
    none.set(rows.subarray(y * stride, (y + 1) * stride), k * stride)
  }
  const sub = none.slice()
  for (let k = 0; k < picks; k++) subFilter(sub, k * stride, stride, bpp)
  return deflate(sub).length < deflate(none).length
}

/**
 * zlib-wrapped deflate (RFC 1950/1951) at level 1: on pictures, level 3 took 1.2-3.5× the time
 * for files 4-8 % smaller.
 */
function deflate(bytes: Uint8Array): Uint8Array {
  return nodeZlib ? nodeZlib.deflateSync(bytes, { level: 1 }) : zlibSync(bytes, { level: 1 })
}

/**
 * 8-bit RGBA bytes (rows top to bottom, as ImageData holds them) as a PNG with no compression
 * (filter 0, deflate's stored blocks): for pictures made to be shown at once, such as the
 * editor's previews, where encoding time matters and size hardly does. About 1 ms for 232 × 160
 * where fast-png's deflate takes 10-20 ms. PNG spec §6 (filter 0), §10 and RFC 1950/1951 (stored).
 */
export function rgbaPngStored(
  width: number,
  height: number,
  rgba: Uint8Array | Uint8ClampedArray,
): Uint8Array {
  const row = width * 4
  if (!(width > 0 && height > 0) || rgba.length !== row * height)
    throw new Error(`Expected ${width} × ${height} RGBA pixels, got ${rgba.length} bytes`)
  const filtered = new Uint8Array(height * (row + 1)) // each row led by its filter byte, 0
  for (let y = 0; y < height; y++)
    filtered.set(rgba.subarray(y * row, (y + 1) * row), y * (row + 1) + 1)
  const header = new Uint8Array(13)
  const view = new DataView(header.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  header[8] = 8 // bits per channel
  header[9] = 6 // colour type: RGBA
  return joinArrays(Uint8Array, [
    Uint8Array.from(PNG_SIGNATURE),
    makeChunk('IHDR', header),
    makeChunk('IDAT', zlibSync(filtered, { level: 0 })),
    makeChunk('IEND', new Uint8Array(0)),
  ])
}

const damaged = (label: string, why: string): UserError =>
  new UserError(
    `${label} is damaged or cut short (${why}).`,
    'Check that it opens in an image viewer, or export it again.',
  )

/** Decodes a PNG to planar float channels in 0..1: 1 (grey), 3 (RGB) or 4 (with alpha). */
export function decodePng(bytes: Uint8Array, options: DecodePngOptions = {}): PlanarImage {
  const label = options.name ? `"${options.name}"` : 'The image'
  if (bytes.length === 0)
    throw new UserError(`${label} is empty (0 bytes).`, 'Choose the file again.')
  const sniffed = sniff(bytes)
  if (sniffed.kind !== 'image' || sniffed.format !== 'png') {
    const what = describeSniffed(sniffed)
    throw new UserError(
      sniffed.kind === 'image'
        ? `${label} is ${what}; only PNG images can be read yet.`
        : `${label} is not a PNG image${sniffed.kind === 'unknown' ? '' : `: it looks like ${what}`}.`,
      'Convert the picture to PNG (any image editor can) and load that.',
    )
  }
  const chunks = pngChunks(bytes)
  const header = chunks[0]
  if (header?.type !== 'IHDR' || header.length < 13) throw damaged(label, 'no image header')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const [width, height] = [view.getUint32(header.offset), view.getUint32(header.offset + 4)]
  if (width === 0 || height === 0)
    throw new UserError(
      `${label} is ${width}×${height} pixels: it holds no picture.`,
      'Check the file opens in an image viewer, or export it again.',
    )
  const maxPixels = options.maxPixels ?? MAX_PNG_PIXELS
  if (width * height > maxPixels)
    throw new UserError(
      `${label} is ${width}×${height} pixels; the limit is ${(maxPixels / 1e6).toFixed(1)} megapixels.`,
      'Scale the image down before loading it.',
    )
  const depth = bytes[header.offset + 8]
  const colourType = bytes[header.offset + 9]
  const interlaced = bytes[header.offset + 12] === 1
  const expected = inflatedSize(width, height, depth * (CHANNELS[colourType] ?? 4), interlaced)
  checkInflatedSize(bytes, chunks, expected, { width, height, label })

  let png: ReturnType<typeof fastDecode>
  let samples: ArrayLike<number>
  try {
    png = fastDecode(bytes, { checkCrc: true })
    samples = png.palette ? convertIndexedToRgb(png) : png.data
  } catch (error) {
    throw damaged(label, error instanceof Error ? error.message : String(error))
  }
  const stored = png.palette ? png.palette[0].length : png.channels
  const storedDepth = png.palette ? 8 : png.depth
  const planes = splitPlanes(samples, png.width, png.height, stored, storedDepth, label)
  return { width: png.width, height: png.height, channels: toImageChannels(planes, png) }
}

/** Samples per pixel by IHDR colour type: grey, RGB, palette index, grey+alpha, RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

/** Adam7 passes: first column, first row, column step, row step (PNG spec §8.2). */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const

/**
 * The exact size of a PNG's inflated image data: per row one filter byte and the packed
 * samples (PNG spec §7.2), per Adam7 pass when interlaced (empty passes have no rows at all).
 */
export function inflatedSize(
  width: number,
  height: number,
  bitsPerPixel: number,
  interlaced: boolean,
): number {
  const rows = (w: number, h: number) =>
    w > 0 && h > 0 ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0
  if (!interlaced) return rows(width, height)
  let total = 0
  for (const [x0, y0, dx, dy] of ADAM7)
    total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy))
  return total
}

/**
 * Deflate expands input at most ~1032× (a 258-byte match per 2 bits), so feeding the inflater
 * (room left + SLACK) / 1032 bytes at a time can overshoot the expected size by at most SLACK.
 * Steps are kept between 8 KB and 1 MB: fflate's per-push cost makes tiny steps slow.
 */
const MAX_RATIO = 1032
const SLACK = 8 << 20

/**
 * Inflates the image data once, streaming, and stops as soon as it grows past what the header's
 * size needs: a small file that inflates to gigabytes (a decompression bomb) is refused after
 * at most `expected` + SLACK of output instead of being held whole (fast-png would).
 */
function checkInflatedSize(
  bytes: Uint8Array,
  chunks: readonly { type: string; offset: number; length: number }[],
  expected: number,
  image: { width: number; height: number; label: string },
): void {
  let total = 0
  const inflater = new Unzlib((out) => {
    total += out.length
    if (total > expected) throw new InflatedTooFar()
  })
  try {
    for (const chunk of chunks) {
      if (chunk.type !== 'IDAT') continue
      for (let at = 0; at < chunk.length;) {
        const room = Math.max(0, expected - total) + SLACK
        const step = Math.min(1 << 20, Math.max(8192, Math.floor(room / MAX_RATIO)))
        const end = Math.min(chunk.length, at + step)
        inflater.push(bytes.subarray(chunk.offset + at, chunk.offset + end))
        at = end
      }
    }
  } catch (error) {
    if (error instanceof InflatedTooFar)
      throw new UserError(
        `${image.label} says it is ${image.width}×${image.height} pixels, but its compressed data ` +
          `inflates to more than the ${expected.toLocaleString('en')} bytes that size needs ` +
          `(a decompression bomb, or a damaged file); it was not read.`,
        'Open it in an image viewer and export it again as PNG.',
      )
    throw damaged(image.label, error instanceof Error ? error.message : String(error))
  }
}

class InflatedTooFar extends Error {}

/** Interleaved samples (sub-byte depths packed per row) to float planes in 0..1. */
function splitPlanes(
  samples: ArrayLike<number>,
  width: number,
  height: number,
  count: number,
  depth: number,
  label: string,
): Float32Array[] {
  const pixels = width * height
  const planes = Array.from({ length: count }, () => new Float32Array(pixels))
  const max = 2 ** depth - 1
  if (depth >= 8) {
    if (samples.length < pixels * count) throw damaged(label, 'too little image data')
    for (let i = 0; i < pixels; i++)
      for (let c = 0; c < count; c++) planes[c][i] = samples[i * count + c] / max
    return planes
  }
  // Grey at 1, 2 or 4 bits: pixels packed from the high bits, each row starting on a byte.
  const rowBytes = Math.ceil((width * depth) / 8)
  if (samples.length < rowBytes * height) throw damaged(label, 'too little image data')
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const bit = x * depth
      const byte = samples[y * rowBytes + (bit >> 3)]
      planes[0][y * width + x] = ((byte >> (8 - depth - (bit & 7))) & max) / max
    }
  return planes
}

/** Grey+alpha becomes RGBA (images have 1, 3 or 4 channels); a tRNS colour key becomes alpha. */
function toImageChannels(
  planes: Float32Array[],
  png: { palette?: unknown; transparency?: Uint16Array; depth: number },
): Float32Array[] {
  if (planes.length === 2) return [planes[0], planes[0].slice(), planes[0].slice(), planes[1]]
  const key = png.transparency
  if (png.palette || !key || (planes.length !== 1 && planes.length !== 3)) return planes
  if (key.length < planes.length) return planes
  const max = 2 ** png.depth - 1
  const alpha = new Float32Array(planes[0].length)
  for (let i = 0; i < alpha.length; i++) {
    const keyed = planes.every((p, c) => Math.round(p[i] * max) === key[c])
    alpha[i] = keyed ? 0 : 1
  }
  const colour = planes.length === 1 ? [planes[0], planes[0].slice(), planes[0].slice()] : planes
  return [...colour, alpha]
}

/** Text chunks (tEXt and uncompressed iTXt) by keyword, e.g. provenance we wrote. */
export function readPngText(bytes: Uint8Array): Record<string, string> {
  return readTextChunks(bytes)
}
