import { VALUE_KINDS } from '../../engine/values'
import { KIND_COLORS, KIND_HINTS, KIND_LABELS } from '../kinds'

/**
 * What the socket colours mean, and the switch for the minimap beside them. Folded (a button of
 * the colours alone) when a view placed in a small window would put a node under it, or when the
 * person folds it; the button unfolds it.
 */
export function Legend(props: {
  minimap: boolean
  setMinimap: (on: boolean) => void
  folded: boolean
  setFolded: (folded: boolean) => void
}) {
  const { minimap, setMinimap, folded, setFolded } = props
  if (folded)
    return (
      <button
        type="button"
        className="legend legend-folded"
        aria-expanded={false}
        aria-label="Show what the socket colours mean"
        title="What the socket colours mean"
        data-testid="legend-toggle"
        onClick={() => setFolded(false)}
      >
        {VALUE_KINDS.map((kind) => (
          <span key={kind} className="dot" style={{ background: KIND_COLORS[kind] }} />
        ))}
        <span>Colours</span>
      </button>
    )
  return (
    <div className="legend" role="group" aria-label="Socket colours" data-testid="legend">
      {VALUE_KINDS.map((kind) => (
        <span key={kind} className="legend-item" title={KIND_HINTS[kind]}>
          <span className="dot" style={{ background: KIND_COLORS[kind] }} />
          {KIND_LABELS[kind]}
        </span>
      ))}
      <label
        className="legend-item legend-minimap"
        title="The overview in the corner of the canvas"
      >
        <input
          type="checkbox"
          checked={minimap}
          onChange={(e) => setMinimap(e.target.checked)}
          data-testid="minimap-toggle"
        />
        Minimap
      </label>
      <button
        type="button"
        className="legend-fold"
        aria-expanded={true}
        aria-label="Fold the colour legend"
        title="Fold the colour legend"
        data-testid="legend-toggle"
        onClick={() => setFolded(true)}
      >
        Hide
      </button>
    </div>
  )
}
