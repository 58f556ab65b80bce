import { useSyncExternalStore } from 'react'
import type { EncodedRef } from '../../engine/codec'
import { audioDurationSec, type AudioValue } from '../../engine/values'
import { KIND_COLORS } from '../kinds'
import type { AudioPlayer } from './audio-player'
import { drawnPicture, PictureImg, usePictureUrl } from './PictureImage'
import { Playhead } from './Playhead'
import { useThumbData } from './thumb-client'
import { THUMB_WIDTH as WIDTH, type ThumbDataOf } from './thumb-data'
import { drawPeaks } from './waveform-draw'
import { formatSeconds } from './format'

const HEIGHT = 56

/** A node's audio: waveform, play/stop, playhead, and its length and rate. */
export function AudioThumb(props: {
  audio: AudioValue
  /** Where its bytes already sit encoded: the waveform is then made in a worker. */
  stored?: EncodedRef
  owner: string
  player: AudioPlayer
  onOpen: () => void
}) {
  const { audio, stored, owner, player, onOpen } = props
  const playing = useSyncExternalStore(player.subscribe, player.getOwner) === owner
  // Peaks and the peak level, made once per value (in a worker for long sounds).
  const thumb = useThumbData(audio, stored)
  const url = usePictureUrl(thumb, waveformPicture)
  const peakDb = thumb ? 20 * Math.log10(Math.max(thumb.peak, 1e-9)) : undefined
  const duration = audioDurationSec(audio)
  const details = [
    formatSeconds(duration),
    audio.channels.length === 1 ? 'mono' : `${audio.channels.length} ch`,
    `${(audio.sampleRate / 1000).toFixed(audio.sampleRate % 1000 ? 1 : 0)} kHz`,
  ].join(' · ')
  return (
    <div className="thumb thumb-audio">
      <div className="thumb-frame" onClick={onOpen} title="Open a large view">
        <PictureImg url={url} width={WIDTH} height={HEIGHT} className="thumb-canvas" />
        <Playhead player={player} owner={owner} endSec={duration} />
      </div>
      <div className="thumb-caption">
        <button
          type="button"
          className={`play-button${playing ? ' playing' : ''}`}
          onClick={() => player.toggle(owner, audio)}
          aria-label={playing ? 'Stop' : 'Play'}
          title={playing ? 'Stop (Space)' : 'Play (Space)'}
        >
          {playing ? '■' : '▶'}
        </button>
        {/* A compact node cuts this line short: the whole of it shows on hover. */}
        <span title={details}>{details}</span>
        {peakDb !== undefined && (
          <span
            className={`peak${peakDb > -0.1 ? ' peak-hot' : ''}`}
            title="Peak level. The waveform is drawn scaled to it."
          >
            {peakDb > -120 ? `${peakDb.toFixed(1)} dB` : 'silent'}
          </span>
        )}
      </div>
    </div>
  )
}

/** The waveform, drawn scaled up to its peak so quiet sounds keep a visible shape. */
const waveformPicture = (thumb: ThumbDataOf<AudioValue>): string =>
  drawnPicture(WIDTH, HEIGHT, (context) =>
    drawPeaks(
      context,
      thumb.peaks,
      WIDTH,
      HEIGHT,
      KIND_COLORS.audio,
      1 / Math.max(thumb.peak, 1e-6),
    ),
  )
