import { KIND_COLORS, KIND_HINTS, KIND_LABELS } from '../kinds'
import type { KindSocket } from '../canvas/schemes'

/** A socket, coloured by the kind of value it carries. */
export function SocketDot({ data }: { data: KindSocket }) {
  return (
    <div
      className="socket"
      data-kind={data.kind}
      style={{ '--kind': KIND_COLORS[data.kind] } as React.CSSProperties}
      title={`${KIND_LABELS[data.kind]}: ${KIND_HINTS[data.kind]}`}
    />
  )
}
