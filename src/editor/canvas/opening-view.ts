import type { AreaPlugin } from 'rete-area-plugin'
import type { RunStore } from '../run/run-store'
import type { AreaExtra, Schemes } from './schemes'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** The area's transform: screen = area × k + (x, y). */
export interface Transform {
  x: number
  y: number
  k: number
}

/** Screen pixels along each side of the view that something lies over (hint line, minimap). */
export interface Insets {
  top: number
  right: number
  bottom: number
  left: number
}

export interface OpeningOptions {
  /** Below this, the smallest text on a node (12 px) renders under 11 px. */
  minZoom?: number
  /** Never blow a small graph up past its real size. */
  maxZoom?: number
  /** Share of the view a fitted graph fills. */
  fill?: number
  /** Screen pixels kept free around a graph that does not fit. */
  margin?: number
  /** Parts of the view covered by overlays: the graph is framed in what is left. */
  insets?: Insets
}

/** The smallest font on a node, and the smallest size text may render at on opening. */
export const NODE_MIN_FONT_PX = 12
export const MIN_READABLE_PX = 11
export const OPENING_MIN_ZOOM = MIN_READABLE_PX / NODE_MIN_FONT_PX

/**
 * Where a freshly opened graph should sit. A graph that fits at a readable size is centred, as
 * Fit does; a bigger one is shown at `minZoom` from its start — the sources on the left, where
 * reading a chain begins — rather than all of it too small to read. The minimap and Fit still
 * give the overview.
 */
export function openingTransform(
  rects: readonly Rect[],
  whole: { width: number; height: number },
  options: OpeningOptions = {},
): Transform {
  const { insets = { top: 0, right: 0, bottom: 0, left: 0 } } = options
  const view = {
    width: Math.max(1, whole.width - insets.left - insets.right),
    height: Math.max(1, whole.height - insets.top - insets.bottom),
  }
  const t = framedIn(rects, view, options)
  return { x: t.x + insets.left, y: t.y + insets.top, k: t.k }
}

function framedIn(
  rects: readonly Rect[],
  view: { width: number; height: number },
  options: OpeningOptions,
): Transform {
  const { minZoom = OPENING_MIN_ZOOM, maxZoom = 1, fill = 0.88, margin = 48 } = options
  if (rects.length === 0) return { x: view.width / 2, y: view.height / 2, k: 1 }
  const box = bounds(rects)
  const fit = Math.min(maxZoom, (view.width / box.width) * fill, (view.height / box.height) * fill)
  if (fit >= minZoom)
    return {
      x: view.width / 2 - (box.x + box.width / 2) * fit,
      y: view.height / 2 - (box.y + box.height / 2) * fit,
      k: fit,
    }
  const k = minZoom
  // Frame the first screenful: the nodes that start in it, centred on the sources' line (the
  // tidy layout centres every column on one line) without leaving empty canvas above or below.
  const right = box.x + (view.width - margin) / k
  const band = bounds(rects.filter((r) => r.x < right))
  const sources = bounds(rects.filter((r) => r.x < box.x + 1))
  const centred = view.height / 2 - (sources.y + sources.height / 2) * k
  const highest = margin - band.y * k
  const lowest = view.height - margin - (band.y + band.height) * k
  const y =
    lowest > highest
      ? view.height / 2 - (band.y + band.height / 2) * k
      : Math.min(highest, Math.max(lowest, centred))
  return { x: margin - box.x * k, y, k }
}

function bounds(rects: readonly Rect[]): Rect {
  const left = Math.min(...rects.map((r) => r.x))
  const top = Math.min(...rects.map((r) => r.y))
  const right = Math.max(...rects.map((r) => r.x + r.width))
  const bottom = Math.max(...rects.map((r) => r.y + r.height))
  return { x: left, y: top, width: right - left, height: bottom - top }
}

const same = (a: Transform, b: Transform) =>
  Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.k - b.k) < 1e-3

/**
 * Places the opening view, and places it once more when the first run has finished: previews
 * make nodes taller, so a view framed on bare nodes would leave them running into the status
 * bar. The second placement is skipped once the person has touched the canvas or moved the view.
 */
export class OpeningView {
  private stopWatching: (() => void) | undefined

  constructor(
    private readonly area: AreaPlugin<Schemes, AreaExtra>,
    private readonly runs: RunStore,
    private readonly rects: () => Rect[],
    private readonly afterLayout: () => Promise<void>,
    private readonly insets: () => Insets,
    /** Called after each placement, with the view where it now is. */
    private readonly placed: () => void = () => {},
  ) {}

  async show(): Promise<void> {
    this.stop()
    const placed = await this.place()
    const finished = this.runs.getSummary()
    if (finished.total > 0 && !finished.running) return // previews are already there
    const container = this.area.container
    const cancel = () => this.stop()
    const onRuns = () => {
      const summary = this.runs.getSummary()
      if (summary.running || summary.total === 0) return
      this.stop()
      void this.afterLayout().then(async () => {
        if (same(this.area.area.transform, placed)) await this.place()
      })
    }
    const unsubscribe = this.runs.subscribe(onRuns)
    container.addEventListener('pointerdown', cancel, true)
    container.addEventListener('wheel', cancel, { capture: true, passive: true })
    this.stopWatching = () => {
      unsubscribe()
      container.removeEventListener('pointerdown', cancel, true)
      container.removeEventListener('wheel', cancel, true)
    }
  }

  stop(): void {
    this.stopWatching?.()
    this.stopWatching = undefined
  }

  /** Fit: the whole graph, however small that makes it, clear of the overlays. */
  async fit(): Promise<void> {
    this.stop()
    await this.place({ minZoom: 0, fill: 0.92 })
  }

  private async place(options: OpeningOptions = {}): Promise<Transform> {
    const { clientWidth: width, clientHeight: height } = this.area.container
    const target = openingTransform(
      this.rects(),
      { width, height },
      { ...options, insets: this.insets() },
    )
    const transform = this.area.area.transform
    transform.x = target.x
    transform.y = target.y
    await this.area.area.zoom(target.k, 0, 0) // applies x and y too, and tells the minimap
    this.placed()
    return { ...transform }
  }
}
