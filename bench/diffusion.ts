/**
 * Bench: Stable Diffusion seconds per UNet step and per image, on onnxruntime-web's WASM
 * provider in Node. Default: the bundled tiny model (it measures the pipeline's own overhead —
 * scheduler, CFG batching, tensor conversion, ORT calls — more than arithmetic).
 *
 *   npx tsx bench/diffusion.ts [--model tiny|PATH|URL|sd-turbo…] [--size 512] [--repeats 3]
 *
 * For `npm run bench` (bench/run.ts): `diffusionBench` times the notebook's img2img per image,
 * `diffusionStepBench` one UNet step of it (its `run` calls are async).
 */
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { InferenceBackend } from '../src/diffusion/backend'
import { type UnetInput } from '../src/diffusion/components'
import { joinArrays } from '../src/engine/join-arrays'
import { loadModel, type DiffusionModel } from '../src/diffusion/model'
import { createOrtBackend } from '../src/diffusion/ort'
import { generate, type GenerateOptions, type GenerateResult } from '../src/diffusion/pipeline'
import { createGaussian } from '../src/diffusion/random'
import { resolveModelSource } from '../src/diffusion/resolve'
import type { ImageValue } from '../src/engine/values'

interface Setting {
  name: string
  options: (model: DiffusionModel, size: number) => GenerateOptions
}

function picture(size: number): ImageValue {
  const plane = (k: number) =>
    Float32Array.from({ length: size * size }, (_, i) => ((i * k) % 251) / 250)
  return { kind: 'image', width: size, height: size, channels: [plane(1), plane(3), plane(7)] }
}

const slot = (model: DiffusionModel, guidance: number) => ({
  model,
  prompt: 'an abstract painting of sound, colourful, textured',
  negativePrompt: 'no letters, no people, no recognizable objects',
  guidance,
})

export const SETTINGS: readonly Setting[] = [
  {
    name: 'txt2img, Euler, 20 steps, guidance 2.5 (batch 2)',
    options: (model, size) => ({
      slots: [slot(model, 2.5)],
      width: size,
      height: size,
      steps: 20,
      strength: 1,
      scheduler: 'euler',
      seed: 1,
    }),
  },
  {
    name: 'img2img as the notebook: PNDM, 50 steps × strength 0.9, guidance 2.5',
    options: (model, size) => ({
      slots: [slot(model, 2.5)],
      image: picture(size),
      width: size,
      height: size,
      steps: 50,
      strength: 0.9,
      scheduler: 'pndm',
      seed: 1,
    }),
  },
  {
    name: 'txt2img, Euler, 4 steps, guidance 1 (batch 1, Turbo-like)',
    options: (model, size) => ({
      slots: [slot(model, 1)],
      width: size,
      height: size,
      steps: 4,
      strength: 1,
      scheduler: 'euler',
      seed: 1,
    }),
  },
]

export interface DiffusionFigures {
  setting: string
  unetCalls: number
  secondsPerStep: number
  secondsPerImage: number
}

export async function benchDiffusion(
  modelRef = 'tiny',
  size = 512,
  repeats = 3,
): Promise<{ providers: string; figures: DiffusionFigures[] }> {
  const model = await loadModel(await resolveModelSource(modelRef), createOrtBackend())
  const figures: DiffusionFigures[] = []
  let providers = ''
  for (const setting of SETTINGS) {
    const options = setting.options(model, size)
    await generate(options) // warm up: sessions, JIT
    let best: GenerateResult | undefined
    for (let i = 0; i < repeats; i++) {
      const result = await generate(options)
      if (!best || result.seconds.total < best.seconds.total) best = result
    }
    if (!best) continue
    providers = best.providers
    figures.push({
      setting: setting.name,
      unetCalls: best.steps,
      secondsPerStep: best.seconds.unet / best.steps,
      secondsPerImage: best.seconds.total,
    })
  }
  return { providers, figures }
}

let tiny: Promise<DiffusionModel> | undefined

/** The tiny model with its sessions, loaded once (on the warm-up call): timed runs only generate. */
async function tinyModel(backend?: InferenceBackend): Promise<DiffusionModel> {
  if (backend) return loadModel(await resolveModelSource('tiny'), backend)
  tiny ??= resolveModelSource('tiny').then((source) => loadModel(source, createOrtBackend()))
  return tiny
}

/** For bench/run.ts: the tiny model, 512 × 512, notebook img2img — seconds per image. */
export const diffusionBench = {
  name: 'stable diffusion: tiny model, 512², notebook img2img, per image (WASM)',
  repeats: 3,
  async run(): Promise<void> {
    await generate(SETTINGS[1].options(await tinyModel(), 512))
  },
}

/**
 * One UNet evaluation of the tiny model as every step of that run makes it: a 64² latent (512²
 * picture), the prompt and negative prompt as a batch of 2 for guidance. Prepared on the first
 * (warm-up) call, so the timed calls are the step alone.
 */
export async function prepareUnetStep(size: number, backend?: InferenceBackend) {
  const model = await tinyModel(backend)
  const { prompt, negativePrompt } = slot(model, 2.5)
  const encoder = await model.textEncoder()
  const cond = await encoder.encode(model.tokenizer.encodeForModel(prompt))
  const uncond = await encoder.encode(model.tokenizer.encodeForModel(negativePrompt))
  const unet = await model.unet()
  const latent = size / model.vaeScale
  const dims = [2, model.latentChannels, latent, latent]
  const input: UnetInput = {
    sample: createGaussian(1).fill(dims.reduce((a, b) => a * b, 1)),
    dims,
    timestep: 999,
    hidden: joinArrays(Float32Array, [uncond.data, cond.data]),
    hiddenDims: [2, ...cond.dims.slice(1)],
  }
  return () => unet.predict(input)
}

let unetStep: Promise<() => Promise<Float32Array>> | undefined

/** For bench/run.ts: one UNet step of the run above — seconds per step. */
export const diffusionStepBench = {
  name: 'stable diffusion: tiny model, 512², one UNet step (CFG batch 2, WASM)',
  repeats: 10,
  async run(): Promise<void> {
    unetStep ??= prepareUnetStep(512)
    await (
      await unetStep
    )()
  },
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const modelRef = arg('model', 'tiny')
  const size = Number(arg('size', '512'))
  const repeats = Number(arg('repeats', '3'))
  const started = performance.now()
  const { providers, figures } = await benchDiffusion(modelRef, size, repeats)
  console.log(
    `Stable Diffusion bench — model ${modelRef}, ${size} × ${size}, Node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; ${providers}\n`,
  )
  for (const f of figures) {
    console.log(
      `${f.setting}\n  ${f.unetCalls} UNet steps: ${(f.secondsPerStep * 1000).toFixed(1)} ms/step, ` +
        `${f.secondsPerImage.toFixed(3)} s/image (best of ${repeats})`,
    )
  }
  console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(1)} s)`)
}
