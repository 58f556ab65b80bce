import { describe, expect, it } from 'vitest'
import {
  curveCrosses,
  curvePath,
  roundedPath,
  squareRoute,
  wirePath,
  type Box,
  type Pt,
} from '../../src/editor/canvas/routing'

const box = (x: number, y: number, width = 176, height = 140): Box => ({ x, y, width, height })

/** Whether a square route's segments keep clear of every box (the stubs at its ends aside). */
function clearOf(route: Pt[], boxes: Box[]): boolean {
  for (let i = 1; i < route.length - 2; i++) {
    const [a, b] = [route[i], route[i + 1]]
    for (const r of boxes) {
      const overlapsX = Math.max(a.x, b.x) > r.x && Math.min(a.x, b.x) < r.x + r.width
      const overlapsY = Math.max(a.y, b.y) > r.y && Math.min(a.y, b.y) < r.y + r.height
      if (overlapsX && overlapsY) return false
    }
  }
  return true
}

describe('wires', () => {
  it('stay the classic curve between neighbours', () => {
    const [a, b] = [box(0, 0), box(222, 0)]
    const start = { x: 176, y: 57 }
    const end = { x: 222, y: 57 }
    expect(curveCrosses(start, end, [a, b])).toBe(false)
    expect(wirePath(start, end, [a, b])).toBe(curvePath(start, end))
    // rete-render-utils' classicConnectionPath, curvature 0.3: the same path.
    expect(curvePath({ x: 0, y: 0 }, { x: 100, y: 40 })).toBe('M 0 0 C 30 0 70 40 100 40')
  })

  it('run along the gap between two rows rather than behind the node in the way', () => {
    // A row of three at y 0, a row of three at y 200: from the first column's lower node up to
    // the third column's upper node, past the middle column.
    const boxes = [box(0, 0), box(222, 0), box(444, 0), box(0, 200), box(222, 200), box(444, 200)]
    const start = { x: 176, y: 260 }
    const end = { x: 444, y: 60 }
    expect(curveCrosses(start, end, boxes)).toBe(true)
    const route = squareRoute(start, end, boxes)!
    expect(route).toBeDefined()
    expect(clearOf(route, boxes)).toBe(true)
    // The lane is the gap between the rows (140 to 200), down its middle.
    expect(route[2].y).toBeGreaterThan(140)
    expect(route[2].y).toBeLessThan(200)
    expect(route[0]).toEqual(start)
    expect(route[route.length - 1]).toEqual(end)
    expect(wirePath(start, end, boxes)).toBe(roundedPath(route))
  })

  it('go back over the top when no gap between the nodes is free', () => {
    // A wire back from the second column's output to the first column's lower node, the
    // columns full from top to bottom.
    const boxes = [box(0, 0, 176, 180), box(0, 185, 176, 300), box(222, 0, 176, 500)]
    const start = { x: 398, y: 57 }
    const end = { x: 0, y: 250 }
    const route = squareRoute(start, end, boxes)!
    expect(route).toBeDefined()
    expect(clearOf(route, boxes)).toBe(true)
    expect(route[2].y).toBeLessThan(0) // above every node
    expect(route[1].x).toBeGreaterThan(398) // out of the output first
    expect(route[3].x).toBeLessThan(0) // into the input from its left
  })

  it('keep the curve where no square route is free either', () => {
    // Boxes right where both stubs turn: nothing square can pass.
    const boxes = [box(0, 0), box(186, -500, 20, 2000), box(300, 0)]
    const start = { x: 176, y: 50 }
    const end = { x: 300, y: 50 }
    expect(squareRoute(start, end, boxes)).toBeUndefined()
    expect(wirePath(start, end, boxes)).toBe(curvePath(start, end))
  })

  it('round their corners, no wider than half a segment', () => {
    const d = roundedPath([
      { x: 0, y: 0 },
      { x: 14, y: 0 },
      { x: 14, y: 100 },
      { x: 100, y: 100 },
    ])
    expect(d).toBe('M 0 0 L 7 0 Q 14 0 14 7 L 14 90 Q 14 100 24 100 L 100 100')
  })
})
