import { VALUE_KINDS } from '../../engine/values'
import { KIND_COLORS, KIND_HINTS, KIND_LABELS } from '../kinds'

/** What the socket colours mean, and the switch for the minimap beside them. */
export function Legend(props: { minimap: boolean; setMinimap: (on: boolean) => void }) {
  const { minimap, setMinimap } = props
  return (
    <div className="legend" aria-label="Socket colours">
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
    </div>
  )
}
