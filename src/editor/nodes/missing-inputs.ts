import { kindOfInput, type AnyNodeDefinition } from '../../engine/define-node'
import type { NodeRun } from '../run/run-store'
import { KIND_LABELS } from '../kinds'

/**
 * A node whose required inputs are not connected is shown as waiting for input (amber, with
 * what to connect), not as an error: it is the normal state of a node just added.
 */
export function withMissing(run: NodeRun, missing: string[], def: AnyNodeDefinition): NodeRun {
  // Whatever it showed before a connection was taken away is outdated now (automatic runs
  // leave such a node alone, so its last state would otherwise stand).
  const busy = run.state === 'queued' || run.state === 'running' || run.state === 'muted'
  if (missing.length === 0 || busy) return run
  const list = missing.map(
    (port) => `“${port}” (${KIND_LABELS[kindOfInput(def.inputs[port])].toLowerCase()})`,
  )
  return {
    ...run,
    stale: run.stale || run.outputs !== undefined,
    state: 'needs-input',
    error: {
      message: `Connect ${list.join(' and ')} to run this node.`,
      hint: 'Drag from an output socket of the same colour onto the input.',
    },
  }
}
