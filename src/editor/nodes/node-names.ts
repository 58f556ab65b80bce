import type { GraphDocument } from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'

/** What a person calls a node: the name they gave it, or its kind's title. */
export function nodeName(
  doc: GraphDocument,
  registry: NodeRegistry,
  id: string,
): string | undefined {
  const node = doc.nodes.find((n) => n.id === id)
  if (!node) return undefined
  return node.label ?? registry.get(node.type)?.title ?? id
}

/**
 * Engine messages name nodes by id (`"glRed" failed`); people know them by name. Replaces each
 * quoted id of a node in the graph with its name.
 */
export function withNodeNames(message: string, doc: GraphDocument, registry: NodeRegistry): string {
  return message.replace(/"([^"]+)"/g, (whole, id: string) => {
    const name = nodeName(doc, registry, id)
    return name ? `“${name}”` : whole
  })
}
