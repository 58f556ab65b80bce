import type { AreaPlugin } from 'rete-area-plugin'
import type { AreaExtra, Schemes } from './schemes'

/**
 * Below this zoom a node's 12 px text is under 4.2 px on screen: nothing can be read, so the
 * text-heavy parts (params, captions, messages) are left undrawn (`zoomed-out`, styles/node.css)
 * and only the boxes, titles, sockets and pictures stay. They keep their place, so nodes keep
 * their size and sockets theirs. Drawing them was most of a pan frame at Fit on large graphs:
 * a hundred nodes' form controls repainted, and each one overlapping a preview canvas made a
 * compositor layer of its own.
 */
export const FAR_ZOOM = 0.35

/** Keeps the canvas's `zoomed-out` class in step with the zoom. Returns a function to stop. */
export function lessDetailFarOut(area: AreaPlugin<Schemes, AreaExtra>): () => void {
  const container = area.container
  const update = () => container.classList.toggle('zoomed-out', area.area.transform.k < FAR_ZOOM)
  area.addPipe((context) => {
    if (context.type === 'zoomed') update()
    return context
  })
  update()
  return () => container.classList.remove('zoomed-out')
}
