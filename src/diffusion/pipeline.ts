import type { CancelSignal } from '../engine/define-node'
import { UserError } from '../engine/errors'
import type { ImageValue, LatentValue } from '../engine/values'
import { joinArrays } from '../engine/join-arrays'
import { guidanceEmbedding, guide, rollLatent, scale } from './latent'
import type { DiffusionModel } from './model'
import { createGaussian, NoiseStream } from './random'
import { decodeLatent, encodeImage } from './vae'
import { createScheduler, schedulerConfig, type Scheduler, type SchedulerKind } from './schedulers'

/**
 * Stable Diffusion txt2img and img2img, the loop of diffusers' StableDiffusion(Img2Img)Pipeline
 * over our wrappers, plus the sound-picture essay's extras: several models taking turns by a
 * step pattern ("waltz": A B B) and a latent that rolls a little after every step.
 */

export interface ModelSlot {
  model: DiffusionModel
  prompt: string
  negativePrompt: string
  /** Classifier-free guidance scale; ≤ 1 runs the conditional pass only (as diffusers). */
  guidance: number
}

export interface GenerateOptions {
  /** Slot 0's VAE, tokenizer length and scheduler config serve the whole run. */
  slots: readonly ModelSlot[]
  /** Which slot denoises step i: pattern[i mod length]. Default: slot 0 always. */
  pattern?: readonly number[]
  /** img2img when present: resized to width × height. */
  image?: ImageValue
  width: number
  height: number
  steps: number
  /** img2img only: how far down the schedule to start; 0 returns the image through the VAE. */
  strength: number
  /** 'auto': the scheduler the model ships with. */
  scheduler: SchedulerKind | 'auto'
  seed: number
  /** Roll the latent by this many latent pixels after each step, and back at the end. */
  shift?: { dx: number; dy: number }
  signal?: CancelSignal
  onProgress?(fraction: number, message: string): void
  /** Decode and hand over the picture every `previewEvery` steps (0: never). */
  previewEvery?: number
  onPreview?(image: ImageValue, step: number): void
}

export interface GenerateResult {
  image: ImageValue
  latent: LatentValue
  /** UNet evaluations run (batched CFG counts once). */
  steps: number
  scheduler: SchedulerKind
  /** Execution provider per network, e.g. 'text_encoder: wasm, unet: wasm, vae_decoder: wasm'. */
  providers: string
  seconds: { total: number; unet: number }
}

const now = () => performance.now() / 1000

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = now()
  const { slots, signal } = options
  const main = slots[0]?.model
  if (!main) throw new Error('generate() needs at least one model slot')
  const pattern = options.pattern?.length ? options.pattern : [0]
  if (pattern.some((p) => !slots[p])) throw new UserError('The step pattern names a missing model')
  for (const slot of slots) {
    if (slot.model.latentChannels !== main.latentChannels) {
      throw new UserError('Models that take turns must share a latent space (same VAE)')
    }
  }
  const factor = main.vaeScale
  const { width, height } = options
  if (width % factor || height % factor || width < factor || height < factor) {
    throw new UserError(
      `Width and height must be multiples of ${factor}: ${width} × ${height} is not`,
      `Try ${Math.max(factor, Math.round(width / factor) * factor)} × ${Math.max(factor, Math.round(height / factor) * factor)}.`,
    )
  }
  const report = (fraction: number, message: string) => options.onProgress?.(fraction, message)
  const loading = (message: string) => report(0, message)

  const kind = options.scheduler === 'auto' ? main.scheduler.kind : options.scheduler
  const config = schedulerConfig(kind, main.scheduler.json)
  const dims = [1, main.latentChannels, height / factor, width / factor]
  const size = dims.reduce((a, b) => a * b, 1)

  // Conditioning for every slot in use: loaded and encoded before the first step.
  const used = [...new Set(pattern)]
  const conditioning = new Map<number, Awaited<ReturnType<typeof condition>>>()
  for (const index of used) {
    signal?.throwIfAborted()
    conditioning.set(index, await condition(slots[index], loading))
  }

  let scheduler: Scheduler
  let latent: Float32Array
  if (options.image) {
    await main.vaeEncoder(loading) // a long download: look at the signal once it is in
    signal?.throwIfAborted()
    const encoded = await encodeImage(main, options.image, width, height, options.seed, loading)
    const clean = encoded.data
    if (clean.length !== size) {
      throw new UserError(`The VAE encoder gave a latent of ${clean.length} values, not ${size}`)
    }
    scheduler = createScheduler(kind, config, options.steps, options.strength)
    latent =
      scheduler.timesteps.length === 0
        ? clean
        : scheduler.addNoise(clean, createGaussian(options.seed, NoiseStream.initial).fill(size))
  } else {
    scheduler = createScheduler(kind, config, options.steps, 1)
    latent = scale(createGaussian(options.seed).fill(size), scheduler.initNoiseSigma)
  }

  await main.vaeDecoder(loading) // loaded before the first step, so a missing decoder fails early
  const stepNoise = createGaussian(options.seed, NoiseStream.scheduler)
  const total = scheduler.timesteps.length
  const shift = options.shift ?? { dx: 0, dy: 0 }
  let unetSeconds = 0

  const decode = (x: Float32Array) => decodeLatent(main, x, dims)

  for (let i = 0; i < total; i++) {
    signal?.throwIfAborted()
    const slotIndex = pattern[i % pattern.length]
    const slot = slots[slotIndex]
    const unet = await slot.model.unet(loading)
    const cond = conditioning.get(slotIndex)
    if (!cond) throw new Error(`No conditioning for slot ${slotIndex}`)
    const input = scheduler.scaleModelInput(latent, i)
    const t0 = now()
    const lcm = unet.plan.timestepCond
    const guided = !lcm && slot.guidance > 1 && cond.uncond !== undefined
    const batch = guided ? 2 : 1
    const output = await unet.predict({
      sample: guided ? joinArrays(Float32Array, [input, input]) : input,
      dims: [batch, ...dims.slice(1)],
      timestep: scheduler.timesteps[i],
      hidden:
        guided && cond.uncond ? joinArrays(Float32Array, [cond.uncond, cond.cond]) : cond.cond,
      hiddenDims: [batch, ...cond.dims.slice(1)],
      // LCM's guidance embedding, with w = guidance − 1 as diffusers' LCM pipeline.
      timestepCond: lcm ? guidanceEmbedding(slot.guidance - 1, lcm.size) : undefined,
    })
    unetSeconds += now() - t0
    const eps = guided ? guide(output, slot.guidance) : output
    latent = scheduler.step(eps, i, latent, stepNoise)
    if (shift.dx || shift.dy) {
      const roll = (x: Float32Array) => rollLatent(x, dims, shift.dx, shift.dy)
      latent = roll(latent)
      scheduler.move?.(roll)
    }
    const label = slots.length > 1 ? ` (model ${String.fromCharCode(65 + slotIndex)})` : ''
    report((i + 1) / (total + 1), `step ${i + 1}/${total}${label}`)
    const every = options.previewEvery ?? 0
    if (every > 0 && options.onPreview && (i + 1) % every === 0 && i + 1 < total) {
      options.onPreview(await decode(scheduler.scaleModelInput(latent, i + 1)), i + 1)
    }
  }
  if (total > 0 && (shift.dx || shift.dy)) {
    latent = rollLatent(latent, dims, -shift.dx * total, -shift.dy * total)
  }
  signal?.throwIfAborted()
  if (!latent.every(Number.isFinite)) {
    throw new UserError(
      'The model produced NaN or infinite values',
      'fp16 models can overflow: try another scheduler, fewer steps or lower guidance, or run it on WASM.',
    )
  }
  report(total / (total + 1), 'decoding')
  const image = await decode(latent)
  report(1, 'done')
  return {
    image,
    latent: { kind: 'latent', shape: dims, data: latent },
    steps: total,
    scheduler: kind,
    providers: slots.map((s) => s.model.providers()).join(' | '),
    seconds: { total: now() - started, unet: unetSeconds },
  }
}

/** A slot's prompt embeddings; the negative prompt only when guidance will use it. */
async function condition(slot: ModelSlot, progress: (message: string) => void) {
  const encoder = await slot.model.textEncoder(progress)
  const tokenizer = slot.model.tokenizer
  const cond = await encoder.encode(tokenizer.encodeForModel(slot.prompt))
  const unet = await slot.model.unet(progress)
  const needsUncond = slot.guidance > 1 && !unet.plan.timestepCond
  const uncond = needsUncond
    ? (await encoder.encode(tokenizer.encodeForModel(slot.negativePrompt))).data
    : undefined
  return { cond: cond.data, uncond, dims: cond.dims }
}
