import { describe, expect, it } from 'vitest'
import type { GraphDocument } from '../../src/engine/document'
import { encodeWav } from '../../src/media/wav'
import { screenshot, useBrowser } from './browser'
import { doc, dropFile, openWithGraph, runCount, unexpected, waitForRun } from './editor-helpers'

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
})
