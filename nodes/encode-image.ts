import { openVae, vaeModelParam } from '../src/diffusion/open-model'
import { modelRunReport } from '../src/diffusion/run-report'
import { encodeImage as encode } from '../src/diffusion/vae'
import { imageProblem } from '../src/dsp/image-ops'
import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { seed } from '../src/engine/params'

/** The picture's size rounded down to whole latent pixels, as diffusers does; refused below one. */
function wholeLatentPixels(image: { width: number; height: number }, scale: number) {
  const width = Math.floor(image.width / scale) * scale
  const height = Math.floor(image.height / scale) * scale
  if (width < scale || height < scale)
    throw new UserError(
      `Encode Image: the picture is ${image.width} × ${image.height} pixels, smaller than one latent pixel (${scale} × ${scale})`,
      'Resize it larger first (Resize Image).',
    )
  return { width, height }
}

export const encodeImage = defineNode({
  type: 'ml/encode-image',
  version: 1,
  title: 'Encode Image',
  category: 'Diffusion',
  description:
    "Turns a picture into a Stable Diffusion model's latent with its VAE encoder (times the model's scaling factor, as diffusers does), for joining, rolling and cutting in latent space before Decode Latent. The size is rounded down to whole latent pixels (8 picture pixels), as diffusers does.",
  inputs: { image: 'image' },
  outputs: { latent: 'latent' },
  params: {
    model: vaeModelParam(
      'Whose VAE: "tiny" (bundled test model), a known model id, an https:// URL, folder:NAME, or on the command line a folder path. Decode with the same model.',
    ),
    seed: seed(0, {
      label: 'Seed',
      description:
        'For VAEs that give a distribution, the sample drawn from it (as Stable Diffusion with the same seed).',
    }),
  },
  runtime: 'gpu',
  run: async ({ image }, params, ctx) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(`Encode Image: the image input ${problem}.`, 'Check the node feeding it.')
    const { model, say, checked } = await openVae(params.model, 'encoder', ctx, (vae) =>
      wholeLatentPixels(image, vae.vaeScale),
    )
    const { width, height } = checked
    const encoded = await encode(model, image, width, height, params.seed, say)
    ctx.report?.(modelRunReport([model], { work: 'encoded', size: { width, height } }))
    return { latent: { kind: 'latent', shape: encoded.dims, data: encoded.data } }
  },
})
