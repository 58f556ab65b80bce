import { describe, expect, it } from 'vitest'
import { cutLatent } from '../../nodes/cut-latent'
import { decodeLatent } from '../../nodes/decode-latent'
import { encodeImage } from '../../nodes/encode-image'
import { joinLatents } from '../../nodes/join-latents'
import { shiftLatent } from '../../nodes/shift-latent'
import { stableDiffusion } from '../../nodes/stable-diffusion'
import { UserError } from '../../src/engine/errors'
import type { ImageValue, LatentValue } from '../../src/engine/values'
import { createRunContext, defaultParams, mulberry32 } from '../helpers/run-context'

function randomLatent(shape: number[], seed: number): LatentValue {
  const random = mulberry32(seed)
  const size = shape.reduce((a, b) => a * b, 1)
  return { kind: 'latent', shape, data: Float32Array.from({ length: size }, () => random() - 0.5) }
}

/** latent[0, c, y, x] */
const at = (l: LatentValue, c: number, y: number, x: number) =>
  l.data[(c * l.shape[2] + y) * l.shape[3] + x]

const ctx = () => createRunContext()
/** The pure latent nodes answer at once; a promise would mean they changed. */
function done<T>(out: T | Promise<T>): T {
  if (out instanceof Promise) throw new Error('expected the node to answer synchronously')
  return out
}
const join = (a: LatentValue, b: LatentValue, axis: 'width' | 'height', overlap = 0) =>
  done(joinLatents.run({ a, b }, { axis, overlap }, ctx())).latent
const cut = (latent: LatentValue, from: number, to: number) =>
  done(cutLatent.run({ latent, from: undefined, to: undefined }, { from, to }, ctx())).latent
const number = (value: number) => ({ kind: 'number' as const, value })
/** Cut with From and To wired (picture columns), the params set to something else. */
const cutWired = (latent: LatentValue, from?: number, to?: number) =>
  done(
    cutLatent.run(
      {
        latent,
        from: from === undefined ? undefined : number(from),
        to: to === undefined ? undefined : number(to),
      },
      { from: 1, to: 2 },
      ctx(),
    ),
  ).latent
const shift = (latent: LatentValue, dx: number, dy: number) =>
  done(shiftLatent.run({ latent }, { dx, dy }, ctx())).latent

describe('Join, Cut and Shift Latent', () => {
  const a = randomLatent([1, 4, 6, 10], 1)
  const b = randomLatent([1, 4, 6, 7], 2)

  it('cutting a width join at the seam gives back both latents exactly', () => {
    const joined = join(a, b, 'width')
    expect(joined.shape).toEqual([1, 4, 6, 17])
    expect(cut(joined, 0, 10)).toEqual(a)
    expect(cut(joined, 10, 17)).toEqual(b)
    expect(cut(joined, 10, 0)).toEqual(b) // to 0: to the end
  })

  it('joins along the height: B below A, every value in place', () => {
    const c = randomLatent([1, 4, 3, 10], 3)
    const joined = join(a, c, 'height')
    expect(joined.shape).toEqual([1, 4, 9, 10])
    for (let ch = 0; ch < 4; ch++)
      for (let y = 0; y < 9; y++)
        for (let x = 0; x < 10; x++)
          expect(at(joined, ch, y, x)).toBe(y < 6 ? at(a, ch, y, x) : at(c, ch, y - 6, x))
  })

  it('crossfades an overlap linearly: (1 − t)·A + t·B with t = (j + ½)/N', () => {
    const n = 4
    const joined = join(a, b, 'width', n)
    expect(joined.shape).toEqual([1, 4, 6, 10 + 7 - n])
    for (let ch = 0; ch < 4; ch++)
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 13; x++) {
          const j = x - (10 - n)
          const want =
            j < 0
              ? at(a, ch, y, x)
              : j >= n
                ? at(b, ch, y, j)
                : (1 - (j + 0.5) / n) * at(a, ch, y, x) + ((j + 0.5) / n) * at(b, ch, y, j)
          expect(at(joined, ch, y, x)).toBeCloseTo(want, 6)
        }
    // Along the height alike: the middle row of a 2-row overlap is ¾ A + ¼ B, then ¼ A + ¾ B.
    const top = randomLatent([1, 1, 3, 2], 4)
    const bottom = randomLatent([1, 1, 3, 2], 5)
    const tall = join(top, bottom, 'height', 2)
    expect(tall.shape).toEqual([1, 1, 4, 2])
    expect(at(tall, 0, 1, 1)).toBeCloseTo(0.75 * at(top, 0, 1, 1) + 0.25 * at(bottom, 0, 0, 1), 6)
    expect(at(tall, 0, 2, 0)).toBeCloseTo(0.25 * at(top, 0, 2, 0) + 0.75 * at(bottom, 0, 1, 0), 6)
  })

  it('rolls with wrap: by the whole width is the identity, and x moves to x + dx mod w', () => {
    expect(shift(a, 10, 0)).toEqual(a)
    expect(shift(a, -20, 6)).toEqual(a)
    const rolled = shift(a, 3, -1)
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 10; x++)
        expect(at(rolled, 2, (y + 5) % 6, (x + 3) % 10)).toBe(at(a, 2, y, x))
    expect(shift(rolled, -3, 1)).toEqual(a)
  })

  it('the essay’s loop 0:b, a:b, a:w is cut and joined column for column', () => {
    const [loopA, loopB] = [3, 8]
    const joined = join(
      join(cut(a, 0, loopB), cut(a, loopA, loopB), 'width'),
      cut(a, loopA, 0),
      'width',
    )
    const columns = [
      ...Array.from({ length: loopB }, (_, x) => x),
      ...Array.from({ length: loopB - loopA }, (_, x) => loopA + x),
      ...Array.from({ length: 10 - loopA }, (_, x) => loopA + x),
    ]
    expect(joined.shape).toEqual([1, 4, 6, columns.length])
    columns.forEach((src, x) => expect(at(joined, 1, 4, x)).toBe(at(a, 1, 4, src)))
  })

  it("takes Loop Finder's points in picture columns, 8 to a latent column, over its params", () => {
    expect(cutWired(a, 24, 64)).toEqual(cut(a, 3, 8))
    // Rounded to the nearest latent column: 27 px is 3.4 columns, 29 px 3.6.
    expect(cutWired(a, 27, 61)).toEqual(cut(a, 3, 8))
    expect(cutWired(a, 29, 75)).toEqual(cut(a, 4, 9))
    // One wired, the other from its param (From 1 here; To 0 would mean the end).
    expect(cutWired(a, undefined, 64)).toEqual(cut(a, 1, 8))
    expect(() => cutWired(a, 24)).toThrow(/columns 3\.\.2 are not inside/)
    expect(cutWired(a, 24, 0)).toEqual(cut(a, 3, 0)) // To 0 is the end, wired or set
  })

  it('says what is wrong with latents that do not fit', () => {
    const short = randomLatent([1, 4, 5, 7], 6)
    expect(() => join(a, short, 'width')).toThrow(UserError)
    expect(() => join(a, short, 'width')).toThrow(/heights must match/)
    expect(() => join(a, b, 'width', 8)).toThrow(/shorter latent's width \(7\)/)
    expect(() => cut(a, 4, 11)).toThrow(/not inside the latent's 10 columns/)
    expect(() => cut(a, 5, 5)).toThrow(UserError)
    expect(() => cutWired(a, -8, 64)).toThrow(/From input is -8, not a picture column/)
    expect(() => cutWired(a, Number.NaN, 64)).toThrow(/From input is NaN/)
    expect(() => cutWired(a, 0, 120)).toThrow(
      /0\.\.15 are not inside the latent's 10 columns \(wired/,
    )
    const broken: LatentValue = { kind: 'latent', shape: [1, 4, 6, 10], data: new Float32Array(3) }
    expect(() => shift(broken, 1, 0)).toThrow(/holds 3 numbers/)
  })
})

describe('Encode Image and Decode Latent on the tiny model', () => {
  const width = 48
  const height = 32
  const picture = (seed: number): ImageValue => {
    const random = mulberry32(seed)
    const plane = () => Float32Array.from({ length: width * height }, () => random())
    return { kind: 'image', width, height, channels: [plane(), plane(), plane()] }
  }
  /** The first w × h values of each plane, read as a w × h picture. */
  const sized = (image: ImageValue, w: number, h: number): ImageValue => ({
    ...image,
    width: w,
    height: h,
    channels: image.channels.map((c) => c.subarray(0, w * h)),
  })
  const encode = async (image: ImageValue) =>
    (await encodeImage.run({ image }, defaultParams(encodeImage.params), ctx())).latent
  const decode = async (latent: LatentValue) =>
    (await decodeLatent.run({ latent }, defaultParams(decodeLatent.params), ctx())).image

  it('gives the same numbers as the Stable Diffusion pipeline’s own encode and decode', async () => {
    const image = picture(7)
    // At strength 0, img2img returns the image's scaled latent and its decoding untouched.
    const pipeline = await stableDiffusion.run(
      { image },
      { ...defaultParams(stableDiffusion.params), strength: 0, width, height },
      ctx(),
    )
    const latent = await encode(image)
    expect(latent).toEqual(pipeline.latent)
    expect(await decode(latent)).toEqual(pipeline.image)
  })

  it('encodes to the scaled latent: the tiny VAE gives 2·(8 × 8 block mean) − 1 per colour', async () => {
    const image = picture(8)
    const latent = await encode(image)
    expect(latent.shape).toEqual([1, 4, height / 8, width / 8])
    let worst = 0
    for (let c = 0; c < 3; c++)
      for (let by = 0; by < height / 8; by++)
        for (let bx = 0; bx < width / 8; bx++) {
          let mean = 0
          for (let j = 0; j < 8; j++)
            for (let i = 0; i < 8; i++)
              mean += image.channels[c][(by * 8 + j) * width + bx * 8 + i] / 64
          worst = Math.max(worst, Math.abs(at(latent, c, by, bx) - (2 * mean - 1)))
        }
    expect(worst).toBeLessThan(1e-5)
  })

  it('rounds the size down to whole latent pixels, as diffusers', async () => {
    expect((await encode(sized(picture(9), 45, 30))).shape).toEqual([1, 4, 3, 5])
  })

  it('a width join of two encoded pictures decodes to the two decodings side by side', async () => {
    const [left, right] = [await encode(picture(10)), await encode(picture(11))]
    const [leftPicture, rightPicture] = [await decode(left), await decode(right)]
    const both = await decode(join(left, right, 'width'))
    expect([both.width, both.height]).toEqual([2 * width, height])
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < height; y++) {
        const row = both.channels[c].subarray(y * 2 * width, (y + 1) * 2 * width)
        expect(row.subarray(0, width)).toEqual(
          leftPicture.channels[c].subarray(y * width, (y + 1) * width),
        )
        expect(row.subarray(width)).toEqual(
          rightPicture.channels[c].subarray(y * width, (y + 1) * width),
        )
      }
  })

  it('refuses a latent with channels the VAE does not take', async () => {
    await expect(decode(randomLatent([1, 3, 2, 2], 1))).rejects.toThrow(/3 channels/)
  })

  it('refuses a picture smaller than one latent pixel, naming both sizes', async () => {
    await expect(encode(sized(picture(12), 7, 7))).rejects.toThrow(
      /7 × 7 pixels, smaller than one latent pixel \(8 × 8\)/,
    )
  })

  it('stops after loading its VAE when cancelled, before any work or report', async () => {
    for (const run of [
      (c: ReturnType<typeof ctx>) =>
        encodeImage.run({ image: picture(13) }, defaultParams(encodeImage.params), c),
      (c: ReturnType<typeof ctx>) =>
        decodeLatent.run(
          { latent: randomLatent([1, 4, 2, 2], 3) },
          defaultParams(decodeLatent.params),
          c,
        ),
    ]) {
      const cancelled = ctx()
      let reported = false
      cancelled.report = () => (reported = true)
      cancelled.controller.abort(new Error('cancelled by the test'))
      await expect(run(cancelled)).rejects.toThrow('cancelled by the test')
      expect(reported).toBe(false)
    }
  })
})
