import { latentProblem, rollLatent } from '../src/diffusion/latent'
import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { int } from '../src/engine/params'

export const shiftLatent = defineNode({
  type: 'latent/shift',
  version: 1,
  title: 'Shift Latent',
  category: 'Diffusion',
  description:
    'Rolls a latent sideways and up or down with wrap-around (torch.roll): what leaves one edge comes back at the other. Rolled by half its width, a latent meant to loop shows its wrap-around join in the middle of the picture, where a seam is easy to see.',
  inputs: { latent: 'latent' },
  outputs: { latent: 'latent' },
  params: {
    dx: int(0, {
      min: -4096,
      max: 4096,
      unit: 'latent px',
      label: 'Shift X',
      description: 'Latent columns to roll right (negative: left); 1 latent px = 8 picture pixels.',
    }),
    dy: int(0, {
      min: -4096,
      max: 4096,
      unit: 'latent px',
      label: 'Shift Y',
      description: 'Latent rows to roll down (negative: up).',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ latent }, params) => {
    const problem = latentProblem(latent.shape, latent.data.length)
    if (problem)
      throw new UserError(`Shift Latent: the latent ${problem}.`, 'Check the node feeding it.')
    const data = rollLatent(latent.data, latent.shape, params.dx, params.dy)
    return { latent: { kind: 'latent', shape: [...latent.shape], data } }
  },
})
