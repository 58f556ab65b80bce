import { useCallback, useRef, useState } from 'react'
import type { Span } from './thumbs'

export interface ZoomView {
  x: Span
  y: Span
}

function zoomSpan(span: Span, extent: number, at: number, factor: number, minSize: number): Span {
  const size = Math.min(extent, Math.max(minSize, (span.end - span.start) * factor))
  const pivot = span.start + at * (span.end - span.start)
  let start = pivot - at * size
  start = Math.max(0, Math.min(extent - size, start))
  return { start, end: start + size }
}

function panSpan(span: Span, extent: number, delta: number): Span {
  const size = span.end - span.start
  const start = Math.max(0, Math.min(extent - size, span.start + delta))
  return { start, end: start + size }
}

/**
 * Zoom and pan over a value of `width × height` (its own units). The wheel zooms time (x);
 * with Shift it zooms y; `both` zooms both together (pictures). Dragging pans. `flipY` when y
 * grows upwards on screen (frequency).
 */
export function useZoom(
  width: number,
  height: number,
  options: { both?: boolean; flipY?: boolean } = {},
) {
  const full: ZoomView = { x: { start: 0, end: width }, y: { start: 0, end: height } }
  const [view, setView] = useState<ZoomView>(full)
  const drag = useRef<{ x: number; y: number; view: ZoomView } | undefined>(undefined)
  const { both = false, flipY = false } = options

  const zoomAt = useCallback(
    (fx: number, fy: number, factor: number, axis: 'x' | 'y' | 'both') =>
      setView((v) => ({
        x: axis === 'y' ? v.x : zoomSpan(v.x, width, fx, factor, Math.min(width, 8)),
        y:
          axis === 'x'
            ? v.y
            : zoomSpan(v.y, height, flipY ? 1 - fy : fy, factor, Math.min(height, 4)),
      })),
    [width, height, flipY],
  )

  const handlers = {
    onWheel: (e: React.WheelEvent<HTMLElement>) => {
      const rect = e.currentTarget.getBoundingClientRect()
      const fx = (e.clientX - rect.left) / rect.width
      const fy = (e.clientY - rect.top) / rect.height
      const factor = Math.exp(Math.sign(e.deltaY) * 0.15)
      zoomAt(fx, fy, factor, both ? 'both' : e.shiftKey ? 'y' : 'x')
    },
    onPointerDown: (e: React.PointerEvent<HTMLElement>) => {
      if (e.button !== 0) return
      e.currentTarget.setPointerCapture(e.pointerId)
      drag.current = { x: e.clientX, y: e.clientY, view }
    },
    onPointerMove: (e: React.PointerEvent<HTMLElement>) => {
      const start = drag.current
      if (!start) return
      const rect = e.currentTarget.getBoundingClientRect()
      const dx = ((start.x - e.clientX) / rect.width) * (start.view.x.end - start.view.x.start)
      const dyRaw = ((start.y - e.clientY) / rect.height) * (start.view.y.end - start.view.y.start)
      setView({
        x: panSpan(start.view.x, width, dx),
        y: panSpan(start.view.y, height, flipY ? -dyRaw : dyRaw),
      })
    },
    onPointerUp: () => {
      drag.current = undefined
    },
  }

  return {
    view,
    handlers,
    zoomIn: () => zoomAt(0.5, 0.5, 0.5, both ? 'both' : 'x'),
    zoomOut: () => zoomAt(0.5, 0.5, 2, both ? 'both' : 'x'),
    reset: () => setView(full),
    zoomed: view.x.start > 0 || view.x.end < width || view.y.start > 0 || view.y.end < height,
  }
}
