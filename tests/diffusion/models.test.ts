import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { InferenceBackend } from '../../src/diffusion/backend'
import { loadModel } from '../../src/diffusion/model'
import { readOnnxFacts } from '../../src/diffusion/onnx-proto'
import { createOrtBackend } from '../../src/diffusion/ort'
import { generate, type GenerateOptions } from '../../src/diffusion/pipeline'
import {
  memorySource,
  MissingFileError,
  overlaySource,
  withoutFiles,
  type ModelSource,
} from '../../src/diffusion/source'
import { TINY_MODEL_PATHS, tinyModelSource } from '../../src/diffusion/tiny-model'
import { UserError } from '../../src/engine/errors'
import {
  backend,
  imagesDiff,
  maxAbsDiff,
  renamed,
  spyBackend,
  testImage,
  TINY_FOLDER,
  variantSource,
  type UnetCall,
} from './helpers'
import { referenceEmbedding } from './reference'

async function run(
  source: ModelSource,
  overrides: Partial<GenerateOptions> = {},
  using: InferenceBackend = backend,
) {
  const model = await loadModel(source, using)
  return generate({
    slots: [{ model, prompt: 'birds over water', negativePrompt: 'no letters', guidance: 2.5 }],
    width: 32,
    height: 32,
    steps: 5,
    strength: 0.8,
    scheduler: 'ddim',
    seed: 4,
    ...overrides,
  })
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

describe('the tiny model', () => {
  it('is listed file for file, and stays well under 2 MB with its variants', () => {
    const files = filesUnder(TINY_FOLDER).map((f) => relative(TINY_FOLDER, f))
    const model = files.filter((f) => !f.startsWith('variants/') && !f.endsWith('.py'))
    expect([...TINY_MODEL_PATHS].sort()).toEqual(model.sort())
    const bytes = files.reduce((n, f) => n + statSync(join(TINY_FOLDER, f)).size, 0)
    expect(bytes).toBeLessThan(1024 * 1024)
  })

  it('keeps its UNet weights in weights.pb, read from the ONNX file itself', () => {
    const unet = readFileSync(`${TINY_FOLDER}unet/model.onnx`)
    expect(readOnnxFacts(unet)).toEqual({ externalLocations: ['weights.pb'], usesFloat16: false })
    const scalar = readFileSync(`${TINY_FOLDER}variants/timestep-scalar/unet/model.onnx`)
    expect(readOnnxFacts(scalar).externalLocations).toEqual(['model.onnx_data'])
    // float16 weights are seen from their declared type, external ones included.
    const half = readFileSync(`${TINY_FOLDER}variants/fp16-weights/unet/model.onnx`)
    expect(readOnnxFacts(half)).toEqual({
      externalLocations: ['model.onnx_data'],
      usesFloat16: true,
    })
    expect(() => readOnnxFacts(new TextEncoder().encode('not a model'))).toThrow()
  })
})

describe('loading exports that differ from one another', () => {
  // ddim's integer timesteps make an int64-timestep UNet see exactly what a float one sees.
  const reference = () => run(tinyModelSource(), { image: testImage(32, 32) })

  for (const name of ['ids-int64', 'timestep-int64', 'timestep-scalar']) {
    it(`${name}: adapts the feeds and gives the same pixels as the base model`, async () => {
      const result = await run(variantSource(name), { image: testImage(32, 32) })
      expect(imagesDiff(result.image, (await reference()).image)).toBeLessThan(1e-5)
    })
  }

  it('fp16 IO (float16 timestep and tensors): converts both ways, same picture to fp16 precision', async () => {
    const result = await run(variantSource('fp16'), { image: testImage(32, 32) })
    expect(imagesDiff(result.image, (await reference()).image)).toBeLessThan(0.02)
  })

  it('fp16 weights with fp32 IO (the SD-Turbo and LCM web exports): runs on WASM, within fp16 precision', async () => {
    const result = await run(variantSource('fp16-weights'), { image: testImage(32, 32) })
    const difference = imagesDiff(result.image, (await reference()).image)
    expect(result.providers).toBe(
      'text_encoder: wasm, unet: wasm, vae_encoder: wasm, vae_decoder: wasm',
    )
    // It did compute in float16 (ORT's WASM build casts op by op where it lacks fp16 kernels)...
    expect(difference).toBeGreaterThan(0)
    // ...and only that far off: a float16 rounding moves a value by at most 2⁻¹² of itself
    // (2.4e-4 at 1). Pixels go through a few dozen roundings (text encoder, 5 UNet passes, VAE)
    // that do not all lean one way: 2e-3 allows ~8 worst-case roundings at full scale (measured:
    // 1.6e-4). Weights misread or a tensor taken as the wrong type are off by 0.1 or more.
    expect(difference).toBeLessThan(2e-3)
  })

  it('fp16 weights: the loader finds them in every network and tells the backend', async () => {
    const seen = new Map<string, boolean>()
    const inner = createOrtBackend()
    const recording: InferenceBackend = {
      name: 'recording',
      createSession(request) {
        seen.set(request.name, request.usesFloat16)
        return inner.createSession(request)
      },
    }
    await run(
      renamed(variantSource('fp16-weights'), 'fp16-weights-recorded'),
      { image: testImage(32, 32) },
      recording,
    )
    expect(Object.fromEntries(seen)).toEqual({
      'text_encoder/model.onnx': true,
      'vae_encoder/model.onnx': true,
      'unet/model.onnx': true,
      'vae_decoder/model.onnx': true,
    })
    seen.clear()
    await run(renamed(tinyModelSource(), 'fp32-recorded'), { image: testImage(32, 32) }, recording)
    expect([...seen.values()].some(Boolean)).toBe(false)
  })

  it('a VAE encoder returning mean and log-variance: samples the latent with the seed', async () => {
    const source = variantSource('latent-parameters')
    const a = await run(source, { image: testImage(32, 32), strength: 0 })
    const b = await run(source, { image: testImage(32, 32), strength: 0 })
    const base = await run(tinyModelSource(), { image: testImage(32, 32), strength: 0 })
    expect(imagesDiff(a.image, b.image)).toBe(0)
    // log-variance −12: a spread of e^−6 in the latent, tiny next to the picture.
    expect(imagesDiff(a.image, base.image)).toBeGreaterThan(0)
    expect(imagesDiff(a.image, base.image)).toBeLessThan(0.02)
  })

  it('an LCM UNet: LCM scheduler from its config, guidance as an embedding, no CFG batch', async () => {
    const calls: UnetCall[] = []
    const model = await loadModel(variantSource('lcm'), spyBackend('L', calls))
    expect(model.scheduler.kind).toBe('lcm')
    const result = await generate({
      slots: [{ model, prompt: 'birds', negativePrompt: 'ignored', guidance: 8 }],
      width: 32,
      height: 32,
      steps: 4,
      strength: 1,
      scheduler: 'auto',
      seed: 2,
    })
    expect(result.scheduler).toBe('lcm')
    expect(calls.map((c) => c.feeds.timestep.data[0])).toEqual([999, 759, 499, 259])
    expect(calls.every((c) => c.feeds.sample.dims[0] === 1)).toBe(true)
    expect(calls[0].feeds.timestep_cond.dims).toEqual([1, 256])
    // The values too: diffusers' embedding of w = guidance − 1 = 7, at every step.
    const expected = referenceEmbedding(8, 256)
    for (const call of calls) {
      expect(maxAbsDiff(call.feeds.timestep_cond.data as Float32Array, expected)).toBeLessThan(1e-6)
    }
  })

  it('an LCM UNet in img2img below strength 1/steps: runs every step, from lower down', async () => {
    const calls: UnetCall[] = []
    const model = await loadModel(variantSource('lcm'), spyBackend('L', calls))
    const image = testImage(32, 32)
    const result = await generate({
      slots: [{ model, prompt: 'birds', negativePrompt: '', guidance: 8 }],
      image,
      width: 32,
      height: 32,
      steps: 4,
      strength: 0.2,
      scheduler: 'auto',
      seed: 2,
    })
    // diffusers' LCMScheduler.set_timesteps(4, strength=0.2): 4 of the 10 lowest distilled steps.
    expect(result.steps).toBe(4)
    expect(calls.map((c) => c.feeds.timestep.data[0])).toEqual([199, 159, 99, 59])
  })
})

describe('bad model folders', () => {
  const failure = async (source: ModelSource, image = false) => {
    const error: unknown = await run(source, image ? { image: testImage(32, 32) } : {}).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UserError)
    return (error as UserError).message
  }

  it('names a missing network file', async () => {
    const source = renamed(withoutFiles(tinyModelSource(), ['unet/model.onnx']), 'no-unet')
    expect(await failure(source)).toMatch(/has no "unet\/model\.onnx"/)
  })

  it('names missing external weights, with the name the ONNX file gives them', async () => {
    const source = renamed(withoutFiles(tinyModelSource(), ['unet/weights.pb']), 'no-weights')
    expect(await failure(source)).toMatch(
      /unet\/model\.onnx keeps its weights in "unet\/weights\.pb"/,
    )
  })

  it('names a missing tokenizer file', async () => {
    const source = renamed(withoutFiles(tinyModelSource(), ['tokenizer/merges.txt']), 'no-merges')
    expect(await failure(source)).toMatch(/tokenizer\/merges\.txt/)
  })

  it('says img2img needs the VAE encoder when it is missing', async () => {
    const source = renamed(withoutFiles(tinyModelSource(), ['vae_encoder/model.onnx']), 'no-enc')
    expect(await failure(source, true)).toMatch(/vae_encoder\/model\.onnx.*img2img/)
    await expect(run(source)).resolves.toBeDefined()
  })

  it('names the file and the expected input when an input has another name', async () => {
    const message = await failure(variantSource('bad-input-name'))
    expect(message).toMatch(/^unet\/model\.onnx: expected an input "sample"/)
    expect(message).toContain('latent (float32 [batch, 4, height, width])')
  })

  it('names the file and the expected shape when the channels are wrong', async () => {
    const message = await failure(variantSource('bad-channels'))
    expect(message).toMatch(/^unet\/model\.onnx: expected "sample" with 4 channels/)
  })

  it('says when a file is not an ONNX model at all', async () => {
    const garbage = memorySource('garbage', {
      'vae_decoder/model.onnx': new TextEncoder().encode('<html>404</html>'),
    })
    const message = await failure(overlaySource(tinyModelSource(), garbage))
    expect(message).toMatch(/vae_decoder\/model\.onnx .* is not an ONNX model/)
  })

  it('retries a load that failed instead of remembering the failure', async () => {
    let fail = true
    const base = tinyModelSource()
    const flaky: ModelSource = {
      id: 'flaky',
      label: 'a flaky server',
      read: (path, progress) =>
        fail && path === 'unet/model.onnx'
          ? Promise.reject(new MissingFileError(path, 'a flaky server'))
          : base.read(path, progress),
    }
    await expect(run(flaky)).rejects.toThrow(/unet/)
    fail = false
    await expect(run(flaky)).resolves.toBeDefined()
  })
})
