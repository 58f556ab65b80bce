import type { ReactNode } from 'react'

/** Zoom in/out/reset, a line on how to zoom with the mouse, and extra controls. */
export function ZoomButtons(props: {
  zoom: { zoomIn: () => void; zoomOut: () => void; reset: () => void; zoomed: boolean }
  hint: string
  children?: ReactNode
}) {
  const { zoom, hint, children } = props
  return (
    <div className="zoom-row">
      {children}
      <span className="zoom-hint">{hint}</span>
      <button type="button" onClick={zoom.zoomIn} aria-label="Zoom in">
        +
      </button>
      <button type="button" onClick={zoom.zoomOut} aria-label="Zoom out">
        −
      </button>
      <button type="button" onClick={zoom.reset} disabled={!zoom.zoomed}>
        Reset
      </button>
    </div>
  )
}
