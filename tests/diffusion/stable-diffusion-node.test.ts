import { describe, expect, it } from 'vitest'
import { paintingSize, parsePattern, stableDiffusion } from '../../nodes/stable-diffusion'
import { TINY_MODEL_WARNING } from '../../src/diffusion/tiny-model'
import type { ParamValues } from '../../src/engine/params'
import { isCancelled, UserError } from '../../src/engine/errors'
import { createRunContext } from '../helpers/run-context'
import { imagesDiff, testImage, TINY_FOLDER } from './helpers'

type Params = ParamValues<typeof stableDiffusion.params>

function params(overrides: Partial<Params> = {}): Params {
  const defaults = Object.fromEntries(
    Object.entries(stableDiffusion.params).map(([k, spec]) => [k, spec.default]),
  ) as Params
  return { ...defaults, width: 64, height: 64, steps: 4, ...overrides }
}

describe('ml/stable-diffusion', () => {
  it('paints from the prompt alone with the bundled tiny model and says its output is noise', async () => {
    const ctx = createRunContext()
    const out = await stableDiffusion.run({ image: undefined }, params(), ctx)
    expect(out.image).toMatchObject({ width: 64, height: 64 })
    expect(out.image.channels).toHaveLength(3)
    expect(out.latent.shape).toEqual([1, 4, 8, 8])
    const messages = ctx.reports.map((r) => r.message)
    expect(messages).toContain(TINY_MODEL_WARNING)
    // Where each network ran, as data on the result (nothing to parse back from a sentence).
    expect(ctx.runReport).toEqual({
      providers: [
        { network: 'text_encoder', provider: 'wasm', note: 'Node: WASM' },
        { network: 'unet', provider: 'wasm', note: 'Node: WASM' },
        { network: 'vae_decoder', provider: 'wasm', note: 'Node: WASM' },
      ],
      providerWhy: 'Node: WASM',
      steps: 4,
      scheduler: ctx.runReport?.scheduler,
      size: { width: 64, height: 64 },
      tinyModel: true,
    })
    expect(typeof ctx.runReport?.scheduler).toBe('string')
  })

  it('repaints an image, and can give it back at the input size', async () => {
    const image = testImage(40, 30)
    const same = await stableDiffusion.run(
      { image },
      params({ resizeBack: true }),
      createRunContext(),
    )
    expect(same.image).toMatchObject({ width: 40, height: 30 })
    const square = await stableDiffusion.run({ image }, params(), createRunContext())
    expect(square.image).toMatchObject({ width: 64, height: 64 })
  })

  it("keeps its input's size rounded down to a multiple of 8 by default, as diffusers", async () => {
    expect([paintingSize(0, 100), paintingSize(0, 64), paintingSize(0, 5)]).toEqual([96, 64, 8])
    expect(paintingSize(0, undefined)).toBe(512)
    expect(paintingSize(128, 100)).toBe(128) // an explicit size wins
    const image = { ...testImage(75, 42), origin: { sampleRate: 44100, fftSize: 82, hopSize: 41 } }
    const out = await stableDiffusion.run(
      { image },
      params({ width: 0, height: 0 }),
      createRunContext(),
    )
    expect(out.image).toMatchObject({ width: 72, height: 40 })
    // The painting still reads as that sound's spectrogram: its framing goes along.
    expect(out.image.origin).toEqual(image.origin)
  })

  it('is deterministic per seed', async () => {
    const a = await stableDiffusion.run(
      { image: undefined },
      params({ seed: 5 }),
      createRunContext(),
    )
    const b = await stableDiffusion.run(
      { image: undefined },
      params({ seed: 5 }),
      createRunContext(),
    )
    expect(imagesDiff(a.image, b.image)).toBe(0)
  })

  it('takes turns between two prompts with the step pattern, naming the model per step', async () => {
    const ctx = createRunContext()
    await stableDiffusion.run(
      { image: undefined },
      params({ pattern: 'A B B', promptB: 'the other voice', steps: 3 }),
      ctx,
    )
    const steps = ctx.reports.map((r) => r.message).filter((m) => m?.startsWith('step'))
    expect(steps).toEqual(['step 1/3 (model A)', 'step 2/3 (model B)', 'step 3/3 (model B)'])
  })

  it("gives model B's steps their own negative prompt, the shared one when it is empty", async () => {
    const run = (overrides: Partial<Params>) =>
      stableDiffusion.run(
        { image: undefined },
        params({ pattern: 'A B', steps: 2, seed: 3, guidance: 3, guidanceB: 3, ...overrides }),
        createRunContext(),
      )
    const shared = await run({ negativePrompt: 'blur' })
    const same = await run({ negativePrompt: 'blur', negativePromptB: 'blur' })
    const own = await run({ negativePrompt: 'blur', negativePromptB: 'castle walls' })
    expect(imagesDiff(same.image, shared.image)).toBe(0)
    expect(imagesDiff(own.image, shared.image)).toBeGreaterThan(0)
    // Model A's negative prompt still matters to A's steps.
    const otherA = await run({ negativePrompt: 'castle walls', negativePromptB: 'blur' })
    expect(imagesDiff(otherA.image, shared.image)).toBeGreaterThan(0)
  })

  it('loads a model folder from disk by path (the CLI --model route)', async () => {
    const out = await stableDiffusion.run(
      { image: undefined },
      params({ model: TINY_FOLDER }),
      createRunContext(),
    )
    expect(out.image.width).toBe(64)
  })

  it('stops when cancelled', async () => {
    const ctx = createRunContext()
    const run = Promise.resolve(
      stableDiffusion.run({ image: undefined }, params({ steps: 50 }), {
        ...ctx,
        progress: (fraction, message) => {
          if (message === 'step 2/50') ctx.controller.abort()
        },
      }),
    )
    expect(isCancelled(await run.catch((e: unknown) => e))).toBe(true)
  })

  it('refuses bad patterns, sizes, NaN pixels and unknown models with a clear error', async () => {
    expect(parsePattern('a, b b')).toEqual([0, 1, 1])
    expect(() => parsePattern('A C')).toThrow(UserError)
    const fail = (p: Partial<Params>, image = testImage(16, 16)) =>
      stableDiffusion.run({ image }, params(p), createRunContext())
    await expect(fail({ width: 100 })).rejects.toThrow(/multiples of 8/)
    const nan = testImage(16, 16)
    nan.channels[0][5] = NaN
    await expect(fail({}, nan)).rejects.toThrow(/NaN/)
    await expect(fail({ model: '/nowhere/at/all' })).rejects.toThrow(/tokenizer\/vocab\.json/)
  })
})
