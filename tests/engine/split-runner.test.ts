import { beforeAll, describe, expect, it } from 'vitest'
import { registry } from '../../nodes/index'
import { initFastFft } from '../../src/dsp/fft'
import { mulberry32, skipSeed } from '../../src/engine/random'
import {
  createLocalRunner,
  createSplittingRunner,
  type JobContext,
  type NodeJob,
  type NodeRunner,
} from '../../src/engine/runner'
import type { AudioValue, ImageValue } from '../../src/engine/values'
import { defaultParams } from '../helpers/run-context'

beforeAll(async () => {
  await initFastFft()
})

const context = (): JobContext => ({ signal: new AbortController().signal, progress: () => {} })

/** Three colours of a small picture, the middle one black when asked. */
function picture(silentMiddle: boolean): ImageValue {
  const width = 24
  const height = 33
  const random = mulberry32(5)
  const plane = (c: number) =>
    Float32Array.from({ length: width * height }, (_, i) =>
      silentMiddle && c === 1 ? 0 : ((i * (c + 3)) % 7) / 7 + 0.1 * random(),
    )
  return { kind: 'image', width, height, channels: [plane(0), plane(1), plane(2)] }
}

function griffinLimJob(image: ImageValue, params: Record<string, unknown>): NodeJob {
  const def = registry.get('dsp/griffin-lim')
  if (!def) throw new Error('dsp/griffin-lim is not registered')
  return {
    node: 'gl',
    type: 'dsp/griffin-lim',
    inputs: { image },
    params: { ...defaultParams(def.params), iterations: 6, sampleRateHz: 8000, ...params },
    seed: 1234,
  }
}

/** The local runner, recording each job it is handed. */
function recording(): { runner: NodeRunner; jobs: NodeJob[] } {
  const local = createLocalRunner(registry)
  const jobs: NodeJob[] = []
  return {
    jobs,
    runner: {
      run: (job, ctx) => {
        jobs.push(job)
        return local.run(job, ctx)
      },
    },
  }
}

describe('skipSeed', () => {
  it('starts the stream where the seed’s own would be after that many draws', () => {
    for (const [seed, draws] of [
      [0, 1],
      [1234, 777],
      [0xffffffff, 100_000],
    ]) {
      const whole = mulberry32(seed)
      for (let i = 0; i < draws; i++) whole()
      const skipped = mulberry32(skipSeed(seed, draws))
      for (let i = 0; i < 5; i++) expect(skipped()).toBe(whole())
    }
  })

  it('adds up beyond 2³² draws without losing bits', () => {
    const big = 3 * 2 ** 32 + 12345
    expect(skipSeed(skipSeed(9, big), 2 ** 31)).toBe(skipSeed(9, big + 2 ** 31))
    expect(skipSeed(9, 2 ** 32)).toBe(9)
  })
})

describe('a split run (Griffin-Lim’s channels as parts)', () => {
  it.each([
    ['notebook', 'each', false],
    ['random-phase', 'each', true],
    ['notebook', 'mean', true],
    ['random-phase', 'mean', false],
  ] as const)(
    'gives exactly the unsplit run’s sound (init %s, channels %s, black middle %s)',
    async (init, channels, silentMiddle) => {
      const job = griffinLimJob(picture(silentMiddle), { init, channels, normalize: true })
      const whole = (await createLocalRunner(registry).run(job, context())).outputs
        .audio as AudioValue
      const { runner, jobs } = recording()
      const reports: (string | undefined)[] = []
      const split = (
        await createSplittingRunner(registry, runner).run(job, {
          ...context(),
          progress: (_, message) => reports.push(message),
        })
      ).outputs.audio as AudioValue
      // Three jobs of one plane each, each seeded where the whole run's stream would be.
      expect(jobs.map((j) => (j.inputs.image as ImageValue).channels.length)).toEqual([1, 1, 1])
      // bins (FFT 64 for 33 rows) × columns, twice for the notebook's start
      const draws = 33 * 24 * (init === 'notebook' ? 2 : 1)
      expect(jobs.map((j) => j.seed)).toEqual([
        1234,
        skipSeed(1234, draws),
        skipSeed(1234, silentMiddle ? draws : 2 * draws),
      ])
      expect(split.channels.length).toBe(channels === 'mean' ? 1 : 3)
      expect(split).toEqual(whole)
      expect(reports.some((m) => /^Channel 3: Iteration \d+: convergence /.test(m ?? ''))).toBe(
        true,
      )
    },
    60_000,
  )

  it('stops every part when one fails, with that part’s error', async () => {
    const local = createLocalRunner(registry)
    const cancelled: boolean[] = []
    const failing: NodeRunner = {
      run: async (job, ctx) => {
        if (job.seed !== 1234) throw new Error('part broke')
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()))
        cancelled.push(ctx.signal.aborted)
        return local.run(job, ctx)
      },
    }
    const job = griffinLimJob(picture(false), {})
    await expect(createSplittingRunner(registry, failing).run(job, context())).rejects.toThrow(
      'part broke',
    )
    expect(cancelled).toEqual([true])
  })

  it('leaves one-channel pictures and other nodes whole', async () => {
    const { runner, jobs } = recording()
    const one = picture(false)
    const job = griffinLimJob({ ...one, channels: [one.channels[0]] }, {})
    await createSplittingRunner(registry, runner).run(job, context())
    expect(jobs).toEqual([job])
  })
})

describe('a split Riffusion Decode (its channels as parts)', () => {
  it.each(['rgb', 'red-cyan', 'riffusion-stereo'])(
    'gives exactly the unsplit run’s sound (reading %s)',
    async (reading) => {
      const def = registry.get('spectrogram/riffusion-decode')
      if (!def) throw new Error('Riffusion Decode is not registered')
      const image = { ...picture(false), width: 40, height: 64 }
      const random = mulberry32(8)
      image.channels = image.channels.map(() =>
        Float32Array.from({ length: 40 * 64 }, () => random()),
      )
      const job = {
        node: 'rd',
        type: def.type,
        inputs: { image },
        params: {
          ...defaultParams(def.params),
          reading,
          fftSize: 1024,
          hopSize: 256,
          windowLength: 1024,
          iterations: 4,
          chunkColumns: 16,
          overlapColumns: 4,
        },
        seed: 77,
      } as NodeJob
      const whole = (await createLocalRunner(registry).run(job, context())).outputs
        .audio as AudioValue
      const { runner, jobs } = recording()
      // Where the whole picture sits encoded must not go with a part (its inputs are its own).
      const stored = { image: { blob: new Blob(['the whole picture']), port: 'image' } }
      const split = (
        await createSplittingRunner(registry, runner).run({ ...job, stored }, context())
      ).outputs.audio as AudioValue
      expect(jobs.every((j) => j.stored === undefined)).toBe(true)
      expect(jobs.length).toBe(reading === 'rgb' ? 3 : 2)
      expect(jobs.every((j) => j.seed === 77)).toBe(true)
      expect(split).toEqual(whole)
    },
    60_000,
  )
})
