import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { choice, float, int } from '../src/engine/params'
import type { ImageValue } from '../src/engine/values'
import { imageProblem } from '../src/dsp/image-ops'
import { gimpSaturate, saturate } from '../src/dsp/saturation'

export const saturation = defineNode({
  type: 'image/saturation',
  version: 1,
  title: 'Saturation',
  category: 'Image',
  description:
    'Boosts colour as the sound-pictures essay does: colours pushed away from their grey, laid over the picture at an opacity, then a second pass. Stronger colour means a wider stereo image when colours are read as channels. Grey stays grey. The essay’s own settings are GIMP’s Saturation tool: "saturation 1" is GIMP, amount 10, opacity 0.5, no second pass; "saturation 1.5" the same with a second pass of 5.',
  inputs: { image: 'image' },
  outputs: { image: 'image' },
  params: {
    method: choice('luma', ['luma', 'gimp'], {
      label: 'Method',
      optionLabels: { luma: 'Luma blend (Pillow)', gimp: 'GIMP’s Saturation tool' },
      description:
        'Luma blend: Pillow’s Color enhance on the encoded values, `passes` times. GIMP: gegl:saturation in linear light (the grey is the colour’s luminance) with Amount as GIMP’s Scale, laid over the picture at the opacity, as GIMP’s filter dialog does; then the second pass below.',
    }),
    amount: float(1, {
      min: -1,
      max: 10,
      step: 0.05,
      label: 'Amount',
      description:
        'Luma blend: how far colours move from grey per pass: 0 changes nothing, 1 doubles their distance from grey (Pillow’s Color enhance at 2), −1 makes grey. GIMP: its Scale, 0 (grey) to 10 (1 changes nothing).',
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
        'Luma blend: the essay boosts twice: the second pass lifts weak colours that the first left pale.',
    }),
    secondScale: float(0, {
      min: 0,
      max: 10,
      step: 0.1,
      label: 'Second pass (GIMP)',
      description:
        'GIMP: the Scale of a second pass at the same opacity (the essay’s "saturation 1.5": 5); 0 makes none.',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ image }, params) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(`Saturation: the image input ${problem}.`, 'Check the node feeding it.')
    if (params.method === 'gimp' && params.amount < 0)
      throw new UserError(
        `Saturation: GIMP’s Scale runs from 0 to 10; the amount is ${params.amount}.`,
        'Set an amount of 0 (grey) to 10, or use the luma blend, where −1 makes grey.',
      )
    const channels =
      params.method === 'gimp'
        ? gimpSaturate(
            image.channels,
            params.secondScale > 0 ? [params.amount, params.secondScale] : [params.amount],
            params.opacity,
          )
        : saturate(image.channels, params)
    const out: ImageValue = { ...image, channels }
    return { image: out }
  },
})
