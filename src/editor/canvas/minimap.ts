import type { MinimapPlugin } from 'rete-minimap-plugin'
import type { Schemes } from './schemes'

/**
 * The least time between two minimap draws. Each draw reads the container's size (a layout)
 * and renders the minimap's React root (its node rectangles only when they changed, see
 * MinimapView.tsx). Ten draws a second keep its view box following a pan; the last draw always
 * comes, so it ends where the view ends.
 */
const MIN_INTERVAL_MS = 100

/**
 * Rete's minimap redraws on every node rendered, added or moved and on every pan step, and
 * each redraw reads the container's size (a forced layout on a DOM just changed) and renders
 * its React root synchronously. Restoring a graph adds and places its nodes one by one, so
 * that was a layout and a render per node in one task. This makes the minimap draw in an
 * animation frame, at most once per MIN_INTERVAL_MS, with what the last event left. Returns a
 * function that cancels a pending draw.
 */
export function drawMinimapOncePerFrame(minimap: MinimapPlugin<Schemes>): () => void {
  // `render` is private in the plugin's types; the plugin's own pipe calls it on the instance.
  const plugin = minimap as unknown as { render: () => void }
  const draw = plugin.render.bind(minimap)
  let frame: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let last = -Infinity
  const drawNow = () => {
    frame = undefined
    last = performance.now()
    draw()
  }
  plugin.render = () => {
    if (frame !== undefined || timer !== undefined) return
    const wait = last + MIN_INTERVAL_MS - performance.now()
    if (wait <= 0) frame = requestAnimationFrame(drawNow)
    else
      timer = setTimeout(() => {
        timer = undefined
        frame = requestAnimationFrame(drawNow)
      }, wait)
  }
  return () => {
    if (frame !== undefined) cancelAnimationFrame(frame)
    clearTimeout(timer)
    frame = undefined
    timer = undefined
  }
}
