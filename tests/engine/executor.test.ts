import v8 from 'node:v8'
import vm from 'node:vm'
import { beforeEach, describe, expect, it } from 'vitest'
import { MemoryCache, type ValueCache } from '../../src/engine/cache'
import { execute, GraphError, type ExecutionEvent } from '../../src/engine/executor'
import type { GraphDocument } from '../../src/engine/document'
import type { ImageValue } from '../../src/engine/values'
import type { FileResolver } from '../../src/engine/keys'
import { defineNode } from '../../src/engine/define-node'
import { float, int } from '../../src/engine/params'
import { createRegistry } from '../../src/engine/registry'
import type { NodeJob, NodeRunner } from '../../src/engine/runner'
import { createLocalRunner, runJob } from '../../src/engine/runner'
import { add, constant, graphOf, runCounts, testRegistry } from '../helpers/test-nodes'

const files: Record<string, Uint8Array> = { 'mem:a': new Uint8Array(3), 'mem:b': new Uint8Array(5) }
const resolveFile: FileResolver = (ref) => {
  const bytes = files[ref]
  return bytes ? Promise.resolve({ name: ref, bytes }) : Promise.reject(new Error(`No file ${ref}`))
}

function run(graph: GraphDocument, extra: Partial<Parameters<typeof execute>[1]> = {}) {
  return execute(graph, { registry: testRegistry, files: resolveFile, ...extra })
}

const chain = () =>
  graphOf(
    [
      { id: 'x', type: 'test/constant', params: { value: 2 } },
      { id: 'y', type: 'test/constant', params: { value: 3 } },
      { id: 'sum', type: 'test/add' },
      { id: 'more', type: 'test/add', params: { offset: 10 } },
    ],
    ['x.value->sum.a', 'y.value->sum.b', 'sum.sum->more.a'],
  )

const valueOf = (r: Awaited<ReturnType<typeof run>>, id: string) => {
  const v = r.results.get(id)?.outputs?.sum ?? r.results.get(id)?.outputs?.value
  return v?.kind === 'number' ? v.value : undefined
}

beforeEach(() => runCounts.clear())

describe('execute', () => {
  it('runs nodes in dependency order and passes values along edges', async () => {
    const result = await run(chain())
    expect(valueOf(result, 'sum')).toBe(5)
    expect(valueOf(result, 'more')).toBe(15)
    expect(result.results.get('more')?.state).toBe('done')
  })

  it('runs only what the requested outputs need', async () => {
    const result = await run(chain(), { targets: ['sum'] })
    expect([...result.results.keys()].sort()).toEqual(['sum', 'x', 'y'])
    expect(runCounts.get('test/add')).toBe(1)
  })

  it('reuses cached results and re-runs only the changed node and its descendants', async () => {
    const cache = new MemoryCache()
    await run(chain(), { cache })
    expect(runCounts.get('test/add')).toBe(2)
    runCounts.clear()

    const again = await run(chain(), { cache })
    expect(runCounts.size).toBe(0)
    expect([...again.results.values()].every((r) => r.state === 'cached')).toBe(true)

    const edited = chain()
    edited.nodes[3].params.offset = 20 // only "more" changes
    const third = await run(edited, { cache })
    expect(runCounts.get('test/add')).toBe(1)
    expect(runCounts.get('test/constant')).toBeUndefined()
    expect(valueOf(third, 'more')).toBe(25)

    const upstream = chain()
    upstream.nodes[0].params.value = 7 // x changes: sum and more re-run, y does not
    runCounts.clear()
    await run(upstream, { cache })
    expect(runCounts.get('test/constant')).toBe(1)
    expect(runCounts.get('test/add')).toBe(2)
  })

  it('keys results by content, not by node id or param order', async () => {
    const cache = new MemoryCache()
    await run(chain(), { cache })
    runCounts.clear()
    const renamed = chain()
    renamed.nodes[0].id = 'first'
    renamed.edges[0].from.node = 'first'
    renamed.nodes.reverse()
    await run(renamed, { cache })
    expect(runCounts.size).toBe(0)
  })

  it('computes equal nodes once in a run, even without a cache', async () => {
    const twins = graphOf(
      [
        { id: 'x', type: 'test/constant', params: { value: 2 } },
        { id: 'x2', type: 'test/constant', params: { value: 2 } },
        { id: 'a', type: 'test/add', params: { offset: 1 } },
        { id: 'b', type: 'test/add', params: { offset: 1 } },
        { id: 'c', type: 'test/add', params: { offset: 5 } },
      ],
      ['x.value->a.a', 'x2.value->b.a', 'x.value->c.a'],
    )
    const result = await run(twins)
    expect(runCounts.get('test/constant')).toBe(1)
    expect(runCounts.get('test/add')).toBe(2)
    expect([valueOf(result, 'a'), valueOf(result, 'b'), valueOf(result, 'c')]).toEqual([3, 3, 7])
    const states = ['x', 'x2', 'a', 'b'].map((id) => result.results.get(id)?.state).sort()
    expect(states).toEqual(['cached', 'cached', 'done', 'done'])
  })

  it('keys file inputs by the hash of their bytes', async () => {
    const cache = new MemoryCache()
    const g = (ref: string) => graphOf([{ id: 'f', type: 'test/file-size', params: { file: ref } }])
    expect(valueOf(await run(g('mem:a'), { cache }), 'f')).toBe(3)
    files['mem:c'] = new Uint8Array(3) // same bytes under another name: a cache hit
    expect((await run(g('mem:c'), { cache })).results.get('f')?.state).toBe('cached')
    expect(valueOf(await run(g('mem:b'), { cache }), 'f')).toBe(5)
    expect(runCounts.get('test/file-size')).toBe(2)
  })

  it('seeds random nodes from their seed param, so the same seed gives the same value', async () => {
    const g = (s: number) => graphOf([{ id: 'n', type: 'test/noise', params: { seed: s } }])
    const a = valueOf(await run(g(1)), 'n')
    const b = valueOf(await run(g(1)), 'n')
    const c = valueOf(await run(g(2)), 'n')
    expect(a).toBe(b)
    expect(a).not.toBe(c)
  })

  it('isolates a failing node: its descendants are blocked, other branches finish', async () => {
    const graph = graphOf(
      [
        { id: 'x', type: 'test/constant' },
        { id: 'bad', type: 'test/fail' },
        { id: 'after', type: 'test/add' },
        { id: 'ok', type: 'test/add' },
      ],
      ['x.value->bad.a', 'bad.value->after.a', 'x.value->ok.a'],
    )
    const result = await run(graph)
    expect(result.results.get('bad')).toMatchObject({
      state: 'error',
      error: { message: 'This node always fails.', hint: 'Remove it.' },
    })
    expect(result.results.get('after')).toMatchObject({ state: 'blocked', blockedBy: 'bad' })
    expect(result.results.get('ok')?.state).toBe('done')
  })

  it('reports a missing required input on the node, in words', async () => {
    const result = await run(graphOf([{ id: 'lonely', type: 'test/add' }]))
    expect(result.results.get('lonely')?.error?.message).toBe('Input "a" is not connected.')
  })

  it('refuses cycles, naming the nodes in them', async () => {
    const graph = graphOf(
      [
        { id: 'p', type: 'test/add' },
        { id: 'q', type: 'test/add' },
      ],
      ['p.sum->q.a', 'q.sum->p.a'],
    )
    await expect(run(graph)).rejects.toThrow(GraphError)
    await expect(run(graph)).rejects.toThrow(/cycle through "p", "q"/)
  })

  it('refuses mistyped and dangling edges before running anything', async () => {
    const mistyped = graphOf(
      [
        { id: 'x', type: 'test/constant' },
        { id: 'img', type: 'test/to-image' },
        { id: 'sum', type: 'test/add' },
      ],
      ['x.value->img.a', 'img.image->sum.a'],
    )
    await expect(run(mistyped)).rejects.toThrow(
      /image output "image" of "img" to the number input "a"/,
    )
    const dangling = graphOf([{ id: 'sum', type: 'test/add' }], ['ghost.value->sum.a'])
    await expect(run(dangling)).rejects.toThrow(/missing node "ghost"/)
    expect(runCounts.size).toBe(0)
  })

  it('cancels: running nodes stop, nothing after them starts', async () => {
    const controller = new AbortController()
    const graph = graphOf(
      [
        { id: 'x', type: 'test/constant' },
        { id: 'wait', type: 'test/slow' },
        { id: 'after', type: 'test/add' },
      ],
      ['x.value->wait.a', 'wait.value->after.a'],
    )
    const events: ExecutionEvent[] = []
    const pending = run(graph, {
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e)
        if (e.type === 'state' && e.node === 'wait' && e.state === 'running') controller.abort()
      },
    })
    const result = await pending
    expect(result.results.get('wait')?.state).toBe('cancelled')
    expect(result.results.get('after')?.state).toBe('cancelled')
    expect(runCounts.get('test/add')).toBeUndefined()
  })

  it('bypass passes the first input of the matching kind straight through', async () => {
    const graph = chain()
    graph.nodes[2].mode = 'bypass' // sum is bypassed: more gets x (2) + 10
    const result = await run(graph)
    expect(result.results.get('sum')?.state).toBe('bypassed')
    expect(valueOf(result, 'more')).toBe(12)
  })

  it('mute stops a node and blocks what depends on it', async () => {
    const graph = chain()
    graph.nodes[2].mode = 'mute'
    const result = await run(graph)
    expect(result.results.get('sum')?.state).toBe('muted')
    expect(result.results.get('more')).toMatchObject({ state: 'blocked', blockedBy: 'sum' })
    expect(result.results.get('more')?.error?.message).toMatch(/muted/)
  })

  it('treats a muted node feeding an optional input as absent, not as a missing value', async () => {
    const graph = chain()
    graph.nodes[1].mode = 'mute' // y feeds sum.b (optional): sum = x + 0
    const result = await run(graph)
    expect(result.results.get('sum')?.state).toBe('done')
    expect(valueOf(result, 'more')).toBe(12)
  })

  it('treats a muted source on a mixable input as silence, directly or through a chain', async () => {
    const graph = graphOf(
      [
        { id: 'x', type: 'test/constant', params: { value: 2 }, mode: 'mute' },
        { id: 'y', type: 'test/constant', params: { value: 3 } },
        { id: 'after', type: 'test/add' }, // blocked: x is muted
        { id: 'direct', type: 'test/mix' },
        { id: 'chained', type: 'test/mix' },
      ],
      [
        'x.value->after.a',
        'x.value->direct.a',
        'y.value->direct.b',
        'after.sum->chained.a',
        'y.value->chained.b',
      ],
    )
    const result = await run(graph)
    expect(result.results.get('after')).toMatchObject({ state: 'blocked', blockedBy: 'x' })
    expect(valueOf(result, 'direct')).toBe(3)
    expect(valueOf(result, 'chained')).toBe(3)
  })

  it('still blocks a mixable input whose source failed, and one with nothing else to mix', async () => {
    const graph = graphOf(
      [
        { id: 'x', type: 'test/constant', mode: 'mute' },
        { id: 'broken', type: 'test/fail' },
        { id: 'y', type: 'test/constant' },
        { id: 'alone', type: 'test/mix' },
        { id: 'failed', type: 'test/mix' },
      ],
      ['x.value->alone.a', 'broken.value->failed.a', 'y.value->failed.b'],
    )
    const result = await run(graph)
    expect(result.results.get('alone')).toMatchObject({ state: 'blocked', blockedBy: 'x' })
    expect(result.results.get('alone')?.error?.message).toMatch(/muted/)
    expect(result.results.get('failed')).toMatchObject({ state: 'blocked', blockedBy: 'broken' })
  })

  it('treats a node output containing NaN as that node failing', async () => {
    const result = await run(graphOf([{ id: 'n', type: 'test/nan' }]))
    expect(result.results.get('n')?.error?.message).toMatch(
      /produced NaN or infinite values on output "image" from ordinary inputs/,
    )
  })

  it('survives a cache that throws (a full quota): it warns and carries on', async () => {
    const broken = {
      get: () => Promise.reject(new Error('QuotaExceededError')),
      set: () => Promise.reject(new Error('QuotaExceededError')),
    }
    const events: ExecutionEvent[] = []
    const result = await run(chain(), { cache: broken, onEvent: (e) => events.push(e) })
    expect(valueOf(result, 'more')).toBe(15)
    expect(events.some((e) => e.type === 'warning' && /QuotaExceeded/.test(e.message))).toBe(true)
  })

  it('runs independent branches concurrently through the runner', async () => {
    // Each job waits until all three have started: run one after another, they never would
    // (the test then times out), whatever the machine's load.
    let started = 0
    let allStarted: () => void = () => undefined
    const together = new Promise<void>((resolve) => (allStarted = resolve))
    let peak = 0
    const runner: NodeRunner = {
      run: async (job, ctx) => {
        peak = Math.max(peak, ++started)
        if (started === 3) allStarted()
        await together
        return runJob(testRegistry, job, ctx)
      },
    }
    const graph = graphOf([
      { id: 'a', type: 'test/constant' },
      { id: 'b', type: 'test/constant', params: { value: 2 } },
      { id: 'c', type: 'test/constant', params: { value: 3 } },
    ])
    await run(graph, { runner })
    expect(peak).toBe(3)
  })

  describe('a bypassed node passes on where its input sits encoded', () => {
    // A runner that, like a worker, hands back an encoded Blob for the nodes named, and keeps
    // what each job was told about its inputs' encoded forms.
    const recording = (encodes: string[]) => {
      const stored = new Map<string, NodeJob['stored']>()
      const blobs = new Map<string, Blob>()
      const runner: NodeRunner = {
        run: async (job, ctx) => {
          stored.set(job.node, job.stored)
          const computed = await runJob(testRegistry, job, ctx)
          if (!encodes.includes(job.node)) return computed
          const blob = new Blob([job.node])
          blobs.set(job.node, blob)
          return { ...computed, encoded: blob }
        },
      }
      return { runner, stored, blobs }
    }

    it('so the node after two bypasses is sent the producer’s Blob, not a copy', async () => {
      const { runner, stored, blobs } = recording(['x'])
      const graph = graphOf(
        [
          { id: 'x', type: 'test/constant', params: { value: 2 } },
          { id: 'b1', type: 'test/add', mode: 'bypass' },
          { id: 'b2', type: 'test/add', mode: 'bypass' },
          { id: 'out', type: 'test/add' },
        ],
        ['x.value->b1.a', 'b1.sum->b2.a', 'b2.sum->out.a'],
      )
      const result = await run(graph, { runner })
      expect(valueOf(result, 'out')).toBe(2)
      expect(stored.get('out')).toEqual({ a: { blob: blobs.get('x'), port: 'value' } })
    })

    it('only for the input whose value it passes on', async () => {
      // Bypass passes on "a" (the first number input); only "b"'s producer has a Blob.
      const { runner, stored } = recording(['y'])
      const graph = graphOf(
        [
          { id: 'x', type: 'test/constant', params: { value: 2 } },
          { id: 'y', type: 'test/constant', params: { value: 3 } },
          { id: 'b', type: 'test/add', mode: 'bypass' },
          { id: 'out', type: 'test/add' },
        ],
        ['x.value->b.a', 'y.value->b.b', 'b.sum->out.a'],
      )
      const result = await run(graph, { runner })
      expect(valueOf(result, 'out')).toBe(2)
      expect(stored.get('out')).toBeUndefined()
    })
  })

  it('reports a file that cannot be read on its node', async () => {
    const graph = graphOf(
      [
        { id: 'f', type: 'test/file-size', params: { file: 'mem:missing' } },
        { id: 'sum', type: 'test/add' },
      ],
      ['f.value->sum.a'],
    )
    const result = await run(graph)
    expect(result.results.get('f')?.error?.message).toBe('No file mem:missing')
    expect(result.results.get('sum')).toMatchObject({ state: 'blocked', blockedBy: 'f' })
  })
})

describe('runJob', () => {
  it('refuses NaN in a node input with an error naming the input', async () => {
    const job = {
      node: 'n',
      type: 'test/add',
      inputs: { a: { kind: 'number' as const, value: NaN } },
      params: { offset: 0 },
      seed: 0,
    }
    const ctx = { signal: new AbortController().signal, progress: () => undefined }
    await expect(runJob(testRegistry, job, ctx)).rejects.toThrow(/input "a" contains NaN/)
  })

  it('scans a value for NaN once, where it is made: not again as an input, nor when passed on', async () => {
    // A picture whose one channel counts the values read from it (a Proxy over the array).
    let reads = 0
    const length = 1000
    const counted = new Proxy(new Float32Array(length).fill(0.5), {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++
        const value = Reflect.get(target, key, target) as unknown
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value
      },
    })
    const source = defineNode({
      type: 'test/counted',
      version: 1,
      title: 'Counted',
      category: 'Test',
      description: 'A picture whose reads are counted.',
      inputs: {},
      outputs: { image: 'image' },
      params: {},
      runtime: 'cpu',
      run: () => ({ image: { kind: 'image', width: length, height: 1, channels: [counted] } }),
    })
    const pass = defineNode({
      type: 'test/pass',
      version: 1,
      title: 'Pass',
      category: 'Test',
      description: 'Its picture, unchanged.',
      inputs: { image: 'image' },
      outputs: { image: 'image' },
      params: {},
      runtime: 'cpu',
      run: ({ image }) => ({ image }),
    })
    const first = defineNode({
      type: 'test/first',
      version: 1,
      title: 'First',
      category: 'Test',
      description: 'The first value of a picture.',
      inputs: { image: 'image' },
      outputs: { value: 'number' },
      params: {},
      runtime: 'cpu',
      run: ({ image }) => ({ value: { kind: 'number', value: image.channels[0][0] } }),
    })
    const registry = createRegistry([source, pass, first])
    const graph = graphOf(
      [
        { id: 'src', type: 'test/counted' },
        { id: 'pass', type: 'test/pass' },
        { id: 'first', type: 'test/first' },
      ],
      ['src.image->pass.image', 'pass.image->first.image'],
    )
    const result = await execute(graph, { registry, files: resolveFile })
    const value = result.results.get('first')?.outputs?.value
    expect(value?.kind === 'number' && value.value).toBe(0.5)
    // The source's output check reads every value once, and First reads one: nothing else.
    expect(reads).toBe(length + 1)

    // Called without the executor's word, runJob scans the inputs and the outputs as before.
    reads = 0
    const ctx = { signal: new AbortController().signal, progress: () => undefined }
    const image = { kind: 'image' as const, width: length, height: 1, channels: [counted] }
    await runJob(
      registry,
      { node: 'p', type: 'test/pass', inputs: { image }, params: {}, seed: 0 },
      ctx,
    )
    expect(reads).toBe(2 * length)
  })

  it('still refuses NaN a node makes from inputs the executor vouched for', async () => {
    const job = {
      node: 'n',
      type: 'test/nan',
      inputs: {},
      params: {},
      seed: 0,
      inputsChecked: true,
    }
    const ctx = { signal: new AbortController().signal, progress: () => undefined }
    await expect(runJob(testRegistry, job, ctx)).rejects.toThrow(/NaN or infinite/)
  })
})

/** Holds the thread for `ms`, as a synchronous DSP loop does; checks the signal as it goes. */
function busyWait(ms: number, signal?: { throwIfAborted(): void }, onTick?: () => void): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    signal?.throwIfAborted()
    onTick?.()
  }
}

const busy = defineNode({
  type: 'test/busy',
  version: 1,
  title: 'Busy',
  category: 'Test',
  description: 'Holds the thread for `ms`, reporting progress, stopping when cancelled.',
  inputs: { a: { kind: 'number', optional: true } },
  outputs: { value: 'number' },
  params: { ms: int(10), value: float(0) },
  runtime: 'cpu',
  run: (_inputs, { ms, value }, ctx) => {
    busyWait(ms, ctx.signal, () => ctx.progress(0.5))
    return { value: { kind: 'number', value } }
  },
})

const steps = defineNode({
  type: 'test/steps',
  version: 1,
  title: 'Steps',
  category: 'Test',
  description: 'Reports progress a quarter, a half, then all done.',
  inputs: {},
  outputs: { value: 'number' },
  params: {},
  runtime: 'cpu',
  run: (_inputs, _params, ctx) => {
    for (const fraction of [0.25, 0.5, 1]) ctx.progress(fraction)
    return { value: { kind: 'number', value: 1 } }
  },
})

const oneThreadRegistry = createRegistry([constant, add, busy, steps])
const runOnOneThread = (graph: GraphDocument, extra: Partial<Parameters<typeof execute>[1]> = {}) =>
  execute(graph, {
    registry: oneThreadRegistry,
    files: resolveFile,
    runner: createLocalRunner(oneThreadRegistry),
    cache: new MemoryCache(),
    ...extra,
  })

describe('node timing', () => {
  /** Writes take a turn of the event loop, as the CLI's disk cache and IndexedDB do. */
  const slowWritingCache = (): ValueCache => ({
    get: () => Promise.resolve(undefined),
    set: () => new Promise((resolve) => setTimeout(resolve, 0)),
  })

  // Wall-clock bounds: a busy shared machine can stall a run once; the bug fails every time.
  it.each([
    ['A then B', ['A', 'B']],
    ['B then A', ['B', 'A']],
  ])(
    "reports each node's own work when one thread runs them one after another (%s)",
    { retry: 2 },
    async (_order, order) => {
      // Both are queued on the one thread at once, so the second runs while the executor is
      // still storing the first one's result: its work must not count as the first one's.
      const work: Record<string, { ms: number; value: number }> = {
        A: { ms: 200, value: 1 },
        B: { ms: 10, value: 2 },
      }
      const graph = graphOf(order.map((id) => ({ id, type: 'test/busy', params: work[id] })))
      const result = await runOnOneThread(graph, { cache: slowWritingCache() })
      const ms = (id: string) => result.results.get(id)?.ms ?? NaN
      expect(ms('A')).toBeGreaterThanOrEqual(195)
      expect(ms('B')).toBeGreaterThanOrEqual(9)
      // Counting A's work as B's would add its 200 ms; the margin is for a busy machine.
      expect(ms('B')).toBeLessThan(150)
      // On one thread, the nodes' own times cannot add up to more than the run took.
      expect(ms('A') + ms('B')).toBeLessThanOrEqual(result.ms + 5)
    },
  )

  it('times the runner call itself when the runner reports no time of its own', async () => {
    const runner: NodeRunner = { run: (job, ctx) => runJob(oneThreadRegistry, job, ctx) }
    const graph = graphOf([{ id: 'A', type: 'test/busy', params: { ms: 20 } }])
    const result = await runOnOneThread(graph, { runner, cache: slowWritingCache() })
    expect(result.results.get('A')?.ms).toBeGreaterThanOrEqual(18)
  })
})

describe('execution events', () => {
  it("passes a node's progress on in order, with the node's id, between running and done", async () => {
    const events: ExecutionEvent[] = []
    await runOnOneThread(graphOf([{ id: 'p', type: 'test/steps' }]), {
      onEvent: (e) => events.push(e),
    })
    const ofP = events.filter((e) => 'node' in e && e.node === 'p' && e.type !== 'warning')
    expect(
      ofP.map((e) => (e.type === 'progress' ? e.fraction : e.type === 'state' && e.state)),
    ).toEqual(['queued', 'running', 0.25, 0.5, 1, 'done'])
    expect(ofP.filter((e) => e.type === 'progress')).toEqual([
      { type: 'progress', node: 'p', fraction: 0.25 },
      { type: 'progress', node: 'p', fraction: 0.5 },
      { type: 'progress', node: 'p', fraction: 1 },
    ])
  })

  it('reports the nodes of a cancelled run as cancelled, never as errors', async () => {
    const controller = new AbortController()
    const graph = graphOf(
      [
        { id: 'x', type: 'test/constant' },
        { id: 'spin', type: 'test/busy', params: { ms: 10_000 } },
        { id: 'after', type: 'test/add' },
        { id: 'other', type: 'test/busy', params: { ms: 10_000, value: 1 } },
      ],
      ['x.value->spin.a', 'spin.value->after.a', 'x.value->other.a'],
    )
    const events: ExecutionEvent[] = []
    const result = await runOnOneThread(graph, {
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e)
        // Cancel at the first progress of whichever busy node the one thread took first (their
        // keys are hashed concurrently, so either may); the node's own signal check then throws
        // the platform's AbortError, not ours.
        if (e.type === 'progress') controller.abort()
      },
    })
    // A busy node reports progress on every turn of its loop: one report means it stopped at
    // its next look at the signal, where ignoring the cancel would report for 10 s.
    const progress = events.filter((e) => e.type === 'progress')
    expect(progress).toHaveLength(1)
    const first = progress[0]?.node
    const second = first === 'spin' ? 'other' : 'spin'
    const finalStates = Object.fromEntries([...result.results].map(([id, r]) => [id, r.state]))
    expect(finalStates).toEqual({
      x: 'done',
      spin: 'cancelled',
      after: 'cancelled',
      other: 'cancelled',
    })
    const stateEvents = events.filter((e) => e.type === 'state')
    expect(stateEvents.filter((e) => e.state === 'error' || e.error)).toEqual([])
    const statesOf = (id: string) => stateEvents.filter((e) => e.node === id).map((e) => e.state)
    expect(statesOf(first ?? '')).toEqual(['queued', 'running', 'cancelled'])
    // Queued on the one thread behind the first, it meets the cancel before it starts.
    expect(statesOf(second)).not.toContain('running')
  })
})

describe('letting go of values (keep)', () => {
  // Values the tests can watch: a ramp of `length` floats, and the sum of a picture's values.
  const ramp = defineNode({
    type: 'test/ramp',
    version: 1,
    title: 'Ramp',
    category: 'Test',
    description: 'A one-row picture 0, 1, 2 … of the given width.',
    inputs: {},
    outputs: { image: 'image' },
    params: { width: int(4, { min: 1, max: 1 << 22 }) },
    runtime: 'cpu',
    run: (_i, { width }) => ({
      image: {
        kind: 'image',
        width,
        height: 1,
        channels: [Float32Array.from({ length: width }, (_, i) => i / width)],
      },
    }),
  })
  const total = defineNode({
    type: 'test/total',
    version: 1,
    title: 'Total',
    category: 'Test',
    description: 'The sum of a picture’s values.',
    inputs: { image: 'image' },
    outputs: { value: 'number' },
    params: {},
    runtime: 'cpu',
    run: ({ image }) => ({
      value: { kind: 'number', value: image.channels[0].reduce((a, b) => a + b, 0) },
    }),
  })
  const registry = createRegistry([ramp, total, add, constant])
  // ramp → total → out, ramp → also: two consumers of the ramp, one output node kept.
  const graph = graphOf(
    [
      { id: 'ramp', type: 'test/ramp', params: { width: 1 << 20 } },
      { id: 'total', type: 'test/total' },
      { id: 'also', type: 'test/total' },
      { id: 'out', type: 'test/add', params: { offset: 1 } },
    ],
    [
      'ramp.image->total.image',
      'ramp.image->also.image',
      'total.value->out.a',
      'also.value->out.b',
    ],
  )

  it('keeps only the kept nodes’ values in the result; events still carried every value', async () => {
    const carried = new Set<string>()
    const result = await execute(graph, {
      registry,
      files: resolveFile,
      keep: (id) => id === 'out',
      onEvent: (e) => {
        if (e.type === 'state' && e.outputs) carried.add(e.node)
      },
    })
    expect([...carried].sort()).toEqual(['also', 'out', 'ramp', 'total'])
    const out = result.results.get('out')?.outputs?.sum
    expect(out?.kind === 'number' && out.value).toBe((2 * ((1 << 20) - 1)) / 2 + 1)
    for (const id of ['ramp', 'total', 'also']) {
      // 'total' and 'also' have one key: one of them runs, the other shares its value.
      expect(['done', 'cached']).toContain(result.results.get(id)?.state)
      expect(result.results.get(id)?.outputs).toBeUndefined()
    }
  })

  it('lets a value go once its last consumer has settled, before the run ends', async () => {
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    let made: WeakRef<Float32Array> | undefined
    let collectedBeforeOut: boolean | undefined
    const local = createLocalRunner(registry)
    const runner: NodeRunner = {
      run: async (job, ctx) => {
        if (job.type === 'test/add') {
          // Both consumers of the ramp have settled: nothing of the run holds its picture.
          gc()
          collectedBeforeOut = made?.deref() === undefined
        }
        const computed = await local.run(job, ctx)
        const image = computed.outputs.image
        if (job.type === 'test/ramp' && image?.kind === 'image')
          made = new WeakRef(image.channels[0])
        return computed
      },
    }
    const kept = await execute(graph, { registry, files: resolveFile, runner, keep: () => false })
    expect(kept.results.get('out')?.state).toBe('done')
    expect(made).toBeDefined()
    expect(collectedBeforeOut).toBe(true)

    // Without `keep`, the result holds every value to the end, as before.
    collectedBeforeOut = undefined
    const all = await execute(graph, { registry, files: resolveFile, runner })
    expect(collectedBeforeOut).toBe(false)
    expect(all.results.get('ramp')?.outputs?.image).toBeDefined()
  })

  it('lets go of an output nothing takes as soon as its node settles, port by port', async () => {
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    const pair = defineNode({
      type: 'test/pair',
      version: 1,
      title: 'Pair',
      category: 'Test',
      description: 'Two pictures; the graph uses one.',
      inputs: {},
      outputs: { used: 'image', unused: 'image' },
      params: {},
      runtime: 'cpu',
      run: () => {
        const plane = () => new Float32Array(1 << 20).fill(0.25)
        const image = (p: Float32Array): ImageValue => ({
          kind: 'image',
          width: 1 << 20,
          height: 1,
          channels: [p],
        })
        return { used: image(plane()), unused: image(plane()) }
      },
    })
    const withPair = createRegistry([pair, total])
    const made: Record<string, WeakRef<Float32Array>> = {}
    let seen: { used: boolean; unused: boolean } | undefined
    const local = createLocalRunner(withPair)
    const runner: NodeRunner = {
      run: async (job, ctx) => {
        if (job.type === 'test/total') {
          gc()
          seen = {
            used: made.used.deref() !== undefined,
            unused: made.unused.deref() !== undefined,
          }
        }
        const computed = await local.run(job, ctx)
        for (const port of ['used', 'unused']) {
          const image = computed.outputs[port]
          if (image?.kind === 'image') made[port] = new WeakRef(image.channels[0])
        }
        return computed
      },
    }
    const result = await execute(
      graphOf(
        [
          { id: 'pair', type: 'test/pair' },
          { id: 'total', type: 'test/total' },
        ],
        ['pair.used->total.image'],
      ),
      { registry: withPair, files: resolveFile, runner, keep: (id) => id === 'total' },
    )
    const sum = result.results.get('total')?.outputs?.value
    expect(sum?.kind === 'number' && sum.value).toBe(0.25 * (1 << 20))
    // While Total ran, the port it takes was there and the other was gone.
    expect(seen).toEqual({ used: true, unused: false })
  })
})
