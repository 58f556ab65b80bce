import { describe, expect, it } from 'vitest'
import { drawSpectrum, noiseField, type SpectrumDrawOptions } from '../../src/dsp/spectrum-render'
import { mulberry32 } from '../helpers/run-context'

const plain: SpectrumDrawOptions = {
  style: 'bars',
  palette: 'white',
  opacity: 1,
  gain: 1,
  wobble: 0,
  timeSec: 0,
}
const black = (w: number, h: number) => [0, 1, 2].map(() => new Float32Array(w * h))
const at = (planes: Float32Array[], w: number, x: number, y: number) => planes[0][y * w + x]

describe('spectrum pictures', () => {
  it('makes the same noise field from the same seed, and another from another seed', () => {
    const a = noiseField(64, 48, 16, 0.4, mulberry32(7))
    const b = noiseField(64, 48, 16, 0.4, mulberry32(7))
    const c = noiseField(64, 48, 16, 0.4, mulberry32(8))
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    for (const plane of a) {
      expect(Math.min(...plane)).toBeCloseTo(0, 6)
      expect(Math.max(...plane)).toBeCloseTo(0.4, 6)
    }
  })

  it('draws the same frames for the same levels and background (every style)', () => {
    const levels = Float32Array.from({ length: 32 }, (_, j) => ((j * 7) % 11) / 10)
    const background = noiseField(48, 40, 12, 0.3, mulberry32(1))
    for (const style of ['bars', 'pie', 'half-pie', 'circles', 'polar'] as const) {
      const options = { ...plain, style, palette: 'rainbow' as const, wobble: 0.2, timeSec: 0.5 }
      const once = drawSpectrum(levels, background, 48, 40, options)
      expect(drawSpectrum(levels, background, 48, 40, options)).toEqual(once)
      expect(once).not.toEqual(background)
    }
  })

  it('draws bars from the bottom, as tall as their level, low frequencies on the left', () => {
    const out = drawSpectrum(Float32Array.of(0, 0.5, 1, 0.25), black(4, 8), 4, 8, plain)
    const column = (x: number) => Array.from({ length: 8 }, (_, y) => at(out, 4, x, y))
    expect(column(0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
    expect(column(1)).toEqual([0, 0, 0, 0, 1, 1, 1, 1])
    expect(column(2)).toEqual([1, 1, 1, 1, 1, 1, 1, 1])
    expect(column(3)).toEqual([0, 0, 0, 0, 0, 0, 1, 1])
  })

  it('draws a pie whose wedges go clockwise from the top, radius by level', () => {
    // Four bins: bin 0 is the top-right quarter, bin 1 bottom-right, 2 bottom-left, 3 top-left.
    const out = drawSpectrum(Float32Array.of(1, 0, 0.5, 0), black(40, 40), 40, 40, {
      ...plain,
      style: 'pie',
    })
    expect(at(out, 40, 30, 10)).toBe(1) // top right, inside radius 19.2
    expect(at(out, 40, 30, 30)).toBe(0) // bottom right: level 0
    expect(at(out, 40, 14, 26)).toBe(1) // bottom left, 8.5 px out: inside 9.6
    expect(at(out, 40, 4, 36)).toBe(0) // bottom left corner: outside
    expect(at(out, 40, 10, 10)).toBe(0) // top left: level 0
  })

  it("draws the post's half pie: pieslice(i·step − 90, (i+1)·step − 90), step = 180 / bins", () => {
    // Two bins: bin 0 spans Pillow's −90°…0° (12 to 3 o'clock: top right), bin 1 0°…90°
    // (3 to 6 o'clock: bottom right); the left half is never drawn, whatever the levels.
    const full = drawSpectrum(Float32Array.of(1, 1), black(40, 40), 40, 40, {
      ...plain,
      style: 'half-pie',
    })
    expect(at(full, 40, 30, 10)).toBe(1) // top right
    expect(at(full, 40, 30, 30)).toBe(1) // bottom right
    expect(at(full, 40, 10, 10)).toBe(0) // top left
    expect(at(full, 40, 10, 30)).toBe(0) // bottom left
    const first = drawSpectrum(Float32Array.of(1, 0), black(40, 40), 40, 40, {
      ...plain,
      style: 'half-pie',
    })
    expect(at(first, 40, 30, 10)).toBe(1)
    expect(at(first, 40, 30, 30)).toBe(0)
    // Four bins: 45° each; bin 1 (−45°…0°) holds the point at −22.5°, right of the top-right
    // diagonal; bin 0 (−90°…−45°) the point at −67.5°, above it.
    const quarter = drawSpectrum(Float32Array.of(0, 1, 0, 0), black(40, 40), 40, 40, {
      ...plain,
      style: 'half-pie',
    })
    const polar = (deg: number, r: number): [number, number] => [
      Math.floor(20 + r * Math.cos((deg * Math.PI) / 180)),
      Math.floor(20 + r * Math.sin((deg * Math.PI) / 180)),
    ]
    expect(at(quarter, 40, ...polar(-22.5, 12))).toBe(1)
    expect(at(quarter, 40, ...polar(-67.5, 12))).toBe(0)
  })

  it("draws the post's p5 circles: bin i at radius 2i from the top, coloured (4i, 2m, 100)", () => {
    // Four bins, only bin 3 sounding, at level 1/90 (m = 1): t runs 0…4 degrees, so its dots
    // sit at the top, at ρ = k·(6 + sin(8t)·4) with k = 0.48·80 / (2·3 + 4) = 3.84 px.
    const levels = Float32Array.of(0, 0, 0, 1 / 90)
    const out = drawSpectrum(levels, black(80, 80), 80, 80, { ...plain, style: 'circles' })
    const k = (0.48 * 80) / 10
    const y = Math.floor(40 - k * 6) // t = 0: ρ = 6k straight up
    expect(out[0][y * 80 + 40]).toBeCloseTo(12 / 255, 6)
    expect(out[1][y * 80 + 40]).toBeCloseTo(2 / 255, 6)
    expect(out[2][y * 80 + 40]).toBeCloseTo(100 / 255, 6)
    // Bins 0-2 are silent: m = 0 still draws one dot each (t = 0), near the centre, up.
    expect(out[2][Math.floor(40 - k * 2) * 80 + 40]).toBeCloseTo(100 / 255, 6)
    // Nothing below the centre: every dot of a short sweep lies in the top half.
    for (let yy = 50; yy < 80; yy++)
      for (let x = 0; x < 80; x++) expect(out[2][yy * 80 + x]).toBe(0)
  })

  it('draws a polar ring whose radius is the base circle plus the level, wobbling in time', () => {
    const size = 100
    const levels = new Float32Array(64).fill(0.5)
    const options = { ...plain, style: 'polar' as const }
    const still = drawSpectrum(levels, black(size, size), size, size, options)
    // Radius 0.24·100·(1 + 0.5) = 36 from the centre (50, 50).
    expect(at(still, size, 50 + 30, 50)).toBe(1)
    expect(at(still, size, 50 + 40, 50)).toBe(0)
    const wobbly = { ...options, wobble: 0.3 }
    const t0 = drawSpectrum(levels, black(size, size), size, size, wobbly)
    const t1 = drawSpectrum(levels, black(size, size), size, size, { ...wobbly, timeSec: 1 })
    expect(t0).not.toEqual(t1)
  })

  it('lets the background show through by the opacity', () => {
    const grey = [0, 1, 2].map(() => new Float32Array(4).fill(0.5))
    const out = drawSpectrum(Float32Array.of(1), grey, 2, 2, { ...plain, opacity: 0.25 })
    expect(out[0][0]).toBeCloseTo(0.5 * 0.75 + 0.25, 6)
    expect(grey[0][0]).toBe(0.5) // the background itself is not painted on
  })
})
