import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot, useBrowser } from './browser'
import { doc, unexpected } from './editor-helpers'

/** The nodes drawn on the canvas. */
const nodeCount = (page: Page) => page.locator('[data-testid="node"]').count()

/** Names in My graphs, read from IndexedDB through the page's library (the tab may be closed). */
const keptNames = (page: Page) =>
  page.evaluate(async () => {
    const graphs = window.__synesthete?.services.library.graphs
    if (!graphs) throw new Error('The editor test hook is missing')
    await graphs.load()
    return graphs.getSnapshot().entries.map((e) => e.name)
  })

/** Where focus is: inside the element matching `selector`, or not. */
const focusInside = (page: Page, selector: string) =>
  page.evaluate((s) => !!document.querySelector(s)?.contains(document.activeElement), selector)

/** Opens the editor with Auto-run off, so browsing does not keep both cores busy. */
async function openCalm(open: ReturnType<typeof useBrowser>['open']) {
  const opened = await open('/', { viewport: { width: 1440, height: 900 } })
  await opened.page.locator('[data-testid="node"]').first().waitFor()
  const auto = opened.page.locator('[data-testid="auto-run"]')
  if (await auto.isChecked()) await auto.uncheck()
  return opened
}

describe('the editor as a new user meets it', () => {
  const session = useBrowser()

  it('keeps keys typed in a dialog away from the canvas, traps focus, and closes on Escape', async () => {
    const { page, context, errors } = await openCalm(session.open)
    const before = await nodeCount(page)
    expect(before).toBeGreaterThan(3)

    const browser = page.locator('[data-testid="graph-browser"]')
    await page.locator('[data-testid="graphs-button"]').click()
    await browser.waitFor()
    expect(await focusInside(page, '[data-testid="graph-browser"]')).toBe(true)
    // A click on the dialog's heading (nothing focusable) must not hand the keys to the page.
    await browser.locator('h2').click()
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Delete')
    await page.keyboard.press('Backspace')
    expect(await nodeCount(page)).toBe(before)
    expect((await doc(page)).nodes).toHaveLength(before)

    // Tab and Shift+Tab go round inside the dialog, never out to the top bar or canvas.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab')
      expect(await focusInside(page, '[data-testid="graph-browser"]')).toBe(true)
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab')
      expect(await focusInside(page, '[data-testid="graph-browser"]')).toBe(true)
    }
    // Even with focus on the page body, the canvas's shortcuts wait for the dialog to close.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Delete')
    expect(await nodeCount(page)).toBe(before)

    await page.keyboard.press('Escape')
    await browser.waitFor({ state: 'detached' })
    // Focus comes back to the button that opened it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'graphs-button',
    )

    // The save form and the model panel behave the same.
    await page.keyboard.press('Control+s')
    const form = page.locator('[data-testid="save-dialog"]')
    await form.waitFor()
    await form.locator('h2').click()
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Delete')
    await page.keyboard.press('Escape')
    await form.waitFor({ state: 'detached' })
    expect(await nodeCount(page)).toBe(before)

    const choose = page.locator('[data-testid="model-picker"] button').first()
    if ((await choose.count()) > 0) {
      await choose.click()
      const panel = page.locator('[data-testid="model-panel"]')
      await panel.waitFor()
      await panel.locator('h2').click()
      await page.keyboard.press('Control+a')
      await page.keyboard.press('Delete')
      await page.keyboard.press('Escape')
      await panel.waitFor({ state: 'detached' })
      expect(await nodeCount(page)).toBe(before)
    }

    // With no dialog open the same keys do act on the canvas (the test above could fail).
    await page.locator('[data-testid="canvas"]').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Delete')
    await expect.poll(() => nodeCount(page)).toBe(0)
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('starts a new graph named Untitled, keeping the old one only when it had edits', async () => {
    const { page, context, errors } = await openCalm(session.open)
    const first = await doc(page)
    expect(first.name).toBeTruthy()

    // Unchanged (only laid out): nothing is kept.
    await page.locator('[data-testid="new-graph"]').click()
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(0)
    expect((await doc(page)).name).toBe('Untitled')
    expect(await page.locator('.graph-name').textContent()).toBe('Untitled')
    expect(await keptNames(page)).toEqual([])

    // Undo brings the example back; an edit to it makes it worth keeping.
    await page.keyboard.press('Control+z')
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(first.nodes.length)
    await page
      .locator('[data-testid="node"]')
      .first()
      .click({ position: { x: 40, y: 12 } })
    await page.keyboard.press('Delete')
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(first.nodes.length - 1)
    await page.keyboard.press('Control+Alt+n')
    await expect.poll(async () => (await doc(page)).nodes.length).toBe(0)
    await expect.poll(() => keptNames(page)).toEqual([`${first.name} (before a new graph)`])
    const fresh = await doc(page)
    expect(fresh.name).toBe('Untitled')
    expect(fresh.description).toBeUndefined()

    // The old name and notes do not follow into the new graph's save.
    await page.keyboard.press('Control+s')
    const form = page.locator('[data-testid="save-dialog"]')
    await form.waitFor()
    expect(await form.getByLabel('Name').inputValue()).toBe('Untitled')
    expect(await form.getByLabel('Notes').inputValue()).toBe('')
    await screenshot(page, 'new-user-new-graph')
    await page.keyboard.press('Escape')
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('browses every example without filling My graphs', async () => {
    const { page, context, errors } = await openCalm(session.open)
    await page.locator('[data-testid="graphs-button"]').click()
    const files = await page
      .locator('[data-testid="preset-cards"] .preset-card')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-preset') ?? ''))
    expect(files.length).toBeGreaterThanOrEqual(5)
    await page.keyboard.press('Escape')
    for (const file of [...files, ...files.slice(0, 2)]) {
      await page.locator('[data-testid="graphs-button"]').click()
      const card = page.locator(`[data-preset="${file}"]`)
      const title = (await card.locator('h3').textContent()) ?? ''
      await card.getByRole('button', { name: 'Open' }).click()
      await expect.poll(async () => (await doc(page)).name).toBe(title)
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="node"]').length === n,
        (await doc(page)).nodes.length,
      )
    }
    expect(await keptNames(page)).toEqual([])
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })
})
