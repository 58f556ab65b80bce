import { latentProblem } from '../src/diffusion/latent'
import { joinLatents as join } from '../src/dsp/latent-ops'
import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { choice, int } from '../src/engine/params'
import type { LatentValue } from '../src/engine/values'

export const joinLatents = defineNode({
  type: 'latent/join',
  version: 1,
  title: 'Join Latents',
  category: 'Diffusion',
  description:
    'Puts two latents side by side (or one above the other), as the sound-pictures essay concatenates latents before decoding: decoded in one piece, the join shows no seam. An overlap crossfades the shared columns linearly instead of butting them.',
  inputs: { a: 'latent', b: 'latent' },
  outputs: { latent: 'latent' },
  params: {
    axis: choice('width', ['width', 'height'] as const, {
      label: 'Join along',
      optionLabels: { width: 'Width (B to the right)', height: 'Height (B below)' },
      description: 'Width: B follows A in time (a longer spectrogram). Height: B goes below A.',
    }),
    overlap: int(0, {
      min: 0,
      max: 4096,
      unit: 'latent px',
      label: 'Overlap',
      description:
        'How many latent columns (rows) of the end of A and the start of B are crossfaded linearly (0: butted; 1 latent px = 8 picture pixels).',
    }),
  },
  runtime: 'cpu',
  cancellation: 'none',
  run: ({ a, b }, params) => {
    for (const [name, latent] of [
      ['A', a],
      ['B', b],
    ] as const) {
      const problem = latentProblem(latent.shape, latent.data.length)
      if (problem)
        throw new UserError(
          `Join Latents: latent ${name} ${problem}.`,
          'Check the node feeding it.',
        )
    }
    const across = params.axis === 'width'
    const keep = across ? 2 : 3 // the axis that must match
    const along = across ? 3 : 2
    if (a.shape[1] !== b.shape[1] || a.shape[keep] !== b.shape[keep])
      throw new UserError(
        `Join Latents: A is [${a.shape.join(', ')}] and B [${b.shape.join(', ')}]; joined along the ${params.axis}, their channels and ${across ? 'heights' : 'widths'} must match`,
        'Join latents of the same model and the same picture size, or join along the other axis.',
      )
    const most = Math.min(a.shape[along], b.shape[along])
    if (params.overlap > most)
      throw new UserError(
        `Join Latents: an overlap of ${params.overlap} latent px is more than the shorter latent's ${params.axis} (${most})`,
        `Use an overlap of at most ${most}.`,
      )
    const joined = join(
      { data: a.data, dims: a.shape },
      { data: b.data, dims: b.shape },
      params.axis,
      params.overlap,
    )
    const latent: LatentValue = { kind: 'latent', shape: joined.dims, data: joined.data }
    return { latent }
  },
})
