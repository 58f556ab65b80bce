import { describe, expect, it } from 'vitest'
import {
  applyLut,
  autocontrastLut,
  blendU8,
  boxBlurU8,
  equalizeLut,
  extendedBoxRadius,
  gaussianBlurU8,
  INVERT_LUT,
  lumaU8,
} from '../../src/dsp/pillow-ops'
import { fixtureJson } from '../helpers/fixtures'

interface Case {
  name: string
  op: 'blur' | 'invert' | 'equalize' | 'autocontrast' | 'grey' | 'color'
  params: { radius?: number; cutoff?: number; factor?: number }
  width: number
  height: number
  input: number[][]
  expected: number[][]
}

const { cases } = fixtureJson<{ cases: Case[] }>('pillow/image_ops_cases.json')

function apply(c: Case): Uint8Array[] {
  const planes = c.input.map((p) => Uint8Array.from(p))
  switch (c.op) {
    case 'blur':
      return planes.map((p) => gaussianBlurU8(p, c.width, c.height, c.params.radius ?? 0))
    case 'invert':
      return planes.map((p) => applyLut(p, INVERT_LUT))
    case 'equalize':
      return planes.map((p) => applyLut(p, equalizeLut(p)))
    case 'autocontrast':
      return planes.map((p) => applyLut(p, autocontrastLut(p, c.params.cutoff ?? 0)))
    case 'grey':
      return [lumaU8(planes[0], planes[1], planes[2])]
    case 'color': {
      const grey = lumaU8(planes[0], planes[1], planes[2])
      return planes.map((p) => blendU8(grey, p, c.params.factor ?? 1))
    }
  }
}

describe('Pillow image adjustments', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s matches Pillow 9.4 exactly', (_n, c) => {
    expect(apply(c).map((p) => Array.from(p))).toEqual(c.expected)
  })

  it('covers every adjustment in the fixture', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(
      new Set(['blur', 'invert', 'equalize', 'autocontrast', 'grey', 'color']),
    )
  })

  it('derives the box radius of a 3-pass Gaussian from its standard deviation', () => {
    // σ = 2: σ² per pass = 4/3, L = √17 ≈ 4.12, l = 1, a ≈ 0.1538 (Gwosdek et al. eq. 14).
    expect(extendedBoxRadius(2)).toBeCloseTo(1 + (3 * (2 - 4)) / (6 * (4 / 3 - 4)), 5)
    expect(extendedBoxRadius(0)).toBe(0)
  })

  it('leaves a picture unchanged by a box of radius 0 and keeps a flat one flat', () => {
    const plane = Uint8Array.of(1, 50, 200, 7)
    expect(Array.from(boxBlurU8(plane, 2, 2, 0))).toEqual([1, 50, 200, 7])
    expect(Array.from(gaussianBlurU8(new Uint8Array(12).fill(99), 4, 3, 5))).toEqual(
      new Array(12).fill(99),
    )
  })
})
