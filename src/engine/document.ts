import type { StoredParamValue } from './params'

/**
 * The graph document: what presets, saved graphs, share links and exported files carry.
 * Data only; loading one never executes code.
 */

export const GRAPH_FORMAT = 'synesthete-graph'
export const GRAPH_VERSION = 2

export type NodeMode = 'normal' | 'bypass' | 'mute'

export interface GraphNode {
  id: string
  type: string
  params: Record<string, StoredParamValue>
  position: { x: number; y: number }
  mode: NodeMode
  /** A name the user gave this node, shown instead of the node kind's title. */
  label?: string
}

export interface PortRef {
  node: string
  port: string
}

export interface GraphEdge {
  from: PortRef
  to: PortRef
}

/** What a lane does past the end of its sound while the ruler (the longest lane) goes on. */
export type PastEnd = 'loop' | 'silence'

/** A lane of the listening room: an audio port, and how it plays. */
export interface RoomLane {
  node: string
  port: string
  pastEnd?: PastEnd
}

/**
 * The listening room (schema version 2): which audio ports are compared, in what order, the
 * loop region, loudness matching and the view. Absent: every Audio Output is a lane.
 */
export interface ListeningRoomState {
  /** Lanes in the order shown; Audio Outputs not listed (and not removed) follow them. */
  lanes: RoomLane[]
  /** Audio Outputs the listener took out of the room (`node:port`). */
  removed: string[]
  loop?: { startSec: number; endSec: number; on: boolean }
  /** Play every lane at the same integrated loudness (on by default). */
  match: boolean
  /** The loudness to match to, in LUFS; absent: the quietest lane's. */
  targetLufs?: number
  view: {
    frequency: 'linear' | 'log'
    /** The visible part of the ruler, in seconds; absent: all of it. */
    zoom?: { startSec: number; endSec: number }
    /** Show the picture each reading came from beside its lane. */
    pictures: boolean
  }
}

/**
 * How the editor showed the graph when it was kept or shared: the nodes with their settings
 * unfolded. View only: running ignores it, and the editor keeps it out of its undo history.
 */
export interface GraphView {
  unfolded: string[]
}

export interface GraphDocument {
  format: typeof GRAPH_FORMAT
  version: typeof GRAPH_VERSION
  name?: string
  description?: string
  nodes: GraphNode[]
  edges: GraphEdge[]
  room?: ListeningRoomState
  view?: GraphView
}

export function emptyGraph(name?: string): GraphDocument {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, name, nodes: [], edges: [] }
}

export function findNode(graph: GraphDocument, id: string): GraphNode | undefined {
  return graph.nodes.find((n) => n.id === id)
}

/** Edges into a node, by input port. */
export function incomingEdges(graph: GraphDocument, nodeId: string): Map<string, GraphEdge> {
  const byPort = new Map<string, GraphEdge>()
  for (const edge of graph.edges) if (edge.to.node === nodeId) byPort.set(edge.to.port, edge)
  return byPort
}

/** Node ids that the given nodes depend on, including themselves. */
export function ancestorsOf(graph: GraphDocument, targets: Iterable<string>): Set<string> {
  const seen = new Set<string>()
  const stack = [...targets]
  while (stack.length > 0) {
    const id = stack.pop() as string
    if (seen.has(id)) continue
    seen.add(id)
    for (const edge of graph.edges) if (edge.to.node === id) stack.push(edge.from.node)
  }
  return seen
}

/** Node ids that depend on the given node, including itself. */
export function descendantsOf(graph: GraphDocument, source: string): Set<string> {
  const seen = new Set<string>()
  const stack = [source]
  while (stack.length > 0) {
    const id = stack.pop() as string
    if (seen.has(id)) continue
    seen.add(id)
    for (const edge of graph.edges) if (edge.from.node === id) stack.push(edge.to.node)
  }
  return seen
}

/**
 * Nodes in dependency order (Kahn's algorithm). Returns the ids caught in cycles separately
 * so the caller can name them.
 */
export function topologicalOrder(
  graph: GraphDocument,
  only?: Set<string>,
): { order: string[]; cyclic: string[] } {
  const ids = graph.nodes.map((n) => n.id).filter((id) => !only || only.has(id))
  const inside = new Set(ids)
  const indegree = new Map(ids.map((id) => [id, 0]))
  const next = new Map<string, string[]>(ids.map((id) => [id, []]))
  for (const { from, to } of graph.edges) {
    if (!inside.has(from.node) || !inside.has(to.node)) continue
    indegree.set(to.node, (indegree.get(to.node) ?? 0) + 1)
    next.get(from.node)?.push(to.node)
  }
  const ready = ids.filter((id) => indegree.get(id) === 0)
  const order: string[] = []
  while (ready.length > 0) {
    const id = ready.shift() as string
    order.push(id)
    for (const child of next.get(id) ?? []) {
      const left = (indegree.get(child) ?? 0) - 1
      indegree.set(child, left)
      if (left === 0) ready.push(child)
    }
  }
  const placed = new Set(order)
  return { order, cyclic: ids.filter((id) => !placed.has(id)) }
}
