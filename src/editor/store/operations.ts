import type {
  GraphDocument,
  GraphEdge,
  GraphNode,
  ListeningRoomState,
  NodeMode,
} from '../../engine/document'
import type { StoredParamValue } from '../../engine/params'

/**
 * Every edit a person can make to a graph, as data. The store applies them to the document
 * (the single source of truth) and records them for undo; the canvas only ever shows the result.
 */
export type GraphOp =
  | { type: 'addNodes'; nodes: GraphNode[]; edges?: GraphEdge[] }
  | { type: 'removeNodes'; ids: string[] }
  | { type: 'connect'; edge: GraphEdge }
  | { type: 'disconnect'; edge: GraphEdge }
  | { type: 'moveNodes'; positions: Record<string, { x: number; y: number }> }
  | { type: 'setParam'; node: string; param: string; value: StoredParamValue }
  | { type: 'setMode'; ids: string[]; mode: NodeMode }
  | { type: 'setLabel'; node: string; label: string | undefined }
  | { type: 'replace'; graph: GraphDocument }
  /** The listening room's saved state (lanes, loop, matching, view). */
  | { type: 'setRoom'; room: ListeningRoomState; what: string }

export function edgeId(edge: GraphEdge): string {
  return `${edge.from.node}:${edge.from.port}->${edge.to.node}:${edge.to.port}`
}

export function sameEdge(a: GraphEdge, b: GraphEdge): boolean {
  return edgeId(a) === edgeId(b)
}

function mapNodes(
  doc: GraphDocument,
  ids: ReadonlySet<string>,
  change: (node: GraphNode) => GraphNode,
): GraphDocument {
  let changed = false
  const nodes = doc.nodes.map((node) => {
    if (!ids.has(node.id)) return node
    const next = change(node)
    if (next !== node) changed = true
    return next
  })
  return changed ? { ...doc, nodes } : doc
}

/**
 * Applies one operation and returns the new document, or the same object when nothing changed
 * (so callers can tell a no-op from an edit). Documents are never mutated.
 */
export function applyOp(doc: GraphDocument, op: GraphOp): GraphDocument {
  switch (op.type) {
    case 'addNodes': {
      const taken = new Set(doc.nodes.map((n) => n.id))
      const fresh = op.nodes.filter((n) => !taken.has(n.id))
      if (fresh.length === 0 && !op.edges?.length) return doc
      let next: GraphDocument = { ...doc, nodes: [...doc.nodes, ...fresh] }
      for (const edge of op.edges ?? []) next = applyOp(next, { type: 'connect', edge })
      return next
    }
    case 'removeNodes': {
      const ids = new Set(op.ids)
      if (!doc.nodes.some((n) => ids.has(n.id))) return doc
      return {
        ...doc,
        nodes: doc.nodes.filter((n) => !ids.has(n.id)),
        edges: doc.edges.filter((e) => !ids.has(e.from.node) && !ids.has(e.to.node)),
      }
    }
    case 'connect': {
      const { edge } = op
      const ids = new Set(doc.nodes.map((n) => n.id))
      if (!ids.has(edge.from.node) || !ids.has(edge.to.node)) return doc
      if (doc.edges.some((e) => sameEdge(e, edge))) return doc
      // An input takes one connection: a new one replaces the old.
      const kept = doc.edges.filter(
        (e) => !(e.to.node === edge.to.node && e.to.port === edge.to.port),
      )
      return { ...doc, edges: [...kept, { from: { ...edge.from }, to: { ...edge.to } }] }
    }
    case 'disconnect': {
      const edges = doc.edges.filter((e) => !sameEdge(e, op.edge))
      return edges.length === doc.edges.length ? doc : { ...doc, edges }
    }
    case 'moveNodes':
      return mapNodes(doc, new Set(Object.keys(op.positions)), (node) => {
        const p = op.positions[node.id]
        return p.x === node.position.x && p.y === node.position.y
          ? node
          : { ...node, position: { x: p.x, y: p.y } }
      })
    case 'setParam':
      return mapNodes(doc, new Set([op.node]), (node) =>
        node.params[op.param] === op.value
          ? node
          : { ...node, params: { ...node.params, [op.param]: op.value } },
      )
    case 'setMode':
      return mapNodes(doc, new Set(op.ids), (node) =>
        node.mode === op.mode ? node : { ...node, mode: op.mode },
      )
    case 'setLabel': {
      const label = op.label?.trim() ? op.label.trim() : undefined
      return mapNodes(doc, new Set([op.node]), (node) => {
        if (node.label === label) return node
        const next: GraphNode = { ...node, label }
        if (label === undefined) delete next.label
        return next
      })
    }
    case 'replace':
      return op.graph === doc ? doc : op.graph
    case 'setRoom':
      return op.room === doc.room ? doc : { ...doc, room: op.room }
  }
}

/** Words for the undo menu ("Undo change iterations"). */
export function describeOp(op: GraphOp): string {
  switch (op.type) {
    case 'addNodes':
      return op.nodes.length === 1 ? 'add node' : `add ${op.nodes.length} nodes`
    case 'removeNodes':
      return op.ids.length === 1 ? 'delete node' : `delete ${op.ids.length} nodes`
    case 'connect':
      return 'connect'
    case 'disconnect':
      return 'disconnect'
    case 'moveNodes':
      return 'move'
    case 'setParam':
      return `change ${op.param}`
    case 'setMode':
      return op.mode === 'normal' ? 'resume' : op.mode
    case 'setLabel':
      return 'rename'
    case 'replace':
      return 'load graph'
    case 'setRoom':
      return op.what
  }
}
