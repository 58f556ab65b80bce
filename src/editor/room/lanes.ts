import type {
  GraphDocument,
  GraphNode,
  ListeningRoomState,
  PastEnd,
  RoomLane,
} from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import { laneLabel, lanesByDefault } from '../../media/listen-export'

/** What the room shows before anyone changes it: every Audio Output, matched, log frequency. */
export const DEFAULT_ROOM: ListeningRoomState = {
  lanes: [],
  removed: [],
  match: true,
  view: { frequency: 'log', pictures: false },
}

/** A shorter lane loops by default, so switching to it past its end still has sound. */
export const DEFAULT_PAST_END: PastEnd = 'loop'

export function roomOf(doc: GraphDocument): ListeningRoomState {
  return doc.room ?? DEFAULT_ROOM
}

export const laneKey = (lane: { node: string; port: string }): string => `${lane.node}:${lane.port}`

/** A lane as the room shows it. */
export interface LaneSpec {
  key: string
  node: string
  port: string
  name: string
  /** For an Audio Output, the reading it plays ("The picture, heard"). */
  reading?: string
  pastEnd: PastEnd
  /** Added by hand (any audio port), as opposed to an Audio Output, a lane by default. */
  pinned: boolean
}

/** The audio output ports of a node, in the order its kind declares them. */
export function audioPortsOf(node: GraphNode, registry: NodeRegistry): string[] {
  const outputs = registry.get(node.type)?.outputs ?? {}
  return Object.keys(outputs).filter((port) => outputs[port] === 'audio')
}

/**
 * A lane's name, as `--listen` names it: an Audio Output's label, else its file name; any other
 * node's label, else its kind's title. A node with several audio ports adds the port.
 */
export function laneName(
  doc: GraphDocument,
  registry: NodeRegistry,
  lane: { node: string; port: string },
): string {
  const node = doc.nodes.find((n) => n.id === lane.node)
  if (!node) return lane.node
  const name = lanesByDefault(registry.get(node.type))
    ? laneLabel(node)
    : (node.label ?? registry.get(node.type)?.title ?? node.id)
  return audioPortsOf(node, registry).length > 1 ? `${name} · ${lane.port}` : name
}

/** The reading an Audio Output plays: the name of the node feeding it, if it has one. */
export function readingOf(
  doc: GraphDocument,
  registry: NodeRegistry,
  node: GraphNode,
): string | undefined {
  if (!lanesByDefault(registry.get(node.type))) return undefined
  const feed = doc.edges.find((e) => e.to.node === node.id)
  const from = feed && doc.nodes.find((n) => n.id === feed.from.node)
  return from && (from.label ?? registry.get(from.type)?.title)
}

/**
 * The lanes of the room: those it lists (in its order) that still name an audio port, then every
 * Audio Output it does not list and the listener did not remove, in graph order.
 */
export function deriveLanes(doc: GraphDocument, registry: NodeRegistry): LaneSpec[] {
  const room = roomOf(doc)
  const byId = new Map(doc.nodes.map((n) => [n.id, n]))
  const removed = new Set(room.removed)
  const seen = new Set<string>()
  const out: LaneSpec[] = []
  const add = (lane: RoomLane) => {
    const key = laneKey(lane)
    const node = byId.get(lane.node)
    if (seen.has(key) || !node || !audioPortsOf(node, registry).includes(lane.port)) return
    seen.add(key)
    out.push({
      key,
      node: lane.node,
      port: lane.port,
      name: laneName(doc, registry, lane),
      reading: readingOf(doc, registry, node),
      pastEnd: lane.pastEnd ?? DEFAULT_PAST_END,
      pinned: !lanesByDefault(registry.get(node.type)),
    })
  }
  for (const lane of room.lanes) add(lane)
  for (const node of doc.nodes) {
    if (!lanesByDefault(registry.get(node.type))) continue
    for (const port of audioPortsOf(node, registry)) {
      if (!removed.has(laneKey({ node: node.id, port }))) add({ node: node.id, port })
    }
  }
  return out
}

/** The room with its lanes written out in this order (so order and settings are kept). */
function withLanes(room: ListeningRoomState, lanes: readonly LaneSpec[]): ListeningRoomState {
  return {
    ...room,
    lanes: lanes.map((l) =>
      l.pastEnd === DEFAULT_PAST_END
        ? { node: l.node, port: l.port }
        : { node: l.node, port: l.port, pastEnd: l.pastEnd },
    ),
  }
}

/** Moves a lane to `index` (0 = top). */
export function moveLane(
  room: ListeningRoomState,
  lanes: readonly LaneSpec[],
  key: string,
  index: number,
): ListeningRoomState {
  const from = lanes.findIndex((l) => l.key === key)
  if (from < 0) return room
  const to = Math.max(0, Math.min(lanes.length - 1, index))
  const next = [...lanes]
  const [lane] = next.splice(from, 1)
  next.splice(to, 0, lane)
  return withLanes(room, next)
}

/** Takes a lane out of the room; an Audio Output stays out until it is added again. */
export function removeLane(
  room: ListeningRoomState,
  lanes: readonly LaneSpec[],
  key: string,
): ListeningRoomState {
  const lane = lanes.find((l) => l.key === key)
  if (!lane) return room
  const next = withLanes(
    room,
    lanes.filter((l) => l.key !== key),
  )
  return lane.pinned ? next : { ...next, removed: [...new Set([...room.removed, key])] }
}

/** Adds (pins) an audio port as the last lane; one already there stays where it is. */
export function addLane(
  room: ListeningRoomState,
  lanes: readonly LaneSpec[],
  lane: { node: string; port: string },
): ListeningRoomState {
  const key = laneKey(lane)
  const removed = room.removed.filter((k) => k !== key)
  if (lanes.some((l) => l.key === key)) return { ...room, removed }
  const written = withLanes(room, lanes)
  return { ...written, removed, lanes: [...written.lanes, { node: lane.node, port: lane.port }] }
}

export function setPastEnd(
  room: ListeningRoomState,
  lanes: readonly LaneSpec[],
  key: string,
  pastEnd: PastEnd,
): ListeningRoomState {
  return withLanes(
    room,
    lanes.map((l) => (l.key === key ? { ...l, pastEnd } : l)),
  )
}

/**
 * The picture a reading came from: the nearest image output upstream of the lane's node
 * (breadth first), e.g. the repainted spectrogram a Griffin-Lim node read.
 */
export function sourcePictureOf(
  doc: GraphDocument,
  registry: NodeRegistry,
  node: string,
): { node: string; port: string } | undefined {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]))
  const seen = new Set([node])
  let frontier = [node]
  while (frontier.length > 0) {
    const next: string[] = []
    for (const id of frontier) {
      for (const edge of doc.edges) {
        if (edge.to.node !== id) continue
        const from = byId.get(edge.from.node)
        const kind = from && registry.get(from.type)?.outputs[edge.from.port]
        if (kind === 'image') return { node: edge.from.node, port: edge.from.port }
        if (!seen.has(edge.from.node)) {
          seen.add(edge.from.node)
          next.push(edge.from.node)
        }
      }
    }
    frontier = next
  }
  return undefined
}
