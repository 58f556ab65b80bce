import { describe, expect, it } from 'vitest'
import type { GraphDocument } from '../../src/engine/document'
import { encodeWav } from '../../src/media/wav'
import { screenshot, useBrowser } from './browser'
import {
  doc,
  dropFile,
  openWithGraph,
  runCount,
  unexpected,
  waitForFirstRun,
  waitForRun,
} from './editor-helpers'

const empty: GraphDocument = { format: 'synesthete-graph', version: 2, nodes: [], edges: [] }

/** A 2 s mono tone at 8 kHz whose file is cut after 1.5 s: its header still declares 2 s. */
function cutShortWav(): Uint8Array {
  const tone = new Float32Array(16000).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000))
  const full = encodeWav({ sampleRate: 8000, channels: [tone] }, 'pcm16')
  return full.slice(0, 44 + 24000)
}

describe('a damaged file in the editor', () => {
  const session = useBrowser()

  it('loads what it holds and shows a warning badge on Load Audio saying how much is missing', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1280, height: 800 },
    })
    await openWithGraph(page, empty)
    const before = await runCount(page)
    await dropFile(page, cutShortWav(), 'cut.wav', 600, 400)
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(1)
    const node = (await doc(page)).nodes[0]
    expect(node.type).toBe('audio/load')
    await waitForRun(page, before)
    const badge = page.locator(`[data-node-id="${node.id}"] [data-testid="node-warning"]`)
    await expect.poll(() => badge.textContent()).toMatch(/cut short, or its header is wrong/)
    expect(await badge.textContent()).toMatch(
      /declares 2\.0 s but only 1\.5 s could be read \(25 % missing\)/,
    )
    expect(await badge.getAttribute('role')).toBe('status')
    const caption = page.locator(`[data-node-id="${node.id}"] .thumb-caption`)
    await expect.poll(() => caption.textContent()).toMatch(/1\.50 s/)
    await screenshot(page, 'damaged-audio-warning')
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('a file that is no sound at all: the loader says why, once; the nodes after it say they did not run; Undo brings the sound back', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1024, height: 640 },
    })
    await waitForFirstRun(page, 300_000)
    const before = await runCount(page)
    // A RIFF/WAVE header with nothing after it: it passes the first-bytes check, then fails.
    const broken = new TextEncoder().encode('RIFF\x10\x00\x00\x00WAVEjunkjunkjunkjunk')
    await page.locator('[data-node-id="load"] input[type="file"]').setInputFiles({
      name: 'broken.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from(broken),
    })
    const run = await waitForRun(page, before)
    expect(run.failed).toEqual(['load'])
    const badges = await page
      .locator('[data-testid="node"]')
      .evaluateAll((nodes) =>
        nodes.map((n) => [
          n.getAttribute('data-node-id'),
          n.querySelector('[data-testid="state-badge"]')?.getAttribute('data-state'),
          n.querySelector('[data-testid="state-badge"]')?.textContent,
        ]),
      )
    expect(badges.filter(([id]) => id === 'load')).toEqual([['load', 'error', 'Error']])
    // The rest did not run, and say so, not "Waiting": nothing will happen until Sound is fixed.
    const rest = badges.filter(([id]) => id !== 'load')
    expect(rest.length).toBe(13)
    expect(rest.filter(([, state, text]) => state !== 'blocked' || text !== 'Not run')).toEqual([])
    // One alert, the loader's, saying what was wrong and what to do; not one per node after it.
    const alerts = page.locator('[data-testid="node"] [role="alert"]')
    expect(await alerts.count()).toBe(1)
    expect(await alerts.textContent()).toMatch(/no format .*chunk.*Export the file again/s)
    await screenshot(page, 'damaged-audio-not-a-sound')

    // Nothing is lost: Undo puts the sample back, and the graph runs again.
    const again = await runCount(page)
    await page.locator('[data-testid="undo"]').click()
    const rerun = await waitForRun(page, again)
    expect(rerun.failed).toEqual([])
    await expect
      .poll(() =>
        page
          .locator('[data-node-id="load"] [data-testid="state-badge"]')
          .getAttribute('data-state'),
      )
      .toMatch(/done|cached/)
    expect(unexpected(errors).filter((e) => !/broken\.wav|fmt|WAV/i.test(e))).toEqual([])
    await context.close()
  })
})
