import type { NodeEditor } from 'rete'
import {
  ClassicFlow,
  getSourceTarget,
  type ConnectionPlugin,
  type SocketData,
} from 'rete-connection-plugin'
import type { ValueKind } from '../../engine/values'
import type { EditorServices } from '../services'
import { checkConnection } from '../store/connect-check'
import type { Point } from '../ui-store'
import type { AreaExtra, Schemes } from './schemes'

/**
 * How dragging between sockets edits the document. Connections are never made by Rete itself:
 * a valid drop becomes a `connect` operation, an invalid one is refused with the reason shown
 * at the pointer. One drag (detach + reconnect) is one undo step.
 */
export class Wiring {
  /** Coalescing key of the drag in progress, so its edits undo together. */
  gesture: string | undefined
  /** The drag began by pulling an existing connection off an input. */
  detached = false
  private refused = false
  private count = 0
  private pointer: Point = { x: 0, y: 0 }
  private downAt: Point = { x: 0, y: 0 }
  private lastPointer: 'down' | 'up' = 'up'

  constructor(
    private readonly editor: NodeEditor<Schemes>,
    private readonly services: EditorServices,
    private readonly container: HTMLElement,
  ) {}

  /** Tracks the pointer in the window, to place messages and to tell a drag from a click. */
  onPointer = (event: PointerEvent): void => {
    this.pointer = { x: event.clientX, y: event.clientY }
    if (event.type === 'pointerdown') {
      this.downAt = this.pointer
      this.lastPointer = 'down'
    } else if (event.type === 'pointerup') this.lastPointer = 'up'
  }

  flow(plugin: ConnectionPlugin<Schemes, AreaExtra>): ClassicFlow<Schemes, never[]> {
    return new ClassicFlow<Schemes, never[]>({
      canMakeConnection: (from, to) => this.canConnect(from, to, plugin),
      makeConnection: (from, to) => this.connect(from, to),
    })
  }

  kindOf(socket: SocketData): ValueKind | undefined {
    const def = this.editor.getNode(socket.nodeId)?.def
    if (!def) return undefined
    if (socket.side === 'output') return def.outputs[socket.key]
    const spec = def.inputs[socket.key]
    return spec === undefined ? undefined : typeof spec === 'string' ? spec : spec.kind
  }

  onPick(socket: SocketData): void {
    this.gesture = `wire:${++this.count}`
    this.detached = false
    this.refused = false
    this.container.dataset.dragKind = this.kindOf(socket) ?? ''
    this.container.dataset.dragSide = socket.side
  }

  onDrop(initial: SocketData, socket: SocketData | null, created: boolean): void {
    delete this.container.dataset.dragKind
    delete this.container.dataset.dragSide
    const dragged = Math.hypot(this.pointer.x - this.downAt.x, this.pointer.y - this.downAt.y) > 12
    const kind = this.kindOf(initial)
    if (
      !created &&
      !socket &&
      !this.detached &&
      !this.refused &&
      this.lastPointer === 'up' &&
      dragged &&
      kind
    ) {
      // Released on empty canvas: offer the nodes that fit, as ComfyUI does.
      const canvas = this.services.canvas
      this.services.ui.set({
        palette: {
          client: this.pointer,
          area: canvas ? canvas.toArea(this.pointer) : { x: 0, y: 0 },
          from: { node: initial.nodeId, port: initial.key, side: initial.side, kind },
        },
        menu: undefined,
      })
    }
    this.gesture = undefined
    this.services.store.seal()
  }

  private canConnect(
    from: SocketData,
    to: SocketData,
    plugin: ConnectionPlugin<Schemes, AreaExtra>,
  ): boolean {
    const pair = getSourceTarget(from, to)
    if (!pair) return false // same side, or a click on the socket it started from
    const [source, target] = pair
    const check = checkConnection(
      this.services.store.doc,
      this.services.registry,
      { node: source.nodeId, port: source.key },
      { node: target.nodeId, port: target.key },
    )
    if (check.ok) return true
    this.refused = true
    this.services.ui.notify(check.reason, 'warn', this.pointer, 6000)
    setTimeout(() => plugin.drop(), 0)
    return false
  }

  private connect(from: SocketData, to: SocketData): boolean {
    const pair = getSourceTarget(from, to)
    if (!pair) return false
    const [source, target] = pair
    this.services.store.dispatch(
      {
        type: 'connect',
        edge: {
          from: { node: source.nodeId, port: source.key },
          to: { node: target.nodeId, port: target.key },
        },
      },
      { coalesce: this.gesture, label: 'connect' },
    )
    return true
  }
}
