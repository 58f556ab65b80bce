import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { baseUrl, screenshot, useBrowser } from './browser'
import { readFileSync } from 'node:fs'
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from '../../src/engine/document'
import { fixturePath } from '../helpers/fixtures'
import {
  doc,
  dropFile,
  openWithGraph,
  runCount,
  unexpected,
  waitForFirstRun,
  waitForRun,
} from './editor-helpers'

/**
 * The editor as a new user meets it: the default graph's previews appear node by node as each
 * node finishes, not when the whole run ends. Timings are printed, never asserted (the
 * machines are small and shared); what is asserted is the order of events.
 */

interface Timeline {
  /** ms after navigation start: first frame a node's preview picture had pixels. */
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
  // Previews are <img> elements (PNG object URLs): a picture counts once it has decoded with
  // pixels in it (the frame shown while one is made is transparent).
  const seen = new Map<string, boolean>()
  const drawn = (img: HTMLImageElement) => {
    if (!img.complete || img.naturalWidth === 0) return false
    const known = seen.get(img.src)
    if (known !== undefined) return known
    const canvas = document.createElement('canvas')
    ;[canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight]
    const context = canvas.getContext('2d')
    if (!context) return false
    context.drawImage(img, 0, 0)
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data
    let any = false
    for (let i = 3; i < data.length && !any; i += 4) any = data[i] !== 0
    seen.set(img.src, any)
    return any
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
      const pictures = [...preview.querySelectorAll('img')]
      const hasValue = pictures.length === 0 || pictures.some(drawn)
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

const empty: GraphDocument = { format: GRAPH_FORMAT, version: GRAPH_VERSION, nodes: [], edges: [] }

/** Two sounds into Mix, one channel each: the demo sample on both inputs. */
const mixGraph: GraphDocument = {
  format: GRAPH_FORMAT,
  version: GRAPH_VERSION,
  nodes: [
    { id: 'left', type: 'audio/load', params: {}, position: { x: 0, y: 0 }, mode: 'normal' },
    { id: 'right', type: 'audio/load', params: {}, position: { x: 0, y: 420 }, mode: 'normal' },
    {
      id: 'mix',
      type: 'audio/mix',
      params: { mode: 'stereo' },
      position: { x: 420, y: 200 },
      mode: 'normal',
    },
  ],
  edges: [
    { from: { node: 'left', port: 'audio' }, to: { node: 'mix', port: 'a' } },
    { from: { node: 'right', port: 'audio' }, to: { node: 'mix', port: 'b' } },
  ],
}

/** The peak of each channel of a node's audio output, read from the editor's run state. */
function channelPeaks(page: Page, node: string): Promise<number[]> {
  return page.evaluate((id) => {
    const hook = window.__synesthete as unknown as {
      services: { runs: { get(id: string): { outputs?: Record<string, unknown> } } }
    }
    const audio = hook.services.runs.get(id).outputs?.audio as
      { channels: Float32Array[] } | undefined
    return (audio?.channels ?? []).map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0))
  }, node)
}

/** Each channel's level as RMS·√2 over the middle 80 % (a sine's amplitude), away from codec edges. */
function channelLevels(page: Page, node: string): Promise<number[]> {
  return page.evaluate((id) => {
    const hook = window.__synesthete as unknown as {
      services: { runs: { get(id: string): { outputs?: Record<string, unknown> } } }
    }
    const audio = hook.services.runs.get(id).outputs?.audio as
      { channels: Float32Array[] } | undefined
    return (audio?.channels ?? []).map((c) => {
      const [from, to] = [Math.floor(c.length * 0.1), Math.floor(c.length * 0.9)]
      let sum = 0
      for (let i = from; i < to; i++) sum += c[i] * c[i]
      return Math.sqrt((2 * sum) / (to - from))
    })
  }, node)
}

describe('mute into Mix', () => {
  it('treats a muted input as silence: Mix still runs, its channel silent', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1440, height: 900 },
    })
    await openWithGraph(page, mixGraph)
    await waitForFirstRun(page, 120_000)
    const [leftBefore, rightBefore] = await channelPeaks(page, 'mix')
    expect(leftBefore).toBeGreaterThan(0.01)
    expect(rightBefore).toBeGreaterThan(0.01)
    const before = await runCount(page)
    await page.locator('[data-node-id="left"] .node-header').click()
    await page.keyboard.press('Control+m')
    await expect.poll(async () => (await doc(page)).nodes[0].mode).toBe('mute')
    await waitForRun(page, before, 120_000)
    const badge = page.locator('[data-node-id="mix"] [data-testid="state-badge"]')
    await expect.poll(() => badge.getAttribute('data-state')).toBe('done')
    expect(await page.locator('[data-node-id="mix"] [data-testid="node-error"]').count()).toBe(0)
    const [left, right] = await channelPeaks(page, 'mix')
    expect(left).toBe(0)
    expect(right).toBeCloseTo(rightBefore, 6)
    await screenshot(page, 'mute-into-mix')
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })
})

describe('sound formats only the browser decodes', () => {
  const cases = [
    { file: 'tone-660-990hz-stereo-1s.m4a', type: 'audio/mp4', rate: /44\.1 kHz/ },
    { file: 'tone-660-990hz-stereo-1s.opus', type: 'audio/ogg', rate: /48 kHz/ },
    { file: 'tone-660-990hz-stereo-1s.webm', type: 'audio/webm', rate: /48 kHz/ },
  ]
  for (const { file, type, rate } of cases) {
    it(`loads ${file.split('.').pop()?.toUpperCase()} into a Load Audio node`, async () => {
      const { page, context, errors } = await session.open('/')
      await openWithGraph(page, empty)
      const before = await runCount(page)
      const bytes = new Uint8Array(readFileSync(fixturePath(`media/${file}`)))
      await dropFile(page, bytes, file, 600, 400, type)
      await expect.poll(async () => (await doc(page)).nodes.length).toBe(1)
      const node = (await doc(page)).nodes[0]
      await waitForRun(page, before, 60_000)
      const badge = page.locator(`[data-node-id="${node.id}"] [data-testid="state-badge"]`)
      expect(await badge.getAttribute('data-state')).toBe('done')
      const caption = page.locator(`[data-node-id="${node.id}"] .thumb-caption`)
      await expect.poll(() => caption.textContent()).toMatch(/1\.0\d s · 2 ch/)
      expect(await caption.textContent()).toMatch(rate)
      const [left, right] = await channelLevels(page, node.id)
      // Left 0.5·sin(660 Hz), right 0.25·sin(990 Hz): levels within 10 %, as in the CLI tests.
      expect(Math.abs(left - 0.5)).toBeLessThan(0.05)
      expect(Math.abs(right - 0.25)).toBeLessThan(0.025)
      await screenshot(page, `load-${file}`)
      expect(unexpected(errors)).toEqual([])
      await context.close()
    })
  }
})
