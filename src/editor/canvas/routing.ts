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
/**
 * How far apart square wires of different outputs run where they would share a lane: their
 * strokes are 3 px, so 8 px leaves a clear line of background between them.
 */
const LANE_SPACING = 8
/** Closer than this, two parallel runs of different outputs read as one wire. */
const MIN_APART = 6

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

/** A straight run of a routed wire, and the output the wire comes from. */
export interface Run {
  output: string
  a: Pt
  b: Pt
}

/** The straight runs of a square route (corner points), for the wires routed after it. */
function runsOf(route: readonly Pt[], output: string): Run[] {
  return route.slice(1).map((b, i) => ({ output, a: route[i], b }))
}

/**
 * Whether a run lies along one of `taken` from another output: parallel, closer than
 * `MIN_APART`, and overlapping along their length (crossing is fine: wires cross).
 */
function alongTaken(a: Pt, b: Pt, output: string, taken: readonly Run[]): boolean {
  const vertical = Math.abs(a.x - b.x) < 0.5
  const horizontal = Math.abs(a.y - b.y) < 0.5
  return taken.some((run) => {
    if (run.output === output) return false // one output's wires branch from one line
    const [along, across] = vertical ? (['y', 'x'] as const) : (['x', 'y'] as const)
    if (!vertical && !horizontal) return false
    const runVertical = Math.abs(run.a.x - run.b.x) < 0.5
    const runHorizontal = Math.abs(run.a.y - run.b.y) < 0.5
    if (vertical ? !runVertical : !runHorizontal) return false
    if (Math.abs(run.a[across] - a[across]) >= MIN_APART) return false
    const low = Math.max(Math.min(a[along], b[along]), Math.min(run.a[along], run.b[along]))
    const high = Math.min(Math.max(a[along], b[along]), Math.max(run.a[along], run.b[along]))
    return high - low > 1
  })
}

/** 0, +1, −1, +2, −2 … steps of `LANE_SPACING`, up to `count` of them. */
const offsets = (count: number) =>
  Array.from({ length: count }, (_, i) => (i % 2 === 1 ? 1 : -1) * Math.ceil(i / 2) * LANE_SPACING)

/**
 * The square route from `start` (an output, on a node's right edge) to `end` (an input, on a
 * node's left edge) clear of every box, as its corner points; undefined when there is none. Of
 * the free lanes, the one with the least climbing wins; in a narrow gap the lane runs down its
 * middle, in a wide one as near the ends' heights as keeps it 2 × `CLEARANCE` from the nodes.
 * Where a run would lie along a run of another output's wire (`taken`, with `output` naming
 * this wire's), the lane and the turns step aside by `LANE_SPACING`; when nothing can, the
 * route is as if nothing were taken.
 */
export function squareRoute(
  start: Pt,
  end: Pt,
  boxes: readonly Box[],
  taken: readonly Run[] = [],
  output = '',
): Pt[] | undefined {
  if (taken.length > 0) {
    const apart = routeAround(start, end, boxes, taken, output)
    if (apart) return apart
  }
  return routeAround(start, end, boxes, [], output)
}

function routeAround(
  start: Pt,
  end: Pt,
  boxes: readonly Box[],
  taken: readonly Run[],
  output: string,
): Pt[] | undefined {
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
  const lanes = gaps.map(([top, bottom]) => ({
    top,
    bottom,
    y:
      bottom - top <= 2 * CLEARANCE
        ? (top + bottom) / 2
        : Math.min(bottom - CLEARANCE, Math.max(top + CLEARANCE, ideal)),
  }))
  const climb = (y: number) => Math.abs(y - start.y) + Math.abs(y - end.y)
  lanes.sort((a, b) => climb(a.y) - climb(b.y))
  // With nothing taken, one try per lane; else the lane and each turn may step aside.
  const [laneSteps, turnSteps] = taken.length > 0 ? [7, 4] : [1, 1]
  const turns = offsets(turnSteps * 2 - 1)
    .filter((d) => d >= 0)
    .flatMap((d1, _, all) => all.map((d2) => [d1, d2] as const))
    .sort((a, b) => a[0] + a[1] - (b[0] + b[1]))
  for (const lane of lanes) {
    if (!Number.isFinite(lane.y)) continue
    for (const dy of offsets(laneSteps)) {
      const y = lane.y + dy
      // A step aside stays in its gap, as far from the nodes as the lane itself.
      if (dy !== 0 && (y < lane.top + CLEARANCE || y > lane.bottom - CLEARANCE)) continue
      for (const [d1, d2] of turns) {
        const route = [
          start,
          { x: x1 + d1, y: start.y },
          { x: x1 + d1, y },
          { x: x2 - d2, y },
          { x: x2 - d2, y: end.y },
          end,
        ]
        const free = route.slice(1, -2).every((p, i) => segmentFree(p, route[i + 2], boxes))
        if (!free) continue
        const apart = route
          .slice(0, -1)
          .every((p, i) => !alongTaken(p, route[i + 1], output, taken))
        if (apart) return route
      }
    }
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

/** A wire on the canvas: its id, the output it comes from (`node.port`) and its ends. */
export interface Wire {
  id: string
  output: string
  start: Pt
  end: Pt
}

/**
 * Every wire's path, routed together so that square wires of different outputs never share a
 * lane: each is routed in turn around the runs of those before it. The shorter way round goes
 * first and keeps the inside (so two wires going back over the top nest instead of crossing);
 * ties go by output, then id, so the result never depends on the order the canvas drew them in.
 * Wires of one output may share their runs: they branch from one line, as one signal going to
 * several places.
 */
export function routeWires(wires: readonly Wire[], boxes: readonly Box[]): Map<string, string> {
  const paths = new Map<string, string>()
  const square: { wire: Wire; length: number }[] = []
  for (const wire of wires) {
    const { start, end } = wire
    const alone = curveCrosses(start, end, boxes) ? squareRoute(start, end, boxes) : undefined
    if (alone) square.push({ wire, length: lengthOf(alone) })
    else paths.set(wire.id, curvePath(start, end))
  }
  square.sort(
    (a, b) =>
      a.length - b.length ||
      (a.wire.output === b.wire.output
        ? a.wire.id.localeCompare(b.wire.id)
        : a.wire.output.localeCompare(b.wire.output)),
  )
  const taken: Run[] = []
  for (const { wire } of square) {
    const route = squareRoute(wire.start, wire.end, boxes, taken, wire.output)
    if (!route) continue // cannot be: it had a route alone, and that is the last resort
    taken.push(...runsOf(route, wire.output))
    paths.set(wire.id, roundedPath(route))
  }
  return paths
}

const lengthOf = (route: readonly Pt[]) =>
  route
    .slice(1)
    .reduce((sum, p, i) => sum + Math.abs(p.x - route[i].x) + Math.abs(p.y - route[i].y), 0)
