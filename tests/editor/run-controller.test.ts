import { describe, expect, it, vi } from 'vitest'
import { MemoryCache } from '../../src/engine/cache'
import { createLocalRunner } from '../../src/engine/runner'
import { graphChanges } from '../../src/editor/run/changes'
import { RunController } from '../../src/editor/run/run-controller'
import { RunStore } from '../../src/editor/run/run-store'
import { GraphStore } from '../../src/editor/store/graph-store'
import { applyOp } from '../../src/editor/store/operations'
import type { NodeRunner } from '../../src/engine/runner'
import type { RunRuntime } from '../../src/runtime/types'
import { graphOf, testRegistry } from '../helpers/test-nodes'

const chain = () =>
  graphOf(
    [
      { id: 'x', type: 'test/constant', params: { value: 2 } },
      { id: 'y', type: 'test/constant', params: { value: 3 } },
      { id: 'sum', type: 'test/add' },
      { id: 'more', type: 'test/add', params: { offset: 10 } },
      { id: 'side', type: 'test/add' },
    ],
    ['x.value->sum.a', 'y.value->sum.b', 'sum.sum->more.a', 'y.value->side.a'],
  )

function setup() {
  const runtime: RunRuntime = {
    runner: createLocalRunner(testRegistry),
    cache: new MemoryCache(),
    files: {
      resolve: (ref) => Promise.reject(new Error(`no file ${ref}`)),
      add: () => Promise.resolve('blob:x'),
    },
    prepare: () => undefined,
    warm: () => undefined,
    onPreview: () => () => undefined,
  }
  const store = new GraphStore(chain())
  const runs = new RunStore((flush) => queueMicrotask(flush))
  const controller = new RunController({
    store,
    runs,
    registry: testRegistry,
    runtime: () => runtime,
  })
  controller.setAuto(false)
  store.subscribe(controller.onDocChange)
  return { store, runs, controller, runtime }
}

describe('running from the editor', () => {
  it('runs every node and keeps each one’s outputs', async () => {
    const { runs, controller } = setup()
    await controller.run()
    expect(runs.get('more').state).toBe('done')
    expect(runs.get('more').outputs?.sum).toEqual({ kind: 'number', value: 15 })
    expect(runs.getSummary()).toMatchObject({ running: false, total: 5, ran: 5, cached: 0 })
  })

  it('re-runs only the edited node and its descendants', async () => {
    const { store, runs, controller } = setup()
    await controller.run()
    store.dispatch({ type: 'setParam', node: 'x', param: 'value', value: 4 })
    expect(runs.get('more').stale).toBe(true)
    expect(runs.get('side').stale).toBe(false)
    await controller.run()
    expect(controller.lastRun?.ran.sort()).toEqual(['more', 'sum', 'x'])
    expect(controller.lastRun?.cached.sort()).toEqual(['side', 'y'])
    expect(runs.get('more').outputs?.sum).toEqual({ kind: 'number', value: 17 })
    expect(runs.get('more').stale).toBe(false)
  })

  it('catches up with edits made while auto-run was off when it is turned back on', async () => {
    const { store, runs, controller } = setup()
    await controller.run()
    store.dispatch({ type: 'setParam', node: 'x', param: 'value', value: 4 })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(controller.runCount).toBe(1)
    controller.setAuto(true)
    await vi.waitFor(() => expect(controller.lastRun?.ran.sort()).toEqual(['more', 'sum', 'x']))
    expect(runs.get('more').outputs?.sum).toEqual({ kind: 'number', value: 17 })
    controller.setAuto(false)
    controller.setAuto(true)
    expect(controller.runCount).toBe(2)
  })

  it('runs only what a node needs when running to it', async () => {
    const { runs, controller } = setup()
    await controller.run(['side'])
    expect(runs.get('side').state).toBe('done')
    expect(runs.get('more').state).toBe('idle')
    expect(controller.lastRun?.ran.sort()).toEqual(['side', 'y'])
  })

  it('asks the runtime to start the workers of the nodes a run will visit, before any runs', async () => {
    const { controller, runtime } = setup()
    const log: string[] = []
    const runner = runtime.runner
    runtime.runner = { run: (job, ctx) => (log.push(`run ${job.type}`), runner.run(job, ctx)) }
    runtime.prepare = (types) => void log.push(`prepare ${types.join(' ')}`)
    await controller.run(['sum'])
    expect(log[0]).toBe('prepare test/constant test/constant test/add')
    expect(log.slice(1).sort()).toEqual(['run test/add', 'run test/constant', 'run test/constant'])
  })

  it('gives back their earlier state to nodes a run skipped', async () => {
    const { runs, controller } = setup()
    await controller.run()
    await controller.run(['more'])
    // more is cached, so its ancestors are never visited and must not stay "queued"
    expect(runs.get('x').state).toBe('done')
    expect(runs.get('x').outputs).toBeDefined()
  })

  it('shows an unconnected input as the engine says it: needs input, in words', async () => {
    const { store, runs, controller } = setup()
    store.dispatch({
      type: 'disconnect',
      edge: { from: { node: 'sum', port: 'sum' }, to: { node: 'more', port: 'a' } },
    })
    await controller.run()
    expect(runs.get('more').state).toBe('needs-input')
    expect(runs.get('more').error?.message).toMatch(/not connected/)
    expect(runs.getSummary().failed).toBe(0) // not a failure
    expect(controller.lastRun?.needsInput).toEqual(['more'])
  })

  it('refuses to run without a runtime, with a notice', async () => {
    const store = new GraphStore(chain())
    const runs = new RunStore((flush) => queueMicrotask(flush))
    const controller = new RunController({
      store,
      runs,
      registry: testRegistry,
      runtime: () => undefined,
    })
    await controller.run()
    runs.flush()
    expect(runs.getSummary().notice).toMatch(/starting/)
  })
})

describe('what an edit affects', () => {
  it('ignores moves and renames', () => {
    const doc = chain()
    const moved = applyOp(doc, { type: 'moveNodes', positions: { x: { x: 5, y: 5 } } })
    const named = applyOp(moved, { type: 'setLabel', node: 'x', label: 'Root' })
    expect(graphChanges(doc, named).affected.size).toBe(0)
  })

  it('counts a new connection as an edit of the node it feeds', () => {
    const doc = chain()
    const next = applyOp(doc, {
      type: 'connect',
      edge: { from: { node: 'x', port: 'value' }, to: { node: 'side', port: 'b' } },
    })
    expect([...graphChanges(doc, next).affected]).toEqual(['side'])
  })

  it('reports removed nodes', () => {
    const doc = chain()
    const next = applyOp(doc, { type: 'removeNodes', ids: ['side'] })
    expect(graphChanges(doc, next).removed).toEqual(['side'])
  })
})

describe('nodes waiting for a connection', () => {
  it('are reported apart from failures', async () => {
    const { store, runs, controller } = setup()
    store.dispatch({ type: 'removeNodes', ids: ['sum'] })
    await controller.run()
    expect(controller.lastRun?.failed).toEqual([])
    expect(controller.lastRun?.needsInput).toEqual(['more'])
    expect(runs.getSummary()).toMatchObject({ failed: 0, waiting: 1 })
  })
})

describe('progressive results', () => {
  /** The local runner, but node `more` waits for `release()` before it runs. */
  function gatedSetup() {
    const local = createLocalRunner(testRegistry)
    let open: () => void = () => {}
    let gate = Promise.resolve()
    const runner: NodeRunner = {
      run: async (job, ctx) => {
        if (job.node === 'more') await gate
        return local.run(job, ctx)
      },
    }
    const runtime: RunRuntime = {
      runner,
      cache: new MemoryCache(),
      files: {
        resolve: () => Promise.reject(new Error('no files')),
        add: () => Promise.resolve(''),
      },
      prepare: () => undefined,
      warm: () => undefined,
      onPreview: () => () => undefined,
    }
    const store = new GraphStore(chain())
    const runs = new RunStore((flush) => queueMicrotask(flush))
    const controller = new RunController({
      store,
      runs,
      registry: testRegistry,
      runtime: () => runtime,
    })
    controller.setAuto(false)
    store.subscribe(controller.onDocChange)
    return {
      store,
      runs,
      controller,
      hold: () => {
        gate = new Promise<void>((resolve) => (open = resolve))
      },
      release: () => open(),
    }
  }

  it("shows each node's outputs as soon as it finishes, before the run ends", async () => {
    const { runs, controller, hold, release } = gatedSetup()
    hold()
    const running = controller.run()
    await vi.waitFor(() =>
      expect(runs.get('sum').outputs?.sum).toEqual({ kind: 'number', value: 5 }),
    )
    expect(runs.get('sum').state).toBe('done')
    expect(runs.get('side').state).toBe('done')
    expect(controller.running).toBe(true)
    expect(runs.get('more').outputs).toBeUndefined()
    release()
    await running
    expect(runs.get('more').outputs?.sum).toEqual({ kind: 'number', value: 15 })
  })

  it('keeps an old result in view, marked outdated, until the new one arrives; never "done" beside it', async () => {
    const { store, runs, controller, hold, release } = gatedSetup()
    await controller.run()
    const seen: { state: string; value: unknown; stale: boolean }[] = []
    runs.subscribeNode('more', () => {
      const run = runs.get('more')
      seen.push({ state: run.state, value: run.outputs?.sum, stale: run.stale })
    })
    hold()
    store.dispatch({ type: 'setParam', node: 'x', param: 'value', value: 4 })
    const running = controller.run()
    await vi.waitFor(() =>
      expect(runs.get('sum').outputs?.sum).toEqual({ kind: 'number', value: 7 }),
    )
    expect(runs.get('more')).toMatchObject({ stale: true, outputs: { sum: { value: 15 } } })
    expect(['queued', 'running']).toContain(runs.get('more').state)
    release()
    await running
    expect(runs.get('more')).toMatchObject({ state: 'done', stale: false })
    expect(runs.get('more').outputs?.sum).toEqual({ kind: 'number', value: 17 })
    const old = { kind: 'number', value: 15 }
    expect(
      seen.filter((s) => s.state === 'done' && JSON.stringify(s.value) === JSON.stringify(old)),
    ).toEqual([])
    expect(seen.filter((s) => JSON.stringify(s.value) === JSON.stringify(old) && !s.stale)).toEqual(
      [],
    )
  })

  it('shows a picture in progress while the node runs, and drops it when it settles', () => {
    const runs = new RunStore((flush) => queueMicrotask(flush))
    const image = {
      kind: 'image' as const,
      width: 1,
      height: 1,
      channels: [new Float32Array([0.5])],
    }
    runs.begin(['n'])
    runs.setLive('n', image) // not running yet: ignored
    expect(runs.get('n').live).toBeUndefined()
    runs.onEvent({ type: 'state', node: 'n', state: 'running' })
    runs.setLive('n', image)
    expect(runs.get('n').live).toBe(image)
    runs.onEvent({ type: 'state', node: 'n', state: 'done', outputs: { image } })
    expect(runs.get('n').live).toBeUndefined()
    expect(runs.get('n').outputs?.image).toBe(image)
  })
})

describe('automatic runs after edits', () => {
  function autoSetup() {
    const made = setup()
    made.controller.setAuto(true)
    return made
  }
  const node = (id: string, type: string) => ({
    id,
    type,
    params: {},
    position: { x: 0, y: 0 },
    mode: 'normal' as const,
  })

  it('do not start for a node added with a required input unconnected; Run still runs it', async () => {
    const { store, runs, controller } = autoSetup()
    await controller.run()
    const before = controller.runCount
    store.dispatch({ type: 'addNodes', nodes: [node('lonely', 'test/add')] })
    await new Promise((resolve) => setTimeout(resolve, 400)) // past the 250 ms auto delay
    expect(controller.runCount).toBe(before)
    expect(runs.get('lonely').state).toBe('idle')
    expect(runs.getSummary().waiting).toBe(0) // no run has finished since
    await controller.run()
    expect(runs.get('lonely').state).toBe('needs-input')
    expect(controller.lastRun?.needsInput).toEqual(['lonely'])
  })

  it('run once it is connected, leaving out other nodes that still wait', async () => {
    const { store, runs, controller } = autoSetup()
    await controller.run()
    store.dispatch({
      type: 'addNodes',
      nodes: [node('fresh', 'test/add'), node('other', 'test/add')],
    })
    const before = controller.runCount
    store.dispatch({
      type: 'connect',
      edge: { from: { node: 'x', port: 'value' }, to: { node: 'fresh', port: 'a' } },
    })
    await vi.waitFor(() => expect(controller.runCount).toBe(before + 1))
    await vi.waitFor(() => expect(controller.running).toBe(false))
    expect(runs.get('fresh').outputs?.sum).toEqual({ kind: 'number', value: 2 })
    expect(runs.get('other').state).toBe('idle')
    expect(runs.getSummary().waiting).toBe(1)
  })
})
