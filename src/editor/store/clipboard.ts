import {
  emptyGraph,
  type GraphDocument,
  type GraphEdge,
  type GraphNode,
} from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import { parseGraphText } from '../../engine/validate'
import { newNodeId, nodeIds } from './node-factory'

/**
 * Copied nodes travel as a graph document of their own (the links between them included), so
 * the clipboard text is a valid Synesthete graph that can be pasted here, in another tab, or
 * saved as a file, and is validated like any other document when it comes back.
 */
export function copyNodes(doc: GraphDocument, ids: Iterable<string>): GraphDocument {
  const wanted = new Set(ids)
  const clip = emptyGraph()
  clip.nodes = doc.nodes.filter((n) => wanted.has(n.id)).map((n) => structuredClone(n))
  clip.edges = doc.edges
    .filter((e) => wanted.has(e.from.node) && wanted.has(e.to.node))
    .map((e) => structuredClone(e))
  return clip
}

export function clipToText(clip: GraphDocument): string {
  return JSON.stringify(clip, null, 2)
}

/** Reads clipboard text back; undefined when it is not a graph we can use. */
export function clipFromText(text: string, registry: NodeRegistry): GraphDocument | undefined {
  if (!text.trimStart().startsWith('{')) return undefined
  const result = parseGraphText(text, registry)
  return result.ok && result.graph.nodes.length > 0 ? result.graph : undefined
}

export interface Pasted {
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** Old id → new id. */
  ids: Map<string, string>
}

/**
 * Gives copied nodes fresh ids that do not clash with the document, rewires the links between
 * them to the new ids, and moves them: their top-left corner to `at`, or by `offset`.
 */
export function pasteNodes(
  doc: GraphDocument,
  clip: GraphDocument,
  place: { at: { x: number; y: number } } | { offset: { x: number; y: number } },
): Pasted {
  const taken = nodeIds(doc)
  const ids = new Map<string, string>()
  for (const node of clip.nodes) {
    const id = newNodeId(taken, node.type)
    taken.add(id)
    ids.set(node.id, id)
  }
  const minX = Math.min(...clip.nodes.map((n) => n.position.x))
  const minY = Math.min(...clip.nodes.map((n) => n.position.y))
  const dx = 'at' in place ? place.at.x - minX : place.offset.x
  const dy = 'at' in place ? place.at.y - minY : place.offset.y
  const nodes = clip.nodes.map((node) => ({
    ...structuredClone(node),
    id: ids.get(node.id) as string,
    position: { x: Math.round(node.position.x + dx), y: Math.round(node.position.y + dy) },
  }))
  const edges = clip.edges
    .filter((e) => ids.has(e.from.node) && ids.has(e.to.node))
    .map((e) => ({
      from: { node: ids.get(e.from.node) as string, port: e.from.port },
      to: { node: ids.get(e.to.node) as string, port: e.to.port },
    }))
  return { nodes, edges, ids }
}
