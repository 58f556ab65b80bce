import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import type { ImageValue } from '../src/engine/values'
import { imageProblem, splitRgb as splitPlanes } from '../src/dsp/image-ops'

export const splitRgb = defineNode({
  type: 'image/split-rgb',
  version: 1,
  title: 'Split RGB',
  category: 'Image',
  description:
    'Separates the red, green and blue channels into three grey images, so each can be read back as sound on its own. A grey image gives the same plane three times; alpha is dropped.',
  inputs: { image: 'image' },
  outputs: { red: 'image', green: 'image', blue: 'image' },
  params: {},
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ image }) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(
        `Split RGB: the image input ${problem}.`,
        'Check the node feeding it (a resize to 0 pixels, or a NaN upstream).',
      )
    const { width, height } = image
    const plane = (p: Float32Array): ImageValue => ({
      kind: 'image',
      width,
      height,
      channels: [p],
      ...(image.origin && { origin: image.origin }),
    })
    const [red, green, blue] = splitPlanes(image.channels)
    return { red: plane(red), green: plane(green), blue: plane(blue) }
  },
})
