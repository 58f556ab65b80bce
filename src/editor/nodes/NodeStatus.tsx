import type { NodeRun } from '../run/run-store'

/**
 * A progress bar while running; the error and what to do about it when it failed; a warning
 * badge when it ran but said something is wrong with its result (a damaged file loaded in part). `names` turns
 * node ids in engine messages into the names people see.
 */
export function NodeStatus({ run, names }: { run: NodeRun; names: (text: string) => string }) {
  if (run.state === 'running' || run.state === 'queued') {
    const fraction = run.state === 'running' ? (run.progress ?? 0) : 0
    return (
      <div className="node-progress" data-testid="progress">
        <div className="node-progress-bar" style={{ width: `${Math.round(fraction * 100)}%` }} />
        {run.message && <div className="node-progress-message">{run.message}</div>}
      </div>
    )
  }
  if (
    (run.state === 'error' || run.state === 'blocked' || run.state === 'needs-input') &&
    run.error
  ) {
    return (
      <div
        className={`node-error${run.state === 'error' ? '' : ' node-blocked'}`}
        // One alert for the node that failed, not one more for every node after it.
        role={run.state === 'blocked' ? 'status' : 'alert'}
        data-testid="node-error"
      >
        <div>{names(run.error.message)}</div>
        {run.error.hint && <div className="node-error-hint">{run.error.hint}</div>}
      </div>
    )
  }
  if (run.state === 'done' && run.warnings && run.warnings.length > 0) {
    return (
      <div className="node-warning" role="status" data-testid="node-warning">
        {run.warnings.map((w, i) => (
          <div key={i} data-code={w.code}>
            <span aria-hidden="true">⚠ </span>
            {names(w.message)}
          </div>
        ))}
      </div>
    )
  }
  return null
}
