import type { ImageValue } from '../engine/values'
import { imageToTensor, tensorToImage } from './image'
import { sampleLatent, scale } from './latent'
import type { DiffusionModel } from './model'
import { createGaussian, NoiseStream } from './random'
import type { LoadProgress } from './sessions'

/**
 * An image into the model's latent space and back, as diffusers' pipelines do: the encoder's
 * latent (sampled from its distribution with the seed's own noise stream) times the scaling
 * factor; the decoder fed the latent divided by it. Shared by the pipeline and the latent nodes,
 * so a latent from either decodes the same.
 */

/** The image resized to width × height (multiples of the VAE scale) → scaled latent [1, C, h, w]. */
export async function encodeImage(
  model: DiffusionModel,
  image: ImageValue,
  width: number,
  height: number,
  seed: number,
  progress?: LoadProgress,
): Promise<{ data: Float32Array; dims: number[] }> {
  const encoder = await model.vaeEncoder(progress)
  const pixels = imageToTensor(image, width, height)
  const encoded = await encoder.encode(pixels, [1, 3, height, width])
  const raw =
    encoded.returns === 'sample'
      ? encoded.latent
      : sampleLatent(
          encoded.mean,
          encoded.logvar,
          createGaussian(seed, NoiseStream.vaeSample).fill(encoded.mean.length),
        )
  return { data: scale(raw, model.scalingFactor), dims: encoded.dims }
}

/** A scaled latent [1, C, h, w] → the decoded RGB picture in 0..1. */
export async function decodeLatent(
  model: DiffusionModel,
  latent: Float32Array,
  dims: readonly number[],
  progress?: LoadProgress,
): Promise<ImageValue> {
  const decoder = await model.vaeDecoder(progress)
  const out = await decoder.decode(scale(latent, 1 / model.scalingFactor), dims)
  return tensorToImage(out.data, out.dims)
}
