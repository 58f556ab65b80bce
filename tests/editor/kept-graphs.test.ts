import { describe, expect, it } from 'vitest'
import type { GraphDocument } from '../../src/engine/document'
import { contentOf } from '../../src/editor/library/open'

const graph: GraphDocument = {
  format: 'synesthete-graph',
  version: 2,
  name: 'First light',
  description: 'notes',
  nodes: [
    { id: 'a', type: 'audio/load', params: {}, position: { x: 0, y: 0 }, mode: 'normal' },
    {
      id: 'b',
      type: 'audio/output',
      params: { name: 'x' },
      position: { x: 300, y: 0 },
      mode: 'normal',
    },
  ],
  edges: [{ from: { node: 'a', port: 'audio' }, to: { node: 'b', port: 'audio' } }],
}

describe('what counts as an edit when deciding whether to keep a graph', () => {
  it('sees no edit in a graph that was only laid out again, renamed or annotated', () => {
    const laidOut = {
      ...graph,
      name: 'Other',
      description: undefined,
      nodes: graph.nodes.map((n, i) => ({ ...n, position: { x: 17 * i, y: 400 - i } })),
    }
    expect(contentOf(laidOut)).toBe(contentOf(graph))
  })

  it('sees a changed setting, mode, label, node or connection', () => {
    const [a, b] = graph.nodes
    const edits: GraphDocument[] = [
      { ...graph, nodes: [a, { ...b, params: { name: 'y' } }] },
      { ...graph, nodes: [a, { ...b, mode: 'mute' }] },
      { ...graph, nodes: [a, { ...b, label: 'mine' }] },
      { ...graph, nodes: [a] },
      { ...graph, edges: [] },
    ]
    for (const edited of edits) expect(contentOf(edited)).not.toBe(contentOf(graph))
  })
})
