import { describe, expect, it } from 'vitest'
import type { GraphDocument } from '../../src/engine/document'
import { encodeWav } from '../../src/media/wav'
import { AUTOSAVE_KEY } from '../../src/editor/store/autosave'
import { screenshot, useBrowser } from './browser'
import {
  addThroughPalette,
  doc,
  dragSocket,
  dropFile,
  openWithGraph,
  runCount,
  showSettings,
  socket,
  unexpected,
  waitForFirstRun,
  waitForRun,
} from './editor-helpers'

const chain: GraphDocument = {
  format: 'synesthete-graph',
  version: 2,
  name: 'E2E chain',
  nodes: [
    { id: 'load', type: 'audio/load', params: {}, position: { x: 0, y: 0 }, mode: 'normal' },
    { id: 'mix', type: 'audio/mix', params: {}, position: { x: 340, y: 0 }, mode: 'normal' },
    { id: 'out', type: 'audio/output', params: {}, position: { x: 680, y: 0 }, mode: 'normal' },
    {
      id: 'direct',
      type: 'audio/output',
      params: { name: 'direct' },
      position: { x: 340, y: 560 },
      mode: 'normal',
    },
  ],
  edges: [
    { from: { node: 'load', port: 'audio' }, to: { node: 'mix', port: 'a' } },
    { from: { node: 'mix', port: 'audio' }, to: { node: 'out', port: 'audio' } },
    { from: { node: 'load', port: 'audio' }, to: { node: 'direct', port: 'audio' } },
  ],
}

const empty: GraphDocument = { format: 'synesthete-graph', version: 2, nodes: [], edges: [] }

/** A mono 440 Hz tone of `seconds` at 8 kHz, as WAV bytes. */
function toneWav(seconds: number): Uint8Array {
  const tone = new Float32Array(8000 * seconds).map(
    (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000),
  )
  return encodeWav({ sampleRate: 8000, channels: [tone] }, 'pcm16')
}

describe('the editor', () => {
  const session = useBrowser()

  it('opens on the default graph, runs it, and shows every node with its preview', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1440, height: 900 },
    })
    const run = await waitForFirstRun(page)
    const graph = await doc(page)
    expect(graph.nodes.length).toBeGreaterThan(0)
    await expect.poll(() => page.locator('[data-testid="node"]').count()).toBe(graph.nodes.length)
    expect(run.failed).toEqual([])
    // Every node that gives something shows it.
    const withOutputs = graph.nodes.filter((n) => n.mode !== 'mute').map((n) => n.id)
    for (const id of withOutputs) {
      await expect
        .poll(() => page.locator(`[data-node-id="${id}"] [data-testid="preview"]`).count())
        .toBeGreaterThan(0)
    }
    await screenshot(page, 'editor-default-graph')
    // The large view of a spectrogram has its axes in seconds and Hz.
    const stft = graph.nodes.find((n) => n.type === 'dsp/stft')
    if (stft) {
      await page.locator(`[data-node-id="${stft.id}"] .thumb-frame`).click()
      await page.locator('[data-testid="large-preview"]').waitFor()
      expect(await page.locator('.plot-ylabel').textContent()).toBe('Frequency (Hz)')
      await screenshot(page, 'editor-large-spectrogram')
      await page.keyboard.press('Escape')
    }
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('wires a new chain by mouse and refuses a connection between different kinds', async () => {
    const { page, context, errors } = await session.open('/')
    await openWithGraph(page, empty)
    await addThroughPalette(page, 420, 300, 'load audio')
    await screenshot(page, 'editor-palette-closed')
    await page.mouse.dblclick(900, 520)
    await page.locator('[data-testid="palette"] input').fill('output')
    await screenshot(page, 'editor-palette-open')
    await page.keyboard.press('Escape')
    await addThroughPalette(page, 900, 300, 'audio output')
    await addThroughPalette(page, 700, 650, 'image output')
    const ids = (await doc(page)).nodes.map((n) => n.id)
    const [load, out, image] = ids
    expect(ids).toHaveLength(3)

    const before = await runCount(page)
    await dragSocket(page, socket(load, 'output', 'audio'), socket(out, 'input', 'audio'))
    await expect.poll(async () => (await doc(page)).edges.length).toBe(1)
    await waitForRun(page, before)
    await expect
      .poll(() => page.locator(`[data-node-id="${out}"] [data-testid="preview"]`).count())
      .toBe(1)

    await dragSocket(page, socket(load, 'output', 'audio'), socket(image, 'input', 'image'))
    await expect(page.locator('[data-testid="toast"]').first().textContent()).resolves.toMatch(
      /cannot go into image/,
    )
    expect((await doc(page)).edges).toHaveLength(1)
    await screenshot(page, 'editor-refused-connection')
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('re-runs only what depends on an edited param, undoes and redoes it, and keeps it on reload', async () => {
    const { page, context, errors } = await session.open('/')
    await openWithGraph(page, chain)
    const first = await waitForFirstRun(page)
    expect(first.failed).toEqual([])

    const before = await runCount(page)
    await showSettings(page, 'mix')
    const gain = page.locator('[data-node-id="mix"] [data-param="gainA"] .number-field input')
    await gain.fill('-6')
    await gain.press('Enter')
    const run = await waitForRun(page, before)
    expect([...run.ran].sort()).toEqual(['mix', 'out'])
    expect(run.cached).toEqual(expect.arrayContaining(['load', 'direct']))
    const param = async () => (await doc(page)).nodes.find((n) => n.id === 'mix')?.params.gainA
    expect(await param()).toBe(-6)

    await page.locator('.canvas').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('Control+z')
    expect(await param()).toBe(0)
    await page.keyboard.press('Control+Shift+z')
    expect(await param()).toBe(-6)

    // Autosave is debounced: wait until the stored graph holds the edit, not for a fixed time.
    await page.waitForFunction(
      (key) => /"gainA":-6\b/.test(localStorage.getItem(key) ?? ''),
      AUTOSAVE_KEY,
    )
    await page.reload()
    await page.locator('[data-testid="node"]').first().waitFor()
    expect(await param()).toBe(-6)
    expect((await doc(page)).edges).toHaveLength(3)
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('loads a dropped sound file into a new Load Audio node, and a second one into that node', async () => {
    const { page, context, errors } = await session.open('/')
    await openWithGraph(page, empty)
    const before = await runCount(page)
    await dropFile(page, toneWav(1), 'tone.wav', 600, 400)
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(1)
    const node = (await doc(page)).nodes[0]
    expect(node.type).toBe('audio/load')
    await expect.poll(async () => String((await doc(page)).nodes[0].params.file)).toMatch(/^blob:/)
    await waitForRun(page, before)
    const caption = page.locator(`[data-node-id="${node.id}"] .thumb-caption`)
    await expect.poll(() => caption.textContent()).toMatch(/1\.00 s/)

    // Dropped on the node itself, a file replaces the node's file.
    const first = String((await doc(page)).nodes[0].params.file)
    const box = await page.locator(`[data-node-id="${node.id}"] .node-header`).boundingBox()
    if (!box) throw new Error('no node')
    await dropFile(page, toneWav(2), 'longer.wav', box.x + 40, box.y + 10)
    await expect.poll(async () => String((await doc(page)).nodes[0].params.file)).not.toBe(first)
    expect((await doc(page)).nodes).toHaveLength(1)
    await expect.poll(() => caption.textContent()).toMatch(/2\.00 s/)
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('opens on the default graph when the autosave cannot be read, and offers the broken text', async () => {
    const { page, context, errors } = await session.open('/')
    await page.addInitScript(() => {
      if (sessionStorage.getItem('corrupted')) return
      sessionStorage.setItem('corrupted', '1')
      localStorage.setItem(
        'synesthete.autosave.graph',
        '{"format":"synesthete-graph", "nodes": [oops',
      )
    })
    await page.reload()
    await page.locator('[role="alertdialog"]').waitFor()
    expect(await page.locator('[role="alertdialog"]').textContent()).toMatch(
      /could not be restored/,
    )
    expect((await doc(page)).nodes.length).toBeGreaterThan(0)
    expect(
      await page.evaluate(() => localStorage.getItem('synesthete.autosave.unreadable')),
    ).toContain('oops')
    await page.getByRole('button', { name: 'OK' }).click()
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('opens a large view with axes and shows a node error in words', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1440, height: 900 },
    })
    await openWithGraph(page, chain)
    await waitForFirstRun(page)
    await page.locator('[data-node-id="out"] .thumb-frame').click()
    await page.locator('[data-testid="large-preview"]').waitFor()
    expect(await page.locator('.plot-xlabel').textContent()).toBe('Time (s)')
    await screenshot(page, 'editor-large-preview')
    await page.keyboard.press('Escape')

    const before = await runCount(page)
    await showSettings(page, 'load')
    await page
      .locator('[data-node-id="load"] [data-param="maxDurationSec"] .number-field input')
      .fill('1')
    await page.keyboard.press('Enter')
    const run = await waitForRun(page, before)
    expect(run.failed).toContain('load')
    await expect
      .poll(() => page.locator('[data-node-id="load"] [data-testid="node-error"]').textContent())
      .toBeTruthy()
    await screenshot(page, 'editor-error-state')
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('copies with links, duplicates, deletes, bypasses and plays with the keyboard', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1440, height: 900 },
    })
    await openWithGraph(page, chain)
    await waitForFirstRun(page)
    const title = (id: string) => page.locator(`[data-node-id="${id}"] [data-testid="node-title"]`)
    await title('load').click()
    await title('mix').click({ modifiers: ['Control'] })
    await page.keyboard.press('Control+c')
    await page.mouse.move(300, 700)
    await page.keyboard.press('Control+v')
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(6)
    const pasted = (await doc(page)).nodes.slice(4).map((n) => n.id)
    expect((await doc(page)).edges).toContainEqual({
      from: { node: pasted[0], port: 'audio' },
      to: { node: pasted[1], port: 'a' },
    })
    await page.keyboard.press('Control+d')
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(8)
    await page.keyboard.press('Delete')
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(6)

    await title('mix').click()
    await page.keyboard.press('Control+b')
    await expect
      .poll(async () => (await doc(page)).nodes.find((n) => n.id === 'mix')?.mode)
      .toBe('bypass')
    await page.keyboard.press('Control+b')

    await title('out').click()
    await page.keyboard.press(' ')
    await page.locator('[data-node-id="out"] [data-testid="playhead"]').waitFor()
    await page.keyboard.press(' ')

    // A connection dropped on empty canvas offers the nodes that can take it.
    const from = await page.locator(socket('out', 'output', 'audio')).boundingBox()
    if (!from) throw new Error('no socket')
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    await page.mouse.move(from.x + 200, from.y + 300, { steps: 10 })
    await page.mouse.up()
    await page.locator('[data-testid="palette"]').waitFor()
    await page.keyboard.type('stft')
    await page.keyboard.press('Enter')
    await expect
      .poll(async () => (await doc(page)).edges.some((e) => e.from.node === 'out'))
      .toBe(true)
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })
})
