import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { GraphDocument } from '../../src/engine/document'
import { screenshot, useBrowser } from './browser'
import { openWithGraph, runCount, unexpected, waitForFirstRun, waitForRun } from './editor-helpers'

/**
 * Results while a run is under way, as the page shows them: Stable Diffusion's picture in
 * progress every N steps, and a re-running node's old preview kept, dimmed and marked outdated
 * until its new one arrives. A recorder in the page notes every change of what each node
 * shows, frame by frame; the tests wait on runs and read the record, never on time.
 */

const session = useBrowser()

/**
 * Tiny Stable Diffusion, big enough that its run spans many frames (each step and each preview
 * decode is real work), into an Image Output.
 */
function sdGraph(previewEvery: number): GraphDocument {
  return {
    format: 'synesthete-graph',
    version: 2,
    name: 'E2E progressive',
    nodes: [
      {
        id: 'sd',
        type: 'ml/stable-diffusion',
        params: {
          width: 256,
          height: 256,
          steps: 20,
          scheduler: 'euler',
          seed: 7,
          previewEvery,
        },
        position: { x: 0, y: 0 },
        mode: 'normal',
      },
      { id: 'out', type: 'image/output', params: {}, position: { x: 380, y: 0 }, mode: 'normal' },
    ],
    edges: [{ from: { node: 'sd', port: 'image' }, to: { node: 'out', port: 'image' } }],
  }
}

/** What one node showed in one frame. */
interface Shown {
  t: number
  node: string
  state: string
  /** The badge's words ("Done · 0.4 s", "Outdated", "Running 40%"). */
  badge: string
  /** 'live', 'preview', 'empty' or 'none'. */
  kind: string
  stale: boolean
  tag: string
  /** A checksum of the preview's pixels ('' when no picture has pixels yet). */
  pixels: string
  /** The preview's opacity as drawn (the outdated one is dimmed). */
  opacity: number
}

/** Runs in the page before the app: records each change of what a node shows. */
function recordShown() {
  const log: Shown[] = []
  const last = new Map<string, string>()
  ;(window as unknown as { __shown: Shown[] }).__shown = log
  // Previews are <img> elements (PNG object URLs); each picture's checksum is taken once.
  const sums = new Map<string, string>()
  const checksum = (img: HTMLImageElement | null) => {
    if (!img || !img.complete || img.naturalWidth === 0) return ''
    const known = sums.get(img.src)
    if (known !== undefined) return known
    const canvas = document.createElement('canvas')
    ;[canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight]
    const context = canvas.getContext('2d')
    if (!context) return ''
    context.drawImage(img, 0, 0)
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data
    let sum = 0
    let any = false
    for (let i = 0; i < data.length; i++) {
      sum = (sum * 31 + data[i]) % 2147483647
      if (i % 4 === 3 && data[i] !== 0) any = true
    }
    const result = any ? `${canvas.width}x${canvas.height}:${sum}` : ''
    sums.set(img.src, result)
    return result
  }
  const look = () => {
    for (const node of document.querySelectorAll<HTMLElement>('[data-testid="node"]')) {
      const id = node.dataset.nodeId ?? ''
      const badge = node.querySelector<HTMLElement>('[data-testid="state-badge"]')
      const state = badge?.dataset.state ?? 'idle'
      const live = node.querySelector<HTMLElement>('[data-testid="live-preview"]')
      const preview = node.querySelector<HTMLElement>('[data-testid="preview"]')
      const shown = live ?? preview
      const kind = live
        ? 'live'
        : preview
          ? 'preview'
          : node.querySelector('.preview-empty')
            ? 'empty'
            : 'none'
      const frame = shown?.querySelector<HTMLElement>('.thumb-frame')
      const entry: Shown = {
        t: performance.now(),
        node: id,
        state,
        badge: badge?.textContent?.trim() ?? '',
        kind,
        stale: preview?.dataset.stale === 'true',
        tag: (
          shown?.querySelector('.stale-tag, .live-tag')?.textContent ??
          node.querySelector('.preview-empty')?.textContent ??
          ''
        ).trim(),
        pixels: checksum(shown?.querySelector('img') ?? null),
        opacity: frame ? Number(getComputedStyle(frame).opacity) : 1,
      }
      const key = JSON.stringify({ ...entry, t: 0 })
      if (last.get(id) === key) continue
      last.set(id, key)
      log.push(entry)
    }
    requestAnimationFrame(look)
  }
  requestAnimationFrame(look)
}

const shownSoFar = (page: Page) =>
  page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown.slice())

async function setParams(page: Page, params: Record<string, string | number>) {
  await page.evaluate((entries) => {
    for (const [param, value] of entries)
      window.__synesthete?.services.store.dispatch({ type: 'setParam', node: 'sd', param, value })
  }, Object.entries(params))
}

describe('results while a run is under way', () => {
  it("shows Stable Diffusion's picture every N steps while it runs, then the finished one", async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1280, height: 1000 },
    })
    await page.addInitScript(recordShown)
    await openWithGraph(page, sdGraph(2))
    const run = await waitForFirstRun(page, 180_000)
    expect(run.failed).toEqual([])
    // The finished picture replaces the last one in progress (one more frame for the recorder).
    await page.waitForFunction(() => {
      const log = (window as unknown as { __shown: Shown[] }).__shown
      const sd = log.filter((s) => s.node === 'sd')
      const end = sd[sd.length - 1]
      return end?.state === 'done' && end.kind === 'preview' && end.pixels !== ''
    })
    const sd = (await shownSoFar(page)).filter((s) => s.node === 'sd')
    const live = sd.filter((s) => s.kind === 'live' && s.pixels !== '')
    const pictures = new Set(live.map((s) => s.pixels))
    console.log(
      `tiny SD 256×256, 20 steps, a preview every 2: ${pictures.size} pictures in progress shown ` +
        `(9 sent; the editor draws the latest one each frame); tags: ${[...new Set(live.map((s) => s.tag))].join(' | ')}`,
    )
    // Pictures in progress were shown in the node, while it ran, with a word saying so.
    expect(live.length).toBeGreaterThan(0)
    for (const s of live) {
      expect(s.state).toBe('running')
      expect(s.tag).toMatch(/^in progress/)
    }
    // Each is a picture of its own, not the finished one shown early.
    const final = sd[sd.length - 1]
    expect(pictures.has(final.pixels)).toBe(false)
    // Nothing in progress is left once the node is done.
    const firstDone = sd.findIndex((s) => s.state === 'done')
    expect(sd.slice(firstDone).every((s) => s.kind !== 'live')).toBe(true)
    expect(await page.locator('[data-node-id="sd"] [data-testid="live-preview"]').count()).toBe(0)
    await page.getByRole('button', { name: 'Fit' }).click()
    await screenshot(page, 'progressive-sd-finished')
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('keeps a re-running node’s old preview dimmed and marked outdated; Done comes with the new one', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1280, height: 1000 },
    })
    await page.addInitScript(recordShown)
    await openWithGraph(page, sdGraph(0))
    await waitForFirstRun(page, 180_000)
    await page.waitForFunction(() => {
      const log = (window as unknown as { __shown: Shown[] }).__shown
      const ends = ['sd', 'out'].map((id) => log.filter((s) => s.node === id).pop())
      return ends.every((e) => e?.state === 'done' && e.pixels !== '')
    })
    const before = await shownSoFar(page)
    const old = Object.fromEntries(
      ['sd', 'out'].map((id) => [id, before.filter((s) => s.node === id).pop()?.pixels ?? '']),
    )

    // Edited with automatic runs off: the old results stay, saying they are outdated.
    await page.locator('[data-testid="auto-run"]').uncheck()
    await setParams(page, { seed: 8 }) // a new picture: both nodes must run again
    for (const id of ['sd', 'out']) {
      const badge = page.locator(`[data-node-id="${id}"] [data-testid="state-badge"]`)
      await expect.poll(() => badge.textContent()).toBe('Outdated')
      expect(
        await page.locator(`[data-node-id="${id}"] [data-testid="stale-tag"]`).textContent(),
      ).toBe('outdated: run to update')
    }
    await page.getByRole('button', { name: 'Fit' }).click()
    await screenshot(page, 'progressive-edited-outdated')
    const count = await runCount(page)
    await page.locator('[data-testid="run"]').click()
    const rerun = await waitForRun(page, count, 180_000)
    expect(rerun.ran).toEqual(expect.arrayContaining(['sd', 'out']))
    await page.waitForFunction((oldPixels) => {
      const log = (window as unknown as { __shown: Shown[] }).__shown
      return ['sd', 'out'].every((id) => {
        const end = log.filter((s) => s.node === id).pop()
        return end?.state === 'done' && end.pixels !== '' && end.pixels !== oldPixels[id]
      })
    }, old)
    await page.getByRole('button', { name: 'Fit' }).click()
    await screenshot(page, 'progressive-rerun-finished')
    const after = (await shownSoFar(page)).slice(before.length)

    for (const id of ['sd', 'out']) {
      const seen = after.filter((s) => s.node === id)
      const working = seen.filter((s) => s.state === 'queued' || s.state === 'running')
      // While it worked, its old picture stayed in view: dimmed, marked outdated, updating.
      expect(working.length, `${id} was seen at work`).toBeGreaterThan(0)
      for (const s of working.filter((w) => w.kind === 'preview')) {
        expect(s.pixels === '' || s.pixels === old[id], `${id} shows its old picture`).toBe(true)
        expect(s.stale, `${id} marked outdated while ${s.state}`).toBe(true)
        expect(s.tag).toBe('outdated: updating…')
        expect(s.opacity).toBeLessThan(1)
      }
      expect(working.some((s) => s.kind === 'preview' && s.pixels === old[id])).toBe(true)
      // Edited but not yet rerun, it said so in its badge too.
      const edited = seen.filter((s) => s.state === 'done' && s.stale)
      for (const s of edited)
        expect([s.badge, s.tag]).toEqual(['Outdated', 'outdated: run to update'])
      // "Done" never stands beside the old picture, nor beside an outdated mark.
      for (const s of seen.filter((x) => /^(Done|Cached)/.test(x.badge))) {
        expect(s.pixels, `${id} done beside its old picture`).not.toBe(old[id])
        expect(s.stale, `${id} done and outdated`).toBe(false)
        expect(s.opacity).toBe(1)
      }
      expect(seen.some((s) => /^Done/.test(s.badge))).toBe(true)
      const end = seen[seen.length - 1]
      expect([end.state, end.kind, end.stale]).toEqual(['done', 'preview', false])
    }
    // Downstream waited for its input: the output's new picture came after the painting's.
    const doneAt = (id: string) =>
      after.find((s) => s.node === id && s.state === 'done' && s.pixels !== '')?.t ?? Infinity
    expect(doneAt('sd')).toBeLessThanOrEqual(doneAt('out'))
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })
})
