import { afterAll, describe, expect, it } from 'vitest'
import { registry } from '../../nodes/index'
import type { AudioValue } from '../../src/engine/values'
import { createLocalRunner, type JobContext, type NodeJob } from '../../src/engine/runner'
import { createThreadRunner, memoryGate, threadRunner } from '../../src/cli/thread-pool'

function mixJob(seed: number): NodeJob {
  const def = registry.get('audio/mix')
  if (!def) throw new Error('audio/mix is not registered')
  const params = Object.fromEntries(
    Object.entries(def.params).map(([k, spec]) => [k, spec.default]),
  )
  const tone = (f: number): AudioValue => ({
    kind: 'audio',
    sampleRate: 8000,
    channels: [
      Float32Array.from({ length: 8000 }, (_, i) => Math.sin((2 * Math.PI * f * i) / 8000)),
    ],
  })
  return {
    node: `mix${seed}`,
    type: 'audio/mix',
    inputs: { a: tone(440 + seed), b: tone(660) },
    params: { ...params, normalize: true },
    seed,
  }
}

const context = (): JobContext => ({ signal: new AbortController().signal, progress: () => {} })

describe('the CLI thread pool', () => {
  const threads = createThreadRunner(registry, 2)
  afterAll(() => threads.dispose())

  it('runs jobs on worker threads with the results the main thread gives, two at once', async () => {
    const jobs = [mixJob(1), mixJob(2), mixJob(3)]
    const local = createLocalRunner(registry)
    const expected = await Promise.all(jobs.map((job) => local.run(job, context())))
    const started: number[] = []
    const results = await Promise.all(
      jobs.map((job, i) =>
        threads.runner.run(structuredClone(job), { ...context(), started: () => started.push(i) }),
      ),
    )
    expect(started.sort()).toEqual([0, 1, 2])
    results.forEach((outputs, i) => expect(outputs).toEqual(expected[i]))
  }, 120_000)

  it('spreads a three-colour Griffin-Lim over the threads, with the one-thread sound', async () => {
    const def = registry.get('dsp/griffin-lim')
    if (!def) throw new Error('dsp/griffin-lim is not registered')
    const params = Object.fromEntries(
      Object.entries(def.params).map(([k, spec]) => [k, spec.default]),
    )
    const [width, height] = [40, 65]
    const plane = (c: number) =>
      Float32Array.from({ length: width * height }, (_, i) => ((i * (c + 2)) % 11) / 11)
    const job: NodeJob = {
      node: 'gl',
      type: 'dsp/griffin-lim',
      inputs: { image: { kind: 'image', width, height, channels: [0, 1, 2].map(plane) } },
      params: { ...params, iterations: 8, sampleRateHz: 8000, init: 'notebook' },
      seed: 99,
    }
    const expected = await createLocalRunner(registry).run(structuredClone(job), context())
    const messages: string[] = []
    const outputs = await threads.runner.run(structuredClone(job), {
      ...context(),
      progress: (_, message) => void (message && messages.push(message)),
    })
    expect(outputs).toEqual(expected)
    expect((outputs.outputs.audio as AudioValue).channels).toHaveLength(3)
    for (const c of [1, 2, 3])
      expect(messages.some((m) => m.startsWith(`Channel ${c}: `))).toBe(true)
  }, 120_000)

  it('fails a job whose node throws, in words, and keeps serving', async () => {
    const bad = mixJob(4)
    const a = bad.inputs.a as AudioValue
    a.channels[0][10] = NaN
    await expect(threads.runner.run(bad, context())).rejects.toThrow(/input "a" contains NaN/)
    await expect(threads.runner.run(mixJob(5), context())).resolves.toBeDefined()
  }, 120_000)

  it('runs output nodes on the main thread: their input passes on as it is, not copied', async () => {
    const def = registry.get('audio/output')
    if (!def?.export) throw new Error('audio/output is not a registered output node')
    const params = Object.fromEntries(
      Object.entries(def.params).map(([k, spec]) => [k, spec.default]),
    )
    const audio = mixJob(6).inputs.a as AudioValue
    const job: NodeJob = { node: 'out', type: 'audio/output', inputs: { audio }, params, seed: 0 }
    const result = await threads.runner.run(job, context())
    // The same array: on a thread it would have been copied there and back.
    expect((result.outputs.audio as AudioValue).channels[0]).toBe(audio.channels[0])
  }, 120_000)

  it('reads its size from SYNESTHETE_THREADS (0: none), refusing nonsense', () => {
    const saved = process.env.SYNESTHETE_THREADS
    try {
      process.env.SYNESTHETE_THREADS = '0'
      expect(threadRunner(registry)).toBeUndefined()
      process.env.SYNESTHETE_THREADS = 'many'
      expect(() => threadRunner(registry)).toThrow(/SYNESTHETE_THREADS must be a whole number/)
    } finally {
      if (saved === undefined) delete process.env.SYNESTHETE_THREADS
      else process.env.SYNESTHETE_THREADS = saved
    }
  })
})

describe('threads replaced after a job that grew their memory', () => {
  // Retiring past -1 bytes: every job's thread is replaced by a fresh one after it.
  const threads = createThreadRunner(registry, 1, undefined, -1)
  afterAll(() => threads.dispose())

  it('gives each later job a fresh thread, with the same results and no error', async () => {
    const local = createLocalRunner(registry)
    for (const seed of [11, 12, 13]) {
      const expected = await local.run(mixJob(seed), context())
      await expect(threads.runner.run(structuredClone(mixJob(seed)), context())).resolves.toEqual(
        expected,
      )
    }
    const bad = mixJob(14)
    ;(bad.inputs.a as AudioValue).channels[0][3] = NaN
    await expect(threads.runner.run(bad, context())).rejects.toThrow(/input "a" contains NaN/)
    await expect(threads.runner.run(mixJob(15), context())).resolves.toBeDefined()
  }, 120_000)
})

describe('the memory gate', () => {
  /** A task that runs until `finish` is called, and says when it started. */
  function task(log: string[], name: string) {
    let finish = () => {}
    const run = () =>
      new Promise<string>((resolve) => {
        log.push(`start ${name}`)
        finish = () => resolve(name)
      })
    return { run, finish: () => finish() }
  }
  const ctx = () => ({ signal: new AbortController().signal })

  it('runs tasks side by side while their bytes fit, holds one that does not until room is made', async () => {
    const log: string[] = []
    const gate = memoryGate(10)
    const [a, b, c, big] = ['a', 'b', 'c', 'big'].map((n) => task(log, n))
    const ran = [
      gate.run(6, ctx(), a.run),
      gate.run(6, ctx(), b.run), // 12 > 10: waits for a
      gate.run(3, ctx(), c.run), // fits beside a: not held behind b
    ]
    expect(log).toEqual(['start a', 'start c'])
    a.finish()
    await ran[0]
    expect(log).toEqual(['start a', 'start c', 'start b'])
    b.finish()
    c.finish()
    await Promise.all(ran)
    // More than the whole budget: it runs, alone.
    const alone = gate.run(25, ctx(), big.run)
    expect(log.at(-1)).toBe('start big')
    big.finish()
    await expect(alone).resolves.toBe('big')
  })

  it('lets a waiting task go when it is cancelled, and never starts it', async () => {
    const log: string[] = []
    const gate = memoryGate(10)
    const [a, b] = ['a', 'b'].map((n) => task(log, n))
    const first = gate.run(8, ctx(), a.run)
    const controller = new AbortController()
    const second = gate.run(8, { signal: controller.signal }, b.run)
    controller.abort()
    await expect(second).rejects.toThrow()
    a.finish()
    await first
    expect(log).toEqual(['start a'])
  })
})
