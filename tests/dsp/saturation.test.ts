import { describe, expect, it } from 'vitest'
import { gimpSaturate, saturate } from '../../src/dsp/saturation'
import { decodePng } from '../../src/media/png'
import { fixtureBytes } from '../helpers/fixtures'

const pixel = (r: number, g: number, b: number) => [r, g, b].map((v) => Float32Array.of(v))
const values = (planes: Float32Array[]) => planes.map((p) => p[0])

/** One pass by the formula: luma, push from grey by k = 1 + amount, clamp, blend by opacity. */
function pass([r, g, b]: number[], amount: number, opacity: number): number[] {
  const luma = 0.299 * r + 0.587 * g + 0.114 * b
  return [r, g, b].map((c) => {
    const boosted = Math.min(1, Math.max(0, luma + (1 + amount) * (c - luma)))
    return (1 - opacity) * c + opacity * boosted
  })
}

describe('saturate', () => {
  it('pushes colours from their luma by 1 + amount and clamps (one pass, full opacity)', () => {
    // luma 0.4968; red 0.4968 + 2·0.3032 = 1.1032 → 1, green 0.3032, blue −0.0968 → 0.
    const out = values(saturate(pixel(0.8, 0.4, 0.2), { amount: 1, opacity: 1, passes: 1 }))
    expect(out[0]).toBeCloseTo(1, 6)
    expect(out[1]).toBeCloseTo(0.3032, 6)
    expect(out[2]).toBeCloseTo(0, 6)
  })

  it('blends the boosted layer by opacity and applies a second pass to the result', () => {
    const start = [0.6, 0.5, 0.3]
    const once = pass(start, 0.5, 0.4)
    const twice = pass(once, 0.5, 0.4)
    const out = values(saturate(pixel(0.6, 0.5, 0.3), { amount: 0.5, opacity: 0.4, passes: 2 }))
    for (let c = 0; c < 3; c++) expect(out[c]).toBeCloseTo(twice[c], 6)
    expect(out[0] - out[2]).toBeGreaterThan(once[0] - once[2]) // more saturated than one pass
  })

  it('leaves grey, amount 0, opacity 0 and single-channel pictures as they are', () => {
    expect(values(saturate(pixel(0.3, 0.3, 0.3), { amount: 3, opacity: 1, passes: 2 }))).toEqual(
      values(pixel(0.3, 0.3, 0.3)),
    )
    for (const options of [
      { amount: 0, opacity: 1, passes: 2 },
      { amount: 2, opacity: 0, passes: 2 },
    ]) {
      const out = values(saturate(pixel(0.9, 0.2, 0.5), options))
      for (const [c, v] of [0.9, 0.2, 0.5].entries()) expect(out[c]).toBeCloseTo(v, 6)
    }
    expect(
      saturate([Float32Array.of(0.4)], { amount: 1, opacity: 1, passes: 2 })[0][0],
    ).toBeCloseTo(0.4, 6)
  })
})

describe("GIMP's Saturation tool (gegl:saturation, Native), checked against GEGL itself", () => {
  // tests/fixtures/gimp: 64 colours and what Debian's gegl 0.4.42 made of them.
  const read = (name: string) => decodePng(fixtureBytes(`gimp/${name}.png`)).channels.slice(0, 3)
  const levels = (planes: readonly Float32Array[]) =>
    planes.map((p) => Array.from(p, (v) => Math.round(v * 255)))
  const input = read('in')

  it.each([
    ['sat10', [10], 1, 'scale 10 alone'],
    ['sat1', [10], 0.5, 'the essay’s "saturation 1": scale 10 at 50 %'],
    ['sat15', [10, 5], 0.5, 'the essay’s "saturation 1.5": then scale 5 at 50 %'],
  ] as const)('%s: %s', (name, scales, opacity, _what) => {
    const ours = levels(gimpSaturate(input, scales, opacity))
    const gegl = levels(read(name))
    // GIMP rounds to 8 bits between passes; we keep floats: at most one level apart.
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < 64; i++) expect(Math.abs(ours[c][i] - gegl[c][i])).toBeLessThanOrEqual(1)
  })

  it('leaves greys grey and changes nothing at scale 1', () => {
    // Three grey pixels (R = G = B in each), of levels 0.2, 0.5 and 0.9.
    const greys = [0, 1, 2].map(() => Float32Array.of(0.2, 0.5, 0.9))
    expect(levels(gimpSaturate(greys, [10], 0.5))).toEqual(levels(greys))
    expect(levels(gimpSaturate(input, [1], 1))).toEqual(levels(input))
  })
})
