import { describe, expect, it } from 'vitest'
import { checkConnection } from '../../src/editor/store/connect-check'
import { graphOf, testRegistry } from '../helpers/test-nodes'

const doc = graphOf(
  [
    { id: 'c', type: 'test/constant' },
    { id: 'a1', type: 'test/add' },
    { id: 'a2', type: 'test/add' },
    { id: 'img', type: 'test/to-image' },
    { id: 'img2', type: 'test/to-image' },
  ],
  ['c.value->a1.a', 'a1.sum->a2.a', 'a2.sum->img.a'],
)
const port = (node: string, p: string) => ({ node, port: p })

describe('connection rules', () => {
  it('allows an output into an input of the same kind', () => {
    expect(checkConnection(doc, testRegistry, port('c', 'value'), port('a2', 'b'))).toEqual({
      ok: true,
    })
  })

  it('refuses different kinds and says which kinds', () => {
    const check = checkConnection(doc, testRegistry, port('img', 'image'), port('img2', 'a'))
    expect(check.ok).toBe(false)
    if (!check.ok) expect(check.reason).toMatch(/Image cannot go into number/)
  })

  it('refuses a loop', () => {
    const check = checkConnection(doc, testRegistry, port('a2', 'sum'), port('a1', 'b'))
    expect(check.ok).toBe(false)
    if (!check.ok) expect(check.reason).toMatch(/loop/)
  })

  it('refuses a node feeding itself', () => {
    const check = checkConnection(doc, testRegistry, port('a1', 'sum'), port('a1', 'b'))
    expect(check.ok).toBe(false)
  })
})
