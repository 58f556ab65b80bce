import { describe, expect, it } from 'vitest'
import { GraphStore } from '../../src/editor/store/graph-store'
import { applyOp } from '../../src/editor/store/operations'
import { createNode } from '../../src/editor/store/node-factory'
import { constant, graphOf } from '../helpers/test-nodes'

const base = () =>
  graphOf(
    [
      { id: 'x', type: 'test/constant', params: { value: 2 } },
      { id: 'sum', type: 'test/add' },
      { id: 'more', type: 'test/add' },
    ],
    ['x.value->sum.a', 'sum.sum->more.a'],
  )

function clockStore() {
  let t = 0
  const store = new GraphStore(base(), () => t)
  return { store, tick: (ms: number) => (t += ms) }
}

describe('document operations', () => {
  it('returns the same document when an operation changes nothing', () => {
    const doc = base()
    expect(applyOp(doc, { type: 'setParam', node: 'x', param: 'value', value: 2 })).toBe(doc)
    expect(applyOp(doc, { type: 'removeNodes', ids: ['nope'] })).toBe(doc)
    expect(applyOp(doc, { type: 'moveNodes', positions: { x: { x: 0, y: 0 } } })).toBe(doc)
  })

  it('removes a node together with every edge that touches it', () => {
    const doc = applyOp(base(), { type: 'removeNodes', ids: ['sum'] })
    expect(doc.nodes.map((n) => n.id)).toEqual(['x', 'more'])
    expect(doc.edges).toEqual([])
  })

  it('replaces the connection of an input that was already fed', () => {
    const doc = applyOp(base(), {
      type: 'connect',
      edge: { from: { node: 'x', port: 'value' }, to: { node: 'more', port: 'a' } },
    })
    const intoMore = doc.edges.filter((e) => e.to.node === 'more')
    expect(intoMore).toEqual([
      { from: { node: 'x', port: 'value' }, to: { node: 'more', port: 'a' } },
    ])
  })

  it('never mutates the document it is given', () => {
    const doc = base()
    const frozen = JSON.stringify(doc)
    applyOp(doc, { type: 'setParam', node: 'x', param: 'value', value: 5 })
    applyOp(doc, { type: 'setMode', ids: ['x'], mode: 'mute' })
    applyOp(doc, { type: 'setLabel', node: 'x', label: 'Root' })
    expect(JSON.stringify(doc)).toBe(frozen)
  })

  it('clears a label set to blank', () => {
    const named = applyOp(base(), { type: 'setLabel', node: 'x', label: 'Root' })
    const cleared = applyOp(named, { type: 'setLabel', node: 'x', label: '  ' })
    expect(cleared.nodes[0]).not.toHaveProperty('label')
  })
})

describe('the graph store', () => {
  it('undoes and redoes every kind of edit', () => {
    const { store } = clockStore()
    const original = store.doc
    store.dispatch({ type: 'addNodes', nodes: [createNode(constant, 'c', { x: 10, y: 20 })] })
    store.dispatch({ type: 'setParam', node: 'c', param: 'value', value: 7 })
    store.dispatch({ type: 'setMode', ids: ['sum'], mode: 'bypass' })
    store.dispatch({ type: 'removeNodes', ids: ['more'] })
    const edited = store.doc
    for (let i = 0; i < 4; i++) expect(store.undo()).toBe(true)
    expect(store.doc).toBe(original)
    expect(store.undo()).toBe(false)
    for (let i = 0; i < 4; i++) expect(store.redo()).toBe(true)
    expect(store.doc).toBe(edited)
  })

  it('merges a slider drag into one undo step', () => {
    const { store, tick } = clockStore()
    for (const value of [3, 4, 5, 6]) {
      tick(50)
      store.dispatch(
        { type: 'setParam', node: 'x', param: 'value', value },
        { coalesce: 'param:x:value' },
      )
    }
    expect(store.doc.nodes[0].params.value).toBe(6)
    store.undo()
    expect(store.doc.nodes[0].params.value).toBe(2)
    expect(store.getSnapshot().canUndo).toBe(false)
  })

  it('starts a new step after the drag is sealed or after a pause', () => {
    const { store, tick } = clockStore()
    const set = (value: number) =>
      store.dispatch({ type: 'setParam', node: 'x', param: 'value', value }, { coalesce: 'k' })
    set(3)
    store.seal()
    set(4)
    tick(5000)
    set(5)
    store.undo()
    expect(store.doc.nodes[0].params.value).toBe(4)
    store.undo()
    expect(store.doc.nodes[0].params.value).toBe(3)
  })

  it('records nothing for an edit that changes nothing', () => {
    const { store } = clockStore()
    expect(store.dispatch({ type: 'setParam', node: 'x', param: 'value', value: 2 })).toBe(false)
    expect(store.getSnapshot().canUndo).toBe(false)
  })

  it('forgets the redo branch after a new edit', () => {
    const { store } = clockStore()
    store.dispatch({ type: 'setMode', ids: ['x'], mode: 'mute' })
    store.undo()
    store.dispatch({ type: 'setMode', ids: ['x'], mode: 'bypass' })
    expect(store.redo()).toBe(false)
    expect(store.doc.nodes[0].mode).toBe('bypass')
  })

  it('applies a batch of operations as one step', () => {
    const { store } = clockStore()
    store.dispatch([
      { type: 'setParam', node: 'x', param: 'value', value: 9 },
      { type: 'moveNodes', positions: { x: { x: 100, y: 50 } } },
    ])
    store.undo()
    expect(store.doc.nodes[0].params.value).toBe(2)
    expect(store.doc.nodes[0].position).toEqual({ x: 0, y: 0 })
  })

  it('tells subscribers the new and previous documents', () => {
    const { store } = clockStore()
    const seen: [number, number][] = []
    const stop = store.subscribe((doc, prev) => seen.push([doc.nodes.length, prev.nodes.length]))
    store.dispatch({ type: 'removeNodes', ids: ['x'] })
    store.undo()
    stop()
    store.redo()
    expect(seen).toEqual([
      [2, 3],
      [3, 2],
    ])
  })

  it('keeps its snapshot stable until something changes', () => {
    const { store } = clockStore()
    const a = store.getSnapshot()
    expect(store.getSnapshot()).toBe(a)
    store.dispatch({ type: 'setMode', ids: ['x'], mode: 'mute' })
    expect(store.getSnapshot()).not.toBe(a)
    expect(store.getSnapshot().undoLabel).toBe('mute')
  })
})
