import type { DownloadState } from './downloads'
import { formatSize } from './format'

/** A download's bar and words: how far, which file, Cancel; or why it stopped. */
export function DownloadProgress({
  state,
  onCancel,
}: {
  state: DownloadState
  onCancel: () => void
}) {
  const { status, loaded, total, file, error } = state
  if (status === 'failed' && error) {
    return (
      <div className="model-problem" role="alert" data-testid="download-error">
        <div>{error.message}</div>
        {error.hint && <div className="model-hint">{error.hint}</div>}
      </div>
    )
  }
  if (status === 'done') {
    return <div className="model-ok">✓ Downloaded {formatSize(loaded)}.</div>
  }
  if (status === 'paused') {
    return (
      <div className="model-stored">
        Paused at {formatSize(loaded)}: what arrived is kept, Resume continues.
      </div>
    )
  }
  const fraction = total ? Math.min(1, loaded / total) : undefined
  return (
    <div className="model-download" data-testid="download-progress">
      <div
        className="model-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === undefined ? undefined : Math.round(fraction * 100)}
      >
        <div
          className={`model-bar-fill${fraction === undefined ? ' indeterminate' : ''}`}
          style={{ width: fraction === undefined ? '30%' : `${(fraction * 100).toFixed(1)}%` }}
        />
      </div>
      <div className="model-download-line">
        <span>
          {formatSize(loaded)}
          {total ? ` of ≈ ${formatSize(total)}` : ''}
          {file ? ` · ${file}` : ''}
        </span>
        <button type="button" className="link-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  )
}
