import { describe, expect, it } from 'vitest'
import { resizeImage } from '../../nodes/resize-image'
import { fromUint8 } from '../../src/dsp/image-ops'
import { resizeF32, resizeU8 } from '../../src/dsp/resize'
import { CancelledError, UserError } from '../../src/engine/errors'
import type { ParamValues } from '../../src/engine/params'
import type { ImageValue } from '../../src/engine/values'
import { defaultParams } from '../helpers/node-defaults'
import { createRunContext, mulberry32 } from '../helpers/run-context'

type Params = ParamValues<typeof resizeImage.params>
const defaults = defaultParams(resizeImage)
const random = mulberry32(3)
const levels = Uint8Array.from({ length: 30 * 20 }, () => Math.floor(random() * 256))
const eightBit: ImageValue = { kind: 'image', width: 30, height: 20, channels: [fromUint8(levels)] }
const float: ImageValue = {
  kind: 'image',
  width: 30,
  height: 20,
  channels: [Float32Array.from({ length: 600 }, () => random())],
}
const run = (image: ImageValue, params: Partial<Params>, ctx = createRunContext()) =>
  resizeImage.run({ image }, { ...defaults, ...params }, ctx) as { image: ImageValue }

describe('Resize Image node', () => {
  it("resizes an 8-bit image in Pillow's 8-bit arithmetic", () => {
    const { image } = run(eightBit, { width: 12, height: 41 })
    expect([image.width, image.height]).toEqual([12, 41])
    expect(image.channels[0]).toEqual(fromUint8(resizeU8(levels, 30, 20, 12, 41)))
  })

  it('resizes any other image in float (mode F), clamped to 0..1', () => {
    const { image } = run(float, { width: 7, height: 5, filter: 'lanczos' })
    const expected = resizeF32(float.channels[0], 30, 20, 7, 5, 'lanczos').map((v) =>
      Math.min(1, Math.max(0, v)),
    )
    expect(image.channels[0]).toEqual(expected)
    expect(run(eightBit, { width: 7, height: 5, depth: 'float' }).image.channels[0]).not.toEqual(
      run(eightBit, { width: 7, height: 5 }).image.channels[0],
    )
  })

  it('fits inside the box keeping the aspect, or fills it and crops the middle', () => {
    const fit = run(eightBit, { width: 15, height: 15, mode: 'fit' }).image
    expect([fit.width, fit.height]).toEqual([15, 10])
    const fill = run(eightBit, { width: 10, height: 10, mode: 'fill', filter: 'nearest' }).image
    expect([fill.width, fill.height]).toEqual([10, 10])
    // 20×20 from the middle (x 5..25) sampled every 2 pixels from the half step: x = 6, y = 1
    expect(fill.channels[0][0]).toBe(eightBit.channels[0][1 * 30 + 6])
  })

  it('reports progress and stops when cancelled', () => {
    const ctx = createRunContext()
    run(eightBit, {}, ctx)
    expect(ctx.reports.at(-1)?.fraction).toBe(1)
    const cancelled = createRunContext()
    cancelled.controller.abort()
    expect(() => run(eightBit, {}, cancelled)).toThrow(CancelledError)
  })

  it('refuses a zero size, an empty image and NaN with UserErrors', () => {
    expect(() => run(eightBit, { width: 0 })).toThrow(UserError)
    expect(() => run(eightBit, { width: 0 })).toThrow(/cannot resize to 0×512/)
    expect(() => run({ ...eightBit, width: 0, height: 0, channels: [] }, {})).toThrow(/empty/)
    const nan = { ...float, channels: [float.channels[0].map((v, i) => (i === 3 ? NaN : v))] }
    expect(() => run(nan, {})).toThrow(/NaN at pixel \(3, 0\)/)
  })
})
