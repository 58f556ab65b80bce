import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { float, int } from '../src/engine/params'
import type { ImageValue } from '../src/engine/values'
import { imageProblem } from '../src/dsp/image-ops'
import { saturate } from '../src/dsp/saturation'

export const saturation = defineNode({
  type: 'image/saturation',
  version: 1,
  title: 'Saturation',
  category: 'Image',
  description:
    'Boosts colour as the sound-pictures essay does: colours pushed away from their grey, laid over the picture at an opacity, then a second pass. Stronger colour means a wider stereo image when colours are read as channels. Grey stays grey.',
  inputs: { image: 'image' },
  outputs: { image: 'image' },
  params: {
    amount: float(1, {
      min: -1,
      max: 10,
      step: 0.05,
      label: 'Amount',
      description:
        'How far colours move from grey per pass: 0 changes nothing, 1 doubles their distance from grey (Pillow’s Color enhance at 2), −1 makes grey.',
    }),
    opacity: float(1, {
      min: 0,
      max: 1,
      step: 0.01,
      label: 'Opacity',
      description: 'How much of the boosted layer is laid over the picture in each pass.',
    }),
    passes: int(2, {
      min: 1,
      max: 8,
      label: 'Passes',
      description:
        'The essay boosts twice: the second pass lifts weak colours that the first left pale.',
    }),
  },
  runtime: 'cpu',
  run: ({ image }, params) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(`Saturation: the image input ${problem}.`, 'Check the node feeding it.')
    const out: ImageValue = { ...image, channels: saturate(image.channels, params) }
    return { image: out }
  },
})
