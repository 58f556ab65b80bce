import { Presets } from 'rete-react-plugin'
import { KIND_COLORS } from '../kinds'
import type { EditorConnection } from '../canvas/schemes'

/** A connection, coloured like the sockets it joins; the one being dragged is neutral. */
export function ConnectionPath({ data }: { data: EditorConnection & { isLoop?: boolean } }) {
  const { path } = Presets.classic.useConnection()
  if (!path) return null
  const kind = data.isPseudo ? undefined : data.kind
  return (
    <svg className="connection" data-kind={kind ?? 'pending'} data-testid="connection">
      <path d={path} stroke={kind ? KIND_COLORS[kind] : '#cfd6e4'} />
    </svg>
  )
}
