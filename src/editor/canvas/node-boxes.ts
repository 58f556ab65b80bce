import type { Box } from './routing'

/**
 * The nodes' boxes on the canvas, for the wires that route around them (`routing.ts`). Read
 * when first asked after a change; the wires hear of a change once a frame, so a drag re-routes
 * them at most once per frame, and panning (which moves no node) never does.
 */
export class NodeBoxes {
  private cached: Box[] | undefined
  private frame: number | undefined
  private readonly listeners = new Set<() => void>()

  constructor(private readonly read: () => Box[]) {}

  boxes = (): Box[] => (this.cached ??= this.read())

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A node moved, was resized, added or removed. */
  changed = (): void => {
    this.cached = undefined
    if (this.frame !== undefined) return
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined
      for (const listener of [...this.listeners]) listener()
    })
  }

  stop(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame)
    this.listeners.clear()
  }
}
