import { useCallback, useEffect, useSyncExternalStore } from 'react'
import { Presets } from 'rete-react-plugin'
import { KIND_COLORS } from '../kinds'
import type { EditorConnection } from '../canvas/schemes'
import type { NodeBoxes } from '../canvas/node-boxes'

type Props = { data: EditorConnection & { isLoop?: boolean } }

/**
 * The canvas's connection component: a wire coloured like the sockets it joins (the one being
 * dragged is neutral, and follows the pointer as rete draws it), routed around the nodes it
 * would pass behind and apart from other outputs' wires.
 */
export function routedConnection(boxes: NodeBoxes) {
  return function ConnectionPath({ data }: Props) {
    const { start, end, path } = Presets.classic.useConnection()
    const routed = !data.isPseudo && !data.isLoop
    const output = `${data.source}.${data.sourceOutput}`
    // The path is the snapshot: when nodes move, only the wires whose path changes re-render.
    const read = useCallback(
      () => (routed && start && end ? boxes.path({ id: data.id, output, start, end }) : path),
      [routed, start, end, path, data.id, output],
    )
    useEffect(() => () => boxes.removeWire(data.id), [data.id])
    const d = useSyncExternalStore(boxes.subscribe, read)
    if (!d) return null
    const kind = data.isPseudo ? undefined : data.kind
    return (
      <svg
        className="connection"
        data-kind={kind ?? 'pending'}
        data-from={data.source}
        data-from-port={data.sourceOutput}
        data-to={data.target}
        data-testid="connection"
      >
        <path d={d} stroke={kind ? KIND_COLORS[kind] : '#cfd6e4'} />
      </svg>
    )
  }
}
