import type { PictureContext } from './PictureImage'
import type { Peaks } from './thumbs'

/** Draws min/max peaks as a filled waveform centred on the canvas. */
export function drawPeaks(
  context: CanvasRenderingContext2D | PictureContext,
  peaks: Peaks,
  width: number,
  height: number,
  color: string,
  gain = 1,
): void {
  context.clearRect(0, 0, width, height)
  const mid = height / 2
  context.fillStyle = 'rgba(255,255,255,0.08)'
  context.fillRect(0, Math.round(mid), width, 1)
  context.fillStyle = color
  const columns = peaks.min.length
  for (let x = 0; x < columns; x++) {
    const top = mid - Math.max(-1, Math.min(1, peaks.max[x] * gain)) * (mid - 1)
    const bottom = mid - Math.max(-1, Math.min(1, peaks.min[x] * gain)) * (mid - 1)
    context.fillRect(
      (x * width) / columns,
      top,
      Math.max(1, width / columns),
      Math.max(1, bottom - top),
    )
  }
}
