import { latentProblem } from '../src/diffusion/latent'
import { cutLatent as cut } from '../src/dsp/latent-ops'
import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { int } from '../src/engine/params'

export const cutLatent = defineNode({
  type: 'latent/cut',
  version: 1,
  title: 'Cut Latent',
  category: 'Diffusion',
  description:
    "Keeps latent columns from..to (the essay's latent[..., a:b]): with Join Latents, the loop 0:b, a:b, a:w is cut and joined in latent space and decoded once, without seams.",
  inputs: { latent: 'latent' },
  outputs: { latent: 'latent' },
  params: {
    from: int(0, {
      min: 0,
      max: 100000,
      unit: 'latent px',
      label: 'From column',
      description: 'The first latent column kept (1 latent px = 8 picture pixels).',
    }),
    to: int(0, {
      min: 0,
      max: 100000,
      unit: 'latent px',
      label: 'To column',
      description: 'The column after the last one kept (0: to the end).',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ latent }, params) => {
    const problem = latentProblem(latent.shape, latent.data.length)
    if (problem)
      throw new UserError(`Cut Latent: the latent ${problem}.`, 'Check the node feeding it.')
    const width = latent.shape[3]
    const to = params.to === 0 ? width : params.to
    if (to > width || params.from >= to)
      throw new UserError(
        `Cut Latent: columns ${params.from}..${to} are not inside the latent's ${width} columns`,
        `Choose 0 ≤ from < to ≤ ${width} (to 0 means the end).`,
      )
    const out = cut(latent.data, latent.shape, params.from, to)
    return { latent: { kind: 'latent', shape: out.dims, data: out.data } }
  },
})
