import type { CanvasApi, EditorServices } from './services'

/** The Rete canvas frames a new graph to be read; a canvas without that (a test's) just fits. */
const openingView = (canvas: CanvasApi): Promise<void> =>
  'openingView' in canvas && typeof canvas.openingView === 'function'
    ? (canvas.openingView as () => Promise<void>)()
    : canvas.zoomToFit()

/**
 * After a whole graph was loaded: its nodes' settings folded but for `unfolded` (those it was
 * kept or shared with unfolded), tidied if its nodes overlap, then shown readable.
 */
export async function settleView(
  services: EditorServices,
  unfolded: readonly string[] = [],
): Promise<void> {
  services.settings.foldAll()
  for (const id of unfolded) services.settings.set(id, true)
  const canvas = services.canvas
  if (!canvas) return
  await canvas.tidyIfCrowded()
  await openingView(canvas)
}
