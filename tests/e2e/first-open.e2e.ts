import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { baseUrl, screenshot, useBrowser } from './browser'
import { doc, waitForFirstRun } from './editor-helpers'

/**
 * The editor as a new user meets it: the default graph's previews appear node by node as each
 * node finishes, not when the whole run ends. Timings are printed, never asserted (the
 * machines are small and shared); what is asserted is the order of events.
 */

interface Timeline {
  /** ms after navigation start: first frame a node's preview canvas had pixels. */
  preview: Record<string, number>
  /** ms after navigation start: first frame a node's badge said done or cached. */
  done: Record<string, number>
  /** ms after navigation start: first frame a node's badge said running. */
  started: Record<string, number>
  /** The node's badge, and whether its preview was marked outdated, when its preview appeared. */
  stateAtPreview: Record<string, string>
  runEnded?: number
}

/** Runs in the page before the app: watches every node each frame and notes when things show. */
function recordTimeline() {
  const timeline: Timeline = { preview: {}, done: {}, started: {}, stateAtPreview: {} }
  ;(window as unknown as { __timeline: Timeline }).__timeline = timeline
  const drawn = (canvas: HTMLCanvasElement) => {
    if (canvas.width === 0 || canvas.height === 0) return false
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data
    if (!data) return false
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true
    return false
  }
  const look = () => {
    const now = performance.now()
    for (const node of document.querySelectorAll<HTMLElement>('[data-testid="node"]')) {
      const id = node.dataset.nodeId ?? ''
      const badge = node.querySelector<HTMLElement>('[data-testid="state-badge"]')
      const state = badge?.dataset.state ?? 'idle'
      if ((state === 'done' || state === 'cached') && timeline.done[id] === undefined)
        timeline.done[id] = now
      if (state === 'running' && timeline.started[id] === undefined) timeline.started[id] = now
      if (timeline.preview[id] !== undefined) continue
      const preview = node.querySelector<HTMLElement>('[data-testid="preview"]')
      if (!preview) continue
      const canvases = [...preview.querySelectorAll('canvas')]
      const hasValue = canvases.length === 0 || canvases.some(drawn)
      if (hasValue) {
        timeline.preview[id] = now
        timeline.stateAtPreview[id] =
          `${state}${preview.dataset.stale === 'true' ? ' (outdated)' : ''}`
      }
    }
    const hook = (
      window as unknown as { __synesthete?: { running(): boolean; lastRun(): unknown } }
    ).__synesthete
    if (hook && !hook.running() && hook.lastRun() !== undefined) timeline.runEnded ??= now
    requestAnimationFrame(look)
  }
  requestAnimationFrame(look)
}

async function timelineOf(page: Page): Promise<Timeline> {
  return page.evaluate(() => (window as unknown as { __timeline: Timeline }).__timeline)
}

const session = useBrowser()

describe('the first open', () => {
  it('shows each preview as soon as its node finishes, before the whole run ends', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1440, height: 900 } })
    await context.addInitScript(recordTimeline)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`))
    await page.goto(new URL('/', baseUrl()).href)
    const run = await waitForFirstRun(page, 120_000)
    expect(run.failed).toEqual([])
    const graph = await doc(page)
    // Every node with outputs shows them (the recorder needs one more frame after the run).
    await page.waitForFunction(
      (ids) => {
        const t = (window as unknown as { __timeline: Timeline }).__timeline
        return ids.every((id) => t.preview[id] !== undefined)
      },
      graph.nodes.filter((n) => !n.type.endsWith('/output')).map((n) => n.id),
      { timeout: 30_000 },
    )
    const timeline = await timelineOf(page)
    await screenshot(page, 'first-open-done')

    const rows = graph.nodes.map((n) => {
      const at = (ms: number | undefined) =>
        ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`
      return `  ${(n.label ?? n.id).slice(0, 40).padEnd(40)} running ${at(timeline.started[n.id]).padStart(8)}   done ${at(timeline.done[n.id]).padStart(8)}   preview ${at(timeline.preview[n.id]).padStart(8)}   (${timeline.stateAtPreview[n.id] ?? ''})`
    })
    const firstPreview = Math.min(...Object.values(timeline.preview))
    console.log(
      [
        'First open of the default graph (ms after navigation start):',
        ...rows,
        `  first preview ${(firstPreview / 1000).toFixed(2)} s, whole run ended ${((timeline.runEnded ?? NaN) / 1000).toFixed(2)} s`,
      ].join('\n'),
    )

    // The sound, its spectrogram and the picture are shown before the run as a whole ends
    // (Griffin-Lim of the painting's channels and the chirps come after them).
    const runEnded = timeline.runEnded ?? Infinity
    for (const id of ['load', 'stft', 'picture']) {
      expect(timeline.preview[id], id).toBeLessThan(runEnded)
      expect(timeline.preview[id], `${id} before the painting is done`).toBeLessThan(
        timeline.done.sd ?? Infinity,
      )
    }
    // A preview never stands beside a stale word: it appears with its own node's "done".
    for (const [id, state] of Object.entries(timeline.stateAtPreview))
      expect(['done', 'cached', 'bypassed'], `${id}: ${state}`).toContain(state)
    expect(errors).toEqual([])
    await context.close()
  })
})
