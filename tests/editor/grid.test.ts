import { describe, expect, it } from 'vitest'
import { gridTile } from '../../src/editor/canvas/grid'

describe('the canvas grid', () => {
  it('scales its spacing with the zoom', () => {
    expect(gridTile({ x: 0, y: 0, k: 1 }).size).toBe(22)
    expect(gridTile({ x: 0, y: 0, k: 2 }).size).toBe(44)
  })

  it('leaves out every other dot when zoomed far out, so dots never crowd', () => {
    expect(gridTile({ x: 0, y: 0, k: 0.5 }).size).toBe(22) // 11 px doubled
    expect(gridTile({ x: 0, y: 0, k: 0.25 }).size).toBe(22)
    expect(gridTile({ x: 0, y: 0, k: 0.3 }).size).toBeCloseTo(26.4)
  })

  it('shifts by less than one tile, in step with the view, whichever way it pans', () => {
    expect(gridTile({ x: 50, y: -50, k: 1 })).toEqual({ size: 22, x: 6, y: 16 })
    const a = gridTile({ x: 13, y: 0, k: 1 })
    const b = gridTile({ x: 13 + 22 * 7, y: 0, k: 1 })
    expect(b.x).toBeCloseTo(a.x)
  })
})
