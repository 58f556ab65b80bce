import { describe, expect, it } from 'vitest'
import { stft } from '../../nodes/stft'
import { CancelledError, UserError } from '../../src/engine/errors'
import type { ParamValues } from '../../src/engine/params'
import type { AudioValue, SpectrogramValue } from '../../src/engine/values'
import { istft } from '../../src/dsp/stft'
import { decodeWav } from '../../src/media/wav'
import { fixtureBytes, fixtureNpy } from '../helpers/fixtures'
import { createRunContext, defaultParams, mulberry32 } from '../helpers/run-context'

type Params = ParamValues<typeof stft.params>

const params = (overrides: Partial<Params> = {}) => ({
  ...defaultParams(stft.params),
  ...overrides,
})

const audioOf = (channels: Float32Array[], sampleRate = 48000): AudioValue => ({
  kind: 'audio',
  sampleRate,
  channels,
})

const noise = (length: number, seed: number): Float32Array => {
  const random = mulberry32(seed)
  return Float32Array.from({ length }, () => random() - 0.5)
}

async function run(
  audio: AudioValue,
  overrides: Parameters<typeof params>[0] = {},
): Promise<SpectrogramValue> {
  return (await stft.run({ audio }, params(overrides), createRunContext())).spectrogram
}

describe('dsp/stft', () => {
  it("reproduces the notebook's spectrogram: stereo averaged as power", async () => {
    const input = decodeWav(fixtureBytes('notebook/chord_stereo_48000/input.wav'))
    const reference = fixtureNpy('notebook/chord_stereo_48000/power_spec_mean.npy')
    const spec = await run(audioOf(input.channels, input.sampleRate))
    expect(spec).toMatchObject({ fftSize: 512, hopSize: 256, window: 'hann', center: true })
    expect(spec).toMatchObject({ scale: 'power', bins: 257, frames: 563, sampleRate: 48000 })
    expect(spec.channels.length).toBe(1)
    expect(spec.phase).toBeUndefined()
    const peak = reference.data.reduce((a, b) => Math.max(a, b), 0)
    // float32 FFTs on both sides: errors ~2e-7 of the peak (see tests/dsp/stft.test.ts).
    let worst = 0
    spec.channels[0].forEach((v, i) => (worst = Math.max(worst, Math.abs(v - reference.data[i]))))
    expect(worst).toBeLessThan(1e-5 * peak)
  })

  it('keeps one magnitude matrix per channel, with phases that resynthesise the input', async () => {
    const left = noise(4000, 1)
    const right = noise(4000, 2)
    const spec = await run(audioOf([left, right]), {
      stereo: 'keep',
      scale: 'magnitude',
      keepPhase: true,
      hopSize: 128,
    })
    expect(spec.channels.length).toBe(2)
    expect(spec.phase?.length).toBe(2)
    const framing = { fftSize: 512, hopSize: 128, window: 'hann' as const, center: true }
    const back = istft(spec.channels[1], spec.phase?.[1] ?? new Float32Array(), framing, 4000)
    let worst = 0
    back.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - right[i]))))
    expect(worst).toBeLessThan(1e-5) // float32 round trip of samples ≤ 0.5
  })

  it('gives the phase of the channels’ mean when averaging with phase kept', async () => {
    const x = noise(3000, 3)
    const spec = await run(audioOf([x, x]), { keepPhase: true })
    const mono = await run(audioOf([x]), { keepPhase: true })
    expect(spec.phase?.length).toBe(1)
    expect(spec.phase?.[0]).toEqual(mono.phase?.[0])
    expect(spec.channels[0]).toEqual(mono.channels[0])
  })

  it('uses half the FFT size as hop when hop is 0, and any FFT size', async () => {
    const spec = await run(audioOf([noise(5000, 4)]), { fftSize: 600, hopSize: 0 })
    expect(spec.hopSize).toBe(300)
    expect(spec.bins).toBe(301)
    expect(spec.frames).toBe(1 + Math.floor(5000 / 300))
  })

  it('says what to do when the audio is too short for reflect padding', async () => {
    const short = audioOf([new Float32Array(256)])
    await expect(run(short)).rejects.toThrow(UserError)
    await expect(run(short)).rejects.toThrow(
      'audio too short: 256 samples, need at least 257 for FFT size 512',
    )
    const spec = await run(audioOf([Float32Array.of(0.25)]), { padMode: 'constant' })
    expect(spec.frames).toBe(1)
    expect(spec.channels[0].every(Number.isFinite)).toBe(true)
  })

  it('turns silence into zeros and refuses empty or NaN audio', async () => {
    const silent = await run(audioOf([new Float32Array(2000)]))
    expect(silent.channels[0].every((v) => v === 0)).toBe(true)
    await expect(run(audioOf([]))).rejects.toThrow(UserError)
    await expect(run(audioOf([new Float32Array(0)]))).rejects.toThrow(UserError)
    const poisoned = noise(2000, 5)
    poisoned[700] = NaN
    await expect(run(audioOf([poisoned]))).rejects.toThrow('NaN at sample 700 of channel 1')
  })

  it('stops when cancelled', async () => {
    const ctx = createRunContext()
    ctx.controller.abort()
    await expect(
      stft.run({ audio: audioOf([noise(2000, 6)]) }, params(), ctx),
    ).rejects.toBeInstanceOf(CancelledError)
  })
})
