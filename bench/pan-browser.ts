import type { Browser, CDPSession, Page } from 'playwright-core'
import type { GraphDocument } from '../src/engine/document'
import defaultPreset from '../presets/default.json'
import { openWithGraph, waitForFirstRun } from '../tests/e2e/editor-helpers'
import type { BenchRow } from '../tests/e2e/harness/bench'

/**
 * Panning the editor's canvas: frame times while the view is dragged across graphs of 14, 56
 * and 112 nodes (the default graph, copied 1, 4 and 8 times; the copies are the same work, so
 * after the first run every copy's previews come from the cache and every node shows one).
 * A Chromium trace of one more pan per size says what a frame cost in CPU time, and on what.
 */

/** Issue 13's goals: frames a second while panning, by the number of nodes. */
const GOAL_FPS: Record<number, number> = { 56: 50, 112: 30 }

/** The default graph copied `copies` times, one below the other, with fresh ids. */
export function copiesOfDefault(copies: number): GraphDocument {
  const base = structuredClone(defaultPreset) as unknown as GraphDocument
  const height =
    Math.max(...base.nodes.map((n) => n.position.y)) -
    Math.min(...base.nodes.map((n) => n.position.y)) +
    900
  const graph: GraphDocument = { ...base, name: `${copies} × default`, nodes: [], edges: [] }
  for (let c = 0; c < copies; c++) {
    const id = (node: string) => (c === 0 ? node : `${node}_${c}`)
    for (const n of base.nodes)
      graph.nodes.push({
        ...n,
        id: id(n.id),
        position: { x: n.position.x, y: n.position.y + c * height },
      })
    for (const e of base.edges)
      graph.edges.push({
        from: { ...e.from, node: id(e.from.node) },
        to: { ...e.to, node: id(e.to.node) },
      })
  }
  return graph
}

/** A point of the canvas with nothing on it, where a drag pans the view. */
async function emptySpot(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const area = document.querySelector('.canvas-area')?.getBoundingClientRect()
    if (!area) throw new Error('no canvas')
    for (let y = area.top + 120; y < area.bottom - 80; y += 20)
      for (let x = area.left + 40; x < area.right - 220; x += 20) {
        const el = document.elementFromPoint(x, y)
        if (
          el?.closest('.canvas-area') &&
          !el.closest('[data-node-id], [data-testid="minimap"], path')
        )
          return { x, y }
      }
    throw new Error('no empty place on the canvas')
  })
}

/**
 * Drags the view across the canvas with one pointer move per frame, as a hand does, sent from
 * inside the page so no round trip to this process stands between frames; returns the
 * intervals between those frames: what a pan step costs (the browser draws at most 60 frames
 * a second, so 16.7 ms is the floor).
 */
async function panFrames(page: Page, moves: number): Promise<number[]> {
  const start = await emptySpot(page)
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  return page.evaluate(`(async () => {
    const { x, y, moves } = ${JSON.stringify({ ...start, moves })}
    const target = document.elementFromPoint(x, y)
    const init = (cx, cy, buttons) => ({
      clientX: cx, clientY: cy, pointerId: 1, pointerType: 'mouse', isPrimary: true,
      button: 0, buttons, bubbles: true, cancelable: true, composed: true,
    })
    target.dispatchEvent(new PointerEvent('pointerdown', init(x, y, 1)))
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve))
    const stamps = [await frame()]
    for (let i = 1; i <= moves; i++) {
      const dx = 40 * Math.sin((i / moves) * Math.PI * 4)
      target.dispatchEvent(new PointerEvent('pointermove', init(x + dx, y + i, 1)))
      stamps.push(await frame())
    }
    target.dispatchEvent(new PointerEvent('pointerup', init(x, y + moves, 0)))
    return stamps.slice(1).map((t, i) => t - stamps[i])
  })()`)
}

/**
 * Drags the view so the node `id` sits in the middle of the canvas: at the opening zoom a graph
 * of stacked copies may open on the gap between two, and a pan over empty canvas costs nothing.
 */
async function centreOn(page: Page, id: string): Promise<void> {
  const start = await emptySpot(page)
  await page.evaluate(`(async () => {
    const { x, y, id } = ${JSON.stringify({ ...start, id })}
    const node = document.querySelector('[data-node-id="' + id + '"]').getBoundingClientRect()
    const area = document.querySelector('.canvas-area').getBoundingClientRect()
    const dx = area.left + area.width / 2 - (node.left + node.width / 2)
    const dy = area.top + area.height / 2 - (node.top + node.height / 2)
    const target = document.elementFromPoint(x, y)
    const init = (cx, cy, buttons) => ({
      clientX: cx, clientY: cy, pointerId: 1, pointerType: 'mouse', isPrimary: true,
      button: 0, buttons, bubbles: true, cancelable: true, composed: true,
    })
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve))
    target.dispatchEvent(new PointerEvent('pointerdown', init(x, y, 1)))
    for (let i = 1; i <= 10; i++) {
      target.dispatchEvent(new PointerEvent('pointermove', init(x + (dx * i) / 10, y + (dy * i) / 10, 1)))
      await frame()
    }
    target.dispatchEvent(new PointerEvent('pointerup', init(x + dx, y + dy, 0)))
  })()`)
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

/**
 * What a pan step costs the browser in CPU time (trace events' thread time, which other
 * programs on the machine do not inflate as they do wall time) per frame: the sum of the
 * rendering steps and event and rAF work, and the largest of them.
 */
async function traced(cdp: CDPSession, pan: () => Promise<number[]>): Promise<string> {
  type TraceEvent = { name: string; ph: string; dur?: number; tdur?: number; tid: number }
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (data) => {
    events.push(...(data.value as unknown as TraceEvent[]))
  })
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  })
  const frames = (await pan()).length
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
  await cdp.send('Tracing.end')
  await done
  const parts =
    /^(Paint|RasterTask|Layout|UpdateLayoutTree|PrePaint|Layerize|HitTest|EventDispatch|FireAnimationFrame|Commit)$/
  const byName = new Map<string, number>()
  for (const e of events) {
    if (e.ph !== 'X' || e.tdur === undefined || !parts.test(e.name)) continue
    byName.set(e.name, (byName.get(e.name) ?? 0) + e.tdur / 1000)
  }
  // An upper bound: a layout a callback forces is counted in both.
  const total = [...byName.values()].reduce((sum, ms) => sum + ms, 0)
  const top = [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, ms]) => `${name} ${(ms / frames).toFixed(1)}`)
  return `CPU per frame ${(total / frames).toFixed(1)} ms (${top.join(', ')})`
}

export async function panRows(browser: Browser, url: string): Promise<BenchRow[]> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.goto(`${url}/`)
  await openWithGraph(page, copiesOfDefault(1))
  await waitForFirstRun(page, 600_000) // fills the cache every copy reads from
  const rows: BenchRow[] = []
  const cdp = await page.context().newCDPSession(page)
  for (const copies of [1, 4, 8]) {
    const graph = copiesOfDefault(copies)
    await openWithGraph(page, graph)
    await waitForFirstRun(page, 600_000)
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="preview"]').length >= n,
      copies * 5,
    )
    for (const view of ['opening', 'fit'] as const) {
      // At the opening zoom, over the middle copy's busiest part (pictures and their wires).
      if (view === 'opening') await centreOn(page, copies === 1 ? 'sd' : `sd_${copies >> 1}`)
      if (view === 'fit') {
        await page.keyboard.press('Escape')
        await page.locator('.canvas-area').click({ position: { x: 30, y: 200 } })
        await page.keyboard.press('f')
        await page.waitForTimeout(400) // the fit's own zoom settles
      }
      if (process.env.PAN_SHOTS)
        await page.screenshot({ path: `test-results/pan-${graph.nodes.length}-${view}.png` })
      await panFrames(page, 10) // warm: layers made, code compiled
      const frames = await panFrames(page, 90)
      const mean = frames.reduce((sum, ms) => sum + ms, 0) / frames.length
      const profile = await traced(cdp, () => panFrames(page, 45))
      const goal = GOAL_FPS[graph.nodes.length]
      const fps = 1000 / mean
      rows.push({
        name: `editor, pan at ${view === 'fit' ? 'Fit' : 'the opening zoom'} (${graph.nodes.length} nodes)`,
        ms: mean,
        note: `a frame per move: mean ${mean.toFixed(1)} ms = ${fps.toFixed(0)} fps${goal ? ` (goal ≥ ${goal} fps: ${fps >= goal ? 'met' : 'NOT met'})` : ''}, median ${percentile(frames, 0.5).toFixed(1)} ms, p95 ${percentile(frames, 0.95).toFixed(1)} ms; ${profile}`,
      })
    }
  }
  await page.close()
  return rows
}
