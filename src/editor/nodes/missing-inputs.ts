import { kindOfInput, type AnyNodeDefinition } from '../../engine/define-node'
import type { NodeRun } from '../run/run-store'
import { KIND_LABELS } from '../kinds'

/**
 * A node whose required inputs are not connected is shown as waiting for input (amber, with
 * what to connect), not as an error: it is the normal state of a node just added.
 */
export function withMissing(run: NodeRun, missing: string[], def: AnyNodeDefinition): NodeRun {
  if (
    missing.length === 0 ||
    (run.state !== 'error' && run.state !== 'blocked' && run.state !== 'idle')
  )
    return run
  const list = missing.map(
    (port) => `“${port}” (${KIND_LABELS[kindOfInput(def.inputs[port])].toLowerCase()})`,
  )
  return {
    ...run,
    state: 'needs-input',
    error: {
      message: `Connect ${list.join(' and ')} to run this node.`,
      hint: 'Drag from an output socket of the same colour onto the input.',
    },
  }
}
