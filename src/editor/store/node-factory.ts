import type { AnyNodeDefinition } from '../../engine/define-node'
import type { GraphDocument, GraphNode } from '../../engine/document'
import type { StoredParamValue } from '../../engine/params'

/** A short readable id from a node type: `dsp/griffin-lim` → `griffin-lim-2`. */
export function newNodeId(taken: ReadonlySet<string>, type: string): string {
  const base =
    (type.split('/').at(-1) ?? 'node')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'node'
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`
    if (!taken.has(id)) return id
  }
}

export function nodeIds(doc: GraphDocument): Set<string> {
  return new Set(doc.nodes.map((n) => n.id))
}

/** A new node of a kind with every param at its default. */
export function createNode(
  def: AnyNodeDefinition,
  id: string,
  position: { x: number; y: number },
  params: Record<string, StoredParamValue> = {},
): GraphNode {
  const defaults = Object.fromEntries(
    Object.entries(def.params).map(([key, spec]) => [key, spec.default]),
  )
  return {
    id,
    type: def.type,
    params: { ...defaults, ...params },
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    mode: 'normal',
  }
}
