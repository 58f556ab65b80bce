import { describe, expect, it } from 'vitest'
import { byCategory, searchNodes } from '../../src/editor/panels/search'
import { testRegistry } from '../helpers/test-nodes'

describe('the node palette search', () => {
  const all = testRegistry.all()

  it('ranks title matches first and needs every word', () => {
    expect(searchNodes(all, 'add')[0].type).toBe('test/add')
    expect(searchNodes(all, 'file size').map((d) => d.type)).toEqual(['test/file-size'])
    expect(searchNodes(all, 'nothing like this')).toEqual([])
  })

  it('offers only nodes that fit a dragged connection', () => {
    const takesImage = searchNodes(all, '', { side: 'input', kind: 'image' }).map((d) => d.type)
    expect(takesImage.sort()).toEqual(['test/nan', 'test/to-image'])
  })

  it('groups by category', () => {
    expect(byCategory(all).map(([c]) => c)).toEqual(['Test'])
  })
})
