import { latentProblem } from '../src/diffusion/latent'
import { openVae, vaeModelParam } from '../src/diffusion/open-model'
import { modelRunReport } from '../src/diffusion/run-report'
import { decodeLatent as decode } from '../src/diffusion/vae'
import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'

export const decodeLatent = defineNode({
  type: 'ml/decode-latent',
  version: 1,
  title: 'Decode Latent',
  category: 'Diffusion',
  description:
    "Turns a latent into a picture with a Stable Diffusion model's VAE decoder (divided by the model's scaling factor first, as diffusers does): 8 picture pixels per latent pixel. Decoding a joined latent in one piece leaves no seams where its parts meet.",
  inputs: { latent: 'latent' },
  outputs: { image: 'image' },
  params: {
    model: vaeModelParam(
      'Whose VAE: the model that made or encoded the latent ("tiny", a known model id, an https:// URL, folder:NAME, or on the command line a folder path).',
    ),
  },
  runtime: 'gpu',
  run: async ({ latent }, params, ctx) => {
    const problem = latentProblem(latent.shape, latent.data.length)
    if (problem)
      throw new UserError(`Decode Latent: the latent ${problem}.`, 'Check the node feeding it.')
    const { model, say } = await openVae(params.model, 'decoder', ctx, (vae) => {
      if (latent.shape[1] !== vae.latentChannels)
        throw new UserError(
          `Decode Latent: the latent has ${latent.shape[1]} channels where this model's VAE takes ${vae.latentChannels}`,
          'Decode with the model that made the latent.',
        )
    })
    const image = await decode(model, latent.data, latent.shape, say)
    ctx.report?.(
      modelRunReport([model], {
        work: 'decoded',
        size: { width: image.width, height: image.height },
      }),
    )
    return { image }
  },
})
