import { describe, expect, it } from 'vitest'
import { withNodeNames } from '../../src/editor/nodes/node-names'
import { graphOf, testRegistry } from '../helpers/test-nodes'

describe('node names in messages', () => {
  const doc = graphOf([
    { id: 'x', type: 'test/constant', label: 'Root' },
    { id: 'sum', type: 'test/add' },
  ])

  it('replaces quoted node ids with what the person calls the node', () => {
    expect(withNodeNames('Waiting on input "a": "x" failed.', doc, testRegistry)).toBe(
      'Waiting on input "a": “Root” failed.',
    )
    expect(withNodeNames('"sum" is muted', doc, testRegistry)).toBe('“Add” is muted')
  })
})
