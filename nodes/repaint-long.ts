import { resizeImage, tensorToImage } from '../src/diffusion/image'
import { scale } from '../src/diffusion/latent'
import type { DiffusionModel } from '../src/diffusion/model'
import { openModel } from '../src/diffusion/open-model'
import { generate, type ModelSlot } from '../src/diffusion/pipeline'
import { modelRunReport } from '../src/diffusion/run-report'
import { SCHEDULER_KINDS } from '../src/diffusion/schedulers'
import { TINY_MODEL_WARNING } from '../src/diffusion/tiny-model'
import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { choice, float, int, seed, text } from '../src/engine/params'
import type { ImageValue, LatentValue } from '../src/engine/values'
import { joinColumns, planChunks } from '../src/dsp/chunks'
import { imageProblem } from '../src/dsp/image-ops'
import { parsePattern } from './stable-diffusion'

export const repaintLong = defineNode({
  type: 'ml/repaint-long',
  version: 1,
  title: 'Repaint Long Picture',
  category: 'Image',
  description:
    'Repaints a picture wider than a model paints at once (a long Riffusion spectrogram): overlapping chunks are repainted one by one, their latents joined with crossfades and decoded in one piece, so no seams show where chunks meet.',
  inputs: { image: 'image' },
  outputs: { image: 'image', latent: 'latent' },
  params: {
    prompt: text('steady beat', {
      multiline: true,
      label: 'Prompt',
      description: 'What each chunk should become.',
    }),
    negativePrompt: text('', {
      multiline: true,
      label: 'Negative prompt',
      description: 'What to steer away from (used when guidance is above 1).',
    }),
    model: text('tiny', {
      label: 'Model',
      widget: 'model', // the editor's model picker, with the tiny model's noise warning
      description:
        '"tiny" (bundled test model: noise), a known model id, an https:// URL of a diffusers ONNX model, folder:NAME, or on the command line a folder path (a Riffusion export for spectrograms).',
    }),
    steps: int(20, { min: 1, max: 200, label: 'Steps', description: 'Denoising steps per chunk.' }),
    guidance: float(7, {
      min: 0,
      max: 30,
      step: 0.1,
      label: 'Guidance',
      description: 'Classifier-free guidance (Riffusion: 7).',
    }),
    strength: float(0.75, {
      min: 0,
      max: 1,
      step: 0.01,
      label: 'Strength',
      description: 'How much of each chunk is repainted (Riffusion’s app: 0.75).',
    }),
    seed: seed(0, { label: 'Seed', description: 'Chunk k uses seed + k.' }),
    scheduler: choice('auto', ['auto', ...SCHEDULER_KINDS], {
      label: 'Scheduler',
      description: 'How noise is removed step by step ("auto": the model’s own).',
    }),
    modelB: text('', {
      label: 'Model B',
      widget: 'model',
      description: 'A second model for the step pattern (empty: model A again, with prompt B).',
    }),
    promptB: text('', { label: 'Prompt B', description: "Model B's prompt (empty: the prompt)." }),
    negativePromptB: text('', {
      label: 'Negative prompt B',
      description: "What model B's steps steer away from (empty: the negative prompt).",
    }),
    guidanceB: float(7, {
      min: 0,
      max: 30,
      label: 'Guidance B',
      description: "Model B's guidance.",
    }),
    pattern: text('A', {
      label: 'Step pattern',
      description: 'Which model denoises each step, repeated ("A B B": a waltz).',
    }),
    height: int(512, {
      min: 64,
      max: 2048,
      step: 8,
      unit: 'px',
      label: 'Height',
      description: 'The picture is scaled to this height (a multiple of 8; Riffusion: 512).',
    }),
    chunkWidth: int(512, {
      min: 64,
      max: 2048,
      step: 8,
      unit: 'px',
      label: 'Chunk width',
      description: 'Width repainted at once (a multiple of 8; 512 = 5.12 s of Riffusion picture).',
    }),
    overlap: int(128, {
      min: 0,
      max: 1024,
      step: 8,
      unit: 'px',
      label: 'Overlap',
      description: 'Width neighbouring chunks share; their latents are crossfaded across it.',
    }),
  },
  runtime: 'gpu',
  cancellation: 'per-step',
  run: async ({ image }, params, ctx) => {
    const problem = imageProblem(image.width, image.height, image.channels)
    if (problem)
      throw new UserError(
        `Repaint Long Picture: the image input ${problem}.`,
        'Check the node feeding it.',
      )
    const eight = (v: number) => Math.max(8, Math.round(v / 8) * 8)
    const height = eight(params.height)
    const chunkWidth = eight(params.chunkWidth)
    const overlap = Math.min(Math.floor(params.overlap / 8) * 8, chunkWidth - 8)
    const pattern = parsePattern(params.pattern)
    const say = (message: string) => ctx.progress(0, message)
    const open = (ref: string): Promise<DiffusionModel> => openModel(ref, say)
    const modelA = await open(params.model)
    const usesB = pattern.includes(1)
    const modelB = usesB && params.modelB.trim() ? await open(params.modelB) : modelA
    if (modelA.isTiny || modelB.isTiny) say(TINY_MODEL_WARNING)
    const slots: ModelSlot[] = [
      {
        model: modelA,
        prompt: params.prompt,
        negativePrompt: params.negativePrompt,
        guidance: params.guidance,
      },
    ]
    if (usesB)
      slots.push({
        model: modelB,
        prompt: params.promptB.trim() ? params.promptB : params.prompt,
        negativePrompt: params.negativePromptB.trim()
          ? params.negativePromptB
          : params.negativePrompt,
        guidance: params.guidanceB,
      })

    // Scale to the height, then pad the width (edge columns repeated) to whole latent pixels.
    const width = Math.max(1, Math.round((image.width * height) / image.height))
    const scaled = resizeImage(image, width, height)
    const padded = padColumns(scaled, Math.max(chunkWidth, Math.ceil(width / 8) * 8))
    const chunks = planChunks(padded.width, chunkWidth, overlap, 8)
    const latents: Float32Array[][] = []
    let dims: number[] = []
    for (const [k, chunk] of chunks.entries()) {
      const piece = cropColumns(padded, chunk.start, chunk.end)
      const result = await generate({
        slots,
        pattern,
        image: piece,
        width: piece.width,
        height,
        steps: params.steps,
        strength: params.strength,
        scheduler: params.scheduler,
        seed: params.seed + k,
        signal: ctx.signal,
        onProgress: (fraction, message) =>
          ctx.progress(
            (k + fraction) / (chunks.length + 1),
            `chunk ${k + 1}/${chunks.length}: ${message}`,
          ),
      })
      dims = result.latent.shape
      const plane = dims[2] * dims[3]
      latents.push(
        Array.from({ length: dims[1] }, (_, c) =>
          result.latent.data.subarray(c * plane, (c + 1) * plane),
        ),
      )
    }
    const latentChunks = chunks.map((c) => ({ start: c.start / 8, end: c.end / 8 }))
    const joinedPlanes = joinColumns(latentChunks, latents, dims[2])
    const latentWidth = padded.width / 8
    const data = new Float32Array(dims[1] * dims[2] * latentWidth)
    joinedPlanes.forEach((p, c) => data.set(p, c * p.length))
    const shape = [1, dims[1], dims[2], latentWidth]
    ctx.progress(chunks.length / (chunks.length + 1), 'decoding the joined latent')
    const decoder = await modelA.vaeDecoder(say)
    const out = await decoder.decode(scale(data, 1 / modelA.scalingFactor), shape)
    const decoded = tensorToImage(out.data, out.dims)
    const picture = cropColumns(decoded, 0, Math.min(decoded.width, width))
    const latent: LatentValue = { kind: 'latent', shape, data }
    ctx.report?.(
      modelRunReport(usesB ? [modelA, modelB] : [modelA], {
        work: `${chunks.length} chunks`,
        size: { width: picture.width, height: picture.height },
      }),
    )
    // Scaled whole and cut back to its width: it spans the same sound (see Resize Image).
    const painted = image.origin ? { ...picture, origin: image.origin } : picture
    return { image: painted, latent }
  },
})

function cropColumns(image: ImageValue, from: number, to: number): ImageValue {
  const width = to - from
  const channels = image.channels.map((plane) => {
    const out = new Float32Array(width * image.height)
    for (let y = 0; y < image.height; y++)
      out.set(plane.subarray(y * image.width + from, y * image.width + to), y * width)
    return out
  })
  return { kind: 'image', width, height: image.height, channels }
}

function padColumns(image: ImageValue, width: number): ImageValue {
  if (width === image.width) return image
  const channels = image.channels.map((plane) => {
    const out = new Float32Array(width * image.height)
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < width; x++)
        out[y * width + x] = plane[y * image.width + Math.min(x, image.width - 1)]
    return out
  })
  return { kind: 'image', width, height: image.height, channels }
}
