import type { ListeningRoomState } from '../../engine/document'
import { zoomView } from './lane-draw'
import { timeViewOf } from './ListeningRoom'
import type { EditorServices } from '../services'
import { exportRoom } from './room-export'
import { formatRoomTime } from './room-format'
import type { RoomSession, RoomSnapshot } from './session'

/** Loudness targets offered besides "the quietest lane" (EBU R128 broadcast, streaming). */
const TARGETS = [-23, -16, -14]

/** The room's header: transport, loop, loudness matching, view, tests, export, close. */
export function TransportBar({
  services,
  session,
  snapshot,
  onClose,
}: {
  services: EditorServices
  session: RoomSession
  snapshot: RoomSnapshot
  onClose: () => void
}) {
  const { room, playing } = snapshot
  const edit = (patch: Partial<ListeningRoomState>, what: string) =>
    session.edit({ ...room, ...patch }, what)
  const view = timeViewOf(snapshot)
  const zoomBy = (factor: number) =>
    edit(
      { view: { ...room.view, zoom: zoomView(view, snapshot.durationSec, factor, 0.5) } },
      'zoom',
    )
  const testing = snapshot.blind !== undefined || snapshot.abx !== undefined
  return (
    <header className="room-bar">
      <h2>Listening room</h2>
      <button
        type="button"
        className="primary room-play"
        onClick={() => void session.transport.toggle()}
        aria-label={playing ? 'Pause' : 'Play'}
        title="Play or pause every lane together (Space)"
        data-testid="room-play"
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <span className="room-length muted" title="The ruler spans the longest lane">
        / {formatRoomTime(snapshot.durationSec)}
      </span>
      <label className="room-check" title="Loop the region dragged on the ruler (L)">
        <input
          type="checkbox"
          checked={room.loop?.on ?? false}
          disabled={!room.loop}
          onChange={(e) =>
            room.loop && edit({ loop: { ...room.loop, on: e.target.checked } }, 'loop')
          }
          data-testid="room-loop"
        />
        Loop
      </label>
      <span className="sep" />
      <label
        className="room-check"
        title="Play every lane at the same integrated loudness (EBU R128), never above −1 dBTP"
      >
        <input
          type="checkbox"
          checked={room.match}
          onChange={(e) => edit({ match: e.target.checked }, 'matching')}
          data-testid="room-match"
        />
        Match loudness
      </label>
      <select
        aria-label="Loudness to match"
        value={room.targetLufs ?? 'quietest'}
        disabled={!room.match}
        onChange={(e) =>
          edit(
            { targetLufs: e.target.value === 'quietest' ? undefined : Number(e.target.value) },
            'matching',
          )
        }
        data-testid="room-target"
      >
        <option value="quietest">to the quietest lane</option>
        {TARGETS.map((t) => (
          <option key={t} value={t}>
            to {String(t).replace('-', '−')} LUFS
          </option>
        ))}
      </select>
      <span className="sep" />
      <select
        aria-label="Frequency scale"
        value={room.view.frequency}
        onChange={(e) =>
          edit(
            { view: { ...room.view, frequency: e.target.value === 'linear' ? 'linear' : 'log' } },
            'view',
          )
        }
        data-testid="room-frequency"
      >
        <option value="log">Log frequency</option>
        <option value="linear">Linear frequency</option>
      </select>
      <label className="room-check" title="Show the picture each reading came from">
        <input
          type="checkbox"
          checked={room.view.pictures}
          onChange={(e) => edit({ view: { ...room.view, pictures: e.target.checked } }, 'view')}
          data-testid="room-pictures"
        />
        Pictures
      </label>
      <span className="room-zoom" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoomBy(2)} title="Zoom out" aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => zoomBy(0.5)} title="Zoom in" aria-label="Zoom in">
          +
        </button>
        <button
          type="button"
          onClick={() => edit({ view: { ...room.view, zoom: undefined } }, 'zoom')}
          title="Show the whole ruler"
        >
          All
        </button>
      </span>
      <span className="spacer" />
      {testing ? (
        <button type="button" onClick={() => session.endTests()} data-testid="room-end-test">
          End test
        </button>
      ) : (
        <>
          <button
            type="button"
            onClick={() => session.startBlind()}
            disabled={snapshot.lanes.length < 2}
            title="Hide the names behind letters in a random order, rank by ear, then reveal"
            data-testid="room-blind"
          >
            Blind test
          </button>
          <button
            type="button"
            onClick={() => {
              const [a, b] = snapshot.lanes
              if (a && b) session.startAbx(a.key, b.key)
            }}
            disabled={snapshot.lanes.length < 2}
            title="ABX: is X the first lane or the second? Trials, right answers and the p-value"
            data-testid="room-abx"
          >
            ABX
          </button>
        </>
      )}
      <button
        type="button"
        onClick={() => void exportRoom(services, session)}
        disabled={snapshot.lanes.every((l) => !l.analysis)}
        title="The lanes as loudness-matched WAVs, a contact sheet PNG and listen.json, in one zip"
        data-testid="room-export"
      >
        ⤓ Export
      </button>
      <button type="button" className="close-button" onClick={onClose} aria-label="Close the room">
        ✕
      </button>
    </header>
  )
}
