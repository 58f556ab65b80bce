import { latentProblem, PIXELS_PER_LATENT } from '../src/diffusion/latent'
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
    "Keeps latent columns from..to (the essay's latent[..., a:b]): with Join Latents, the loop 0:b, a:b, a:w is cut and joined in latent space and decoded once, without seams. Loop Finder's points can be wired in: they come in picture columns and are rounded to the nearest latent column (8 pixels).",
  inputs: {
    latent: 'latent',
    from: { kind: 'number', optional: true, label: 'From (picture columns)' },
    to: { kind: 'number', optional: true, label: 'To (picture columns)' },
  },
  outputs: { latent: 'latent' },
  params: {
    from: int(0, {
      min: 0,
      max: 100000,
      unit: 'latent px',
      label: 'From column',
      description:
        'The first latent column kept (1 latent px = 8 picture pixels); used when no From is connected.',
    }),
    to: int(0, {
      min: 0,
      max: 100000,
      unit: 'latent px',
      label: 'To column',
      description:
        'The column after the last one kept (0: to the end); used when no To is connected.',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ latent, from: fromInput, to: toInput }, params) => {
    const problem = latentProblem(latent.shape, latent.data.length)
    if (problem)
      throw new UserError(`Cut Latent: the latent ${problem}.`, 'Check the node feeding it.')
    const width = latent.shape[3]
    const wired = (input: typeof fromInput, name: string) => {
      if (!input) return undefined
      if (!Number.isFinite(input.value) || input.value < 0)
        throw new UserError(
          `Cut Latent: the ${name} input is ${input.value}, not a picture column.`,
          'Check the node feeding it (Loop Finder gives columns from 0).',
        )
      return Math.round(input.value / PIXELS_PER_LATENT)
    }
    const from = wired(fromInput, 'From') ?? params.from
    const end = wired(toInput, 'To') ?? params.to
    const to = end === 0 ? width : end // 0 means the end, wired or set
    if (to > width || from >= to)
      throw new UserError(
        `Cut Latent: columns ${from}..${to} are not inside the latent's ${width} columns` +
          (fromInput || toInput ? ' (wired columns ÷ 8)' : ''),
        `Choose 0 ≤ from < to ≤ ${width} (to 0 means the end).`,
      )
    const out = cut(latent.data, latent.shape, from, to)
    return { latent: { kind: 'latent', shape: out.dims, data: out.data } }
  },
})
