import { useMemo } from 'react'
import type { FramesValue } from '../../engine/values'
import { framesDurationSec } from '../../media/frames'
import type { AudioPlayer } from './audio-player'
import { formatHz, formatSeconds } from './format'
import { frameRaster, isSpectra, spectraRaster } from './frames-view'
import { RasterCanvas } from './RasterCanvas'
import { useFrameClock, type FrameClock } from './use-frame-clock'

function caption(value: FramesValue): string {
  const what = isSpectra(value)
    ? `${value.width} bins${value.binHz ? ` ${formatHz(value.binHz[0])}–${formatHz(value.binHz[value.binHz.length - 1])}` : ''}`
    : `${value.width} × ${value.height}`
  const sound = value.audio ? ' · ♪' : ''
  return `${value.frames.length} frames · ${what} · ${value.fps} fps · ${formatSeconds(framesDurationSec(value))}${sound}`
}

function PlayButton({ clock }: { clock: FrameClock }) {
  return (
    <button
      type="button"
      className={`play-button${clock.playing ? ' playing' : ''}`}
      onClick={clock.toggle}
      aria-label={clock.playing ? 'Stop' : 'Play'}
      title={clock.playing ? 'Stop' : 'Play the frames (with their soundtrack, if any)'}
      data-testid="frames-play"
    >
      {clock.playing ? '■' : '▶'}
    </button>
  )
}

/** A node's frames: spectra as a heat map over time, pictures as a small player. */
export function FramesThumb(props: {
  value: FramesValue
  owner: string
  player: AudioPlayer
  onOpen: () => void
}) {
  const { value, owner, player, onOpen } = props
  const clock = useFrameClock(value, owner, player)
  const spectra = isSpectra(value)
  const raster = useMemo(
    () => (spectra ? spectraRaster(value, 232, 96) : frameRaster(value, clock.index, 232, 160)),
    [value, spectra, spectra ? 0 : clock.index],
  )
  return (
    <div className="thumb" data-testid="frames-thumb">
      <div className="thumb-frame" onClick={onOpen} title="Open a large view">
        <RasterCanvas
          raster={raster}
          className={spectra ? 'thumb-canvas' : 'thumb-canvas thumb-image'}
        />
      </div>
      <div className="thumb-caption">
        {!spectra && <PlayButton clock={clock} />}
        <span>{caption(value)}</span>
      </div>
    </div>
  )
}

/** The large view: the frame (or the spectra's heat map and one frame's spectrum), a scrubber. */
export function LargeFrames(props: { value: FramesValue; owner: string; player: AudioPlayer }) {
  const { value, owner, player } = props
  const clock = useFrameClock(value, owner, player)
  const spectra = isSpectra(value)
  const overview = useMemo(
    () => (spectra ? spectraRaster(value, 880, 300) : undefined),
    [value, spectra],
  )
  const frame = useMemo(
    () => (spectra ? undefined : frameRaster(value, clock.index, 880, 440)),
    [value, spectra, clock.index],
  )
  const count = value.frames.length
  return (
    <div className="large-body large-frames">
      {overview && (
        <div className="frames-overview">
          <RasterCanvas raster={overview} className="plot-canvas" />
          <div
            className="frames-cursor"
            style={{ left: `${((clock.index + 0.5) / count) * 100}%` }}
          />
        </div>
      )}
      {frame && <RasterCanvas raster={frame} className="frames-picture" />}
      <div className="frames-controls">
        {!spectra && <PlayButton clock={clock} />}
        <input
          type="range"
          min={0}
          max={Math.max(0, count - 1)}
          value={clock.index}
          onChange={(e) => clock.seek(Number(e.target.value))}
          aria-label="Frame"
          data-testid="frames-scrub"
        />
        <span className="muted">
          frame {clock.index + 1} of {count} · {formatSeconds(clock.index / value.fps)} ·{' '}
          {caption(value)}
        </span>
      </div>
    </div>
  )
}
