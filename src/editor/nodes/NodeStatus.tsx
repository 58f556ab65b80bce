import type { NodeRun } from '../run/run-store'

/** A progress bar while running; the error and what to do about it when it failed. */
export function NodeStatus({ run }: { run: NodeRun }) {
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
        role="alert"
        data-testid="node-error"
      >
        <div>{run.error.message}</div>
        {run.error.hint && <div className="node-error-hint">{run.error.hint}</div>}
      </div>
    )
  }
  return null
}
