import { describe, expect, it } from 'vitest'
import { clipFromText, clipToText, copyNodes, pasteNodes } from '../../src/editor/store/clipboard'
import { applyOp } from '../../src/editor/store/operations'
import { newNodeId } from '../../src/editor/store/node-factory'
import { graphOf, testRegistry } from '../helpers/test-nodes'

const doc = () =>
  graphOf(
    [
      { id: 'constant-1', type: 'test/constant', position: { x: 100, y: 100 } },
      { id: 'add-1', type: 'test/add', position: { x: 300, y: 120 } },
      { id: 'add-2', type: 'test/add', position: { x: 500, y: 140 } },
    ],
    ['constant-1.value->add-1.a', 'add-1.sum->add-2.a'],
  )

describe('copy and paste', () => {
  it('copies the links between copied nodes and drops links to the rest', () => {
    const clip = copyNodes(doc(), ['constant-1', 'add-1'])
    expect(clip.nodes.map((n) => n.id)).toEqual(['constant-1', 'add-1'])
    expect(clip.edges).toHaveLength(1)
  })

  it('gives pasted nodes fresh ids and rewires their links to them', () => {
    const graph = doc()
    const pasted = pasteNodes(graph, copyNodes(graph, ['constant-1', 'add-1']), {
      offset: { x: 40, y: 40 },
    })
    expect(pasted.nodes.map((n) => n.id)).toEqual(['constant-2', 'add-3'])
    expect(pasted.edges).toEqual([
      { from: { node: 'constant-2', port: 'value' }, to: { node: 'add-3', port: 'a' } },
    ])
    expect(pasted.nodes[0].position).toEqual({ x: 140, y: 140 })
    const after = applyOp(graph, { type: 'addNodes', nodes: pasted.nodes, edges: pasted.edges })
    expect(after.nodes).toHaveLength(5)
    expect(after.edges).toHaveLength(3)
  })

  it('places a paste with its top-left corner at the pointer', () => {
    const graph = doc()
    const pasted = pasteNodes(graph, copyNodes(graph, ['add-1', 'add-2']), { at: { x: 0, y: 0 } })
    expect(pasted.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 200, y: 20 },
    ])
  })

  it('does not share objects between the original and the copy', () => {
    const graph = doc()
    const clip = copyNodes(graph, ['constant-1'])
    clip.nodes[0].params.value = 99
    expect(graph.nodes[0].params).toEqual({})
  })

  it('round-trips through clipboard text and rejects text that is not a graph', () => {
    const clip = copyNodes(doc(), ['constant-1', 'add-1'])
    const back = clipFromText(clipToText(clip), testRegistry)
    expect(back?.nodes.map((n) => n.id)).toEqual(['constant-1', 'add-1'])
    expect(clipFromText('hello', testRegistry)).toBeUndefined()
    expect(clipFromText('{"format":"other"}', testRegistry)).toBeUndefined()
  })

  it('makes readable ids that skip the taken ones', () => {
    expect(newNodeId(new Set(['griffin-lim-1']), 'dsp/griffin-lim')).toBe('griffin-lim-2')
    expect(newNodeId(new Set(), 'Weird Type!!')).toBe('weird-type-1')
  })
})
