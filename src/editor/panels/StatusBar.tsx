import { useSyncExternalStore } from 'react'
import { formatDuration } from '../preview/format'
import { GpuStatus } from '../models/GpuStatus'
import { CacheInfo } from './CacheInfo'
import { withNodeNames } from '../nodes/node-names'
import type { EditorServices } from '../services'

/** Total progress of the run, what was computed and what came from the cache, and saving. */
export function StatusBar({ services, saved }: { services: EditorServices; saved: string }) {
  const summary = useSyncExternalStore(services.runs.subscribe, services.runs.getSummary)
  let text: string
  if (summary.running) {
    text = `Running… ${summary.settled} of ${summary.total} nodes`
  } else if (summary.total === 0) {
    text = 'Ready. Press Run (Ctrl+Enter) to compute the graph.'
  } else {
    const parts = [`${summary.ran} computed`, `${summary.cached} from cache`]
    if (summary.failed) parts.push(`${summary.failed} failed`)
    if (summary.waiting) parts.push(`${summary.waiting} waiting for a connection`)
    text = `Last run: ${parts.join(' · ')}${summary.ms !== undefined ? ` · ${formatDuration(summary.ms)}` : ''}`
  }
  const notice =
    summary.notice && withNodeNames(summary.notice, services.store.doc, services.registry)
  return (
    <footer className="statusbar" data-testid="statusbar">
      <div className="status-progress" aria-hidden={!summary.running}>
        <div
          className="status-progress-bar"
          style={{ width: `${Math.round((summary.running ? summary.progress : 0) * 100)}%` }}
        />
      </div>
      <span className="status-text" data-testid="status-text">
        {text}
      </span>
      {notice && (
        <span className="status-notice" role="status" title={notice}>
          {notice}
        </span>
      )}
      <span className="status-spacer" />
      <GpuStatus services={services} />
      <CacheInfo services={services} version={summary.running ? 0 : summary} />
      <span className="status-saved">{saved}</span>
    </footer>
  )
}
