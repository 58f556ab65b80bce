import { describe, expect, it } from 'vitest'
import { phaseVocoder } from '../../nodes/phase-vocoder'
import { CancelledError, UserError } from '../../src/engine/errors'
import type { ParamValues } from '../../src/engine/params'
import type { AudioValue } from '../../src/engine/values'
import { stft } from '../../src/dsp/stft'
import { createRunContext, defaultParams, type TestRunContext } from '../helpers/run-context'

type Params = ParamValues<typeof phaseVocoder.params>

async function run(
  audio: AudioValue,
  overrides: Partial<Params> = {},
  ctx: TestRunContext = createRunContext(),
): Promise<AudioValue> {
  const params = { ...defaultParams(phaseVocoder.params), ...overrides }
  return (await phaseVocoder.run({ audio }, params, ctx)).audio
}

const RATE = 16000
const sine = (hz: number, length = RATE): Float32Array =>
  Float32Array.from({ length }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE))
const audioOf = (...channels: Float32Array[]): AudioValue => ({
  kind: 'audio',
  sampleRate: RATE,
  channels,
})

/** Frequency of the strongest 4096-point bin in the middle of the signal. */
function peakHz(signal: Float32Array): number {
  const framing = { fftSize: 4096, hopSize: 2048, window: 'hann' as const, center: true }
  const { bins, frames, values } = stft(signal, { ...framing, padMode: 'reflect', power: 2 })
  const t = Math.floor(frames / 2)
  let best = 0
  for (let k = 0; k < bins; k++) if (values[k * frames + t] > values[best * frames + t]) best = k
  return (best * RATE) / 4096
}

describe('dsp/phase-vocoder', () => {
  it('makes each channel three times longer at the same pitch by default', async () => {
    const out = await run(audioOf(sine(440), sine(1000)))
    expect(out.sampleRate).toBe(RATE)
    expect(out.channels.map((c) => c.length)).toEqual([3 * RATE, 3 * RATE])
    // 4096-point bins are 3.9 Hz wide at 16 kHz.
    expect(Math.abs(peakHz(out.channels[0]) - 440)).toBeLessThan(4)
    expect(Math.abs(peakHz(out.channels[1]) - 1000)).toBeLessThan(4)
  })

  it('compresses with a stretch below 1 and takes other framings', async () => {
    const out = await run(audioOf(sine(700)), { stretch: 0.5, fftSize: 1024, hopSize: 256 })
    expect(out.channels[0].length).toBe(RATE / 2)
    expect(out.channels[0].every(Number.isFinite)).toBe(true)
  })

  it('keeps silence silent', async () => {
    const out = await run(audioOf(new Float32Array(4000)))
    expect(out.channels[0].every((v) => v === 0)).toBe(true)
  })

  it('refuses audio it cannot stretch, saying why', async () => {
    await expect(run(audioOf(Float32Array.of(0.1)))).rejects.toThrow(
      'audio too short: 1 sample, need at least 257 for FFT size 512',
    )
    await expect(run(audioOf())).rejects.toThrow(UserError)
    const poisoned = sine(300, 2000)
    poisoned[10] = NaN
    await expect(run(audioOf(poisoned))).rejects.toThrow('NaN at sample 10')
    await expect(run(audioOf(sine(300)), { hopSize: 1024 })).rejects.toThrow(UserError)
  })

  it('stops when cancelled', async () => {
    const ctx = createRunContext()
    ctx.controller.abort()
    await expect(run(audioOf(sine(300)), {}, ctx)).rejects.toBeInstanceOf(CancelledError)
  })

  it("plays the notebook's literal call when asked: the sound slowed and lowered by the stretch", async () => {
    const input = audioOf(sine(1000), sine(1500))
    const out = await run(input, { method: 'notebook-literal' })
    expect(out.channels.map((c) => c.length)).toEqual([3 * RATE, 3 * RATE])
    expect(out.sampleRate).toBe(RATE)
    // Every third sample is the input's own (|x|·sign x): a 1 kHz sine now lasts 3× as long
    // at a third of the pitch, with buzz at its zero crossings.
    for (const c of [0, 1])
      for (let n = 0; n < RATE; n += 97) {
        expect(out.channels[c][3 * n]).toBeCloseTo(input.channels[c][n], 3)
      }
    expect(Math.abs(peakHz(out.channels[0]) - 1000 / 3)).toBeLessThan(8)
    // Off by default: the default keeps the pitch.
    expect(Math.abs(peakHz((await run(input)).channels[0]) - 1000)).toBeLessThan(8)
  })
})
