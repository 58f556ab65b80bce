import { resizeImage } from '../src/diffusion/image'
import { openModel } from '../src/diffusion/open-model'
import { generate, type ModelSlot } from '../src/diffusion/pipeline'
import { modelRunReport } from '../src/diffusion/run-report'
import { TINY_MODEL_WARNING } from '../src/diffusion/tiny-model'
import { defineNode } from '../src/engine/define-node'
import { UserError } from '../src/engine/errors'
import { bool, text } from '../src/engine/params'
import { FrameMemo, frameKey } from '../src/media/frame-memo'
import { checkFrames, frameIndex, framesTotal, mapFrames } from '../src/media/frames'
import { paintingSize, stableDiffusion } from './stable-diffusion'

const sd = stableDiffusion.params

/** Frames already painted in this worker, so a cancelled or partly changed run resumes. */
export const paintedFrames = new FrameMemo()

/**
 * The strength of each of `count` frames: `curve` lists values spread evenly from the first
 * frame to the last, linearly interpolated between them ("0.9 0.4 0.9" dips in the middle);
 * an empty curve gives `constant` throughout.
 */
export function strengthCurve(curve: string, constant: number, count: number): number[] {
  const words = curve.split(/[\s,;]+/).filter((w) => w !== '')
  const keys = words.map(Number)
  if (keys.some((k) => !(k >= 0 && k <= 1)))
    throw new UserError(
      `Stable Diffusion per Frame: the strength curve "${curve}" must list numbers from 0 to 1.`,
      'Write values such as "0.9 0.5 0.9", spread evenly over the frames.',
    )
  if (keys.length === 0) return new Array<number>(count).fill(constant)
  return Array.from({ length: count }, (_, i) => {
    const at = count > 1 ? (i / (count - 1)) * (keys.length - 1) : 0
    const k = Math.min(keys.length - 2, Math.floor(at))
    if (k < 0) return keys[0]
    const t = at - k
    return keys[k] * (1 - t) + keys[k + 1] * t
  })
}

export const stableDiffusionFrames = defineNode({
  type: 'ml/stable-diffusion-frames',
  version: 1,
  title: 'Stable Diffusion per Frame',
  category: 'Image',
  description:
    'Repaints every frame with Stable Diffusion img2img, each guided by its own picture, with one seed for all so the sequence holds together. Frames already painted are kept: a cancelled run picks up where it stopped.',
  inputs: { frames: 'frames' },
  outputs: { frames: 'frames' },
  params: {
    prompt: sd.prompt,
    negativePrompt: sd.negativePrompt,
    model: sd.model,
    steps: sd.steps,
    guidance: sd.guidance,
    strength: {
      ...sd.strength,
      default: 0.6,
      description:
        'How much to repaint each frame: 0 keeps the frame (through the VAE), 1 ignores it. Lower keeps the drawing’s shapes.',
    },
    strengthCurve: text('', {
      label: 'Strength curve',
      description:
        'Optional: strengths spread evenly over the frames and interpolated, e.g. "0.9 0.4 0.9"; empty uses the strength above for every frame.',
    }),
    seed: { ...sd.seed, description: 'The same seed for every frame keeps the sequence coherent.' },
    varySeed: bool(false, {
      label: 'Seed per frame',
      description: 'Use seed + frame number instead (more change from frame to frame).',
    }),
    width: sd.width,
    height: sd.height,
    resizeBack: sd.resizeBack,
    scheduler: sd.scheduler,
  },
  runtime: 'gpu',
  cancellation: 'per-step',
  run: async ({ frames }, params, ctx) => {
    checkFrames(frames, 'Stable Diffusion per Frame')
    // An empty window (a long render's join, past the end) paints nothing: no model to load.
    if (frames.frames.length === 0) return { frames }
    // The curve spans the whole sequence, of which this may be a window (a long render's part).
    const whole = framesTotal(frames)
    const strengths = strengthCurve(params.strengthCurve, params.strength, whole)
    const total = frames.frames.length
    const first = frameIndex(frames, 0)
    const say = (message: string) => ctx.progress(0, message)
    const model = await openModel(params.model, say)
    if (model.isTiny) say(TINY_MODEL_WARNING)
    const slot: ModelSlot = {
      model,
      prompt: params.prompt,
      negativePrompt: params.negativePrompt,
      guidance: params.guidance,
    }
    let reused = 0
    const out = await mapFrames(
      frames,
      async (image, i) => {
        const seed = params.varySeed ? params.seed + i : params.seed
        const settings = { ...params, strength: strengths[i], seed, strengthCurve: undefined }
        const key = await frameKey(image, { node: 'ml/stable-diffusion-frames@1', settings })
        const done = paintedFrames.get(key)
        if (done) {
          reused++
          return done
        }
        const result = await generate({
          slots: [slot],
          image,
          width: paintingSize(params.width, image.width),
          height: paintingSize(params.height, image.height),
          steps: params.steps,
          strength: strengths[i],
          scheduler: params.scheduler,
          seed,
          signal: ctx.signal,
          onProgress: (f, message) =>
            ctx.progress((i - first + f) / total, `frame ${i + 1} of ${whole}: ${message}`),
        })
        const picture = params.resizeBack
          ? resizeImage(result.image, image.width, image.height)
          : result.image
        paintedFrames.set(key, picture)
        ctx.preview?.(picture)
        return picture
      },
      ctx,
    )
    const work = `${total} frames, ${reused} kept from an earlier run`
    ctx.report?.(modelRunReport([model], { work }))
    return { frames: out }
  },
})
