import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { IoInfo, ModelSession } from '../diffusion/backend'
import { loadModel, type DiffusionModel } from '../diffusion/model'
import { generate } from '../diffusion/pipeline'
import { getSession } from '../diffusion/sessions'
import { sharedBackend } from '../diffusion/shared-backend'
import { textEncoderPlan, unetPlan, vaeDecoderPlan, vaeEncoderPlan } from '../diffusion/signatures'
import { folderSource, isMissingFile } from '../diffusion/source'
import { describeError } from '../engine/errors'
import type { ImageValue } from '../engine/values'
import { invocationDir } from './args'
import { installInferenceBackend, type OrtChoice } from './inference'
import type { Io } from './render'

/**
 * `npm run render -- --check-model DIR [--ort node|web]`: opens each network of a diffusers ONNX
 * folder with the loader's own code, lists its inputs and outputs beside what the loader makes
 * of them (or why it refuses them), then paints one tiny step — text-to-image, and image-to-image
 * when there is a VAE encoder — to show the parts fit together. Exit 0 when all is well, 1 when a
 * part is refused or the step fails, 2 for an unusable command.
 */

export function isCheckModelCommand(argv: string[]): boolean {
  return argv.some((a) => a === '--check-model' || a.startsWith('--check-model='))
}

const describe = (io: readonly IoInfo[]) =>
  io.map((i) => `${i.name} ${i.type}[${i.shape.join(', ')}]`).join(', ') || 'none'

type Plan = Record<string, unknown>

const PARTS: {
  path: string
  optional?: string
  plan: (session: ModelSession, model: DiffusionModel, textHidden?: number) => Plan
}[] = [
  {
    path: 'text_encoder/model.onnx',
    plan: (s) => ({ ...textEncoderPlan('text_encoder/model.onnx', s) }),
  },
  {
    path: 'unet/model.onnx',
    plan: (s, m, hidden) => ({ ...unetPlan('unet/model.onnx', s, m.latentChannels, hidden) }),
  },
  {
    path: 'vae_decoder/model.onnx',
    plan: (s, m) => ({ ...vaeDecoderPlan('vae_decoder/model.onnx', s, m.latentChannels) }),
  },
  {
    path: 'vae_encoder/model.onnx',
    optional: 'img2img only',
    plan: (s) => ({ ...vaeEncoderPlan('vae_encoder/model.onnx', s) }),
  },
]

/** 'idsType int32, output last_hidden_state, hidden 768' from a plan's fields. */
function summarise(plan: Plan): string {
  return Object.entries(plan)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ')
}

function message(error: unknown): string {
  const { message: text, hint } = describeError(error)
  return hint ? `${text} (${hint})` : text
}

/** The error about one file, without repeating its name when the loader already put it first. */
const about = (path: string, error: unknown) => {
  const text = message(error)
  return text.startsWith(`${path}:`) ? text : `${path}: ${text}`
}

function testPicture(size: number): ImageValue {
  const plane = (k: number) =>
    Float32Array.from({ length: size * size }, (_, i) => ((i * k) % 97) / 96)
  return { kind: 'image', width: size, height: size, channels: [plane(1), plane(3), plane(7)] }
}

function pictureProblem(image: ImageValue, width: number, height: number): string | undefined {
  if (image.width !== width || image.height !== height)
    return `a ${image.width}×${image.height} picture, not ${width}×${height}`
  if (!image.channels.every((c) => c.every(Number.isFinite))) return 'NaN or infinite pixels'
  return undefined
}

export async function checkModelCommand(argv: string[], io: Io): Promise<number> {
  let folder: string
  let ort: OrtChoice | undefined
  try {
    const { values } = parseArgs({
      args: argv,
      options: { 'check-model': { type: 'string' }, ort: { type: 'string' } },
    })
    if (!values['check-model']) throw new Error('--check-model needs the model folder.')
    if (values.ort !== undefined && values.ort !== 'node' && values.ort !== 'web')
      throw new Error(`--ort takes "node" or "web", not "${values.ort}".`)
    ort = values.ort
    folder = resolve(invocationDir(), values['check-model'])
    if (!(await stat(folder).catch(() => undefined))?.isDirectory())
      throw new Error(`--check-model: ${folder} is not a folder.`)
  } catch (error) {
    io.err(
      `${(error as Error).message}\nUsage: npm run render -- --check-model DIR [--ort node|web]`,
    )
    return 2
  }
  const backendName = await installInferenceBackend(ort, (l) => io.err(l))
  const backend = sharedBackend()
  const source = folderSource(folder)
  io.out(`Checking ${folder} with ${backendName}`)
  let model: DiffusionModel
  try {
    model = await loadModel(source, backend)
  } catch (error) {
    io.out(`✗ tokenizer and configs: ${message(error)}`)
    return 1
  }
  io.out(
    `✓ tokenizer (${model.tokenizer.length}-token prompts), scheduler ${model.scheduler.kind}, ` +
      `${model.latentChannels} latent channels, VAE scale ${model.vaeScale}, scaling ${model.scalingFactor}` +
      (model.isTiny ? ' — the tiny random test model' : ''),
  )
  let ok = true
  let textHidden: number | undefined
  let hasEncoder = false
  for (const part of PARTS) {
    let session: ModelSession
    try {
      session = await getSession(backend, source, part.path)
    } catch (error) {
      if (part.optional && isMissingFile(error)) {
        io.out(`- ${part.path}: absent (${part.optional})`)
        continue
      }
      io.out(`✗ ${about(part.path, error)}`)
      ok = false
      continue
    }
    io.out(`  ${part.path} on ${session.provider}`)
    io.out(`    inputs:  ${describe(session.inputs)}`)
    io.out(`    outputs: ${describe(session.outputs)}`)
    try {
      const plan = part.plan(session, model, textHidden)
      if (part.path.startsWith('text_encoder/')) textHidden = plan.hidden as number | undefined
      if (part.path.startsWith('vae_encoder/')) hasEncoder = true
      io.out(`✓ ${part.path} as the loader reads it: ${summarise(plan)}`)
    } catch (error) {
      io.out(`✗ ${about(part.path, error)}`)
      ok = false
    }
  }
  if (!ok) {
    io.out('Not usable: fix the parts marked ✗ (models/README.md shows how to export a model).')
    return 1
  }
  const size = 8 * model.vaeScale
  const slots = [{ model, prompt: 'a test', negativePrompt: '', guidance: 1 }]
  const steps: [string, ImageValue | undefined][] = [['text-to-image', undefined]]
  if (hasEncoder) steps.push(['image-to-image', testPicture(size)])
  for (const [name, image] of steps) {
    const started = performance.now()
    try {
      const result = await generate({
        slots,
        image,
        width: size,
        height: size,
        steps: 1,
        strength: 1,
        scheduler: 'auto',
        seed: 0,
      })
      const problem = pictureProblem(result.image, size, size)
      const ms = Math.round(performance.now() - started)
      if (problem) {
        io.out(`✗ one ${name} step at ${size}×${size}: ${problem}`)
        ok = false
      } else
        io.out(
          `✓ one ${name} step at ${size}×${size} (${result.scheduler}): ${ms} ms, pixels finite`,
        )
    } catch (error) {
      io.out(`✗ one ${name} step at ${size}×${size}: ${message(error)}`)
      ok = false
    }
  }
  io.out(ok ? 'Usable.' : 'Not usable: see ✗ above.')
  return ok ? 0 : 1
}
