import { routeWires, wirePath, type Box, type Wire } from './routing'

/**
 * The nodes' boxes on the canvas and the wires that route around them (`routing.ts`), routed
 * together so that wires of different outputs keep apart. Read when first asked after a change;
 * the wires hear of a change once a frame, so a drag re-routes them at most once per frame, and
 * panning (which moves no node) never does.
 */
export class NodeBoxes {
  private cached: Box[] | undefined
  private routes: Map<string, string> | undefined
  private readonly wires = new Map<string, Wire>()
  private frame: number | undefined
  private readonly listeners = new Set<() => void>()

  constructor(private readonly read: () => Box[]) {}

  boxes = (): Box[] => (this.cached ??= this.read())

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * A wire's path, among all the wires the canvas draws. A wire drawn with new ends takes its
   * place at once (its own path is right in this frame); the others hear of it in the next.
   */
  path = (wire: Wire): string => {
    const known = this.wires.get(wire.id)
    if (!known || !sameEnds(known, wire)) {
      this.wires.set(wire.id, wire)
      this.routes = undefined
      this.tell()
    }
    this.routes ??= routeWires([...this.wires.values()], this.boxes())
    return this.routes.get(wire.id) ?? wirePath(wire.start, wire.end, this.boxes())
  }

  /** A wire left the canvas: the others may take its lane. */
  removeWire = (id: string): void => {
    if (!this.wires.delete(id)) return
    this.routes = undefined
    this.tell()
  }

  /** A node moved, was resized, added or removed. */
  changed = (): void => {
    this.cached = undefined
    this.routes = undefined
    this.tell()
  }

  private tell(): void {
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

const sameEnds = (a: Wire, b: Wire) =>
  a.output === b.output &&
  a.start.x === b.start.x &&
  a.start.y === b.start.y &&
  a.end.x === b.end.x &&
  a.end.y === b.end.y
