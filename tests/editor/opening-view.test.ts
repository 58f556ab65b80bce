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

  it('frames a whole graph clear of the overlays, larger than between bands of the view', () => {
    // Two rows of five nodes; a hint across the top middle, a minimap in the bottom-right corner.
    const rects = [0, 1, 2, 3, 4].flatMap((i) => [
      { x: i * 240, y: 0, width: 220, height: 220 },
      { x: i * 240, y: 260, width: 220, height: i === 4 ? 120 : 220 },
    ])
    const hint = { x: 300, y: 0, width: 600, height: 100 }
    const minimap = { x: 1000, y: 620, width: 200, height: 180 }
    const insets = { top: 100, right: 200, bottom: 0, left: 0 }
    const t = openingTransform(rects, view, { covers: [hint, minimap], insets, minZoom: 0.5 })
    const banded = Math.min((1200 - 200 - 48) / 1180, (800 - 100 - 48) / 480)
    expect(t.k).toBeGreaterThan(banded * 1.05)
    for (const r of rects) {
      const a = screen(t, r.x, r.y)
      const b = screen(t, r.x + r.width, r.y + r.height)
      expect(a.x).toBeGreaterThanOrEqual(24 - 1e-9)
      expect(a.y).toBeGreaterThanOrEqual(24 - 1e-9)
      expect(b.x).toBeLessThanOrEqual(1200 - 24 + 1e-9)
      expect(b.y).toBeLessThanOrEqual(800 - 24 + 1e-9)
      for (const c of [hint, minimap]) {
        const apart = b.x <= c.x || a.x >= c.x + c.width || b.y <= c.y || a.y >= c.y + c.height
        expect(apart).toBe(true)
      }
    }
  })

  it('never frames a graph below the readable zoom when it does not fit whole', () => {
    const chain = Array.from({ length: 8 }, (_, i) => node(i * 350, 0))
    const covers = [{ x: 1000, y: 600, width: 200, height: 200 }]
    const t = openingTransform(chain, view, { minZoom: 0.75, covers })
    expect(t.k).toBe(0.75)
  })
})
