import { describe, expect, it } from 'vitest'
import {
  curveCrosses,
  curvePath,
  roundedPath,
  routeWires,
  squareRoute,
  wirePath,
  type Box,
  type Pt,
  type Wire,
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

  describe('routed together', () => {
    // Two outputs of one node in the second column (a full column), both back to inputs of the
    // first column's lower node: alone, each goes over the top along the same lane, up the same
    // turn out of the node and down the same turn into the inputs.
    const boxes = [box(0, 0, 176, 180), box(0, 185, 176, 300), box(222, 0, 176, 500)]
    const wires: Wire[] = [
      { id: 'w1', output: 'split.red', start: { x: 398, y: 57 }, end: { x: 0, y: 250 } },
      { id: 'w2', output: 'split.green', start: { x: 398, y: 90 }, end: { x: 0, y: 280 } },
    ]

    /** The corner points of a path drawn by roundedPath: where its straight runs meet. */
    const corners = (d: string): Pt[] => {
      const t = d.split(/\s+/)
      const points: Pt[] = []
      for (let i = 0; i < t.length; i++)
        if (t[i] === 'M' || t[i] === 'L') points.push({ x: +t[i + 1], y: +t[i + 2] })
        else if (t[i] === 'Q') points.push({ x: +t[i + 3], y: +t[i + 4] })
      return points
    }
    /** Straight runs of two paths that lie along each other (parallel, under 6 px apart). */
    const shared = (d1: string, d2: string) => {
      const runs = (d: string) => {
        const p = corners(d)
        return p.slice(1).map((b, i) => [p[i], b] as const)
      }
      const found: string[] = []
      for (const [a, b] of runs(d1))
        for (const [c, e] of runs(d2))
          for (const [axis, other] of [
            ['x', 'y'],
            ['y', 'x'],
          ] as const) {
            const flat = (p: Pt, q: Pt) => Math.abs(p[axis] - q[axis]) < 0.5
            if (!flat(a, b) || !flat(c, e) || Math.abs(a[axis] - c[axis]) >= 6) continue
            const low = Math.max(Math.min(a[other], b[other]), Math.min(c[other], e[other]))
            const high = Math.min(Math.max(a[other], b[other]), Math.max(c[other], e[other]))
            if (high - low > 1) found.push(`${axis} = ${a[axis]}`)
          }
      return found
    }

    it('alone, they would share a lane (what routing together must undo)', () => {
      const alone = wires.map((w) => wirePath(w.start, w.end, boxes))
      expect(shared(alone[0], alone[1]).length).toBeGreaterThan(0)
    })

    it('keep wires of different outputs apart, each still clear of every node', () => {
      const paths = routeWires(wires, boxes)
      const [d1, d2] = [paths.get('w1')!, paths.get('w2')!]
      expect(shared(d1, d2)).toEqual([])
      for (const d of [d1, d2]) {
        const route = corners(d)
        expect(route[0].x).toBe(398)
        expect(clearOf(route, boxes)).toBe(true)
        expect(route[route.length - 1].x).toBe(0)
      }
      // The shorter way round (from the upper output to the upper input) keeps the route it has
      // alone, inside; the other steps outside it, so they nest without crossing, whatever
      // order the wires come in.
      expect(d1).toBe(wirePath(wires[0].start, wires[0].end, boxes))
      expect(d2).not.toBe(wirePath(wires[1].start, wires[1].end, boxes))
      const [inner, outer] = [corners(d1), corners(d2)]
      expect(outer[2].x).toBeGreaterThan(inner[2].x) // out of the node further right
      expect(Math.min(...outer.map((p) => p.y))).toBeLessThan(Math.min(...inner.map((p) => p.y)))
      expect(Math.min(...outer.map((p) => p.x))).toBeLessThan(Math.min(...inner.map((p) => p.x)))
      const reversed = routeWires([...wires].reverse(), boxes)
      expect([reversed.get('w1'), reversed.get('w2')]).toEqual([d1, d2])
    })

    it('let wires of one output share their lane, and leave curves as they are', () => {
      const one = wires.map((w) => ({ ...w, output: 'split.red' }))
      const paths = routeWires(one, boxes)
      for (const w of one) expect(paths.get(w.id)).toBe(wirePath(w.start, w.end, boxes))
      const neighbours = [box(0, 0), box(222, 0)]
      const curve = { id: 'c', output: 'a.x', start: { x: 176, y: 57 }, end: { x: 222, y: 57 } }
      expect(routeWires([curve], neighbours).get('c')).toBe(curvePath(curve.start, curve.end))
    })
  })
})
