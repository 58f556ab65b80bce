import { useMemo, useState } from 'react'
import type { SpectrogramValue } from '../../engine/values'
import { Plot } from './Plot'
import { RasterCanvas } from './RasterCanvas'
import { hzLabel, secondsLabel, ticksFor } from './ticks'
import { spectrogramRaster } from './thumbs'
import { useZoom } from './use-zoom'
import { ZoomButtons } from './ZoomButtons'

const W = 880
const H = 360

/** A large spectrogram: time in seconds across, frequency in Hz up (bin 0 at the bottom). */
export function LargeSpectrogram({ value }: { value: SpectrogramValue }) {
  const [channel, setChannel] = useState(0)
  const [rangeDb, setRangeDb] = useState(80)
  const zoom = useZoom(value.frames, value.bins, { flipY: true })
  const { view } = zoom
  const raster = useMemo(
    () => spectrogramRaster(value, W, H, { channel, frames: view.x, bins: view.y, rangeDb }),
    [value, channel, view, rangeDb],
  )
  const mel = value.scale === 'mel'
  return (
    <div className="large-body">
      <Plot
        xTicks={ticksFor(view.x, value.hopSize / value.sampleRate, secondsLabel)}
        yTicks={ticksFor(
          view.y,
          mel ? 1 : value.sampleRate / value.fftSize,
          mel ? String : hzLabel,
          true,
          5,
        )}
        xLabel="Time (s)"
        yLabel={mel ? 'Mel band' : 'Frequency (Hz)'}
        handlers={zoom.handlers}
      >
        <RasterCanvas raster={raster} className="plot-canvas" />
      </Plot>
      <ZoomButtons zoom={zoom} hint="Wheel: zoom time · Shift+wheel: zoom frequency · drag: pan">
        {value.channels.length > 1 && (
          <select
            value={channel}
            onChange={(e) => setChannel(Number(e.target.value))}
            aria-label="Channel"
          >
            {value.channels.map((_, i) => (
              <option key={i} value={i}>
                Channel {i + 1}
              </option>
            ))}
          </select>
        )}
        <label className="muted">
          Range{' '}
          <select
            value={rangeDb}
            onChange={(e) => setRangeDb(Number(e.target.value))}
            aria-label="Range"
          >
            {[40, 60, 80, 100, 120].map((db) => (
              <option key={db} value={db}>
                {db} dB
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          FFT {value.fftSize} · hop {value.hopSize} · {value.window} · {value.scale}
        </span>
      </ZoomButtons>
    </div>
  )
}
