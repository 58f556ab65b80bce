import { isOptionalInput, type AnyNodeDefinition } from './define-node'
import type { GraphDocument } from './document'

/**
 * The required inputs of a node that nothing feeds: the one answer to "does this node need a
 * connection?" for the run controller, the node view and the executor's refusal alike. A
 * mixable input counts as required here (it must be connected; only a muted source on it is
 * silence, see executor.ts).
 */
export function unconnectedInputs(
  graph: GraphDocument,
  nodeId: string,
  def: AnyNodeDefinition,
): string[] {
  const fed = new Set(graph.edges.filter((e) => e.to.node === nodeId).map((e) => e.to.port))
  return Object.keys(def.inputs).filter(
    (port) => !isOptionalInput(def.inputs[port]) && !fed.has(port),
  )
}
