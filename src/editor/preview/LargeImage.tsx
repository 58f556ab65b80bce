import { useMemo } from 'react'
import type { ImageValue } from '../../engine/values'
import { Plot } from './Plot'
import { RasterCanvas } from './RasterCanvas'
import { ticksFor } from './ticks'
import { imageRaster } from './thumbs'
import { useZoom } from './use-zoom'
import { ZoomButtons } from './ZoomButtons'

/** A large picture with pixel axes, row 0 at the top; wheel zooms, drag pans. */
export function LargeImage({ value }: { value: ImageValue }) {
  const zoom = useZoom(value.width, value.height, { both: true })
  const { view } = zoom
  const raster = useMemo(() => imageRaster(value, 880, 440, view), [value, view])
  // The picture keeps its shape: the axes are as wide as the picture drawn.
  const aspect = (view.x.end - view.x.start) / (view.y.end - view.y.start)
  const areaWidth = Math.round(Math.min(880, 440 * aspect))
  const px = (v: number) => String(Math.round(v))
  return (
    <div className="large-body">
      <Plot
        xTicks={ticksFor(view.x, 1, px)}
        yTicks={ticksFor(view.y, 1, px, false, 5)}
        xLabel="x (pixels)"
        yLabel="y (pixels)"
        handlers={zoom.handlers}
        areaWidth={areaWidth}
      >
        <RasterCanvas raster={raster} className="plot-canvas plot-image" />
      </Plot>
      <ZoomButtons zoom={zoom} hint="Wheel: zoom · drag: pan">
        <span className="muted">
          {value.width} × {value.height} · {value.channels.length} channel
          {value.channels.length > 1 ? 's' : ''}
        </span>
      </ZoomButtons>
    </div>
  )
}
