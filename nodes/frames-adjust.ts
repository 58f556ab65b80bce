import { adjustPlanes } from '../src/dsp/image-adjust'
import { defineNode } from '../src/engine/define-node'
import { checkFrames, mapFrames } from '../src/media/frames'
import { ADJUST_PARAMS } from './image-adjust'

export const framesAdjust = defineNode({
  type: 'frames/adjust',
  version: 1,
  title: 'Frames Adjust',
  category: 'Image',
  description:
    'Image Adjust for every frame: Gaussian blur, desaturate, autocontrast, invert or equalize as Pillow does them (each frame on its own).',
  inputs: { frames: 'frames' },
  outputs: { frames: 'frames' },
  params: ADJUST_PARAMS,
  runtime: 'cpu',
  run: async ({ frames }, params, ctx) => {
    checkFrames(frames, 'Frames Adjust')
    const options = { radius: params.radius, amount: params.amount, cutoffPercent: params.cutoff }
    const out = await mapFrames(
      frames,
      (image) => ({
        ...image,
        channels: adjustPlanes(
          image.channels,
          image.width,
          image.height,
          params.operation,
          options,
        ),
      }),
      ctx,
    )
    return { frames: out }
  },
})
