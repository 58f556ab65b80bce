import { ADJUST_OPERATIONS, adjustPlanes } from '../src/dsp/image-adjust'
import { imageProblem } from '../src/dsp/image-ops'
import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { choice, float } from '../src/engine/params'

/** The params of the adjustments, shared by Image Adjust and Frames Adjust. */
export const ADJUST_PARAMS = {
  operation: choice('blur', ADJUST_OPERATIONS, {
    label: 'Adjustment',
    optionLabels: {
      blur: 'Gaussian blur',
      desaturate: 'Desaturate',
      autocontrast: 'Autocontrast',
      invert: 'Invert',
      equalize: 'Equalize',
    },
    description:
      'Pillow’s: GaussianBlur, ImageEnhance.Color towards grey, and ImageOps autocontrast (darkest level to black, lightest to white, per channel), invert and equalize (a flat histogram per channel).',
  }),
  radius: float(2, {
    min: 0,
    max: 500,
    step: 0.1,
    unit: 'px',
    label: 'Blur radius',
    description: 'Gaussian blur: the standard deviation, in pixels.',
  }),
  amount: float(1, {
    min: 0,
    max: 1,
    step: 0.01,
    label: 'Amount',
    description: 'Desaturate: 1 is fully grey, 0 leaves the colours.',
  }),
  cutoff: float(0, {
    min: 0,
    max: 49,
    step: 0.5,
    unit: '%',
    label: 'Cutoff',
    description:
      'Autocontrast: this percent of the darkest and of the lightest pixels are ignored.',
  }),
}

export const imageAdjust = defineNode({
  type: 'image/adjust',
  version: 1,
  title: 'Image Adjust',
  category: 'Image',
  description:
    'Gaussian blur, desaturate, autocontrast, invert or equalize, exactly as Pillow does them on 8-bit pictures (the result is 8-bit; alpha is kept).',
  inputs: { image: 'image' },
  outputs: { image: 'image' },
  params: ADJUST_PARAMS,
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ image }, params) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(`Image Adjust: the image ${problem}.`, 'Check the node feeding it.')
    const channels = adjustPlanes(image.channels, image.width, image.height, params.operation, {
      radius: params.radius,
      amount: params.amount,
      cutoffPercent: params.cutoff,
    })
    return { image: { ...image, channels } }
  },
})
