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
  /** Screen pixels kept free along the view's edges. */
  margin?: number
  /** Bands of the view covered by overlays: a graph too big to show whole starts below them. */
  insets?: Insets
  /**
   * The overlays themselves (hint, legend, minimap), in screen pixels from the view's top left:
   * a graph is placed with no node under any of them, so it may reach past a small one in a
   * corner rather than lose a whole band of the view to it.
   */
  covers?: readonly Rect[]
}

/** The smallest font on a node, and the smallest size text may render at on opening. */
export const NODE_MIN_FONT_PX = 12
export const MIN_READABLE_PX = 11
export const OPENING_MIN_ZOOM = MIN_READABLE_PX / NODE_MIN_FONT_PX

const NO_INSETS: Insets = { top: 0, right: 0, bottom: 0, left: 0 }

/**
 * Where a freshly opened graph should sit: as large as it can be, up to its real size, with every
 * node inside the view and clear of the overlays. When the whole of it would render its text
 * under `minZoom`, it is shown at `minZoom` from its start instead — the sources on the left,
 * where reading a chain begins — rather than all of it too small to read; the minimap and Fit
 * still give the overview.
 */
export function openingTransform(
  rects: readonly Rect[],
  whole: { width: number; height: number },
  options: OpeningOptions = {},
): Transform {
  const { minZoom = OPENING_MIN_ZOOM, maxZoom = 1, margin = 24, insets = NO_INSETS } = options
  if (rects.length === 0) return { x: whole.width / 2, y: whole.height / 2, k: 1 }
  const box = bounds(rects)
  // The whole graph framed between the bands: always clear of the overlays, so it is the
  // floor of the search for a larger framing that steps around them.
  const inner = {
    width: Math.max(1, whole.width - insets.left - insets.right - 2 * margin),
    height: Math.max(1, whole.height - insets.top - insets.bottom - 2 * margin),
  }
  const banded = Math.min(maxZoom, inner.width / box.width, inner.height / box.height)
  const around = clearOfCovers(rects, box, whole, options.covers ?? [], {
    from: Math.min(
      maxZoom,
      (whole.width - 2 * margin) / box.width,
      (whole.height - 2 * margin) / box.height,
    ),
    to: Math.max(minZoom, banded),
    margin,
  })
  if (around) return around
  if (banded >= minZoom)
    return {
      x: insets.left + margin + inner.width / 2 - (box.x + box.width / 2) * banded,
      y: insets.top + margin + inner.height / 2 - (box.y + box.height / 2) * banded,
      k: banded,
    }
  return firstScreenful(rects, box, whole, options.covers ?? [], minZoom, margin, insets)
}

/**
 * The largest zoom in [to, from] (in steps of 1.5 %) at which the graph fits the view with no
 * node under a cover, placed as near the middle as that allows; undefined if there is none.
 */
function clearOfCovers(
  rects: readonly Rect[],
  box: Rect,
  whole: { width: number; height: number },
  covers: readonly Rect[],
  { from, to, margin }: { from: number; to: number; margin: number },
): Transform | undefined {
  const steps = 9
  const spread = (low: number, high: number) => {
    if (high < low) return []
    const middle = (low + high) / 2
    const all = Array.from({ length: steps }, (_, i) => low + ((high - low) * i) / (steps - 1))
    return all.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))
  }
  const clear = (x: number, y: number, k: number) =>
    rects.every((r) => {
      const left = x + r.x * k
      const top = y + r.y * k
      const right = left + r.width * k
      const bottom = top + r.height * k
      return covers.every(
        (c) => right <= c.x || left >= c.x + c.width || bottom <= c.y || top >= c.y + c.height,
      )
    })
  const zooms: number[] = []
  for (let k = from; k > to; k *= 0.985) zooms.push(k)
  if (from >= to) zooms.push(to)
  for (const k of zooms) {
    const xs = spread(margin - box.x * k, whole.width - margin - (box.x + box.width) * k)
    const ys = spread(margin - box.y * k, whole.height - margin - (box.y + box.height) * k)
    const places = xs.flatMap((x, i) => ys.map((y, j) => ({ x, y, rank: i + j })))
    places.sort((a, b) => a.rank - b.rank)
    const found = places.find((p) => clear(p.x, p.y, k))
    if (found) return { x: found.x, y: found.y, k }
  }
  return undefined
}

/**
 * The first screenful at zoom `k`: the sources at the left edge, and of the heights the graph
 * can sit at, the one that shows the most nodes whole and clear of the overlays (nearest the
 * sources' line centred when several do).
 */
function firstScreenful(
  rects: readonly Rect[],
  box: Rect,
  whole: { width: number; height: number },
  covers: readonly Rect[],
  k: number,
  margin: number,
  insets: Insets,
): Transform {
  const x = insets.left + margin - box.x * k
  const first = rects.filter((r) => r.x < box.x + 1)
  const sources = bounds(first)
  const centred =
    insets.top +
    (whole.height - insets.top - insets.bottom) / 2 -
    (sources.y + sources.height / 2) * k
  const shows = (y: number, r: Rect) => {
    const left = x + r.x * k
    const top = y + r.y * k
    const right = left + r.width * k
    const bottom = top + r.height * k
    if (left < margin || top < margin) return false
    if (right > whole.width - margin || bottom > whole.height - margin) return false
    return covers.every(
      (c) => right <= c.x || left >= c.x + c.width || bottom <= c.y || top >= c.y + c.height,
    )
  }
  // How many nodes show whole; the sources count above all the rest, where reading begins.
  const seen = (y: number) =>
    first.filter((r) => shows(y, r)).length * rects.length + rects.filter((r) => shows(y, r)).length
  // From the graph's top below the top band (the hint) to its bottom at the bottom of the view,
  // or its top at the top of the view, in 2 px steps.
  const ends = [margin - box.y * k, whole.height - margin - (box.y + box.height) * k]
  const [low, high] = [Math.min(...ends), Math.max(...ends) + insets.top]
  let best = {
    y: Math.min(high, Math.max(low, centred)),
    seen: seen(Math.min(high, Math.max(low, centred))),
  }
  for (let y = high; y >= low - 1e-9; y -= 2) {
    const count = seen(y)
    const nearer = Math.abs(y - centred) < Math.abs(best.y - centred)
    if (count > best.seen || (count === best.seen && nearer)) best = { y, seen: count }
  }
  return { x, y: best.y, k }
}

function bounds(rects: readonly Rect[]): Rect {
  const left = Math.min(...rects.map((r) => r.x))
  const top = Math.min(...rects.map((r) => r.y))
  const right = Math.max(...rects.map((r) => r.x + r.width))
  const bottom = Math.max(...rects.map((r) => r.y + r.height))
  return { x: left, y: top, width: right - left, height: bottom - top }
}

/** How many nodes lie wholly inside a `whole`-sized view at `t`, of how many. */
export function nodesInView(
  rects: readonly Rect[],
  t: Transform,
  whole: { width: number; height: number },
): { shown: number; total: number } {
  const inside = (r: Rect) =>
    t.x + r.x * t.k >= -0.5 &&
    t.y + r.y * t.k >= -0.5 &&
    t.x + (r.x + r.width) * t.k <= whole.width + 0.5 &&
    t.y + (r.y + r.height) * t.k <= whole.height + 0.5
  return { shown: rects.filter(inside).length, total: rects.length }
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
    /** What the overlays cover: as bands, and as their own boxes. */
    private readonly covered: () => { insets: Insets; covers: Rect[] },
    /** Called after each placement, with the view where it now is: how much of the graph it shows. */
    private readonly placed: (view: { shown: number; total: number }) => void = () => {},
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
    await this.place({ minZoom: 0 })
  }

  private async place(options: OpeningOptions = {}): Promise<Transform> {
    const { clientWidth: width, clientHeight: height } = this.area.container
    const rects = this.rects()
    const target = openingTransform(rects, { width, height }, { ...options, ...this.covered() })
    const transform = this.area.area.transform
    transform.x = target.x
    transform.y = target.y
    await this.area.area.zoom(target.k, 0, 0) // applies x and y too, and tells the minimap
    this.placed(nodesInView(rects, target, { width, height }))
    return { ...transform }
  }
}
