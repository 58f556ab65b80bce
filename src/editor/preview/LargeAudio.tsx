import { useEffect, useRef } from 'react'
import { audioDurationSec, type AudioValue } from '../../engine/values'
import { KIND_COLORS } from '../kinds'
import type { AudioPlayer } from './audio-player'
import { Playhead } from './Playhead'
import { Plot } from './Plot'
import { secondsLabel, ticksFor } from './ticks'
import { waveformPeaks } from './thumbs'
import { useZoom } from './use-zoom'
import { drawPeaks } from './waveform-draw'
import { ZoomButtons } from './ZoomButtons'

const W = 880
const H = 320

/** A large waveform with a time axis; wheel zooms, drag pans, double-click plays from there. */
export function LargeAudio({
  audio,
  owner,
  player,
}: {
  audio: AudioValue
  owner: string
  player: AudioPlayer
}) {
  const frames = audio.channels[0]?.length ?? 0
  const zoom = useZoom(frames, 2)
  const ref = useRef<HTMLCanvasElement>(null)
  const { view } = zoom
  useEffect(() => {
    const context = ref.current?.getContext('2d')
    if (!context) return
    drawPeaks(context, waveformPeaks(audio, W, view.x), W, H, KIND_COLORS.audio)
  }, [audio, view.x])
  const sr = audio.sampleRate
  const yTicks = [1, 0.5, 0, -0.5, -1].map((v) => ({ at: (1 - v) / 2, label: String(v) }))
  return (
    <div className="large-body">
      <Plot
        xTicks={ticksFor(view.x, 1 / sr, secondsLabel)}
        yTicks={yTicks}
        xLabel="Time (s)"
        yLabel="Amplitude"
        handlers={{
          ...zoom.handlers,
          onDoubleClick: (e) => {
            const rect = e.currentTarget.getBoundingClientRect()
            const sample =
              view.x.start + ((e.clientX - rect.left) / rect.width) * (view.x.end - view.x.start)
            player.play(owner, audio, sample / sr)
          },
        }}
      >
        <canvas ref={ref} width={W} height={H} className="plot-canvas" />
        <Playhead
          player={player}
          owner={owner}
          startSec={view.x.start / sr}
          endSec={view.x.end / sr}
        />
      </Plot>
      <ZoomButtons zoom={zoom} hint="Wheel: zoom time · drag: pan · double-click: play from there">
        <button type="button" className="primary" onClick={() => player.toggle(owner, audio)}>
          {player.isPlaying(owner) ? '■ Stop' : '▶ Play'}
        </button>
        <span className="muted">
          {audioDurationSec(audio).toFixed(2)} s · {audio.sampleRate} Hz · {audio.channels.length}{' '}
          ch
        </span>
      </ZoomButtons>
    </div>
  )
}
