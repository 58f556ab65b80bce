import type { EditorServices } from './services'

/** After a whole graph was loaded: tidy it if its nodes overlap, then show all of it. */
export async function settleView(services: EditorServices): Promise<void> {
  const canvas = services.canvas
  if (!canvas) return
  await canvas.tidyIfCrowded()
  await canvas.zoomToFit()
}
