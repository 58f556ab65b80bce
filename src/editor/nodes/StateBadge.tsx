import type { NodeRun } from '../run/run-store'
import { formatDuration } from '../preview/format'

const WORDS: Record<NodeRun['state'], string> = {
  idle: '',
  'needs-input': 'Needs input',
  queued: 'Queued',
  running: 'Running',
  cached: 'Cached',
  done: 'Done',
  error: 'Error',
  // Not 'Waiting': nothing will happen until the node it needs is fixed.
  blocked: 'Not run',
  muted: 'Muted',
  bypassed: 'Bypassed',
  cancelled: 'Stopped',
}

const TIPS: Partial<Record<NodeRun['state'], string>> = {
  cached: 'Nothing changed since the last run, so the stored result was used.',
  blocked:
    'Not run: a node this one needs did not produce a result. Fix that node (its box is red).',
  'needs-input': 'Connect the inputs this node needs.',
  cancelled: 'The run was stopped before this node finished.',
}

/** The node's state in a word: queued, running 40%, cached, done in 1.2 s, error… */
export function StateBadge({ run }: { run: NodeRun }) {
  if (run.state === 'idle') return null
  // An edited node's result is kept in view, but "Done" never stands beside an old result.
  const outdated = run.stale && (run.state === 'done' || run.state === 'cached')
  let text = outdated ? 'Outdated' : WORDS[run.state]
  if (run.state === 'running' && run.progress !== undefined && run.progress > 0)
    text += ` ${Math.round(run.progress * 100)}%`
  if (run.state === 'done' && run.ms !== undefined && !outdated)
    text += ` · ${formatDuration(run.ms)}`
  return (
    <span
      className={`badge badge-${run.state}${run.stale ? ' badge-stale' : ''}`}
      data-testid="state-badge"
      data-state={run.state}
      title={run.stale ? 'Edited since this result: run to update it.' : TIPS[run.state]}
    >
      {text}
    </span>
  )
}
