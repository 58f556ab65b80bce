import type { ReactNode } from 'react'

export interface Tick {
  /** 0..1 along the axis, from the left (x) or the top (y). */
  at: number
  label: string
}

/** A plotting frame: the picture in the middle, tick labels left and below, axis names. */
export function Plot(props: {
  children: ReactNode
  xTicks: Tick[]
  yTicks: Tick[]
  xLabel: string
  yLabel: string
  handlers?: React.HTMLAttributes<HTMLDivElement>
  /** Fixes the picture's width (pixels), for pictures whose shape must be kept. */
  areaWidth?: number
}) {
  const { children, xTicks, yTicks, xLabel, yLabel, handlers, areaWidth } = props
  const style = areaWidth ? { gridTemplateColumns: `20px 52px ${areaWidth}px` } : undefined
  return (
    <div className="plot" style={style}>
      <div className="plot-ylabel">{yLabel}</div>
      <div className="plot-yaxis">
        {yTicks.map((t, i) => (
          <span key={i} style={{ top: `${t.at * 100}%` }}>
            {t.label}
          </span>
        ))}
      </div>
      <div className="plot-area" {...handlers}>
        {children}
        {xTicks.map((t, i) => (
          <span key={`x${i}`} className="grid-x" style={{ left: `${t.at * 100}%` }} />
        ))}
        {yTicks.map((t, i) => (
          <span key={`y${i}`} className="grid-y" style={{ top: `${t.at * 100}%` }} />
        ))}
      </div>
      <div className="plot-xaxis">
        {xTicks.map((t, i) => (
          <span key={i} style={{ left: `${t.at * 100}%` }}>
            {t.label}
          </span>
        ))}
      </div>
      <div className="plot-xlabel">{xLabel}</div>
    </div>
  )
}
