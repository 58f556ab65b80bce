import { ancestorsOf, type GraphDocument, type GraphNode } from '../../engine/document'
import type { ExecutionEvent } from '../../engine/executor'
import type { NodeRegistry } from '../../engine/registry'

/**
 * Nodes that load something large before their work (Stable Diffusion: onnxruntime and its
 * model's sessions, most of its time on a first open) are told to start loading the moment a
 * node they depend on starts computing in this run: their own result cannot then come from the
 * cache, and the loading overlaps the nodes before them. A run answered from the cache loads
 * nothing. Returns the listener for the run's events; `warm` is called once per node.
 */
export function warmAhead(
  doc: GraphDocument,
  touched: ReadonlySet<string>,
  registry: NodeRegistry,
  warm: (node: GraphNode) => void,
): (event: ExecutionEvent) => void {
  const waiting = new Map<GraphNode, Set<string>>()
  for (const node of doc.nodes)
    if (touched.has(node.id) && registry.get(node.type)?.prepare)
      waiting.set(node, ancestorsOf(doc, [node.id]))
  return (event) => {
    if (waiting.size === 0 || event.type !== 'state' || event.state !== 'running') return
    for (const [node, above] of waiting) {
      if (!above.has(event.node)) continue
      waiting.delete(node)
      warm(node)
    }
  }
}
