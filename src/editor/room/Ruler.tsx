import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react'
import { niceTicks } from '../preview/axes'
import { formatRoomTime } from './room-format'
import type { TimeView } from './lane-draw'
import type { RoomSession, RoomSnapshot } from './session'

/** Pixels within which a press grabs a loop edge. */
const EDGE_PX = 6
/** A press that moves less than this is a click (seek), not a drag (loop). */
const DRAG_PX = 4

type Drag = { startX: number; moved: boolean } & (
  | { kind: 'new'; anchor: number }
  | { kind: 'start' | 'end'; other: number }
  | { kind: 'move'; grab: number; length: number }
)

/**
 * The shared time ruler: ticks in seconds, and the loop region. Drag on it to draw a region,
 * drag a region's edges to change it or its middle to move it; a click seeks.
 */
export function Ruler({
  session,
  snapshot,
  view,
}: {
  session: RoomSession
  snapshot: RoomSnapshot
  view: TimeView
}) {
  const ref = useRef<HTMLDivElement>(null)
  const drag = useRef<Drag | undefined>(undefined)
  const [draft, setDraft] = useState<{ startSec: number; endSec: number } | undefined>()
  const { room, durationSec } = snapshot
  const loop = draft ? { ...draft, on: true } : room.loop
  const span = view.endSec - view.startSec
  const secAt = (clientX: number) => {
    const rect = ref.current?.getBoundingClientRect()
    if (!rect || rect.width === 0) return 0
    const t = view.startSec + ((clientX - rect.left) / rect.width) * span
    return Math.max(0, Math.min(durationSec, t))
  }
  const pxPerSec = () => (ref.current?.getBoundingClientRect().width ?? 1) / span

  const onDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return
    e.currentTarget.setPointerCapture(e.pointerId)
    const t = secAt(e.clientX)
    const near = EDGE_PX / pxPerSec()
    const press = { startX: e.clientX, moved: false }
    if (loop && Math.abs(t - loop.startSec) < near)
      drag.current = { ...press, kind: 'start', other: loop.endSec }
    else if (loop && Math.abs(t - loop.endSec) < near)
      drag.current = { ...press, kind: 'end', other: loop.startSec }
    else if (loop && t > loop.startSec && t < loop.endSec)
      drag.current = {
        ...press,
        kind: 'move',
        grab: t - loop.startSec,
        length: loop.endSec - loop.startSec,
      }
    else drag.current = { ...press, kind: 'new', anchor: t }
  }
  const onMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current
    if (!d) return
    const t = secAt(e.clientX)
    if (!d.moved && Math.abs(e.clientX - d.startX) < DRAG_PX) return
    d.moved = true
    if (d.kind === 'new') {
      setDraft({ startSec: Math.min(d.anchor, t), endSec: Math.max(d.anchor, t) })
    } else if (d.kind === 'move') {
      const startSec = Math.max(0, Math.min(durationSec - d.length, t - d.grab))
      setDraft({ startSec, endSec: startSec + d.length })
    } else {
      setDraft({ startSec: Math.min(d.other, t), endSec: Math.max(d.other, t) })
    }
  }
  const onUp = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current
    drag.current = undefined
    if (!d) return
    if (!d.moved) {
      session.transport.seek(secAt(e.clientX))
      setDraft(undefined)
      return
    }
    if (draft && draft.endSec - draft.startSec >= 0.02)
      session.edit({ ...room, loop: { ...draft, on: true } }, 'loop')
    setDraft(undefined)
  }

  // A tick too near the right end would be cut off by the edge.
  const ticks = niceTicks(view.startSec, view.endSec, 8).filter(
    (t) => (t - view.startSec) / span < 0.97,
  )
  return (
    <div
      className="room-ruler"
      ref={ref}
      onPointerDown={onDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerCancel={() => {
        drag.current = undefined
        setDraft(undefined)
      }}
      title="Drag to loop a region; drag its edges to change it, its middle to move it; click to seek"
      data-testid="room-ruler"
    >
      {ticks.map((t) => (
        <span
          key={t}
          className="room-tick"
          style={{ left: `${((t - view.startSec) / span) * 100}%` }}
        >
          {formatRoomTime(t).replace(/\.00$/, '')}
        </span>
      ))}
      {loop && (
        <div
          className={`room-loop${loop.on ? ' on' : ''}`}
          style={{
            left: `${((loop.startSec - view.startSec) / span) * 100}%`,
            width: `${((loop.endSec - loop.startSec) / span) * 100}%`,
          }}
          data-testid="room-loop-region"
          data-start={loop.startSec.toFixed(3)}
          data-end={loop.endSec.toFixed(3)}
        />
      )}
    </div>
  )
}
