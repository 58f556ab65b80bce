import type { GraphDocument } from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import type { ValueKind } from '../../engine/values'
import { KIND_COLORS } from '../kinds'

/**
 * A small drawing of a graph's layout (boxes where its nodes are, lines for its connections,
 * coloured by what flows out of each node): the thumbnail of a graph that has no picture yet.
 */
export interface Sketch {
  width: number
  height: number
  boxes: { x: number; y: number; w: number; h: number; color: string; muted: boolean }[]
  wires: { x1: number; y1: number; x2: number; y2: number; color: string }[]
}

/** Roughly a node's size on the canvas, in canvas units. */
const NODE_W = 260
const NODE_H = 200

export function sketchGraph(
  graph: GraphDocument,
  registry: NodeRegistry,
  width = 240,
  height = 135,
): Sketch {
  if (graph.nodes.length === 0) return { width, height, boxes: [], wires: [] }
  const xs = graph.nodes.map((n) => n.position.x)
  const ys = graph.nodes.map((n) => n.position.y)
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)]
  const spanX = Math.max(...xs) - minX + NODE_W
  const spanY = Math.max(...ys) - minY + NODE_H
  const pad = 8
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY)
  const offX = (width - spanX * scale) / 2
  const offY = (height - spanY * scale) / 2
  const place = new Map(
    graph.nodes.map((n) => [
      n.id,
      { x: offX + (n.position.x - minX) * scale, y: offY + (n.position.y - minY) * scale },
    ]),
  )
  const w = NODE_W * scale
  const h = Math.max(3, NODE_H * 0.5 * scale)
  const colorOf = (type: string): string => {
    const outputs: ValueKind[] = Object.values(registry.get(type)?.outputs ?? {})
    return outputs.length > 0 ? KIND_COLORS[outputs[0]] : '#98a2b5'
  }
  const boxes = graph.nodes.map((n) => {
    const p = place.get(n.id) ?? { x: 0, y: 0 }
    return { x: p.x, y: p.y, w, h, color: colorOf(n.type), muted: n.mode !== 'normal' }
  })
  const types = new Map(graph.nodes.map((n) => [n.id, n.type]))
  const wires = graph.edges.flatMap((e) => {
    const from = place.get(e.from.node)
    const to = place.get(e.to.node)
    if (!from || !to) return []
    const color = colorOf(types.get(e.from.node) ?? '')
    return [{ x1: from.x + w, y1: from.y + h / 2, x2: to.x, y2: to.y + h / 2, color }]
  })
  return { width, height, boxes, wires }
}
