import { describe, expect, it } from 'vitest'
import {
  columnMeans,
  flipRows,
  fromUint8,
  imageProblem,
  isEightBit,
  resizeUnitPlane,
  splitRgb,
  toGrey,
  toUint8,
} from '../../src/dsp/image-ops'
import { resizeF32, resizeU8 } from '../../src/dsp/resize'

describe('image ops', () => {
  it('recognises planes made only of exact 8-bit levels', () => {
    expect(isEightBit(fromUint8(Uint8Array.from({ length: 256 }, (_v, k) => k)))).toBe(true)
    expect(isEightBit(Float32Array.of(0, 0.5))).toBe(false)
    expect(isEightBit(Float32Array.of(1 / 255, 2))).toBe(false)
  })

  it('quantises by rounding or truncation, clamped, with NaN as 0', () => {
    expect(Array.from(toUint8(Float32Array.of(0.5, -1, 2, NaN)))).toEqual([128, 0, 255, 0])
    expect(Array.from(toUint8(Float32Array.of(0.5, 0.999), 'truncate'))).toEqual([127, 254])
    expect(Array.from(toUint8(fromUint8(Uint8Array.of(0, 77, 255))))).toEqual([0, 77, 255])
  })

  it('averages columns exactly for 8-bit planes (as numpy on uint8/255)', () => {
    const plane = fromUint8(Uint8Array.of(1, 2, 2, 255)) // 2 × 2
    expect(Array.from(columnMeans(plane, 2, 2))).toEqual([3 / 255 / 2, 257 / 255 / 2])
    expect(Array.from(columnMeans(Float32Array.of(0.5, 0.25, 0.25, 0.25), 2, 2))).toEqual([
      0.375, 0.25,
    ])
  })

  it('flips rows, makes grey by luma or mean, and splits channels', () => {
    expect(Array.from(flipRows(Float32Array.of(1, 2, 3, 4, 5, 6), 2, 3))).toEqual([
      5, 6, 3, 4, 1, 2,
    ])
    const rgb = [Float32Array.of(1), Float32Array.of(0), Float32Array.of(0)]
    expect(toGrey(rgb)[0]).toBeCloseTo(0.299, 6)
    expect(toGrey(rgb, 'mean')[0]).toBeCloseTo(1 / 3, 6)
    const [r, g, b] = splitRgb([Float32Array.of(0.5)])
    expect([r[0], g[0], b[0]]).toEqual([0.5, 0.5, 0.5])
  })

  it('resizes 8-bit planes in 8-bit arithmetic and others in float clamped to 0..1', () => {
    const levels = Uint8Array.of(0, 255, 0, 255, 0, 255)
    expect(resizeUnitPlane(fromUint8(levels), 6, 1, 4, 1)).toEqual(
      fromUint8(resizeU8(levels, 6, 1, 4, 1)),
    )
    const float = Float32Array.of(0, 1, 0, 1, 0, 0.999)
    const expected = resizeF32(float, 6, 1, 4, 1).map((v) => Math.min(1, Math.max(0, v)))
    expect(resizeUnitPlane(float, 6, 1, 4, 1)).toEqual(expected)
  })

  it('describes what is wrong with image data', () => {
    expect(imageProblem(1, 1, [Float32Array.of(0)])).toBeUndefined()
    expect(imageProblem(0, 3, [])).toMatch(/empty/)
    expect(imageProblem(2, 2, [new Float32Array(3)])).toMatch(/3 values where 2×2 = 4/)
    expect(imageProblem(2, 1, [Float32Array.of(0, Infinity)])).toMatch(/Infinity at pixel \(1, 0\)/)
  })
})
