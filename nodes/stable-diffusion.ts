import { resizeImage } from '../src/diffusion/image'
import type { DiffusionModel } from '../src/diffusion/model'
import { openModel } from '../src/diffusion/open-model'
import { generate, type ModelSlot } from '../src/diffusion/pipeline'
import { modelRunReport } from '../src/diffusion/run-report'
import { SCHEDULER_KINDS } from '../src/diffusion/schedulers'
import { TINY_MODEL_WARNING } from '../src/diffusion/tiny-model'
import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { bool, choice, float, int, seed, text } from '../src/engine/params'
import type { ImageValue } from '../src/engine/values'

/** 'A B B', 'ABB', 'a, b, b' → [0, 1, 1]. */
export function parsePattern(pattern: string): number[] {
  const letters = pattern.toUpperCase().replace(/[\s,;|-]+/g, '')
  if (letters === '') return [0]
  if (!/^[AB]+$/.test(letters)) {
    throw new UserError(
      `The step pattern "${pattern}" may only use A and B`,
      'Write which model denoises each step, e.g. "A B B"; it repeats over the steps.',
    )
  }
  return [...letters].map((c) => (c === 'A' ? 0 : 1))
}

function imageProblem(image: ImageValue): string | undefined {
  if (image.width < 1 || image.height < 1) return 'is empty'
  if (!image.channels.every((c) => c.every(Number.isFinite))) return 'has NaN or infinite pixels'
  return undefined
}

/**
 * The painting's side: as set, or (0) the input's rounded down to a multiple of 8 as diffusers'
 * image processor does (`x - x % 8`), at least 8 (one latent pixel); 512 without an input.
 */
export function paintingSize(set: number, input: number | undefined): number {
  if (set > 0) return set
  return input === undefined ? 512 : Math.max(8, input - (input % 8))
}

export const stableDiffusion = defineNode({
  type: 'ml/stable-diffusion',
  version: 1,
  title: 'Stable Diffusion',
  category: 'Image',
  description:
    'Repaints the image (img2img) or paints from the prompt alone (no image connected) with a Stable Diffusion model in the diffusers ONNX layout, on the GPU where there is one. The bundled "tiny" model is random: its output is noise until a real model is loaded.',
  inputs: { image: { kind: 'image', optional: true, label: 'Image (optional)' } },
  outputs: { image: 'image', latent: 'latent' },
  params: {
    prompt: text('an abstract painting of sound, colourful, textured', {
      multiline: true,
      label: 'Prompt',
      description: 'What the picture should show.',
    }),
    negativePrompt: text('no letters, no people, no recognizable objects', {
      multiline: true,
      label: 'Negative prompt',
      description: 'What to steer away from (used when guidance is above 1).',
    }),
    model: text('tiny', {
      label: 'Model',
      widget: 'model',
      description:
        '"tiny" (bundled test model: noise), a known model (sd15, sd-turbo, lcm-dreamshaper-v7), an https:// URL of a diffusers ONNX model, a folder picked in the model panel (folder:NAME) or, on the command line, a folder path.',
    }),
    steps: int(20, {
      min: 1,
      max: 200,
      label: 'Steps',
      description:
        'Denoising steps (img2img runs about steps × strength of them, except LCM, which runs all of them lower on its schedule). The notebook used 50 with PNDM; SD-Turbo wants 1–4, LCM 2–8.',
    }),
    guidance: float(2.5, {
      min: 0,
      max: 30,
      step: 0.1,
      label: 'Guidance',
      description:
        'How strongly to follow the prompt over the negative prompt (classifier-free guidance); 1 or less uses the prompt alone. The notebook used 2.5.',
    }),
    strength: float(0.9, {
      min: 0,
      max: 1,
      step: 0.01,
      label: 'Strength',
      description:
        'img2img: how much to repaint. 0 returns the image through the VAE, 1 ignores it. The notebook used 0.9.',
    }),
    seed: seed(0, { label: 'Seed', description: 'The same seed gives the same picture.' }),
    width: int(0, {
      min: 0,
      max: 2048,
      step: 8,
      unit: 'px',
      label: 'Width',
      description:
        "Size of the painting, a multiple of 8 (the input image is resized to it); 0 = the input's width rounded down to a multiple of 8, as diffusers does (512 without an input).",
    }),
    height: int(0, {
      min: 0,
      max: 2048,
      step: 8,
      unit: 'px',
      label: 'Height',
      description:
        "Size of the painting, a multiple of 8; 0 = the input's height rounded down to a multiple of 8 (512 without an input).",
    }),
    resizeBack: bool(false, {
      label: 'Output at input size',
      description: "Resize the painting back to the input image's size (the notebook did not).",
    }),
    scheduler: choice('auto', ['auto', ...SCHEDULER_KINDS], {
      label: 'Scheduler',
      optionLabels: {
        auto: "The model's own",
        euler: 'Euler',
        'euler-ancestral': 'Euler ancestral',
        ddim: 'DDIM',
        pndm: 'PNDM (the notebook)',
        'dpm++2m': 'DPM-Solver++ 2M',
        lcm: 'LCM (LCM models)',
      },
      description: 'How noise is removed step by step.',
    }),
    modelB: text('', {
      label: 'Model B',
      widget: 'model',
      description: 'A second model for the step pattern (empty: model A again, with prompt B).',
    }),
    promptB: text('', {
      multiline: true,
      label: 'Prompt B',
      description: "Model B's prompt (empty: the prompt above).",
    }),
    negativePromptB: text('', {
      multiline: true,
      label: 'Negative prompt B',
      description: "What model B's steps steer away from (empty: the negative prompt above).",
    }),
    guidanceB: float(2.5, {
      min: 0,
      max: 30,
      step: 0.1,
      label: 'Guidance B',
      description: "Model B's guidance.",
    }),
    pattern: text('A', {
      label: 'Step pattern',
      description:
        'Which model denoises each step, repeated: "A" is model A alone, "A B B" a waltz.',
    }),
    shiftX: int(0, {
      min: -64,
      max: 64,
      unit: 'latent px',
      label: 'Shift X',
      description:
        'Roll the picture sideways by this much (× 8 pixels) every step, and back at the end: seamless loops.',
    }),
    shiftY: int(0, {
      min: -64,
      max: 64,
      unit: 'latent px',
      label: 'Shift Y',
      description: 'Roll the picture up or down every step, and back at the end.',
    }),
    previewEvery: int(0, {
      min: 0,
      max: 100,
      label: 'Preview every',
      unit: 'steps',
      description:
        'Show the picture in progress every N steps (0: never; each preview costs a VAE decode).',
    }),
  },
  runtime: 'gpu',
  cancellation: 'per-step',
  // The sessions a run opens first, each memoised in this worker for the run to find: the text
  // encoder (with onnxruntime itself), the VAE encoder img2img needs (a model without one is
  // left for the run to judge), the UNet and the VAE decoder.
  prepare: async (params) => {
    const usesB = parsePattern(params.pattern).includes(1)
    const refs = [params.model, ...(usesB && params.modelB.trim() ? [params.modelB] : [])]
    for (const ref of refs) {
      const model = await openModel(ref)
      await model.textEncoder()
      await model.vaeEncoder().catch(() => undefined)
      await model.unet()
      await model.vaeDecoder()
    }
  },
  run: async ({ image }, params, ctx) => {
    if (image) {
      const problem = imageProblem(image)
      if (problem)
        throw new UserError(
          `Stable Diffusion: the image input ${problem}`,
          'Check the node feeding it.',
        )
    }
    const pattern = parsePattern(params.pattern)
    const say = (message: string) => ctx.progress(0, message)
    const open = (ref: string): Promise<DiffusionModel> => openModel(ref, say)
    const modelA = await open(params.model)
    const usesB = pattern.includes(1)
    const modelB = usesB && params.modelB.trim() ? await open(params.modelB) : modelA
    if (modelA.isTiny || (usesB && modelB.isTiny)) say(TINY_MODEL_WARNING)

    const slots: ModelSlot[] = [
      {
        model: modelA,
        prompt: params.prompt,
        negativePrompt: params.negativePrompt,
        guidance: params.guidance,
      },
    ]
    if (usesB) {
      slots.push({
        model: modelB,
        prompt: params.promptB.trim() ? params.promptB : params.prompt,
        negativePrompt: params.negativePromptB.trim()
          ? params.negativePromptB
          : params.negativePrompt,
        guidance: params.guidanceB,
      })
    }
    const result = await generate({
      slots,
      pattern,
      image,
      width: paintingSize(params.width, image?.width),
      height: paintingSize(params.height, image?.height),
      steps: params.steps,
      strength: params.strength,
      scheduler: params.scheduler,
      seed: params.seed,
      shift: { dx: params.shiftX, dy: params.shiftY },
      signal: ctx.signal,
      onProgress: (fraction, message) => ctx.progress(fraction, message),
      previewEvery: ctx.preview ? params.previewEvery : 0,
      onPreview: ctx.preview ? (picture) => ctx.preview?.(picture) : undefined,
    })
    const out =
      image && params.resizeBack
        ? resizeImage(result.image, image.width, image.height)
        : result.image
    // The picture still reads as the same sound's spectrogram: its framing goes along.
    const painted = image?.origin ? { ...out, origin: image.origin } : out
    // Where each network ran and what was done, as data for the node's footer and --report.
    ctx.report?.(
      modelRunReport(usesB ? [modelA, modelB] : [modelA], {
        steps: result.steps,
        scheduler: result.scheduler,
        size: { width: painted.width, height: painted.height },
      }),
    )
    return { image: painted, latent: result.latent }
  },
})
