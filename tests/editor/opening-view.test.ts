import { describe, expect, it } from 'vitest'
import { openingTransform, type Rect } from '../../src/editor/canvas/opening-view'

const view = { width: 1200, height: 800 }
const node = (x: number, y: number, height = 300): Rect => ({ x, y, width: 260, height })

/** Where an area point lands on screen under a transform. */
const screen = (t: { x: number; y: number; k: number }, x: number, y: number) => ({
  x: t.x + x * t.k,
  y: t.y + y * t.k,
})

describe('the opening view', () => {
  it('centres a graph that fits at a readable size, never above its real size', () => {
    const t = openingTransform([node(0, 0), node(400, 0)], view)
    expect(t.k).toBe(1)
    const middle = screen(t, 330, 150)
    expect(middle.x).toBeCloseTo(600)
    expect(middle.y).toBeCloseTo(400)
  })

  it('shows a big graph at the minimum zoom from its sources rather than all of it tiny', () => {
    const chain = Array.from({ length: 8 }, (_, i) => node(i * 350, -150))
    const t = openingTransform(chain, view, { minZoom: 0.75, margin: 48 })
    expect(t.k).toBe(0.75)
    expect(screen(t, 0, 0).x).toBeCloseTo(48)
    expect(screen(t, 0, 0).y).toBeCloseTo(400) // the chain's line in the middle
  })

  it('frames the sources vertically when the first screenful is too tall to fit', () => {
    const rects = [node(0, -150), node(350, -1200, 1000), node(350, 100, 1000), node(3000, 0)]
    const t = openingTransform(rects, view, { minZoom: 0.75, margin: 48 })
    expect(screen(t, 0, 0).y).toBeCloseTo(400)
  })

  it('leaves no empty canvas above the first screenful when the sources sit at its top', () => {
    const rects = [node(0, 0), node(350, 0, 1400), node(3000, 0)]
    const t = openingTransform(rects, view, { minZoom: 0.75, margin: 48 })
    expect(screen(t, 0, 0).y).toBeCloseTo(48)
  })
})
