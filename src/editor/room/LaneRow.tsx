import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { EncodedRef } from '../../engine/codec'
import type { ImageValue } from '../../engine/values'
import { storedRef } from '../run/run-store'
import { KIND_COLORS } from '../kinds'
import { RasterCanvas } from '../preview/RasterCanvas'
import { useThumbData } from '../preview/thumb-client'
import type { EditorServices } from '../services'
import { letterOf } from './blind'
import { drawLane, type TimeView } from './lane-draw'
import { moveLane, removeLane, setPastEnd, sourcePictureOf } from './lanes'
import { formatGainDb, formatLufs, formatRoomTime, formatTruePeak } from './room-format'
import type { LaneView, RoomSession, RoomSnapshot } from './session'

/** One lane: its name and measures, its controls, and its waveform and spectrogram. */
export function LaneRow(props: {
  services: EditorServices
  session: RoomSession
  snapshot: RoomSnapshot
  lane: LaneView
  index: number
  count: number
  view: TimeView
}) {
  const { services, session, snapshot, lane, index, count, view } = props
  const { room, blind, abx } = snapshot
  // While X is heard in ABX, no lane may light up: that would tell which one X is.
  const heard = abx?.listening !== 'X' && session.heard().has(lane.key)
  const active = abx ? heard : snapshot.active === lane.key
  const hidden = blind !== undefined && !blind.revealed
  const letter = blind ? letterOf(blind, lane.key) : undefined
  const name = hidden ? `Lane ${letter}` : letter ? `${letter} · ${lane.name}` : lane.name
  const a = lane.analysis
  const edit = (next: typeof room, what: string) => session.edit(next, what)
  const muted = snapshot.mute.has(lane.key)
  const soloed = snapshot.solo.has(lane.key)
  return (
    <div
      className={`lane${active ? ' active' : ''}${heard ? ' heard' : ''}${muted ? ' muted' : ''}`}
      data-testid="lane"
      data-key={lane.key}
      aria-current={active ? 'true' : undefined}
      // A group, so its buttons (Solo, Mute, Move up…) are heard as this lane's.
      role="group"
      aria-label={name}
    >
      <div className="lane-head">
        <button
          type="button"
          className="lane-select"
          onClick={() => session.select(lane.key)}
          title={`Hear this lane at the same position${index < 9 ? ` (${index + 1})` : ''}`}
          data-testid="lane-select"
        >
          <kbd>{index < 9 ? index + 1 : '·'}</kbd>
          <span className="lane-name" data-testid="lane-name">
            {name}
          </span>
        </button>
        {lane.reading && !hidden && (
          <div className="lane-reading" title="The reading this output plays">
            {lane.reading}
          </div>
        )}
        <LaneStatusLine lane={lane} />
        {!hidden && (
          <div className="lane-meta">
            <span data-testid="lane-lufs" title="Integrated loudness (EBU R128 / ITU-R BS.1770-4)">
              {a ? formatLufs(a.loudness.integratedLufs) : '…'}
            </span>
            <span data-testid="lane-peak" title="True peak (4× oversampled)">
              {a ? formatTruePeak(a.loudness.truePeakDbtp) : ''}
            </span>
            <span data-testid="lane-length" title="Length">
              {a ? formatRoomTime(a.durationSec) : ''}
            </span>
            {room.match && a && (
              <span
                className="lane-gain"
                data-testid="lane-gain"
                title="Gain applied to match loudness"
              >
                {formatGainDb(lane.gainDb)}
              </span>
            )}
          </div>
        )}
        <div className="lane-buttons">
          <button
            type="button"
            className={`lane-toggle${soloed ? ' on' : ''}`}
            aria-pressed={soloed}
            onClick={() => session.toggleSolo(lane.key)}
            title="Solo: hear this lane (several soloed lanes sound together)"
            aria-label="Solo"
            data-testid="lane-solo"
          >
            S
          </button>
          <button
            type="button"
            className={`lane-toggle${muted ? ' on mute' : ''}`}
            aria-pressed={muted}
            onClick={() => session.toggleMute(lane.key)}
            title="Mute this lane"
            aria-label="Mute"
            data-testid="lane-mute"
          >
            M
          </button>
          {!hidden && (
            <>
              <button
                type="button"
                className="lane-toggle"
                onClick={() =>
                  edit(
                    setPastEnd(
                      room,
                      snapshot.lanes,
                      lane.key,
                      lane.pastEnd === 'loop' ? 'silence' : 'loop',
                    ),
                    'past end',
                  )
                }
                title={
                  lane.pastEnd === 'loop'
                    ? 'Past its end this lane loops; click to let it fall silent'
                    : 'Past its end this lane falls silent; click to loop it'
                }
                data-testid="lane-past-end"
              >
                {lane.pastEnd === 'loop' ? '⟳ loops' : '⇥ stops'}
              </button>
              <span className="spacer" />
              <button
                type="button"
                disabled={index === 0 || blind !== undefined}
                onClick={() => edit(moveLane(room, snapshot.lanes, lane.key, index - 1), 'order')}
                aria-label="Move up"
                title="Move up"
                data-testid="lane-up"
              >
                ↑
              </button>
              <button
                type="button"
                disabled={index === count - 1 || blind !== undefined}
                onClick={() => edit(moveLane(room, snapshot.lanes, lane.key, index + 1), 'order')}
                aria-label="Move down"
                title="Move down"
                data-testid="lane-down"
              >
                ↓
              </button>
              <button
                type="button"
                disabled={blind !== undefined || abx !== undefined}
                onClick={() => edit(removeLane(room, snapshot.lanes, lane.key), 'remove lane')}
                aria-label="Remove from the room"
                title="Remove from the room (Undo brings it back)"
                data-testid="lane-remove"
              >
                ✕
              </button>
            </>
          )}
        </div>
      </div>
      <LaneCanvas session={session} snapshot={snapshot} lane={lane} view={view} hidden={hidden} />
      {room.view.pictures && !hidden && <LanePicture services={services} lane={lane} />}
    </div>
  )
}

function LaneStatusLine({ lane }: { lane: LaneView }) {
  const { status } = lane
  let text: string | undefined
  if (status.kind === 'running')
    text = lane.audio ? 'Re-running… (playing the last result)' : 'Running…'
  else if (status.kind === 'failed') text = `Failed: ${status.message}`
  else if (status.kind === 'waiting') text = 'No sound yet: run the graph'
  else if (status.kind === 'analysing') text = 'Measuring…'
  else if (lane.stale) text = 'Outdated: run to update'
  if (!text) return null
  return (
    <div className={`lane-status ${status.kind}`} data-testid="lane-status" title={text}>
      {text}
    </div>
  )
}

/** Waveform and spectrogram; press to hear this lane from there, drag to scrub. */
function LaneCanvas({
  session,
  snapshot,
  lane,
  view,
  hidden,
}: {
  session: RoomSession
  snapshot: RoomSnapshot
  lane: LaneView
  view: TimeView
  hidden: boolean
}) {
  const ref = useRef<HTMLCanvasElement>(null)
  const [size, setSize] = useState<[number, number]>([0, 0])
  const seeking = useRef(false)
  useEffect(() => {
    const canvas = ref.current
    if (!canvas) return
    const observer = new ResizeObserver(([entry]) => {
      const box = entry.contentRect
      const dpr = window.devicePixelRatio || 1
      setSize([Math.round(box.width * dpr), Math.round(box.height * dpr)])
    })
    observer.observe(canvas)
    return () => observer.disconnect()
  }, [])
  const { analysis, audio, pastEnd, gainDb } = lane
  const frequency = snapshot.room.view.frequency
  useEffect(() => {
    const canvas = ref.current
    const context = canvas?.getContext('2d')
    const [width, height] = size
    if (!canvas || !context || width === 0) return
    canvas.width = width
    canvas.height = height
    // Blind: nothing drawn (a length or a spectrum would give the reading away).
    if (!analysis || hidden) return
    drawLane(context, width, height, {
      analysis,
      audio,
      view,
      pastEnd,
      frequency,
      gain: 10 ** (gainDb / 20),
      spectrogram: !hidden,
      waveColor: KIND_COLORS.audio,
    })
  }, [size, analysis, audio, view.startSec, view.endSec, pastEnd, frequency, gainDb, hidden])
  const secAt = (clientX: number) => {
    const rect = ref.current?.getBoundingClientRect()
    if (!rect || rect.width === 0) return 0
    return view.startSec + ((clientX - rect.left) / rect.width) * (view.endSec - view.startSec)
  }
  return (
    <div className="lane-view">
      <canvas
        ref={ref}
        className="lane-canvas"
        data-testid="lane-canvas"
        onPointerDown={(e) => {
          if (e.button !== 0) return
          e.currentTarget.setPointerCapture(e.pointerId)
          seeking.current = true
          session.select(lane.key)
          session.transport.seek(secAt(e.clientX))
        }}
        onPointerMove={(e) => {
          if (seeking.current) session.transport.seek(secAt(e.clientX))
        }}
        onPointerUp={() => {
          seeking.current = false
        }}
      />
      {(!analysis || hidden) && (
        <div className="lane-placeholder">
          {hidden ? 'Listen, then rank (below)' : lane.audio ? 'Measuring…' : ''}
        </div>
      )}
    </div>
  )
}

/** The picture the reading came from, beside its lane. */
function LanePicture({ services, lane }: { services: EditorServices; lane: LaneView }) {
  const doc = useSyncExternalStore(services.store.subscribe, () => services.store.doc)
  const source = sourcePictureOf(doc, services.registry, lane.node)
  const runs = services.runs
  const value = useSyncExternalStore(
    (listener) => (source ? runs.subscribeNode(source.node, listener) : () => undefined),
    () => (source ? runs.get(source.node).outputs?.[source.port] : undefined),
  )
  if (value?.kind !== 'image') return <div className="lane-picture empty">no picture</div>
  return (
    <PictureThumb
      value={value}
      stored={storedRef(runs.get(source?.node ?? ''), source?.port ?? '')}
    />
  )
}

function PictureThumb({ value, stored }: { value: ImageValue; stored?: EncodedRef }) {
  const data = useThumbData(value, stored)
  return (
    <div className="lane-picture" data-testid="lane-picture">
      <RasterCanvas raster={data?.raster} placeholder={[96, 96]} />
    </div>
  )
}
