import type { AreaPlugin } from 'rete-area-plugin'
import type { AreaExtra, Schemes } from './schemes'

/** How long after the last pan or zoom step the view counts as still. */
const REST_MS = 250
const LAYER_CLASS = 'node-lifted'

/**
 * While the view pans or zooms, and for a moment after, the nodes on screen (and a screenful
 * around) get their own compositor layers (`node-lifted`, styles/node.css): a pan then moves
 * pictures of them instead of repainting and rasterising every node each frame, which with a
 * hundred nodes in software rendering is most of a frame. Only nodes near the view are lifted,
 * since every layer adds to each frame's layer bookkeeping; at rest all come down again, so
 * progress ticks and slider drags do not pay for layers either.
 */
export function liftNodesWhileMoving(area: AreaPlugin<Schemes, AreaExtra>): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let lifted: HTMLElement[] = []

  const lift = () => {
    const { width, height } = area.container.getBoundingClientRect()
    const { x, y, k } = area.area.transform
    // The view in area units, grown by a screenful on each side.
    const left = -x / k - width / k
    const top = -y / k - height / k
    const right = left + (3 * width) / k
    const bottom = top + (3 * height) / k
    for (const view of area.nodeViews.values()) {
      const { element, position } = view
      const near =
        position.x < right &&
        position.x + element.offsetWidth > left &&
        position.y < bottom &&
        position.y + element.offsetHeight > top
      if (!near) continue
      element.classList.add(LAYER_CLASS)
      lifted.push(element)
    }
  }
  const rest = () => {
    timer = undefined
    for (const element of lifted) element.classList.remove(LAYER_CLASS)
    lifted = []
  }

  area.addPipe((context) => {
    if (context.type === 'translated' || context.type === 'zoomed') {
      if (timer === undefined) lift()
      clearTimeout(timer)
      timer = setTimeout(rest, REST_MS)
    }
    return context
  })
  return () => {
    clearTimeout(timer)
    rest()
  }
}
