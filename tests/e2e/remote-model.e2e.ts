import type { Page, Request } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { GRAPH_VERSION, type GraphDocument } from '../../src/engine/document'
import { shareUrl } from '../../src/engine/share-link'
import { baseUrl, screenshot, useBrowser } from './browser'
import { runCount, unexpected, waitForFirstRun, waitForRun } from './editor-helpers'

/**
 * A document names its model, and a model may be on any server: opening a share link must not
 * contact that server until the person says so (issue 11, item 3). Requests to the graph's
 * model host are intercepted and answered here (a 404); nothing leaves this machine.
 */

const chrome = useBrowser()
const HOST = 'models.example.invalid'
const MODEL = `https://${HOST}/sd/`

function sdGraph(model: string): GraphDocument {
  return {
    format: 'synesthete-graph',
    version: GRAPH_VERSION,
    name: 'A link with a far-away model',
    nodes: [
      {
        id: 'sd',
        type: 'ml/stable-diffusion',
        params: { width: 64, height: 64, steps: 2, model },
        position: { x: 0, y: 0 },
        mode: 'normal',
      },
      { id: 'out', type: 'image/output', params: {}, position: { x: 380, y: 0 }, mode: 'normal' },
    ],
    edges: [{ from: { node: 'sd', port: 'image' }, to: { node: 'out', port: 'image' } }],
  }
}

const nodeError = (page: Page) =>
  page.locator('[data-node-id="sd"] [data-testid="node-error"]').innerText()

describe('a share link whose graph names a model on another server', () => {
  it('fetches nothing from that server until the person allows it in a prompt naming the host', async () => {
    const { page, context, errors } = await chrome.open('/')
    const toModelHost: string[] = []
    const elsewhere: string[] = []
    const record = (request: Request) => {
      const url = request.url()
      if (url.startsWith('http://127.0.0.1') || url.startsWith('data:') || url.startsWith('blob:'))
        return
      ;(url.includes(HOST) ? toModelHost : elsewhere).push(url)
    }
    context.on('request', record)
    await context.route(`https://${HOST}/**`, (route) =>
      route.fulfill({ status: 404, headers: { 'access-control-allow-origin': '*' }, body: '' }),
    )
    await context.route(
      (url) => !url.href.startsWith('http://127.0.0.1') && !url.href.includes(HOST),
      (route) => route.abort(),
    )

    await page.goto(await shareUrl(`${baseUrl()}/`, sdGraph(MODEL)))
    const prompt = page.locator('[data-testid="remote-model-prompt"]')
    await prompt.waitFor()
    expect(await prompt.getByRole('heading').innerText()).toBe(`Download a model from ${HOST}?`)
    expect(await prompt.locator('[data-testid="remote-model-url"]').innerText()).toBe(MODEL)
    expect(await prompt.locator('[data-testid="remote-model-size"]').innerText()).toMatch(
      /size is not known/,
    )
    const first = await waitForFirstRun(page, 120_000)
    expect(first.failed).toContain('sd')
    expect(await nodeError(page)).toMatch(
      new RegExp(`downloaded from ${HOST.replace(/\./g, '\\.')} .*nothing is fetched`),
    )
    await screenshot(page, 'remote-model-prompt')
    expect(toModelHost).toEqual([])

    // "Not now": the prompt goes, the node keeps waiting, still nothing is fetched.
    await prompt.getByRole('button', { name: 'Not now' }).click()
    await expect.poll(() => prompt.count()).toBe(0)
    expect(toModelHost).toEqual([])

    // A known model says its size from the manifest before anything is asked of its host.
    await page.evaluate(() =>
      window.__synesthete?.services.store.dispatch({
        type: 'setParam',
        node: 'sd',
        param: 'model',
        value: 'sd-turbo',
      }),
    )
    await prompt.waitFor()
    expect(await prompt.getByRole('heading').innerText()).toBe(
      'Download a model from huggingface.co?',
    )
    expect(await prompt.locator('[data-testid="remote-model-size"]').innerText()).toMatch(
      /about \d+\.\d GB/,
    )
    await prompt.getByRole('button', { name: 'Not now' }).click()
    await page.evaluate(
      (model) =>
        window.__synesthete?.services.store.dispatch({
          type: 'setParam',
          node: 'sd',
          param: 'model',
          value: model,
        }),
      MODEL,
    )
    // Declined in this page: no second prompt for the same model.
    await expect.poll(() => prompt.count()).toBe(0)
    expect(elsewhere).toEqual([])

    // A fresh open of the link asks again; allowing it fetches, and the answer is the node's.
    await page.goto('about:blank')
    const before = toModelHost.length
    await page.goto(await shareUrl(`${baseUrl()}/`, sdGraph(MODEL)))
    await prompt.waitFor()
    const runs = await runCount(page)
    await prompt.getByRole('button', { name: `Download from ${HOST}` }).click()
    await expect.poll(() => prompt.count()).toBe(0)
    await waitForRun(page, runs, 120_000)
    await expect.poll(() => toModelHost.length).toBeGreaterThan(before)
    expect(toModelHost.every((url) => url.startsWith(MODEL))).toBe(true)
    await expect.poll(() => nodeError(page)).toMatch(/has no "/)
    expect(elsewhere).toEqual([])
    const provoked = /Failed to load resource: .*404/
    expect(unexpected(errors).filter((e) => !provoked.test(e))).toEqual([])
  })
})
