import { UserError } from '../engine/errors'
import type { InferenceBackend } from './backend'
import { ClipTextEncoder, Unet, VaeDecoder, VaeEncoder } from './components'
import { kindOfClass, SD15_SCHEDULER_JSON, type SchedulerKind } from './schedulers'
import { getSession, memoise, type LoadProgress, type Pending } from './sessions'
import { textEncoderPlan, unetPlan, vaeDecoderPlan, vaeEncoderPlan } from './signatures'
import { isMissingFile, readJson, readOptionalJson, type ModelSource } from './source'
import { isTinyModelIndex, TINY_MODEL_ID } from './tiny-model'
import { ClipTokenizer, CONTEXT_LENGTH, padTokenFrom } from './tokenizer'

/**
 * A Stable Diffusion model in the diffusers ONNX layout:
 *
 *   model_index.json                        (optional) pipeline class, scheduler class
 *   tokenizer/vocab.json, merges.txt        CLIP BPE; special_tokens_map.json and
 *                                           tokenizer_config.json (optional) give the pad token
 *   scheduler/scheduler_config.json         (optional; SD 1.5's when absent)
 *   text_encoder/model.onnx
 *   unet/model.onnx (+ weights.pb or model.onnx_data), unet/config.json (optional)
 *   vae_decoder/model.onnx, config.json     (optional config: scaling_factor, latent_channels)
 *   vae_encoder/model.onnx                  (img2img only)
 *
 * Configs and the tokenizer are read at once; the four networks are loaded when first asked
 * for, so txt2img never downloads the VAE encoder.
 */
export interface DiffusionModel {
  readonly source: ModelSource
  readonly tokenizer: ClipTokenizer
  /** The scheduler the model ships with, and its config file. */
  readonly scheduler: { kind: SchedulerKind; json: Record<string, unknown> }
  /** Latent = VAE latent × this (0.18215 for SD 1.x/2.x). */
  readonly scalingFactor: number
  readonly latentChannels: number
  /** Pixels per latent pixel: 2^(VAE blocks − 1), 8 for every real SD VAE. */
  readonly vaeScale: number
  /** The bundled random test model (or a copy of it). */
  readonly isTiny: boolean
  textEncoder(progress?: LoadProgress): Promise<ClipTextEncoder>
  unet(progress?: LoadProgress): Promise<Unet>
  vaeEncoder(progress?: LoadProgress): Promise<VaeEncoder>
  vaeDecoder(progress?: LoadProgress): Promise<VaeDecoder>
  /** Which execution provider runs each network loaded so far, e.g. 'unet: webgpu'. */
  providers(): string
  /** The same, per network, with why that provider ('the GPU lacks shader-f16…'). */
  providerDetails(): { network: string; provider: string; note: string }[]
}

type Json = Record<string, unknown>
const asObject = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {})
const num = (v: unknown, fallback: number) => (typeof v === 'number' && v > 0 ? v : fallback)

const LAYOUT_HINT =
  'A diffusers ONNX model holds tokenizer/, text_encoder/, unet/, vae_decoder/ ' +
  '(and vae_encoder/ for img2img). See models/README.md.'

async function required<T>(source: ModelSource, path: string, read: () => Promise<T>) {
  try {
    return await read()
  } catch (error) {
    if (isMissingFile(error)) {
      throw new UserError(`${source.label} has no "${path}", which every model needs`, LAYOUT_HINT)
    }
    throw error
  }
}

const models = new WeakMap<InferenceBackend, Map<string, Pending<DiffusionModel>>>()

export function loadModel(
  source: ModelSource,
  backend: InferenceBackend,
  progress?: LoadProgress,
): Promise<DiffusionModel> {
  let cache = models.get(backend)
  if (!cache) {
    cache = new Map()
    models.set(backend, cache)
  }
  return memoise(cache, source.id, progress, (p) => openModel(source, backend, p))
}

async function openModel(source: ModelSource, backend: InferenceBackend, progress: LoadProgress) {
  progress(`reading ${source.label}`)
  const index = asObject(await readOptionalJson(source, 'model_index.json'))
  const text = (path: string) =>
    required(source, path, async () => new TextDecoder().decode(await source.read(path)))
  const vocab = asObject(
    await required(source, 'tokenizer/vocab.json', () => readJson(source, 'tokenizer/vocab.json')),
  )
  const merges = await text('tokenizer/merges.txt')
  const specials = await readOptionalJson(source, 'tokenizer/special_tokens_map.json')
  const tokenizerConfig = asObject(
    await readOptionalJson(source, 'tokenizer/tokenizer_config.json'),
  )
  const tokenizer = new ClipTokenizer(vocab as Record<string, number>, merges, {
    padToken: padTokenFrom(specials, tokenizerConfig),
    length: Math.min(num(tokenizerConfig.model_max_length, CONTEXT_LENGTH), CONTEXT_LENGTH),
  })

  const schedulerJson = asObject(
    (await readOptionalJson(source, 'scheduler/scheduler_config.json')) ?? SD15_SCHEDULER_JSON,
  )
  const indexScheduler: unknown = Array.isArray(index.scheduler) ? index.scheduler[1] : undefined
  const named: unknown = schedulerJson._class_name ?? indexScheduler
  const className = typeof named === 'string' ? named : ''
  const vae = asObject(
    (await readOptionalJson(source, 'vae_decoder/config.json')) ??
      (await readOptionalJson(source, 'vae_encoder/config.json')),
  )
  const unetConfig = asObject(await readOptionalJson(source, 'unet/config.json'))
  const latentChannels = num(vae.latent_channels, num(unetConfig.in_channels, 4))
  const blocks = Array.isArray(vae.block_out_channels) ? vae.block_out_channels.length : 4
  const scalingFactor = num(vae.scaling_factor, 0.18215)

  const load = (path: string, p?: LoadProgress) => getSession(backend, source, path, p)
  const used = new Map<string, { provider: string; note: string }>()
  const note = (path: string, session: { provider: string; providerNote: string }) =>
    used.set(path.split('/')[0], { provider: session.provider, note: session.providerNote })

  let textHidden: number | undefined
  const textEncoder = async (p?: LoadProgress) => {
    const path = 'text_encoder/model.onnx'
    const session = await required(source, path, () => load(path, p))
    const plan = textEncoderPlan(path, session)
    textHidden = plan.hidden
    note(path, session)
    return new ClipTextEncoder(session, plan)
  }

  return {
    source,
    tokenizer,
    scheduler: { kind: kindOfClass(className) ?? 'pndm', json: schedulerJson },
    scalingFactor,
    latentChannels,
    vaeScale: 2 ** (blocks - 1),
    isTiny: source.id === TINY_MODEL_ID || isTinyModelIndex(index),
    textEncoder,
    async unet(p) {
      const path = 'unet/model.onnx'
      if (textHidden === undefined) await textEncoder(p).catch(() => undefined)
      const session = await required(source, path, () => load(path, p))
      note(path, session)
      return new Unet(session, unetPlan(path, session, latentChannels, textHidden))
    },
    async vaeEncoder(p) {
      const path = 'vae_encoder/model.onnx'
      const session = await load(path, p).catch((error: unknown) => {
        if (!isMissingFile(error)) throw error
        throw new UserError(
          `${source.label} has no "${path}", which img2img needs`,
          'Leave the image input unconnected for text-to-image, or use a model with a VAE encoder.',
        )
      })
      note(path, session)
      return new VaeEncoder(session, vaeEncoderPlan(path, session))
    },
    async vaeDecoder(p) {
      const path = 'vae_decoder/model.onnx'
      const session = await required(source, path, () => load(path, p))
      note(path, session)
      return new VaeDecoder(session, vaeDecoderPlan(path, session, latentChannels))
    },
    providers: () => [...used.entries()].map(([name, u]) => `${name}: ${u.provider}`).join(', '),
    providerDetails: () =>
      [...used.entries()].map(([network, u]) => ({ network, provider: u.provider, note: u.note })),
  } satisfies DiffusionModel
}
