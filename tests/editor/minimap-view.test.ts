import { describe, expect, it } from 'vitest'
import { shapeOf } from '../../src/editor/canvas/MinimapView'

const box = (left: number, top: number, width: number, height: number) => ({
  left,
  top,
  width,
  height,
})

describe("the minimap's node rectangles", () => {
  const nodes = [box(0.1, 0.2, 0.05, 0.08), box(0.3, 0.2, 0.05, 0.12), box(0.2, 0.5, 0.05, 0.04)]

  it('keep their shape when the minimap is panned or rescaled, so they are not drawn again', () => {
    // Every rectangle moved by (0.07, -0.03) and scaled by 0.6 about the origin, as the
    // minimap's framing does when the view moves past the nodes.
    const moved = nodes.map((n) =>
      box((n.left + 0.07) * 0.6, (n.top - 0.03) * 0.6, n.width * 0.6, n.height * 0.6),
    )
    expect(shapeOf(moved)).toBe(shapeOf(nodes))
  })

  it('change when one node moves or resizes', () => {
    const moved = nodes.map((n, i) => (i === 2 ? box(n.left + 0.01, n.top, n.width, n.height) : n))
    expect(shapeOf(moved)).not.toBe(shapeOf(nodes))
    const taller = nodes.map((n, i) => (i === 1 ? box(n.left, n.top, n.width, 0.2) : n))
    expect(shapeOf(taller)).not.toBe(shapeOf(nodes))
  })

  it('are given in widths of the first node, from its corner', () => {
    expect(shapeOf(nodes).split(';')[1]).toBe('4.0000,0.0000,1.0000,2.4000')
    expect(shapeOf([])).toBe('')
  })
})
