import { UserError } from '../engine/errors'
import type { IoInfo, ModelSession } from './backend'

/**
 * What each ONNX file of the diffusers layout must look like, and how this particular export
 * wants to be fed (shared/design/sd-models.md §6 lists the variations). Reading a session's
 * metadata once here turns every difference between exporters into data the wrappers follow,
 * and every mismatch into an error naming the file and what was expected.
 */

export type FloatType = 'float32' | 'float16'

export interface TextEncoderPlan {
  idsType: 'int32' | 'int64'
  output: string
  outputType: FloatType
  /** Embedding width when the file fixes it (768 for SD 1.x, 1024 for SD 2.x). */
  hidden?: number
}

export interface UnetPlan {
  sample: string
  sampleType: FloatType
  /** int64 (older exports), float32 (diffusers ≥ Nov 2022, optimum ≥ 1.24), float16 (Olive). */
  timestepType: 'int64' | 'float32' | 'float16'
  /** 0: a scalar (optimum ≥ 1.24); 1: one per batch item. */
  timestepRank: 0 | 1
  hiddenType: FloatType
  hidden?: number
  /** LCM exports' guidance embedding input, and its width. */
  timestepCond?: { type: FloatType; size: number }
  /** A batch size fixed in the file (some web exports fix 1 or 2); undefined when free. */
  fixedBatch?: number
  output: string
}

export interface VaeEncoderPlan {
  inputType: FloatType
  output: string
  /** 'sample': the graph samples the latent itself; 'parameters': mean ‖ log-variance. */
  returns: 'sample' | 'parameters'
}

export interface VaeDecoderPlan {
  inputName: string
  inputType: FloatType
  output: string
}

const HINT =
  'Use a Stable Diffusion 1.x/2.x model exported to ONNX in the diffusers layout ' +
  '(diffusers or optimum exporters; see models/README.md).'

function describe(io: readonly IoInfo[]): string {
  if (io.length === 0) return 'none'
  return io.map((i) => `${i.name} (${i.type} [${i.shape.join(', ')}])`).join(', ')
}

class Checker {
  constructor(
    readonly file: string,
    readonly session: ModelSession,
  ) {}

  fail(expected: string): never {
    const { inputs, outputs } = this.session
    throw new UserError(
      `${this.file}: expected ${expected}; the file has inputs ${describe(inputs)} ` +
        `and outputs ${describe(outputs)}`,
      HINT,
    )
  }

  input(name: string, types: readonly string[], rank: number | readonly number[], what: string) {
    return this.find(this.session.inputs, 'an input', name, types, rank, what)
  }

  output(names: readonly string[], types: readonly string[], rank: number, what: string) {
    const outputs = this.session.outputs
    const byName = outputs.find((o) => names.includes(o.name))
    const io = byName ?? (outputs.length === 1 ? outputs[0] : undefined)
    const label = names.map((n) => `"${n}"`).join(' or ')
    if (!io) this.fail(`an output ${label} (${what})`)
    return this.find(outputs, 'an output', io.name, types, rank, what)
  }

  private find(
    list: readonly IoInfo[],
    kind: string,
    name: string,
    types: readonly string[],
    rank: number | readonly number[],
    what: string,
  ): IoInfo {
    const io = list.find((i) => i.name === name)
    const ranks = typeof rank === 'number' ? [rank] : rank
    const expected = `${kind} "${name}" (${types.join(' or ')}, ${what})`
    if (!io || !types.includes(io.type)) this.fail(expected)
    // An empty shape is a scalar or an unknown shape: only a known rank can be wrong.
    if (io.shape.length > 0 && !ranks.includes(io.shape.length)) this.fail(expected)
    return io
  }

  dim(io: IoInfo, axis: number, expected: number | undefined, what: string, describeAll: string) {
    const value = io.shape[axis]
    if (typeof value === 'number' && expected !== undefined && value !== expected) {
      this.fail(`"${io.name}" with ${expected} ${what} (${describeAll}), not ${value}`)
    }
  }
}

const FLOATS = ['float32', 'float16'] as const
const fixed = (value: number | string | undefined) =>
  typeof value === 'number' ? value : undefined

export function textEncoderPlan(file: string, session: ModelSession): TextEncoderPlan {
  const c = new Checker(file, session)
  const ids = c.input('input_ids', ['int32', 'int64'], 2, 'rank 2: batch, sequence')
  const out = c.output(['last_hidden_state'], FLOATS, 3, 'rank 3: batch, sequence, hidden')
  return {
    idsType: ids.type as TextEncoderPlan['idsType'],
    output: out.name,
    outputType: out.type as FloatType,
    hidden: fixed(out.shape[2]),
  }
}

export function unetPlan(
  file: string,
  session: ModelSession,
  latentChannels: number,
  textHidden: number | undefined,
): UnetPlan {
  const c = new Checker(file, session)
  const shape4 = `rank 4: batch, ${latentChannels} channels, height, width`
  const sample = c.input('sample', FLOATS, 4, shape4)
  c.dim(sample, 1, latentChannels, 'channels', shape4)
  const timestep = c.input('timestep', ['int64', 'float32', 'float16'], [0, 1], 'rank 0 or 1')
  const hiddenShape = 'rank 3: batch, sequence, hidden'
  const hidden = c.input('encoder_hidden_states', FLOATS, 3, hiddenShape)
  c.dim(hidden, 2, textHidden, 'hidden features (the text encoder gives that many)', hiddenShape)
  const cond = session.inputs.find((i) => i.name === 'timestep_cond')
  const condSize = cond ? fixed(c.input('timestep_cond', FLOATS, 2, 'batch, dim').shape[1]) : 0
  if (cond && condSize === undefined) c.fail('"timestep_cond" with a fixed width')
  const known = ['sample', 'timestep', 'encoder_hidden_states', 'timestep_cond']
  const extra = session.inputs.filter((i) => !known.includes(i.name))
  if (extra.length > 0) {
    c.fail(`only the inputs ${known.join(', ')} (SDXL and other UNets are not supported)`)
  }
  const out = c.output(['out_sample'], FLOATS, 4, shape4)
  return {
    sample: sample.name,
    sampleType: sample.type as FloatType,
    timestepType: timestep.type as UnetPlan['timestepType'],
    timestepRank: timestep.shape.length === 0 ? 0 : 1,
    hiddenType: hidden.type as FloatType,
    hidden: fixed(hidden.shape[2]),
    timestepCond: cond ? { type: cond.type as FloatType, size: condSize ?? 0 } : undefined,
    fixedBatch: fixed(sample.shape[0]),
    output: out.name,
  }
}

export function vaeEncoderPlan(file: string, session: ModelSession): VaeEncoderPlan {
  const c = new Checker(file, session)
  const shape = 'rank 4: batch, 3 channels, height, width'
  const input = c.input('sample', FLOATS, 4, shape)
  c.dim(input, 1, 3, 'channels', shape)
  const outputs = session.outputs.map((o) => o.name)
  const name = outputs.includes('latent_parameters') ? 'latent_parameters' : 'latent_sample'
  const out = c.output([name], FLOATS, 4, 'rank 4: batch, channels, height/8, width/8')
  return {
    inputType: input.type as FloatType,
    output: out.name,
    returns: out.name === 'latent_parameters' ? 'parameters' : 'sample',
  }
}

export function vaeDecoderPlan(
  file: string,
  session: ModelSession,
  latentChannels: number,
): VaeDecoderPlan {
  const c = new Checker(file, session)
  const shape = `rank 4: batch, ${latentChannels} channels, height, width`
  const input = c.input('latent_sample', FLOATS, 4, shape)
  c.dim(input, 1, latentChannels, 'channels', shape)
  const out = c.output(['sample'], FLOATS, 4, 'rank 4: batch, 3 channels, height, width')
  return { inputName: input.name, inputType: input.type as FloatType, output: out.name }
}
