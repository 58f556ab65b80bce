import type { Page } from 'playwright-core'
import type { GraphDocument } from '../../src/engine/document'
import { AUTOSAVE_KEY } from '../../src/editor/store/autosave'

/** The editor's test hook, as the page sees it (see src/editor/bootstrap.ts). */
export interface LastRunView {
  targets: string[] | 'all'
  ran: string[]
  cached: string[]
  failed: string[]
}

export function doc(page: Page): Promise<GraphDocument> {
  return page.evaluate(() => {
    const hook = window.__synesthete
    if (!hook) throw new Error('The editor test hook is missing')
    return hook.doc()
  })
}

export function runCount(page: Page): Promise<number> {
  return page.evaluate(() => window.__synesthete?.runCount() ?? 0)
}

/** Waits until the editor has finished a run that started after `after` runs. */
export async function waitForRun(
  page: Page,
  after: number,
  timeoutMs = 60_000,
): Promise<LastRunView> {
  await page.waitForFunction(
    (n) => {
      const hook = window.__synesthete
      return !!hook && hook.runCount() > n && !hook.running() && hook.lastRun() !== undefined
    },
    after,
    { timeout: timeoutMs, polling: 100 },
  )
  return page.evaluate(() => window.__synesthete?.lastRun() as LastRunView)
}

/** Waits for the first run after the page opened (the editor runs its graph by itself). */
export function waitForFirstRun(page: Page, timeoutMs = 60_000): Promise<LastRunView> {
  return waitForRun(page, 0, timeoutMs)
}

/**
 * Opens the editor on `graph` by putting it in the autosave before the page's scripts run
 * (once: later reloads see what the editor saved itself).
 */
export async function openWithGraph(page: Page, graph: GraphDocument): Promise<void> {
  const token = `e2e-graph-${Math.random()}`
  await page.addInitScript(
    ([key, text, once]) => {
      if (sessionStorage.getItem(once)) return
      sessionStorage.setItem(once, '1')
      localStorage.setItem(key, text)
    },
    [AUTOSAVE_KEY, JSON.stringify(graph), token] as const,
  )
  await page.reload()
  await page.locator('[data-testid="canvas"]').waitFor()
  await page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid="node"]').length === count,
    graph.nodes.length,
  )
}

/** Adds a node through the palette, as a person would: double-click, type, Enter. */
export async function addThroughPalette(page: Page, x: number, y: number, query: string) {
  await page.mouse.dblclick(x, y)
  await page.locator('[data-testid="palette"] input').fill(query)
  await page.keyboard.press('Enter')
}

/** Drags from one socket to another with the mouse. */
export async function dragSocket(page: Page, fromSelector: string, toSelector: string) {
  const from = await page.locator(fromSelector).boundingBox()
  const to = await page.locator(toSelector).boundingBox()
  if (!from || !to) throw new Error(`Socket not found: ${from ? toSelector : fromSelector}`)
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 })
  await page.mouse.up()
}

export const socket = (node: string, side: 'input' | 'output', port: string) =>
  `[data-node-id="${node}"] .port-${side === 'input' ? 'in' : 'out'}[data-port="${port}"] .${side}-socket`

/** Console errors minus what the test provoked on purpose. */
export function unexpected(errors: string[]): string[] {
  return errors.filter((e) => !/favicon/i.test(e))
}

/** Drops a file at a point of the page, as the browser does when one is dragged in. */
export async function dropFile(
  page: Page,
  bytes: Uint8Array,
  name: string,
  x: number,
  y: number,
  type = 'audio/wav',
) {
  await page.evaluate(
    ([data, fileName, px, py, mime]) => {
      const file = new File([new Uint8Array(data)], fileName, { type: mime })
      const transfer = new DataTransfer()
      transfer.items.add(file)
      const target = document.elementFromPoint(px, py) ?? document.body
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(
          new DragEvent(type, {
            dataTransfer: transfer,
            clientX: px,
            clientY: py,
            bubbles: true,
            cancelable: true,
          }),
        )
      }
    },
    [[...bytes], name, x, y, type] as const,
  )
}

/** Unfolds a node's settings (a graph opens with them folded), as a person would: one click. */
export async function showSettings(page: Page, node: string): Promise<void> {
  const toggle = page.locator(`[data-node-id="${node}"] [data-testid="settings-toggle"]`)
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
}
