/**
 * Where a wire runs. A wire is the canvas's usual curve (rete's classic path) unless that curve
 * passes behind a node; then it runs square, with rounded corners, along the gaps: out of its
 * socket, along a free horizontal lane between the nodes, and into the input, as n8n draws a
 * wire that goes back. All in area (canvas) coordinates.
 */

export interface Pt {
  x: number
  y: number
}

/** A node's box on the canvas. */
export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** Rete's classic curve: control points straight out of each socket (rete-render-utils). */
const CURVATURE = 0.3
/** How far from a node a wire keeps, at least, in a gap. */
const CLEARANCE = 6
/** How far a routed wire runs straight out of its socket before it turns. */
const STUB = 14
const RADIUS = 10

export function curvePath(start: Pt, end: Pt): string {
  const reach = Math.max(Math.abs(start.y - end.y) / 2, Math.abs(end.x - start.x)) * CURVATURE
  return `M ${start.x} ${start.y} C ${start.x + reach} ${start.y} ${end.x - reach} ${end.y} ${end.x} ${end.y}`
}

/** Points along the classic curve (its ends left out: they sit on their own nodes' edges). */
function curvePoints(start: Pt, end: Pt, count = 48): Pt[] {
  const reach = Math.max(Math.abs(start.y - end.y) / 2, Math.abs(end.x - start.x)) * CURVATURE
  const [c1, c2] = [
    { x: start.x + reach, y: start.y },
    { x: end.x - reach, y: end.y },
  ]
  const points: Pt[] = []
  for (let i = 1; i < count; i++) {
    const t = i / count
    const u = 1 - t
    const a = u * u * u
    const b = 3 * u * u * t
    const c = 3 * u * t * t
    const d = t * t * t
    points.push({
      x: a * start.x + b * c1.x + c * c2.x + d * end.x,
      y: a * start.y + b * c1.y + c * c2.y + d * end.y,
    })
  }
  return points
}

/** Inside a box, its edges shrunk by `inset` (a wire touching a node's edge is not behind it). */
const inside = (p: Pt, b: Box, inset: number) =>
  p.x > b.x + inset &&
  p.x < b.x + b.width - inset &&
  p.y > b.y + inset &&
  p.y < b.y + b.height - inset

/** Whether the classic curve from `start` to `end` passes behind any of `boxes`. */
export function curveCrosses(start: Pt, end: Pt, boxes: readonly Box[]): boolean {
  // The curve lies inside its control points' hull: only boxes across that can be crossed.
  const reach = Math.max(Math.abs(start.y - end.y) / 2, Math.abs(end.x - start.x)) * CURVATURE
  const left = Math.min(start.x, end.x - reach)
  const right = Math.max(end.x, start.x + reach)
  const [top, bottom] = [Math.min(start.y, end.y), Math.max(start.y, end.y)]
  const near = boxes.filter(
    (b) => b.x < right && b.x + b.width > left && b.y < bottom && b.y + b.height > top,
  )
  if (near.length === 0) return false
  return curvePoints(start, end).some((p) => near.some((b) => inside(p, b, 2)))
}

/** Whether a vertical or horizontal segment keeps `CLEARANCE` away from every box. */
function segmentFree(a: Pt, b: Pt, boxes: readonly Box[]): boolean {
  const [left, right] = [Math.min(a.x, b.x), Math.max(a.x, b.x)]
  const [top, bottom] = [Math.min(a.y, b.y), Math.max(a.y, b.y)]
  return boxes.every(
    (box) =>
      right < box.x - CLEARANCE ||
      left > box.x + box.width + CLEARANCE ||
      bottom < box.y - CLEARANCE ||
      top > box.y + box.height + CLEARANCE,
  )
}

/**
 * The square route from `start` (an output, on a node's right edge) to `end` (an input, on a
 * node's left edge) clear of every box, as its corner points; undefined when there is none. Of
 * the free lanes, the one with the least climbing wins; in a narrow gap the lane runs down its
 * middle, in a wide one as near the ends' heights as keeps it 2 × `CLEARANCE` from the nodes.
 */
export function squareRoute(start: Pt, end: Pt, boxes: readonly Box[]): Pt[] | undefined {
  const x1 = start.x + STUB
  const x2 = end.x - STUB
  const [left, right] = [Math.min(x1, x2), Math.max(x1, x2)]
  // The heights the lane cannot take: the boxes it would cross, widened by the clearance.
  const blocked = boxes
    .filter((b) => b.x - CLEARANCE < right && b.x + b.width + CLEARANCE > left)
    .map((b) => [b.y - CLEARANCE, b.y + b.height + CLEARANCE] as const)
    .sort((a, b) => a[0] - b[0])
  const gaps: [number, number][] = []
  let from = -Infinity
  for (const [top, bottom] of blocked) {
    if (top > from) gaps.push([from, top])
    from = Math.max(from, bottom)
  }
  gaps.push([from, Infinity])
  const ideal = (start.y + end.y) / 2
  const lanes = gaps.map(([top, bottom]) =>
    bottom - top <= 2 * CLEARANCE
      ? (top + bottom) / 2
      : Math.min(bottom - CLEARANCE, Math.max(top + CLEARANCE, ideal)),
  )
  const climb = (y: number) => Math.abs(y - start.y) + Math.abs(y - end.y)
  lanes.sort((a, b) => climb(a) - climb(b))
  for (const y of lanes) {
    if (!Number.isFinite(y)) continue
    const route = [
      start,
      { x: x1, y: start.y },
      { x: x1, y },
      { x: x2, y },
      { x: x2, y: end.y },
      end,
    ]
    const free = route.slice(1, -2).every((p, i) => segmentFree(p, route[i + 2], boxes))
    if (free) return route
  }
  return undefined
}

/** A polyline as an SVG path with its corners rounded. */
export function roundedPath(points: readonly Pt[], radius = RADIUS): string {
  const kept = points.filter(
    (p, i) => i === 0 || Math.abs(p.x - points[i - 1].x) + Math.abs(p.y - points[i - 1].y) > 0.01,
  )
  let d = `M ${kept[0].x} ${kept[0].y}`
  for (let i = 1; i < kept.length - 1; i++) {
    const [a, b, c] = [kept[i - 1], kept[i], kept[i + 1]]
    const inLength = Math.hypot(b.x - a.x, b.y - a.y)
    const outLength = Math.hypot(c.x - b.x, c.y - b.y)
    const r = Math.min(radius, inLength / 2, outLength / 2)
    const p = { x: b.x + ((a.x - b.x) / inLength) * r, y: b.y + ((a.y - b.y) / inLength) * r }
    const q = { x: b.x + ((c.x - b.x) / outLength) * r, y: b.y + ((c.y - b.y) / outLength) * r }
    d += ` L ${p.x} ${p.y} Q ${b.x} ${b.y} ${q.x} ${q.y}`
  }
  const last = kept[kept.length - 1]
  return `${d} L ${last.x} ${last.y}`
}

/** The wire's path: the classic curve, or where that passes behind a node, the square route. */
export function wirePath(start: Pt, end: Pt, boxes: readonly Box[]): string {
  if (!curveCrosses(start, end, boxes)) return curvePath(start, end)
  const route = squareRoute(start, end, boxes)
  return route ? roundedPath(route) : curvePath(start, end)
}
