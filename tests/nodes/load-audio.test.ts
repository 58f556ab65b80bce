import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadAudio } from '../../nodes/load-audio'
import { UserError } from '../../src/engine/errors'
import type { FileData, ParamValues } from '../../src/engine/params'
import { fixtureBytes } from '../helpers/fixtures'
import { createRunContext } from '../helpers/run-context'
import { peak, rms } from '../media/tone'

const sample: FileData = {
  ref: 'sample:synesthete-demo.wav',
  name: 'synesthete-demo.wav',
  bytes: new Uint8Array(
    readFileSync(new URL('../../public/samples/synesthete-demo.wav', import.meta.url)),
  ),
}

type Params = ParamValues<typeof loadAudio.params>
const defaults: Params = { file: sample, mixdown: false, sampleRateHz: 0, maxDurationSec: 600 }

const run = async (params: Partial<Params> = {}, ctx = createRunContext()) =>
  (await loadAudio.run({}, { ...defaults, ...params }, ctx)).audio

async function userError(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError')
}

describe('Load Audio (audio/load)', () => {
  it('defaults to the bundled sample and keeps the file as it is', async () => {
    expect(loadAudio.params.file.default).toBe('sample:synesthete-demo.wav')
    const audio = await run()
    expect(audio.kind).toBe('audio')
    expect(audio.sampleRate).toBe(44100)
    expect(audio.channels).toHaveLength(2)
    expect(audio.channels[0]).toHaveLength(6 * 44100)
    // Peak −1 dBFS (0.891) as synthesised, within one 16-bit step; the channels differ.
    expect(Math.abs(Math.max(...audio.channels.map(peak)) - 10 ** (-1 / 20))).toBeLessThan(
      1 / 32768,
    )
    expect(audio.channels[0]).not.toEqual(audio.channels[1])
  })

  it('mixes down to the average of the channels', async () => {
    const [stereo, mono] = [await run(), await run({ mixdown: true })]
    expect(mono.channels).toHaveLength(1)
    const [l, r] = stereo.channels
    mono.channels[0].forEach((v, i) => {
      if (v !== Math.fround((l[i] + r[i]) / 2))
        expect.fail(`sample ${i}: ${v} ≠ (${l[i]} + ${r[i]}) / 2`)
    })
  })

  it('resamples to the requested rate with ceil(n · to / from) samples and the same loudness', async () => {
    const original = await run({ mixdown: true })
    const audio = await run({ mixdown: true, sampleRateHz: 22050 })
    expect(audio.sampleRate).toBe(22050)
    expect(audio.channels[0]).toHaveLength(132300)
    // Halving the rate drops the hi-hats' energy above 11 kHz, a small part of the whole.
    const ratio = rms(audio.channels[0]) / rms(original.channels[0])
    expect(ratio).toBeGreaterThan(0.95)
    expect(ratio).toBeLessThan(1.001)
    const up = await run({ sampleRateHz: 48000 })
    expect(up.channels.map((c) => c.length)).toEqual([288000, 288000])
  })

  it('decodes compressed files too', async () => {
    const mp3 = {
      ref: 'file:tone.mp3',
      name: 'tone.mp3',
      bytes: fixtureBytes('media/tone-440hz-mono-1s.mp3'),
    }
    const audio = await run({ file: mp3 })
    expect([audio.sampleRate, audio.channels.length]).toEqual([44100, 1])
  })

  it('asks for a file when none is chosen', async () => {
    const error = await userError(run({ file: null }))
    expect(error.message).toBe('No audio file chosen.')
    expect(error.hint).toMatch(/Drop a sound file .* or choose one/)
  })

  it('refuses files longer than its limit, naming both', async () => {
    const error = await userError(run({ maxDurationSec: 5 }))
    expect(error.message).toBe('"synesthete-demo.wav" is 6.0 s long; the limit is 5.0 s.')
  })

  it('refuses files that are not audio', async () => {
    const png = { ref: 'file:x.png', name: 'x.png', bytes: fixtureBytes('contract/tiny.png') }
    expect((await userError(run({ file: png }))).message).toMatch(/"x.png" is not an audio file/)
  })

  it('reports progress ending at 1 and stops when cancelled', async () => {
    const ctx = createRunContext()
    await run({ sampleRateHz: 48000 }, ctx)
    expect(ctx.reports[0].fraction).toBe(0)
    expect(ctx.reports.at(-1)?.fraction).toBe(1)
    const cancelled = createRunContext()
    cancelled.controller.abort()
    await expect(run({}, cancelled)).rejects.toThrow()
  })
})
