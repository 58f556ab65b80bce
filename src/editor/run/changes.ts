import { descendantsOf, type GraphDocument, type GraphNode } from '../../engine/document'

function sameContent(a: GraphNode, b: GraphNode): boolean {
  if (a.type !== b.type || a.mode !== b.mode) return false
  if (a.params === b.params) return true
  const keys = new Set([...Object.keys(a.params), ...Object.keys(b.params)])
  for (const key of keys) if (a.params[key] !== b.params[key]) return false
  return true
}

function inputsOf(doc: GraphDocument): Map<string, string> {
  const byNode = new Map<string, string[]>()
  for (const e of doc.edges) {
    const list = byNode.get(e.to.node) ?? []
    list.push(`${e.to.port}<${e.from.node}:${e.from.port}`)
    byNode.set(e.to.node, list)
  }
  return new Map([...byNode].map(([id, list]) => [id, list.sort().join('|')]))
}

export interface GraphChanges {
  /** Nodes whose output may differ now: edited ones and everything downstream of them. */
  affected: Set<string>
  removed: string[]
}

/**
 * What an edit means for results: a param, mode or input change makes the node and its
 * descendants out of date; moving or renaming a node changes nothing.
 */
export function graphChanges(previous: GraphDocument, next: GraphDocument): GraphChanges {
  const before = new Map(previous.nodes.map((n) => [n.id, n]))
  const after = new Set(next.nodes.map((n) => n.id))
  const inputsBefore = inputsOf(previous)
  const inputsAfter = inputsOf(next)
  const affected = new Set<string>()
  for (const node of next.nodes) {
    const old = before.get(node.id)
    const edited =
      !old ||
      (old !== node && !sameContent(old, node)) ||
      inputsBefore.get(node.id) !== inputsAfter.get(node.id)
    if (edited && !affected.has(node.id))
      for (const id of descendantsOf(next, node.id)) affected.add(id)
  }
  const removed = previous.nodes.map((n) => n.id).filter((id) => !after.has(id))
  return { affected, removed }
}
