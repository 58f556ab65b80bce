import { kindOfInput } from '../../engine/define-node'
import { descendantsOf, findNode, type GraphDocument, type PortRef } from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import { KIND_LABELS } from '../kinds'

export type ConnectCheck = { ok: true } | { ok: false; reason: string }

/**
 * Whether an output may feed an input, and if not, why, in words a person can act on.
 * The same rules as validation: matching kinds, no node feeding itself, no loops.
 */
export function checkConnection(
  doc: GraphDocument,
  registry: NodeRegistry,
  from: PortRef,
  to: PortRef,
): ConnectCheck {
  const source = findNode(doc, from.node)
  const target = findNode(doc, to.node)
  const sourceDef = source && registry.get(source.type)
  const targetDef = target && registry.get(target.type)
  if (!source || !target || !sourceDef || !targetDef)
    return { ok: false, reason: 'One of these nodes is not in the graph any more.' }
  const outKind = sourceDef.outputs[from.port]
  const inSpec = targetDef.inputs[to.port]
  if (!outKind || !inSpec) return { ok: false, reason: 'That port does not exist.' }
  const inKind = kindOfInput(inSpec)
  if (outKind !== inKind) {
    return {
      ok: false,
      reason: `${KIND_LABELS[outKind]} cannot go into ${KIND_LABELS[inKind].toLowerCase()}: “${to.port}” of ${target.label ?? targetDef.title} takes ${KIND_LABELS[inKind].toLowerCase()}. Connect sockets of the same colour, or put a converting node in between.`,
    }
  }
  if (from.node === to.node) return { ok: false, reason: 'A node cannot feed its own input.' }
  if (descendantsOf(doc, to.node).has(from.node)) {
    return {
      ok: false,
      reason: `That would make a loop: ${source.label ?? sourceDef.title} already depends on ${target.label ?? targetDef.title}.`,
    }
  }
  return { ok: true }
}
