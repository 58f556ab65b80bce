import type { Browser, CDPSession, Page } from 'playwright-core'
import type { GraphDocument } from '../src/engine/document'
import defaultPreset from '../presets/default.json'
import { openWithGraph, waitForFirstRun } from '../tests/e2e/editor-helpers'
import type { BenchRow } from '../tests/e2e/harness/bench'

/**
 * Panning the editor's canvas: frame times while the view is dragged across graphs of 14, 56
 * and 112 nodes (the default graph, copied 1, 4 and 8 times; the copies are the same work, so
 * after the first run every copy's previews come from the cache and every node shows one).
 * With BENCH_TRACE=1, a Chromium trace of one pan per size says where the frame time goes.
 */

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
 * Drags the view with `moves` pointer moves of a few pixels, sent as fast as the page takes
 * them, and returns the intervals between the frames drawn meanwhile: a frame's time while
 * panning (the browser draws at most 60 a second, so 16.7 ms is the floor).
 */
async function panFrames(page: Page, moves: number): Promise<number[]> {
  const start = await emptySpot(page)
  await page.mouse.move(start.x, start.y)
  await page.mouse.down()
  await page.evaluate(() => {
    const stamps: number[] = []
    const w = window as unknown as { __panStamps: number[]; __panOn: boolean }
    w.__panStamps = stamps
    w.__panOn = true
    const tick = (t: number) => {
      stamps.push(t)
      if (w.__panOn) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  for (let i = 1; i <= moves; i++) {
    const dx = 40 * Math.sin((i / moves) * Math.PI * 4)
    await page.mouse.move(start.x + dx, start.y + i)
  }
  const stamps = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) =>
        requestAnimationFrame(() => {
          const w = window as unknown as { __panStamps: number[]; __panOn: boolean }
          w.__panOn = false
          resolve(w.__panStamps)
        }),
      ),
  )
  await page.mouse.up()
  return stamps.slice(1).map((t, i) => t - stamps[i])
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

/** Trace event durations by name, summed over the pan: what the frames were spent on. */
async function traced(page: Page, cdp: CDPSession, action: () => Promise<unknown>) {
  const events: { name: string; dur?: number; ph: string; tid: number }[] = []
  cdp.on('Tracing.dataCollected', (data) => {
    events.push(...(data.value as unknown as typeof events))
  })
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink,cc',
    transferMode: 'ReportEvents',
  })
  await action()
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
  await cdp.send('Tracing.end')
  await done
  const byName = new Map<string, number>()
  const wanted =
    /^(Paint|PaintImage|RasterTask|Layout|UpdateLayoutTree|UpdateLayerTree|PrePaint|Layerize|FunctionCall|EventDispatch|FireAnimationFrame|Commit|HitTest|ParseHTML|TimerFire|MinorGC|MajorGC|V8.GC_SCAVENGER|ScheduleStyleRecalculation|RecalculateStyles|CompositeLayers|ActivateLayerTree|DrawFrame|BeginMainThreadFrame|ProxyMain::BeginMainFrame)$/
  for (const e of events)
    if (e.ph === 'X' && e.dur !== undefined && wanted.test(e.name))
      byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000)
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
    .join(', ')
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
      if (view === 'fit') {
        await page.keyboard.press('Escape')
        await page.locator('.canvas-area').click({ position: { x: 30, y: 200 } })
        await page.keyboard.press('f')
        await page.waitForTimeout(400) // the fit's own zoom settles
      }
      await panFrames(page, 10) // warm: layers made, code compiled
      const times = await panFrames(page, 60)
      const median = percentile(times, 0.5)
      const profile = process.env.BENCH_TRACE
        ? await traced(page, cdp, () => panFrames(page, 30))
        : ''
      rows.push({
        name: `editor, pan at ${view === 'fit' ? 'Fit' : 'the opening view'} (${graph.nodes.length} nodes)`,
        ms: median,
        note: `${times.length} frames: median ${median.toFixed(1)} ms (${(1000 / median).toFixed(0)} fps), p90 ${percentile(times, 0.9).toFixed(1)} ms${profile ? `; trace ms: ${profile}` : ''}`,
      })
    }
  }
  await page.close()
  return rows
}
