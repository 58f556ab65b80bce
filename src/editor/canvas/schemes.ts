import { ClassicPreset, type GetSchemes } from 'rete'
import type { ReactArea2D } from 'rete-react-plugin'
import type { MinimapExtra } from 'rete-minimap-plugin'
import { kindOfInput, type AnyNodeDefinition } from '../../engine/define-node'
import type { ValueKind } from '../../engine/values'
import type { EditorServices } from '../services'

/**
 * A node's width with its settings folded: six columns of them, with room for the wires between, fit across a 1440 px window at
 * a readable zoom. Unfolded, a node widens to give its controls room (over its neighbour, until
 * folded again), and further, up to `NODE_WIDTH_OPEN_MAX`, where a choice's whole option text
 * needs it (`nodes/open-width.ts`).
 */
export const NODE_WIDTH = 176
export const NODE_WIDTH_OPEN = 260
export const NODE_WIDTH_OPEN_MAX = 420

/** A socket that knows its value kind, for colour and for the connection rules. */
export class KindSocket extends ClassicPreset.Socket {
  constructor(readonly kind: ValueKind) {
    super(kind)
  }
}

type Ports = Record<string, KindSocket>

/**
 * The canvas view of one graph node. It carries no params or state of its own: its component
 * reads the node from the store by id. Rete's node id is the document's node id.
 */
export class EditorNode extends ClassicPreset.Node<Ports, Ports, Record<string, never>> {
  width = NODE_WIDTH
  height = 160
  /** Told when the node's size changes (the wires route around it). */
  resized: () => void = () => {}

  constructor(
    id: string,
    readonly def: AnyNodeDefinition,
    readonly services: EditorServices,
  ) {
    super(def.title)
    this.id = id
    for (const [key, spec] of Object.entries(def.inputs)) {
      this.addInput(key, new ClassicPreset.Input(new KindSocket(kindOfInput(spec)), key))
    }
    for (const [key, kind] of Object.entries(def.outputs)) {
      this.addOutput(key, new ClassicPreset.Output(new KindSocket(kind), key))
    }
  }
}

export class EditorConnection extends ClassicPreset.Connection<EditorNode, EditorNode> {
  isPseudo?: boolean
  constructor(
    id: string,
    source: EditorNode,
    sourceOutput: string,
    target: EditorNode,
    targetInput: string,
    readonly kind: ValueKind,
  ) {
    super(source, sourceOutput, target, targetInput)
    this.id = id
  }
}

export type Schemes = GetSchemes<EditorNode, EditorConnection>
export type AreaExtra = ReactArea2D<Schemes> | MinimapExtra
