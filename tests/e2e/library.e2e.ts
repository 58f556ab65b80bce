import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { registry } from '../../nodes'
import type { GraphDocument } from '../../src/engine/document'
import { shareUrl } from '../../src/engine/share-link'
import { validateGraph } from '../../src/engine/validate'
import { encodePng } from '../../src/media/png'
import { collectProvenance, pngProvenanceText } from '../../src/media/provenance'
import { baseUrl, screenshot, useBrowser } from './browser'
import { doc, dropFile, openWithGraph, unexpected, waitForFirstRun } from './editor-helpers'

const node = (id: string, type: string, x: number, y: number, params = {}) => ({
  id,
  type,
  params,
  position: { x, y },
  mode: 'normal' as const,
})

/** Two branches: one on a file only the sender's browser has, one on the bundled sample. */
const shared: GraphDocument = {
  format: 'synesthete-graph',
  version: 2,
  name: 'Sent to a friend',
  description: 'One branch on my own recording, one on the sample.',
  nodes: [
    node('mine', 'audio/load', 0, 0, { file: `blob:${'c'.repeat(64)}/field%20recording.wav` }),
    node('outMine', 'audio/output', 340, 0, { name: 'mine' }),
    node('sample', 'audio/load', 0, 420),
    node('outSample', 'audio/output', 340, 420, { name: 'sample' }),
  ],
  edges: [
    { from: { node: 'mine', port: 'audio' }, to: { node: 'outMine', port: 'audio' } },
    { from: { node: 'sample', port: 'audio' }, to: { node: 'outSample', port: 'audio' } },
  ],
}

const mine: GraphDocument = {
  ...shared,
  name: 'My own work',
  nodes: shared.nodes.slice(2),
  edges: shared.edges.slice(1),
}

/** What opening gives back: validated, defaults filled in. */
function checked(graph: GraphDocument): GraphDocument {
  const result = validateGraph(structuredClone(graph), registry)
  if (!result.ok) throw new Error(result.problems[0].message)
  return result.graph
}

const entryNames = (page: Page) =>
  page
    .locator('[data-testid="my-graphs"] .entry')
    .evaluateAll((rows) =>
      rows.map((r) => (r.querySelector('.entry-name') as HTMLInputElement).value),
    )

/** A point of the canvas with no node under it (where a drop means "the graph", not a node). */
function emptyCanvasPoint(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const area = document.querySelector('.canvas-area')?.getBoundingClientRect()
    if (!area) throw new Error('no canvas')
    for (let y = area.top + 100; y < area.bottom - 60; y += 30)
      for (let x = area.left + 60; x < area.right - 60; x += 30) {
        const el = document.elementFromPoint(x, y)
        if (
          el?.closest('.canvas-area') &&
          !el.closest('[data-node-id], .minimap, [data-testid="minimap"]')
        )
          return { x, y }
      }
    throw new Error('no empty place on the canvas')
  })
}

async function openMyGraphs(page: Page) {
  await page.locator('[data-testid="graphs-button"]').click()
  await page.getByRole('tab', { name: /My graphs/ }).click()
  await page.locator('[data-testid="my-graphs"]').waitFor()
}

describe('presets, My graphs and sharing', () => {
  const session = useBrowser()

  it('opens a share link in a fresh browser: the graph runs, and the missing file is asked for', async () => {
    const url = await shareUrl(`${baseUrl()}/`, shared)
    const { page, context, errors } = await session.open(url.slice(baseUrl().length))
    const run = await waitForFirstRun(page)
    expect(await doc(page)).toEqual(checked(shared))
    expect(run.failed).toEqual(['mine'])
    expect(new URL(page.url()).hash).toBe('')
    const error = page.locator('[data-node-id="mine"] [data-testid="node-error"]')
    await expect.poll(() => error.textContent()).toMatch(/field recording\.wav/)
    expect(await page.locator('[data-node-id="mine"] .file-name').textContent()).toBe(
      'field recording.wav',
    )
    // Its whole name on hover is that name, not the browser store's reference (blob:…%20…).
    expect(await page.locator('[data-node-id="mine"] .file-name').getAttribute('title')).toBe(
      'field recording.wav',
    )
    await expect
      .poll(() => page.locator('.toast').allTextContents())
      .toContainEqual(
        expect.stringMatching(/“field recording.wav” stayed on the sender’s computer/),
      )
    await screenshot(page, 'library-opened-link')
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('keeps the open graph in My graphs before a link replaces it; a corrupt link changes nothing', async () => {
    const { page, context, errors } = await session.open('/')
    await openWithGraph(page, mine)
    await page.evaluate(() => {
      window.location.hash = 'graph=not-a-real-link!'
    })
    await page.locator('[role="alertdialog"]').waitFor()
    expect(await page.locator('[role="alertdialog"]').textContent()).toMatch(
      /This link could not be opened.*damaged.*Nothing was changed/,
    )
    expect((await doc(page)).name).toBe('My own work')
    await page.keyboard.press('Escape')
    await page.locator('[role="alertdialog"]').waitFor({ state: 'detached' })

    const link = new URL(await shareUrl(`${baseUrl()}/`, shared))
    await page.evaluate((hash) => {
      window.location.hash = hash
    }, link.hash)
    await expect.poll(async () => (await doc(page)).name).toBe('Sent to a friend')
    await openMyGraphs(page)
    await expect.poll(() => entryNames(page)).toEqual(['My own work (before opening a link)'])
    expect(unexpected(errors).filter((e) => !/field recording/.test(e))).toEqual([])
    await context.close()
  })

  it('keeps which nodes are unfolded in My graphs and in a share link, as view, not content', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1440, height: 900 },
    })
    await openWithGraph(page, mine)
    const expanded = (p: Page, id: string) =>
      p
        .locator(`[data-node-id="${id}"] [data-testid="settings-toggle"]`)
        .getAttribute('aria-expanded')
    // Opened folded; the person unfolds the output's settings to set them.
    expect(await expanded(page, 'outSample')).toBe('false')
    await page.locator('[data-node-id="outSample"] [data-testid="settings-toggle"]').click()
    await expect.poll(() => expanded(page, 'outSample')).toBe('true')

    await page.keyboard.press('Control+s')
    const form = page.locator('[data-testid="save-dialog"]')
    await form.getByLabel('Name').fill('Unfolded')
    await form.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('[data-testid="save-button"]').textContent()).toBe('Saved')
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.locator('[data-testid="share-button"]').click()
    const link = await page.locator('[data-testid="share-url"]').inputValue()
    // Copied: said once, beside the link, and not among what the link does not carry.
    await expect
      .poll(() => page.locator('[data-testid="share-copied"]').textContent())
      .toMatch(/^Copied to the clipboard/)
    expect(await page.locator('[data-testid="share-copy"]').textContent()).toBe('Copy again')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link)
    expect(await page.locator('.share-notes li').allTextContents()).toEqual([])
    await screenshot(page, 'library-share-dialog')
    await page.keyboard.press('Escape')

    // Unfolding is no edit: the open graph (what undo and Save compare) has no view in it.
    expect((await doc(page)).view).toBeUndefined()
    const keptView = await page.evaluate(async () => {
      const graphs = window.__synesthete?.services.library.graphs
      await graphs?.load()
      return (graphs?.getSnapshot().entries[0].graph as GraphDocument | undefined)?.view
    })
    expect(keptView).toEqual({ unfolded: ['outSample'] })

    // A new graph, then the kept one again from My graphs: the output opens unfolded, the rest folded.
    await page.locator('[data-testid="new-graph"]').click()
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(0)
    await openMyGraphs(page)
    await page
      .locator('[data-entry="Unfolded"]')
      .getByRole('button', { name: 'Open', exact: true })
      .click()
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(2)
    await expect.poll(() => expanded(page, 'outSample')).toBe('true')
    expect(await expanded(page, 'sample')).toBe('false')
    expect((await doc(page)).view).toBeUndefined()
    expect(unexpected(errors)).toEqual([])
    await context.close()

    // The link, in a fresh browser: the same.
    const friend = await session.open(link.slice(baseUrl().length))
    await friend.page.locator('[data-node-id="outSample"]').waitFor()
    await expect.poll(() => expanded(friend.page, 'outSample')).toBe('true')
    expect(await expanded(friend.page, 'sample')).toBe('false')
    await screenshot(friend.page, 'library-unfolded-link')
    expect(unexpected(friend.errors)).toEqual([])
    await friend.context.close()
  })

  it('asks before opening the graph a dropped PNG carries, or uses it as a picture', async () => {
    const { page, context, errors } = await session.open('/')
    await openWithGraph(page, mine)
    const picture = { width: 8, height: 4, channels: [new Float32Array(32).fill(0.5)] }
    const record = await collectProvenance(shared, registry, { output: 'outSample' })
    const png = encodePng(picture, pngProvenanceText(shared, record))
    const spot = await emptyCanvasPoint(page)
    await dropFile(page, png, 'result.png', spot.x, spot.y, 'image/png')
    const ask = page.locator('[data-testid="ask-dialog"]')
    await ask.waitFor()
    expect(await ask.textContent()).toMatch(/carries the graph that made it/)
    await ask.getByRole('button', { name: 'Use the picture' }).click()
    await expect
      .poll(async () => (await doc(page)).nodes.map((n) => n.type))
      .toContain('image/load')

    const again = await emptyCanvasPoint(page)
    await dropFile(page, png, 'result.png', again.x, again.y, 'image/png')
    await ask.getByRole('button', { name: 'Open its graph' }).click()
    await expect.poll(async () => (await doc(page)).name).toBe('Sent to a friend')
    expect((await doc(page)).nodes).toEqual(checked(shared).nodes)
    expect(unexpected(errors).filter((e) => !/field recording/.test(e))).toEqual([])
    await context.close()
  })

  it('browses and compares the examples, and saves, renames and deletes in My graphs', async () => {
    const { page, context, errors } = await session.open('/', {
      viewport: { width: 1440, height: 900 },
    })
    await waitForFirstRun(page)
    await page.locator('[data-testid="graphs-button"]').click()
    const cards = page.locator('[data-testid="preset-cards"] .preset-card')
    await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(3)
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.preset-card img')].every(
        (i) => i.complete && i.naturalWidth > 0,
      ),
    )
    await screenshot(page, 'library-examples')

    await page
      .locator('[data-preset="visual-sampling.json"]')
      .getByRole('button', { name: 'Compare…' })
      .click()
    await page.getByLabel('Graph B').selectOption('preset:visual-sampling-clean.json')
    const diff = page.locator('[data-testid="compare-diff"]')
    await expect.poll(() => diff.textContent()).toMatch(/Low frequencies/)
    await screenshot(page, 'library-compare')

    await page.getByRole('tab', { name: 'Examples' }).click()
    await page
      .locator('[data-preset="default.json"]')
      .getByRole('button', { name: 'Duplicate' })
      .click()
    await expect.poll(() => entryNames(page)).toEqual(['First light (my copy)'])
    await page.locator('.graph-browser .close-button').click()

    await page.keyboard.press('Control+s')
    const form = page.locator('[data-testid="save-dialog"]')
    await form.getByLabel('Name').fill('Dawn chorus')
    await form.getByLabel('Notes').fill('Slower hop, try the chirps next.')
    await form.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('.graph-name').textContent()).toBe('Dawn chorus')
    await expect.poll(() => page.locator('[data-testid="save-button"]').textContent()).toBe('Saved')

    await openMyGraphs(page)
    await expect.poll(() => entryNames(page)).toEqual(['Dawn chorus', 'First light (my copy)'])
    const name = page.locator('[data-entry="Dawn chorus"] .entry-name')
    await name.fill('Dusk chorus')
    await name.press('Enter')
    await expect.poll(() => page.locator('.graph-name').textContent()).toBe('Dusk chorus')
    await screenshot(page, 'library-my-graphs')

    await page.reload()
    await openMyGraphs(page)
    await expect.poll(() => entryNames(page)).toEqual(['Dusk chorus', 'First light (my copy)'])
    const copy = page.locator('[data-entry="First light (my copy)"]')
    await copy.getByRole('button', { name: 'Delete' }).click()
    await copy.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => entryNames(page)).toEqual(['Dusk chorus'])
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('refuses a graph file from a newer Synesthete, or with __proto__, and keeps everything as it was', async () => {
    const { page, context } = await session.open('/')
    await openWithGraph(page, mine)
    await openMyGraphs(page)
    const input = page.locator('[data-testid="import-input"]')
    const newer = JSON.stringify({ ...mine, version: 9 })
    await input.setInputFiles({
      name: 'future.json',
      mimeType: 'application/json',
      buffer: Buffer.from(newer),
    })
    const dialog = page.locator('[role="alertdialog"]')
    await expect
      .poll(() => dialog.textContent())
      .toMatch(/“future.json” was made by a newer Synesthete.*Update Synesthete/)
    await page.getByRole('button', { name: 'OK' }).click()
    const hostile =
      '{"format":"synesthete-graph","version":1,"nodes":[],"edges":[],"__proto__":{"x":1}}'
    await input.setInputFiles({
      name: 'hostile.json',
      mimeType: 'application/json',
      buffer: Buffer.from(hostile),
    })
    await expect.poll(() => dialog.textContent()).toMatch(/"__proto__" is not allowed/)
    await page.getByRole('button', { name: 'OK' }).click()
    expect(await entryNames(page)).toEqual([])
    expect((await doc(page)).name).toBe('My own work')
    await context.close()
  })
})
