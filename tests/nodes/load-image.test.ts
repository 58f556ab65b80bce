import { describe, expect, it } from 'vitest'
import { loadImage } from '../../nodes/load-image'
import { UserError } from '../../src/engine/errors'
import type { FileData } from '../../src/engine/params'
import { encodePng } from '../../src/media/png'
import { fixtureBytes } from '../helpers/fixtures'
import { createRunContext } from '../helpers/run-context'

const file = (name: string, bytes: Uint8Array): FileData => ({ ref: `file:${name}`, name, bytes })

describe('Load Image (image/load)', () => {
  it('decodes a PNG to planar channels in 0..1, row 0 at the top', async () => {
    const channels = [Float32Array.of(0, 1, 0.2, 0.4, 0.6, 0.8)].concat([
      Float32Array.of(1, 1, 1, 0, 0, 0),
      new Float32Array(6),
    ])
    const bytes = encodePng({ width: 3, height: 2, channels })
    const { image } = await loadImage.run({}, { file: file('a.png', bytes) }, createRunContext())
    expect(image).toMatchObject({ kind: 'image', width: 3, height: 2 })
    expect(image.channels).toHaveLength(3)
    image.channels.forEach((ch, c) =>
      ch.forEach((v, i) => expect(v).toBeCloseTo(channels[c][i], 2)),
    )
  })

  it('reads the contract fixture and palette PNGs with alpha', async () => {
    const tiny = await loadImage.run(
      {},
      { file: file('tiny.png', fixtureBytes('contract/tiny.png')) },
      createRunContext(),
    )
    expect([tiny.image.width, tiny.image.height, tiny.image.channels.length]).toEqual([16, 12, 3])
    const palette = fixtureBytes('media/png/palette4-alpha.png')
    const { image } = await loadImage.run({}, { file: file('p.png', palette) }, createRunContext())
    expect(image.channels).toHaveLength(4)
  })

  it('asks for a file when none is chosen', async () => {
    const run = async () => loadImage.run({}, { file: null }, createRunContext())
    await expect(run()).rejects.toBeInstanceOf(UserError)
    await expect(run()).rejects.toThrow('No image file chosen.')
  })

  it('says clearly that JPEG is not supported yet', async () => {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1)
    const run = async () => loadImage.run({}, { file: file('photo.jpg', jpeg) }, createRunContext())
    await expect(run()).rejects.toThrow(
      '"photo.jpg" is a JPEG image; only PNG images can be read yet.',
    )
  })
})
