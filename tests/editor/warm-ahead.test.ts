import { describe, expect, it } from 'vitest'
import { defineNode } from '../../src/engine/define-node'
import type { GraphNode } from '../../src/engine/document'
import { createRegistry } from '../../src/engine/registry'
import { warmAhead } from '../../src/editor/run/warm-ahead'
import { graphOf, testRegistry } from '../helpers/test-nodes'

/** A node that loads something ahead (as the diffusion node loads its sessions). */
const heavy = defineNode({
  type: 'test/heavy',
  version: 1,
  title: 'Heavy',
  category: 'Test',
  description: 'Loads ahead.',
  inputs: { a: 'number' },
  outputs: { value: 'number' },
  params: {},
  runtime: 'gpu',
  prepare: () => Promise.resolve(),
  run: ({ a }) => ({ value: a }),
})
const registry = createRegistry([...testRegistry.all(), heavy])

// x -> heavy ; y alone
const graph = graphOf(
  [
    { id: 'x', type: 'test/constant', params: { value: 2 } },
    { id: 'y', type: 'test/constant', params: { value: 3 } },
    { id: 'h', type: 'test/heavy', params: {} },
  ],
  ['x.value->h.a'],
)
const running = (node: string) => ({ type: 'state' as const, node, state: 'running' as const })

describe('warmAhead', () => {
  it('warms a node once, when a node it depends on starts computing in the run', () => {
    const warmed: GraphNode[] = []
    const listen = warmAhead(graph, new Set(['x', 'y', 'h']), registry, (n) => warmed.push(n))
    listen(running('y')) // not upstream of h
    listen({ type: 'state', node: 'x', state: 'queued' })
    listen({ type: 'state', node: 'x', state: 'cached' })
    expect(warmed).toEqual([])
    listen(running('x'))
    listen(running('x'))
    listen(running('h'))
    expect(warmed.map((n) => n.id)).toEqual(['h'])
  })

  it('warms nothing the run does not visit, nor nodes without prepare', () => {
    const warmed: GraphNode[] = []
    const listen = warmAhead(graph, new Set(['x', 'y']), registry, (n) => warmed.push(n))
    for (const id of ['x', 'y', 'h']) listen(running(id))
    expect(warmed).toEqual([])
  })
})
