import { useCallback, useSyncExternalStore } from 'react'
import { Presets } from 'rete-react-plugin'
import { KIND_COLORS } from '../kinds'
import type { EditorConnection } from '../canvas/schemes'
import type { NodeBoxes } from '../canvas/node-boxes'
import { wirePath } from '../canvas/routing'

type Props = { data: EditorConnection & { isLoop?: boolean } }

/**
 * The canvas's connection component: a wire coloured like the sockets it joins (the one being
 * dragged is neutral, and follows the pointer as rete draws it), routed around the nodes it
 * would pass behind.
 */
export function routedConnection(boxes: NodeBoxes) {
  return function ConnectionPath({ data }: Props) {
    const { start, end, path } = Presets.classic.useConnection()
    const routed = !data.isPseudo && !data.isLoop
    // The path is the snapshot: when nodes move, only the wires whose path changes re-render.
    const read = useCallback(
      () => (routed && start && end ? wirePath(start, end, boxes.boxes()) : path),
      [routed, start, end, path],
    )
    const d = useSyncExternalStore(boxes.subscribe, read)
    if (!d) return null
    const kind = data.isPseudo ? undefined : data.kind
    return (
      <svg
        className="connection"
        data-kind={kind ?? 'pending'}
        data-from={data.source}
        data-to={data.target}
        data-testid="connection"
      >
        <path d={d} stroke={kind ? KIND_COLORS[kind] : '#cfd6e4'} />
      </svg>
    )
  }
}
