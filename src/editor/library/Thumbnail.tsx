import { useMemo } from 'react'
import type { GraphDocument } from '../../engine/document'
import type { NodeRegistry } from '../../engine/registry'
import { sketchGraph } from './graph-sketch'

/** A preset's picture, or a sketch of the graph's layout when it has none. */
export function Thumbnail(props: {
  graph: GraphDocument | undefined
  registry: NodeRegistry
  src?: string
  label: string
}) {
  const { graph, registry, src, label } = props
  const sketch = useMemo(
    () => (graph && !src ? sketchGraph(graph, registry) : undefined),
    [graph, registry, src],
  )
  if (src) return <img className="preset-thumb" src={src} alt={`What “${label}” makes`} />
  if (!sketch) return <div className="preset-thumb preset-thumb-empty">?</div>
  return (
    <svg
      className="preset-thumb"
      viewBox={`0 0 ${sketch.width} ${sketch.height}`}
      role="img"
      aria-label={`The layout of “${label}”`}
    >
      {sketch.wires.map((w, i) => (
        <line key={`w${i}`} {...w} stroke={w.color} strokeOpacity={0.7} strokeWidth={1.2} />
      ))}
      {sketch.boxes.map((b, i) => (
        <rect
          key={`b${i}`}
          x={b.x}
          y={b.y}
          width={b.w}
          height={b.h}
          rx={2}
          fill="#222631"
          stroke={b.color}
          strokeDasharray={b.muted ? '2 2' : undefined}
        />
      ))}
    </svg>
  )
}
