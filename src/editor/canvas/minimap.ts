import type { MinimapPlugin } from 'rete-minimap-plugin'
import type { Schemes } from './schemes'

/**
 * Rete's minimap redraws on every node rendered, added or moved and on every pan step, and
 * each redraw reads the container's size (a forced layout on a DOM just changed) and renders
 * its React root synchronously. Restoring a graph adds and places its nodes one by one, so
 * that was a layout and a render per node in one task. This makes the minimap draw at most
 * once per animation frame, with what the last event left. Returns a function that cancels
 * a pending draw.
 */
export function drawMinimapOncePerFrame(minimap: MinimapPlugin<Schemes>): () => void {
  // `render` is private in the plugin's types; the plugin's own pipe calls it on the instance.
  const plugin = minimap as unknown as { render: () => void }
  const draw = plugin.render.bind(minimap)
  let frame: number | undefined
  plugin.render = () => {
    frame ??= requestAnimationFrame(() => {
      frame = undefined
      draw()
    })
  }
  return () => {
    if (frame !== undefined) cancelAnimationFrame(frame)
    frame = undefined
  }
}
