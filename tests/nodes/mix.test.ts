import { describe, expect, it } from 'vitest'
import { mix } from '../../nodes/mix'
import { UserError } from '../../src/engine/errors'
import type { ParamValues } from '../../src/engine/params'
import type { AudioValue } from '../../src/engine/values'
import { defaultParams } from '../helpers/node-defaults'
import { createRunContext } from '../helpers/run-context'

type Params = ParamValues<typeof mix.params>
type Inputs = { a?: AudioValue; b?: AudioValue; c?: AudioValue; d?: AudioValue }
const defaults = defaultParams(mix)
const audio = (values: number[][], sampleRate = 48000): AudioValue => ({
  kind: 'audio',
  sampleRate,
  channels: values.map((v) => Float32Array.from(v)),
})
const run = (inputs: Inputs, params: Partial<Params> = {}) =>
  mix.run(
    { a: undefined, b: undefined, c: undefined, d: undefined, ...inputs },
    { ...defaults, ...params },
    createRunContext(),
  ) as { audio: AudioValue }
const samples = (out: { audio: AudioValue }) => out.audio.channels.map((c) => Array.from(c))

const a = audio([[1, -1, 0.5]])
const b = audio([[0.5, 0.5]])

describe('Mix node', () => {
  it('averages its inputs by default, padding the shorter with silence', () => {
    expect(samples(run({ a, b }))).toEqual([[0.75, -0.25, 0.25]])
  })

  it('sums, or puts a on the left and b on the right', () => {
    expect(samples(run({ a, b }, { mode: 'sum' }))).toEqual([[1.5, -0.5, 0.5]])
    expect(samples(run({ a, b }, { mode: 'stereo' }))).toEqual([
      [1, -1, 0.5],
      [0.5, 0.5, 0],
    ])
  })

  it('uses any connected optional inputs and skips the others', () => {
    expect(samples(run({ a, d: b }, { mode: 'sum' }))).toEqual([[1.5, -0.5, 0.5]])
    expect(run({ a }).audio.channels).toEqual(a.channels)
  })

  it('mixes the others when a is silenced (a muted source), keeping b on the right in stereo', () => {
    expect(samples(run({ b }, { mode: 'sum' }))).toEqual([[0.5, 0.5]])
    expect(samples(run({ b }, { mode: 'stereo' }))).toEqual([
      [0, 0],
      [0.5, 0.5],
    ])
    // A gap before a later input keeps that input on its own channel (c is channel 3).
    expect(samples(run({ a, c: b }, { mode: 'stereo' }))).toEqual([
      [1, -1, 0.5],
      [0, 0, 0],
      [0.5, 0.5, 0],
    ])
  })

  it('applies gains in dB', () => {
    const out = run({ a, b }, { mode: 'sum', gainA: -20, gainB: 6.0206 })
    expect(out.audio.channels[0][0]).toBeCloseTo(0.1 + 1, 4)
  })

  it('peak-normalises to the target dBFS and leaves silence silent', () => {
    const out = run({ a, b }, { mode: 'sum', normalize: true, peakDb: -6 })
    expect(Math.max(...out.audio.channels[0].map(Math.abs))).toBeCloseTo(10 ** (-6 / 20), 6)
    const silent = run({ a: audio([[0, 0, 0]]) }, { normalize: true })
    expect(samples(silent)).toEqual([[0, 0, 0]])
  })

  it('refuses inputs at different sample rates, naming both and pointing at Load Audio', () => {
    const call = () => run({ a, b: audio([[0]], 44100) })
    expect(call).toThrow(UserError)
    expect(call).toThrow(/input b is at 44100 Hz but input a is at 48000 Hz/)
    try {
      call()
    } catch (error) {
      expect((error as UserError).hint).toMatch(/Load Audio/)
    }
  })

  it('refuses NaN with a UserError naming the input', () => {
    expect(() => run({ a, b: audio([[0, NaN]]) })).toThrow(
      /input b has NaN at sample 1 of channel 1/,
    )
  })
})
