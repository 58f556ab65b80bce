import { describe, expect, it } from 'vitest'
import { splitRgb } from '../../nodes/split-rgb'
import { UserError } from '../../src/engine/errors'
import type { ImageValue } from '../../src/engine/values'
import { createRunContext } from '../helpers/run-context'

const image = (channels: Float32Array[], width = 2, height = 1): ImageValue => ({
  kind: 'image',
  width,
  height,
  channels,
})
const run = (input: ImageValue) =>
  splitRgb.run({ image: input }, {}, createRunContext()) as Record<
    'red' | 'green' | 'blue',
    ImageValue
  >

describe('Split RGB node', () => {
  it('gives the red, green and blue planes as one-channel images', () => {
    const out = run(
      image([Float32Array.of(1, 0), Float32Array.of(0.5, 0.5), Float32Array.of(0, 1)]),
    )
    expect(Array.from(out.red.channels[0])).toEqual([1, 0])
    expect(Array.from(out.green.channels[0])).toEqual([0.5, 0.5])
    expect(Array.from(out.blue.channels[0])).toEqual([0, 1])
    for (const plane of [out.red, out.green, out.blue])
      expect([plane.width, plane.height, plane.channels.length]).toEqual([2, 1, 1])
  })

  it('gives a grey image the same plane on all three outputs, as separate arrays', () => {
    const out = run(image([Float32Array.of(0.25, 0.75)]))
    expect(out.red.channels[0]).toEqual(out.blue.channels[0])
    expect(out.red.channels[0]).not.toBe(out.blue.channels[0])
  })

  it('drops alpha', () => {
    const out = run(image([0.1, 0.2, 0.3, 1].map((v) => Float32Array.of(v, v))))
    expect(out.blue.channels[0][0]).toBeCloseTo(0.3, 6)
  })

  it('refuses an empty image and NaN with UserErrors naming the input', () => {
    expect(() => run(image([], 0, 0))).toThrow(UserError)
    expect(() => run(image([new Float32Array(0)], 0, 0))).toThrow(/image input is empty/)
    expect(() => run(image([Float32Array.of(0, NaN)]))).toThrow(
      /image input has NaN at pixel \(1, 0\) of channel 1/,
    )
  })
})
