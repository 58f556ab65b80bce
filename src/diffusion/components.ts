import { joinArrays } from '../engine/join-arrays'
import type { ModelSession } from './backend'
import type { TextEncoderPlan, UnetPlan, VaeDecoderPlan, VaeEncoderPlan } from './signatures'
import { fromNumbers, toFloat32, type Tensor } from './tensor'

/**
 * The four networks as plain functions of Float32Arrays. Each wrapper feeds its session in the
 * dtypes and shapes its plan (signatures.ts) read from the file, and returns float32, so the
 * pipeline never sees int64 ids, float16 tensors or scalar timesteps.
 */

async function runOne(session: ModelSession, feeds: Record<string, Tensor>, output: string) {
  const results = await session.run(feeds)
  const tensor = results[output]
  if (!tensor) throw new Error(`The model returned no "${output}"`)
  return { data: toFloat32(tensor), dims: [...tensor.dims] }
}

export class ClipTextEncoder {
  constructor(
    readonly session: ModelSession,
    readonly plan: TextEncoderPlan,
  ) {}

  /** Token ids [1, L] → last_hidden_state [1, L, hidden]. */
  async encode(ids: Int32Array): Promise<{ data: Float32Array; dims: number[] }> {
    const feeds = { input_ids: fromNumbers(ids, [1, ids.length], this.plan.idsType) }
    return runOne(this.session, feeds, this.plan.output)
  }
}

export interface UnetInput {
  /** [batch, channels, h, w], already scaled by the scheduler. */
  sample: Float32Array
  dims: readonly number[]
  timestep: number
  /** [batch, sequence, hidden]. */
  hidden: Float32Array
  hiddenDims: readonly number[]
  /** [batch, timestep_cond size], for LCM UNets. */
  timestepCond?: Float32Array
}

export class Unet {
  constructor(
    readonly session: ModelSession,
    readonly plan: UnetPlan,
  ) {}

  /** The model output for the batch, [batch, channels, h, w]. */
  async predict(input: UnetInput): Promise<Float32Array> {
    const batch = input.dims[0]
    const fixed = this.plan.fixedBatch
    if (fixed === 2 && batch === 1) {
      // A batch-2 export (made for CFG) run without guidance: feed the item twice.
      const twice = await this.predict({
        ...input,
        sample: joinArrays(Float32Array, [input.sample, input.sample]),
        dims: [2, ...input.dims.slice(1)],
        hidden: joinArrays(Float32Array, [input.hidden, input.hidden]),
        hiddenDims: [2, ...input.hiddenDims.slice(1)],
        timestepCond:
          input.timestepCond && joinArrays(Float32Array, [input.timestepCond, input.timestepCond]),
      })
      return twice.subarray(0, twice.length / 2)
    }
    if (fixed !== undefined && fixed !== batch) {
      if (fixed !== 1) throw new Error(`This UNet only runs batches of ${fixed}`)
      // A batch-1 export: run the items one at a time.
      const parts: Float32Array[] = []
      for (let b = 0; b < batch; b++) parts.push(await this.predict(slice(input, b)))
      return joinArrays(Float32Array, parts)
    }
    const p = this.plan
    const feeds: Record<string, Tensor> = {
      [p.sample]: fromNumbers(input.sample, input.dims, p.sampleType),
      // A rank-1 timestep gets one value per batch item: every exporter's graph accepts that.
      timestep:
        p.timestepRank === 0
          ? fromNumbers([input.timestep], [], p.timestepType)
          : fromNumbers(new Array<number>(batch).fill(input.timestep), [batch], p.timestepType),
      encoder_hidden_states: fromNumbers(input.hidden, input.hiddenDims, p.hiddenType),
    }
    if (p.timestepCond) {
      if (!input.timestepCond) throw new Error('This LCM UNet needs a guidance embedding')
      feeds.timestep_cond = fromNumbers(
        input.timestepCond,
        [batch, p.timestepCond.size],
        p.timestepCond.type,
      )
    }
    return (await runOne(this.session, feeds, p.output)).data
  }
}

function slice(input: UnetInput, b: number): UnetInput {
  const take = (data: Float32Array, dims: readonly number[]) => {
    const size = data.length / dims[0]
    return { data: data.subarray(b * size, (b + 1) * size), dims: [1, ...dims.slice(1)] }
  }
  const sample = take(input.sample, input.dims)
  const hidden = take(input.hidden, input.hiddenDims)
  const cond = input.timestepCond
  const batch = input.dims[0]
  return {
    sample: sample.data,
    dims: sample.dims,
    timestep: input.timestep,
    hidden: hidden.data,
    hiddenDims: hidden.dims,
    timestepCond: cond ? take(cond, [batch, cond.length / batch]).data : undefined,
  }
}

export type EncodedLatent =
  | { returns: 'sample'; latent: Float32Array; dims: number[] }
  | { returns: 'parameters'; mean: Float32Array; logvar: Float32Array; dims: number[] }

export class VaeEncoder {
  constructor(
    readonly session: ModelSession,
    readonly plan: VaeEncoderPlan,
  ) {}

  /** Image [1, 3, H, W] in −1..1 → the unscaled latent (or its distribution). */
  async encode(image: Float32Array, dims: readonly number[]): Promise<EncodedLatent> {
    const feeds = { sample: fromNumbers(image, dims, this.plan.inputType) }
    const out = await runOne(this.session, feeds, this.plan.output)
    if (this.plan.returns === 'sample')
      return { returns: 'sample', latent: out.data, dims: out.dims }
    // latent_parameters = mean ‖ logvar along channels (diffusers DiagonalGaussianDistribution).
    const [batch, channels, h, w] = out.dims
    const half = channels / 2
    const plane = h * w
    const mean = new Float32Array(batch * half * plane)
    const logvar = new Float32Array(batch * half * plane)
    for (let b = 0; b < batch; b++) {
      const from = b * channels * plane
      mean.set(out.data.subarray(from, from + half * plane), b * half * plane)
      logvar.set(out.data.subarray(from + half * plane, from + channels * plane), b * half * plane)
    }
    return { returns: 'parameters', mean, logvar, dims: [batch, half, h, w] }
  }
}

export class VaeDecoder {
  constructor(
    readonly session: ModelSession,
    readonly plan: VaeDecoderPlan,
  ) {}

  /** Unscaled latent [1, C, h, w] → image [1, 3, H, W] in about −1..1. */
  async decode(latent: Float32Array, dims: readonly number[]) {
    const feeds = { [this.plan.inputName]: fromNumbers(latent, dims, this.plan.inputType) }
    return runOne(this.session, feeds, this.plan.output)
  }
}
