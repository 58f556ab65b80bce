import type { GraphDocument } from '../../engine/document'

export interface Size {
  width: number
  height: number
}

export interface LayoutOptions {
  columnGap?: number
  rowGap?: number
}

/**
 * A left-to-right layered layout: each node in the column of its longest path from a source,
 * nodes in a column ordered by where their inputs come from (fewer crossings), stacked by their
 * real sizes and centred on one line. Deterministic, so tidying twice changes nothing.
 */
export function layeredLayout(
  doc: GraphDocument,
  sizeOf: (id: string) => Size,
  options: LayoutOptions = {},
): Record<string, { x: number; y: number }> {
  const columnGap = options.columnGap ?? 90
  const rowGap = options.rowGap ?? 36
  const ids = doc.nodes.map((n) => n.id)
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]))
  for (const e of doc.edges) parents.get(e.to.node)?.push(e.from.node)

  const depth = new Map<string, number>()
  const visiting = new Set<string>()
  const depthOf = (id: string): number => {
    const known = depth.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) return 0 // a cycle: validation reports it elsewhere
    visiting.add(id)
    const d = Math.max(-1, ...(parents.get(id) ?? []).map(depthOf)) + 1
    visiting.delete(id)
    depth.set(id, d)
    return d
  }
  ids.forEach(depthOf)

  const columns: string[][] = []
  for (const id of ids) (columns[depth.get(id) ?? 0] ??= []).push(id)

  const order = new Map<string, number>()
  const positions: Record<string, { x: number; y: number }> = {}
  let x = 0
  for (const column of columns) {
    if (!column) continue
    const rank = (id: string) => {
      const ps = (parents.get(id) ?? []).map((p) => order.get(p)).filter((v) => v !== undefined)
      return ps.length
        ? ps.reduce((a, b) => a + b, 0) / ps.length
        : (order.size + ids.indexOf(id)) / 1e3
    }
    column.sort((a, b) => rank(a) - rank(b) || ids.indexOf(a) - ids.indexOf(b))
    const heights = column.map((id) => sizeOf(id).height)
    const total = heights.reduce((a, b) => a + b, 0) + rowGap * (column.length - 1)
    let y = -total / 2
    column.forEach((id, i) => {
      positions[id] = { x: Math.round(x), y: Math.round(y) }
      order.set(id, y + heights[i] / 2)
      y += heights[i] + rowGap
    })
    x += Math.max(...column.map((id) => sizeOf(id).width)) + columnGap
  }
  return positions
}

/** Whether any two nodes' boxes overlap (a graph laid out for smaller nodes than ours). */
export function hasOverlaps(doc: GraphDocument, sizeOf: (id: string) => Size, margin = 8): boolean {
  const boxes = doc.nodes.map((n) => ({ ...n.position, ...sizeOf(n.id) }))
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]
      const b = boxes[j]
      if (
        a.x < b.x + b.width + margin &&
        b.x < a.x + a.width + margin &&
        a.y < b.y + b.height + margin &&
        b.y < a.y + a.height + margin
      )
        return true
    }
  }
  return false
}
