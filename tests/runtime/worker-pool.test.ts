import { describe, expect, it, vi } from 'vitest'
import { defineNode } from '../../src/engine/define-node'
import { CancelledError, UserError } from '../../src/engine/errors'
import { execute } from '../../src/engine/executor'
import { int } from '../../src/engine/params'
import { createRegistry } from '../../src/engine/registry'
import type { JobContext, NodeJob, NodeRunner } from '../../src/engine/runner'
import { decodeOutputs } from '../../src/engine/codec'
import { createRoutingRunner, WorkerPool } from '../../src/runtime/worker-pool'
import { graphOf, testRegistry } from '../helpers/test-nodes'
import { fakeWorkers } from './fake-worker'

const stuck = defineNode({
  type: 'test/stuck',
  version: 1,
  title: 'Stuck',
  category: 'Test',
  description: 'Never finishes and ignores cancellation, like a hung worker.',
  inputs: {},
  outputs: { value: 'number' },
  params: {},
  runtime: 'gpu',
  run: () => new Promise<never>(() => {}),
})
const painter = defineNode({
  type: 'test/painter',
  version: 1,
  title: 'Painter',
  category: 'Test',
  description: 'Shows a picture in progress where the host offers previews.',
  inputs: {},
  outputs: { value: 'number' },
  params: {},
  runtime: 'cpu',
  run: (_inputs, _params, ctx) => {
    const image = {
      kind: 'image' as const,
      width: 1,
      height: 1,
      channels: [new Float32Array([0.5])],
    }
    ctx.preview?.(image)
    return { value: { kind: 'number', value: 1 } }
  },
})
const chatty = defineNode({
  type: 'test/chatty',
  version: 1,
  title: 'Chatty',
  category: 'Test',
  description: 'Takes `ms`, reporting progress every 10 ms.',
  inputs: {},
  outputs: { value: 'number' },
  params: { ms: int(100, { min: 0, max: 10_000 }) },
  runtime: 'cpu',
  run: async (_inputs, { ms }, ctx) => {
    for (let t = 0; t < ms; t += 10) {
      ctx.progress(t / ms)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    return { value: { kind: 'number', value: 1 } }
  },
})
const warner = defineNode({
  type: 'test/warner',
  version: 1,
  title: 'Warner',
  category: 'Test',
  description: 'Gives its result with a warning about it (a damaged file loaded in part).',
  inputs: {},
  outputs: { value: 'number' },
  params: {},
  runtime: 'cpu',
  run: (_inputs, _params, ctx) => {
    ctx.warn?.({ code: 'test/partial', message: 'Half of it', data: { lostFraction: 0.5 } })
    return { value: { kind: 'number', value: 1 } }
  },
})
/** Loads a "model" ahead (prepare), as the diffusion node does; its run says what it found. */
const loadedModels = new Map<string, number>()
const loader = defineNode({
  type: 'test/loader',
  version: 1,
  title: 'Loader',
  category: 'Test',
  description: 'Finds its model loaded if prepare came first.',
  inputs: {},
  outputs: { value: 'number' },
  params: { model: int(3) },
  runtime: 'gpu',
  prepare: async ({ model }) => {
    if (model < 0) throw new Error('no such model')
    await new Promise((r) => setTimeout(r, 1))
    loadedModels.set(`m${model}`, (loadedModels.get(`m${model}`) ?? 0) + 1)
  },
  run: (_inputs, { model }) => ({
    value: { kind: 'number', value: loadedModels.get(`m${model}`) ?? 0 },
  }),
})

const registry = createRegistry([...testRegistry.all(), stuck, painter, chatty, warner, loader])

const job = (type: string, params: NodeJob['params'] = {}, inputs: NodeJob['inputs'] = {}) => ({
  node: 'n',
  type,
  inputs,
  params,
  seed: 0,
})
const num = (value: number) => ({ kind: 'number' as const, value })

function context(): JobContext & {
  controller: AbortController
  reports: number[]
  starts: number
} {
  const controller = new AbortController()
  const reports: number[] = []
  const ctx = {
    controller,
    reports,
    starts: 0,
    signal: controller.signal,
    progress: (f: number) => reports.push(f),
    started: () => ctx.starts++,
  }
  return ctx
}

function pool(size = 1, cancelGraceMs = 100) {
  const workers = fakeWorkers(registry)
  return { workers, pool: new WorkerPool({ createWorker: workers.create, size, cancelGraceMs }) }
}

const waitFor = async (check: () => boolean, ms = 1000) => {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('WorkerPool', () => {
  it("runs a job in a worker and leaves the caller's input arrays intact", async () => {
    const { pool: p } = pool()
    const image = {
      kind: 'image' as const,
      width: 2,
      height: 1,
      channels: [new Float32Array([1, 2])],
    }
    const outputs = await p.run(
      job('test/add', { offset: 1 }, { a: num(2), b: undefined }),
      context(),
    )
    expect(outputs.outputs.sum).toEqual(num(3))
    // An input is cloned, not transferred: the main thread's cache keeps a usable array.
    await p.run(
      job('test/add', { offset: 0 }, { a: num(1), b: undefined, extra: image }),
      context(),
    )
    expect(image.channels[0]).toEqual(new Float32Array([1, 2]))
  })

  it('brings large results back already encoded for the cache, so the page need not encode them', async () => {
    const { pool: p } = pool()
    const audio = {
      kind: 'audio' as const,
      sampleRate: 8000,
      channels: [new Float32Array(100_000)],
    }
    const bypass = await p.run(job('test/slow', { ms: 0 }, { a: num(1) }), context())
    expect(bypass.encoded).toBeUndefined() // small: encoded on the page when stored
    const big = await p.run(job('test/echo-audio', {}, { audio }), context())
    const blob = big.encoded
    expect(blob?.size).toBeGreaterThan(400_000)
    const decoded = decodeOutputs(new Uint8Array(await (blob as Blob).arrayBuffer()))
    expect(decoded.audio).toEqual(big.outputs.audio)
  })

  it('sends a large input as the Blob its producer encoded, and the worker decodes it', async () => {
    const { pool: p, workers } = pool()
    const channel = new Float32Array(100_000).map((_, i) => Math.sin(i))
    const audio = { kind: 'audio' as const, sampleRate: 8000, channels: [channel] }
    const first = await p.run(job('test/echo-audio', {}, { audio }), context())
    expect(first.encoded).toBeDefined()
    const stored = { audio: { blob: first.encoded as Blob, port: 'audio' } }
    const second = await p.run(
      { ...job('test/echo-audio', {}, { audio: first.outputs.audio }), stored },
      context(),
    )
    expect(second.outputs.audio).toEqual(audio)
    const posted = workers.made[0].received.filter((m) => m.type === 'run').at(-1)
    // The page copied nothing: the input went as the Blob and the port to read from it.
    expect(posted).toMatchObject({ job: { inputs: { audio: undefined } } })
    expect(posted?.type === 'run' && posted.encoded?.audio.port).toBe('audio')
  })

  it('sends copies instead when the worker cannot read an input from its Blob', async () => {
    const { pool: p, workers } = pool()
    const outputs = {
      audio: { kind: 'audio' as const, sampleRate: 8000, channels: [new Float32Array(100_000)] },
    }
    outputs.audio.channels[0][5] = 0.5
    const stored = { audio: { blob: new Blob(['not a cache entry']), port: 'audio' } }
    const echoed = await p.run(
      { ...job('test/echo-audio', {}, { audio: outputs.audio }), stored },
      context(),
    )
    expect(echoed.outputs.audio).toEqual(outputs.audio)
    const runs = workers.made[0].received.filter((m) => m.type === 'run')
    expect(runs.map((m) => m.type === 'run' && m.encoded !== undefined)).toEqual([true, false])
  })

  it('brings back a UserError with its hint', async () => {
    const { pool: p } = pool()
    const failure = p.run(job('test/fail', {}, { a: num(1) }), context())
    await expect(failure).rejects.toBeInstanceOf(UserError)
    await expect(failure).rejects.toMatchObject({ hint: 'Remove it.' })
  })

  it('queues jobs while every worker is busy', async () => {
    const { pool: p, workers } = pool(2)
    const runs = [1, 2, 3, 4].map((i) =>
      p.run(job('test/slow', { ms: 20 }, { a: num(i) }), context()),
    )
    expect(p.stats()).toMatchObject({ workers: 2, busy: 2, queued: 2 })
    const outputs = await Promise.all(runs)
    expect(outputs.map((o) => o.outputs.value)).toEqual([1, 2, 3, 4].map(num))
    expect(workers.made).toHaveLength(2)
    expect(p.stats()).toMatchObject({ completed: 4, busy: 0, queued: 0 })
  })

  it('passes cancellation into the worker, where the job stops', async () => {
    const { pool: p, workers } = pool()
    const ctx = context()
    const running = p.run(job('test/slow', { ms: 10_000 }, { a: num(1) }), ctx)
    await waitFor(() => workers.made[0]?.received.some((m) => m.type === 'run'))
    ctx.controller.abort()
    await expect(running).rejects.toBeInstanceOf(CancelledError)
    await waitFor(() => workers.made[0].received.some((m) => m.type === 'cancel'))
    await waitFor(() => p.stats().busy === 0) // the worker said it stopped
    expect(p.stats()).toMatchObject({ replaced: 0, cancelled: 1 })
  })

  it('drops a cancelled job that had not started yet', async () => {
    const { pool: p, workers } = pool()
    const first = p.run(job('test/slow', { ms: 30 }, { a: num(1) }), context())
    const ctx = context()
    const queued = p.run(job('test/slow', { ms: 30 }, { a: num(2) }), ctx)
    ctx.controller.abort()
    await expect(queued).rejects.toBeInstanceOf(CancelledError)
    await first
    expect(workers.made[0].received.filter((m) => m.type === 'run')).toHaveLength(1)
  })

  it('fails the job of a crashed worker clearly, and runs the next job on a new worker', async () => {
    const { pool: p, workers } = pool()
    const running = p.run(job('test/slow', { ms: 10_000 }, { a: num(1) }), context())
    await waitFor(() => workers.made.length === 1)
    workers.made[0].crash('out of memory')
    await expect(running).rejects.toThrow(
      /worker running this node stopped: it crashed \(out of memory\)/,
    )
    expect(workers.made[0].terminated).toBe(true)
    const next = await p.run(job('test/add', { offset: 0 }, { a: num(5), b: undefined }), context())
    expect(next.outputs.sum).toEqual(num(5))
    expect(workers.made).toHaveLength(2)
    expect(p.stats().replaced).toBe(1)
  })

  it('terminates a worker that ignores a cancel past the grace period', async () => {
    const { pool: p, workers } = pool(1, 50)
    const ctx = context()
    const running = p.run(job('test/stuck'), ctx)
    await waitFor(() => workers.made[0]?.received.some((m) => m.type === 'run'))
    ctx.controller.abort()
    await expect(running).rejects.toBeInstanceOf(CancelledError)
    await waitFor(() => workers.made[0].terminated)
    expect(p.stats()).toMatchObject({ replaced: 1, busy: 0 })
    expect((await p.run(job('test/constant', { value: 7 }), context())).outputs.value).toEqual(
      num(7),
    )
  })

  it('replaces a worker whose job gives no sign of life for too long, with an error in words', async () => {
    const workers = fakeWorkers(registry)
    const p = new WorkerPool({ createWorker: workers.create, size: 1, stallMs: 60 })
    const running = p.run(job('test/stuck'), context())
    await expect(running).rejects.toThrow(/no sign of progress for 60 ms and looked hung/)
    expect(workers.made[0].terminated).toBe(true)
    expect(p.stats()).toMatchObject({ replaced: 1, busy: 0 })
    expect((await p.run(job('test/constant', { value: 7 }), context())).outputs.value).toEqual(
      num(7),
    )
  })

  it('lets a job that keeps reporting progress run past the stall time', async () => {
    // On virtual time: a busy machine cannot stretch the 10 ms between reports past the stall.
    vi.useFakeTimers()
    try {
      const workers = fakeWorkers(registry)
      const p = new WorkerPool({ createWorker: workers.create, size: 1, stallMs: 60 })
      let settled = false
      const running = p.run(job('test/chatty', { ms: 300 }), context())
      void running.finally(() => (settled = true)).catch(() => undefined)
      while (!settled) await vi.advanceTimersByTimeAsync(5)
      expect((await running).outputs.value).toEqual(num(1))
      expect(p.stats().replaced).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })

  it("passes a node's pictures in progress to onPreview, with the node's id", async () => {
    const workers = fakeWorkers(registry)
    const seen: [string, number][] = []
    const p = new WorkerPool({
      createWorker: workers.create,
      size: 1,
      onPreview: (node, image) => seen.push([node, image.channels[0][0]]),
    })
    await p.run({ ...job('test/painter'), node: 'sd' }, context())
    expect(seen).toEqual([['sd', 0.5]])
  })

  it("passes a node's warnings back from its worker, as data", async () => {
    const { pool: p } = pool()
    const warnings: unknown[] = []
    await p.run(job('test/warner'), { ...context(), warn: (w) => warnings.push(w) })
    expect(warnings).toEqual([
      { code: 'test/partial', message: 'Half of it', data: { lostFraction: 0.5 } },
    ])
  })

  it('has its worker load ahead what a node will need, kept there for its job', async () => {
    const { pool: p, workers } = pool()
    p.prepare('test/loader', { model: 5 })
    // The worker starts for it and is told the params, defaults filled by the caller.
    expect(workers.made).toHaveLength(1)
    await waitFor(() => loadedModels.get('m5') === 1)
    expect(workers.made[0].received.filter((m) => m.type === 'prepare')).toEqual([
      { type: 'prepare', nodeType: 'test/loader', params: { model: 5 } },
    ])
    // The job runs in that same worker and finds the model loaded once, not again.
    const result = await p.run(job('test/loader', { model: 5 }), context())
    expect(result.outputs.value).toEqual(num(1))
    expect(workers.made).toHaveLength(1)
    p.dispose()
  })

  it('leaves a failed prepare for the job to meet: no message, and the job still runs', async () => {
    const { pool: p, workers } = pool()
    p.prepare('test/loader', { model: -1 })
    p.prepare('test/unknown-kind', {})
    const result = await p.run(job('test/loader', { model: -1 }), context())
    expect(result.outputs.value).toEqual(num(0))
    expect(workers.made).toHaveLength(1)
    p.dispose()
  })

  it('runs a whole graph through the executor', async () => {
    const { pool: p } = pool(2)
    const graph = graphOf(
      [
        { id: 'x', type: 'test/constant', params: { value: 2 } },
        { id: 'y', type: 'test/constant', params: { value: 3 } },
        { id: 'sum', type: 'test/add', params: { offset: 10 } },
      ],
      ['x.value->sum.a', 'y.value->sum.b'],
    )
    const files = () => Promise.reject(new Error('no files'))
    const result = await execute(graph, { registry, files, runner: p })
    expect(result.results.get('sum')?.outputs?.sum).toEqual(num(15))
    p.dispose()
  })
})

describe('createRoutingRunner', () => {
  it("sends nodes with runtime 'gpu' to the GPU runner and the rest to the CPU pool", async () => {
    const seen: string[] = []
    const runner = (name: string): NodeRunner => ({
      run: (j) => {
        seen.push(`${name}:${j.type}`)
        return Promise.resolve({ outputs: {} })
      },
    })
    const routed = createRoutingRunner(registry, runner('cpu'), runner('gpu'))
    await routed.run(job('test/stuck'), context())
    await routed.run(job('test/constant'), context())
    expect(seen).toEqual(['gpu:test/stuck', 'cpu:test/constant'])
  })
})
