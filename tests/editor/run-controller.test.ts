import { describe, expect, it, vi } from 'vitest'
import { MemoryCache } from '../../src/engine/cache'
import { createLocalRunner } from '../../src/engine/runner'
import { graphChanges } from '../../src/editor/run/changes'
import { RunController } from '../../src/editor/run/run-controller'
import { RunStore } from '../../src/editor/run/run-store'
import { GraphStore } from '../../src/editor/store/graph-store'
import { applyOp } from '../../src/editor/store/operations'
import type { BrowserRuntime } from '../../src/runtime/types'
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
  const runtime: BrowserRuntime = {
    runner: createLocalRunner(testRegistry),
    cache: new MemoryCache(),
    files: {
      resolve: (ref) => Promise.reject(new Error(`no file ${ref}`)),
      add: () => Promise.resolve('blob:x'),
    },
    dispose: () => {},
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
  return { store, runs, controller }
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

  it('gives back their earlier state to nodes a run skipped', async () => {
    const { runs, controller } = setup()
    await controller.run()
    await controller.run(['more'])
    // more is cached, so its ancestors are never visited and must not stay "queued"
    expect(runs.get('x').state).toBe('done')
    expect(runs.get('x').outputs).toBeDefined()
  })

  it('shows an unconnected input as an error in words', async () => {
    const { store, runs, controller } = setup()
    store.dispatch({
      type: 'disconnect',
      edge: { from: { node: 'sum', port: 'sum' }, to: { node: 'more', port: 'a' } },
    })
    await controller.run()
    expect(runs.get('more').state).toBe('error')
    expect(runs.get('more').error?.message).toMatch(/not connected/)
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
