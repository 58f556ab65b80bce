import type { CanvasApi, EditorServices } from './services'

/** The Rete canvas frames a new graph to be read; a canvas without that (a test's) just fits. */
const openingView = (canvas: CanvasApi): Promise<void> =>
  'openingView' in canvas && typeof canvas.openingView === 'function'
    ? (canvas.openingView as () => Promise<void>)()
    : canvas.zoomToFit()

/**
 * After a whole graph was loaded: its nodes' settings folded, tidied if its nodes overlap, then
 * shown readable.
 */
export async function settleView(services: EditorServices): Promise<void> {
  services.settings.foldAll()
  const canvas = services.canvas
  if (!canvas) return
  await canvas.tidyIfCrowded()
  await openingView(canvas)
}
