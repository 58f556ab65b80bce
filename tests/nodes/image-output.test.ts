import { describe, expect, it } from 'vitest'
import { imageOutput } from '../../nodes/image-output'
import { registry } from '../../nodes'
import { runJob } from '../../src/engine/runner'
import { UserError } from '../../src/engine/errors'
import type { ImageValue } from '../../src/engine/values'
import { imageOutputFile } from '../../src/media/output-files'
import { decodePng, readPngText } from '../../src/media/png'
import { createRunContext } from '../helpers/run-context'

const ramp = (n: number, k: number) =>
  Float32Array.from({ length: n }, (_, i) => ((i * k) % 256) / 255)
const image: ImageValue = {
  kind: 'image',
  width: 8,
  height: 4,
  channels: [ramp(32, 1), ramp(32, 5), ramp(32, 11)],
}

describe('Image Output (image/output)', () => {
  it('passes its image through for display', async () => {
    const out = await imageOutput.run({ image }, { name: 'art' }, createRunContext())
    expect(out.image).toBe(image)
  })

  it('refuses NaN rather than exporting it as black', async () => {
    const bad: ImageValue = { ...image, channels: [Float32Array.of(NaN)], width: 1, height: 1 }
    const job = {
      node: 'o',
      type: 'image/output',
      inputs: { image: bad },
      params: { name: 'x' },
      seed: 0,
    }
    const run = () => runJob(registry, job, createRunContext())
    await expect(run()).rejects.toBeInstanceOf(UserError)
    await expect(run()).rejects.toThrow(/input "image" contains NaN/)
  })
})

describe('imageOutputFile', () => {
  it('writes an 8-bit PNG that decodes back to the image and carries text', () => {
    const file = imageOutputFile(image, { name: 'art.png' }, { graph: '{"nodes":[]}' })
    expect(file.fileName).toBe('art.png')
    const back = decodePng(file.bytes)
    expect([back.width, back.height]).toEqual([8, 4])
    back.channels.forEach((ch, c) => expect(ch).toEqual(image.channels[c]))
    expect(readPngText(file.bytes)).toEqual({ graph: '{"nodes":[]}' })
  })

  it('falls back to "output.png" for an empty name', () => {
    expect(imageOutputFile(image, { name: '  ' }).fileName).toBe('output.png')
  })
})
