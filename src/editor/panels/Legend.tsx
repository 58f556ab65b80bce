import { VALUE_KINDS } from '../../engine/values'
import { KIND_COLORS, KIND_HINTS, KIND_LABELS } from '../kinds'

/** What the socket colours mean. */
export function Legend() {
  return (
    <div className="legend" aria-label="Socket colours">
      {VALUE_KINDS.map((kind) => (
        <span key={kind} className="legend-item" title={KIND_HINTS[kind]}>
          <span className="dot" style={{ background: KIND_COLORS[kind] }} />
          {KIND_LABELS[kind]}
        </span>
      ))}
    </div>
  )
}
