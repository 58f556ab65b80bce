import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react'
import type { EditorServices } from '../services'
import { openRoom } from './ListenButton'
import { TestPanel } from './TestPanel'
import { LaneRow } from './LaneRow'
import { Ruler } from './Ruler'
import { TransportBar } from './TransportBar'
import { useRoomKeys } from './room-keys'
import { formatRoomTime } from './room-format'
import { roomSessionOf, type RoomSession, type RoomSnapshot } from './session'
import { panView, zoomView, type TimeView } from './lane-draw'

declare global {
  interface Window {
    /** The room's session, for end-to-end tests only (like `__synesthete`). */
    __synestheteRoom?: RoomSession
  }
}

/** The part of the ruler in view: the saved zoom, clamped to the ruler; all of it by default. */
export function timeViewOf(snapshot: RoomSnapshot): TimeView {
  const duration = Math.max(snapshot.durationSec, 0.01)
  const zoom = snapshot.room.view.zoom
  if (!zoom) return { startSec: 0, endSec: duration }
  const endSec = Math.min(duration, zoom.endSec)
  const startSec = Math.max(0, Math.min(zoom.startSec, endSec - 0.01))
  return endSec - startSec < 0.01 ? { startSec: 0, endSec: duration } : { startSec, endSec }
}

/**
 * The listening room: every reading of the graph as a lane under one transport, switched at the
 * same position as a hardware A/B switcher, loudness-matched, with each lane's spectrogram.
 */
export function ListeningRoom({ services }: { services: EditorServices }) {
  const session = roomSessionOf(services)
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot)
  const close = useCallback(() => {
    session.transport.pause()
    openRoom(services, false)
  }, [session, services])
  useRoomKeys(session, close)
  useEffect(() => {
    window.__synestheteRoom = session
  }, [session])
  useEffect(() => {
    services.player.stop() // one sound at a time: the node previews' player gives way
  }, [services, snapshot.playing])
  const view = timeViewOf(snapshot)
  const grid = useRef<HTMLDivElement>(null)
  useWheelZoom(session, grid)
  const { lanes, blind } = snapshot
  const shown = blind
    ? blind.order.map((k) => lanes.find((l) => l.key === k)).filter((l) => !!l)
    : lanes
  return (
    <section className="listening-room" data-testid="listening-room" aria-label="Listening room">
      <TransportBar services={services} session={session} snapshot={snapshot} onClose={close} />
      <div className="room-body">
        <div className="room-grid" ref={grid}>
          <div className="room-corner">
            <RoomClock session={session} />
          </div>
          <Ruler session={session} snapshot={snapshot} view={view} />
          {shown.map((lane, i) => (
            <LaneRow
              key={lane.key}
              services={services}
              session={session}
              snapshot={snapshot}
              lane={lane}
              index={i}
              count={shown.length}
              view={view}
            />
          ))}
          <RoomPlayhead session={session} view={view} />
        </div>
        {shown.length === 0 && (
          <p className="room-empty">
            No sound to compare yet. Every Audio Output of the graph is a lane here; add any other
            sound with “Add to the listening room” in a node’s menu (right-click).
          </p>
        )}
        {(snapshot.blind || snapshot.abx) && <TestPanel session={session} snapshot={snapshot} />}
      </div>
      <footer className="room-hints">
        Space play/pause · 1–9 switch lanes at the same position · click or drag a lane to seek ·
        drag on the ruler to loop a region (L turns the loop on or off) · Ctrl+wheel zoom · Esc
        close
      </footer>
    </section>
  )
}

/**
 * Ctrl+wheel (or a pinch) over the lanes or the ruler zooms around the pointer; Shift+wheel and
 * sideways scrolling pan. The view is saved with the room, as one undo step per gesture.
 */
function useWheelZoom(session: RoomSession, grid: React.RefObject<HTMLDivElement | null>): void {
  useEffect(() => {
    const el = grid.current
    if (!el) return
    const onWheel = (e: WheelEvent) => {
      const over = e.target instanceof Element && e.target.closest('.lane-view, .room-ruler')
      const sideways = Math.abs(e.deltaX) > Math.abs(e.deltaY)
      if (!over || !(e.ctrlKey || e.metaKey || e.shiftKey || sideways)) return
      e.preventDefault()
      const snapshot = session.getSnapshot()
      const view = timeViewOf(snapshot)
      const full = snapshot.durationSec
      const rect = over.getBoundingClientRect()
      const span = view.endSec - view.startSec
      const next =
        e.ctrlKey || e.metaKey
          ? zoomView(view, full, Math.exp(e.deltaY * 0.002), (e.clientX - rect.left) / rect.width)
          : panView(view, full, ((sideways ? e.deltaX : e.deltaY) / rect.width) * span)
      const { room } = snapshot
      session.edit({ ...room, view: { ...room.view, zoom: next } }, 'zoom')
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [session, grid])
}

/** The position as text, updated every animation frame while playing (no React render). */
function RoomClock({ session }: { session: RoomSession }) {
  const ref = useRef<HTMLSpanElement>(null)
  useFrame(session, () => {
    if (ref.current) ref.current.textContent = formatRoomTime(session.transport.position())
  })
  return (
    <span className="room-time" data-testid="room-time" ref={ref} aria-live="off">
      {formatRoomTime(session.transport.position())}
    </span>
  )
}

/** One line across every lane at the transport's position. */
function RoomPlayhead({ session, view }: { session: RoomSession; view: TimeView }) {
  const ref = useRef<HTMLDivElement>(null)
  useFrame(session, () => {
    const el = ref.current
    if (!el) return
    const t = session.transport.position()
    const f = (t - view.startSec) / (view.endSec - view.startSec)
    el.style.left = `${(Math.max(0, Math.min(1, f)) * 100).toFixed(3)}%`
    el.style.visibility = f < 0 || f > 1 ? 'hidden' : 'visible'
  })
  return (
    <div className="room-playhead-track" aria-hidden>
      <div className="room-playhead" ref={ref} data-testid="room-playhead" />
    </div>
  )
}

/** Calls `draw` now, on every transport change, and every animation frame while playing. */
function useFrame(session: RoomSession, draw: () => void): void {
  const drawRef = useRef(draw)
  drawRef.current = draw
  useEffect(() => {
    let frame = 0
    const loop = () => {
      drawRef.current()
      frame = session.transport.isPlaying ? requestAnimationFrame(loop) : 0
    }
    const kick = () => {
      if (frame === 0) loop()
      else drawRef.current()
    }
    kick()
    const off = session.transport.subscribe(kick)
    return () => {
      off()
      cancelAnimationFrame(frame)
    }
  }, [session])
  useEffect(() => drawRef.current())
}
