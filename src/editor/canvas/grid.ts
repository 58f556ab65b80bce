import type { AreaPlugin } from 'rete-area-plugin'
import type { AreaExtra, Schemes } from './schemes'

/** Grid spacing in area units. */
const GRID = 22
/** Below this on screen the dots would blur into a haze: every other one is left out. */
const MIN_SPACING_PX = 14

/** The grid's tile for a view transform: it moves and scales with the nodes. */
export function gridTile(transform: { x: number; y: number; k: number }) {
  let size = GRID * transform.k
  while (size < MIN_SPACING_PX) size *= 2
  const wrap = (v: number) => ((v % size) + size) % size
  return { size, x: wrap(transform.x), y: wrap(transform.y) }
}

/**
 * A dotted grid under the nodes that pans and zooms with them, so the canvas reads as one
 * surface rather than nodes sliding over a fixed backdrop. It is a layer one tile larger than
 * the view on every side, shifted by less than a tile: a pan moves it on the compositor and
 * repaints nothing; only a zoom, which changes the tile size, repaints it.
 */
export function addGrid(area: AreaPlugin<Schemes, AreaExtra>): () => void {
  const grid = document.createElement('div')
  grid.className = 'canvas-grid'
  area.container.prepend(grid)
  let size = 0
  const update = () => {
    const tile = gridTile(area.area.transform)
    if (tile.size !== size) {
      size = tile.size
      grid.style.inset = `${-size}px`
      grid.style.backgroundSize = `${size}px ${size}px`
    }
    grid.style.transform = `translate(${tile.x}px, ${tile.y}px)`
  }
  area.addPipe((context) => {
    if (context.type === 'translated' || context.type === 'zoomed') update()
    return context
  })
  update()
  return () => grid.remove()
}
