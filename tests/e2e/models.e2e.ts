import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { TINY_MODEL_PATHS } from '../../src/diffusion/tiny-model'
import type { GraphDocument } from '../../src/engine/document'
import { baseUrl, screenshot, useBrowser, type OpenedPage } from './browser'
import {
  doc,
  openWithGraph,
  runCount,
  showSettings,
  unexpected,
  waitForFirstRun,
  waitForRun,
} from './editor-helpers'

/**
 * Stable Diffusion in the editor: the tiny model through the GPU worker on WebGPU (SwiftShader,
 * forced with ?gpu=webgpu: by itself the editor prefers WASM over a software adapter)
 * and on WASM, the model panel, downloads from a fake model host served by the preview server
 * (fakeModelHost in tests/e2e/vite.config.ts) and load failures. Nothing here may reach the internet: every
 * request that leaves 127.0.0.1 is aborted and counted.
 */

const chrome = useBrowser()

function sdGraph(params: Record<string, string | number> = {}): GraphDocument {
  return {
    format: 'synesthete-graph',
    version: 2,
    name: 'E2E diffusion',
    nodes: [
      {
        id: 'sd',
        type: 'ml/stable-diffusion',
        params: { width: 64, height: 64, steps: 4, scheduler: 'euler', seed: 7, ...params },
        position: { x: 0, y: 0 },
        mode: 'normal',
      },
      { id: 'out', type: 'image/output', params: {}, position: { x: 380, y: 0 }, mode: 'normal' },
    ],
    edges: [{ from: { node: 'sd', port: 'image' }, to: { node: 'out', port: 'image' } }],
  }
}

interface SdRun {
  state: string
  ms?: number
  /** Where each network ran, from the node's report: 'text_encoder: wasm, unet: wasm, …'. */
  ran?: string
  /** Why the UNet ran there (the report's providerWhy). */
  why?: string
  error?: string
  pixels?: number[]
}

/** The SD node's last run as the editor holds it, pixels flattened (channel-major). */
function sdRun(page: Page): Promise<SdRun> {
  return page.evaluate(() => {
    const run = window.__synesthete?.services.runs.get('sd')
    const image = run?.outputs?.image
    const pixels =
      image && 'channels' in image ? image.channels.flatMap((c) => Array.from(c)) : undefined
    return {
      state: run?.state ?? 'missing',
      ms: run?.ms,
      ran: run?.report?.providers?.map((p) => `${p.network}: ${p.provider}`).join(', '),
      why: run?.report?.providerWhy,
      error: run?.error ? `${run.error.message} ${run.error.hint ?? ''}` : undefined,
      pixels,
    }
  })
}

/** Opens the editor on a graph with every request off this machine refused (and recorded). */
async function openEditor(path: string, graph: GraphDocument) {
  // Tall enough that the whole Stable Diffusion node, run info included, fits when zoomed to fit.
  const opened = await chrome.open(path, { viewport: { width: 1280, height: 1400 } })
  const outside: string[] = []
  await opened.context.route(
    (url) => !url.href.startsWith('http://127.0.0.1') && !url.href.startsWith('data:'),
    (route) => {
      outside.push(route.request().url())
      return route.abort()
    },
  )
  await openWithGraph(opened.page, graph)
  return { ...opened, outside }
}

async function setParam(page: Page, param: string, value: string | number) {
  await page.evaluate(
    ([p, v]) =>
      window.__synesthete?.services.store.dispatch({
        type: 'setParam',
        node: 'sd',
        param: p,
        value: v,
      }),
    [param, value] as const,
  )
}

/**
 * Sets the SD node's model to an address and allows its download in the prompt that asks (a
 * graph never downloads by itself; remote-model.e2e.ts tests the prompt).
 */
async function setModelAllowed(page: Page, url: string) {
  await setParam(page, 'model', url)
  const prompt = page.locator('[data-testid="remote-model-prompt"]')
  await prompt.getByRole('button', { name: /^Download from / }).click()
  await expect.poll(() => prompt.count()).toBe(0)
}

/** Runs the graph once more (Run button) and returns the SD node's run. */
async function runAgain(page: Page): Promise<SdRun> {
  const before = await runCount(page)
  await page.locator('[data-testid="run"]').click()
  await waitForRun(page, before, 120_000)
  return sdRun(page)
}

async function autoRunOff(opened: OpenedPage) {
  const toggle = opened.page.locator('[data-testid="auto-run"]')
  if (await toggle.isChecked()) await toggle.uncheck()
}

const fit = (page: Page) => page.getByRole('button', { name: 'Fit' }).click()

const openPanel = (page: Page) =>
  page.locator('[data-node-id="sd"] [data-testid="model-picker"] button').first().click()

describe('Stable Diffusion in the editor', () => {
  it('runs the tiny model on WebGPU and on WASM with matching pictures, and says which ran', async () => {
    const gpu = await openEditor('/?gpu=webgpu', sdGraph())
    await waitForFirstRun(gpu.page, 120_000)
    const onGpu = await sdRun(gpu.page)
    expect(onGpu.state).toBe('done')
    expect(onGpu.ran).toMatch(/unet: webgpu/)
    const node = gpu.page.locator('[data-node-id="sd"]')
    await expect
      .poll(() => node.locator('[data-testid="model-provider"]').innerText())
      .toMatch(/WebGPU/)
    await expect.poll(() => node.locator('[data-testid="tiny-warning"]').isVisible()).toBe(true)
    await expect
      .poll(() => gpu.page.locator('[data-testid="gpu-last-provider"]').innerText())
      .toBe('WebGPU')
    await fit(gpu.page)
    await screenshot(gpu.page, 'sd-node-after-run-webgpu')
    await setParam(gpu.page, 'seed', 8) // a new picture: the model is loaded, this is warm
    const warm = await runAgain(gpu.page)
    await setParam(gpu.page, 'seed', 7)
    expect((await runAgain(gpu.page)).pixels).toEqual(onGpu.pixels) // from the cache, same key
    expect(await node.locator('[data-testid="model-provider"]').innerText()).toMatch(/cache/)

    const cpu = await openEditor('/?gpu=wasm', sdGraph())
    await waitForFirstRun(cpu.page, 120_000)
    const onCpu = await sdRun(cpu.page)
    expect(onCpu.state).toBe('done')
    expect(onCpu.ran).toMatch(/unet: wasm/)
    expect(onCpu.ran).not.toMatch(/webgpu/)
    await expect
      .poll(() =>
        cpu.page.locator('[data-node-id="sd"] [data-testid="model-provider"]').innerText(),
      )
      .toMatch(/WASM/)
    await fit(cpu.page)
    await screenshot(cpu.page, 'sd-node-after-run-wasm')
    await setParam(cpu.page, 'seed', 8)
    const cpuWarm = await runAgain(cpu.page)

    // Both providers compute in fp32 and differ only in the order of summation (GPU reductions
    // against WASM loops): about 1e-7 relative per operation, grown through 4 UNet steps with
    // guidance and the VAE. We measured max |Δ| 3.6e-5 and mean 9e-6 on pixels in 0..1. The
    // bound, 1/16 of one 8-bit level (2.45e-4), leaves room for other GPUs' summation orders
    // while still failing on any real divergence (a wrong tensor layout or fp16 slipping in
    // gives errors of 1e-2 and more).
    const a = onGpu.pixels ?? []
    const b = onCpu.pixels ?? []
    expect(a.length).toBe(64 * 64 * 3)
    expect(b.length).toBe(a.length)
    const diffs = a.map((v, i) => Math.abs(v - b[i]))
    const maxDiff = Math.max(...diffs)
    const meanDiff = diffs.reduce((s, d) => s + d, 0) / diffs.length
    expect(maxDiff).toBeLessThan(1 / 255 / 16)
    expect(Math.max(...a) - Math.min(...a)).toBeGreaterThan(0.05) // not a flat picture
    console.log(
      `tiny SD 64×64, 4 euler steps with guidance: WebGPU (SwiftShader) first ${onGpu.ms?.toFixed(0)} ms, ` +
        `warm ${warm.ms?.toFixed(0)} ms; WASM first ${onCpu.ms?.toFixed(0)} ms, warm ${cpuWarm.ms?.toFixed(0)} ms; ` +
        `pixels max |Δ| ${maxDiff.toExponential(2)}, mean |Δ| ${meanDiff.toExponential(2)}`,
    )
    expect(unexpected([...gpu.errors, ...cpu.errors])).toEqual([])
    expect([...gpu.outside, ...cpu.outside]).toEqual([])
  })

  it('chooses WASM by itself where the only WebGPU adapter is SwiftShader, and says why', async () => {
    const auto = await openEditor('/', sdGraph())
    await waitForFirstRun(auto.page, 120_000)
    const run = await sdRun(auto.page)
    expect(run.state).toBe('done')
    expect(run.ran).toMatch(/unet: wasm/)
    expect(run.why).toMatch(/WebGPU here is SwiftShader, a software renderer/)
    const node = auto.page.locator('[data-node-id="sd"]')
    await showSettings(auto.page, 'sd') // the steps, size and why come with the settings
    await expect
      .poll(() => node.locator('[data-testid="model-provider-why"]').innerText())
      .toMatch(/SwiftShader, a software renderer: WASM is faster/)
    await expect
      .poll(() => auto.page.locator('[data-testid="gpu-status"]').innerText())
      .toMatch(/GPU: software \(SwiftShader\), so WASM · last ran on WASM \(CPU\)/)
    await expect
      .poll(() => auto.page.locator('[data-testid="gpu-last-why"]').innerText())
      .toMatch(/SwiftShader/)
    await fit(auto.page)
    await screenshot(auto.page, 'sd-node-after-run-auto-software-gpu')
    expect(unexpected(auto.errors)).toEqual([])
    expect(auto.outside).toEqual([])
  })

  it('lists the models with sizes and asks before an fp16 download on a GPU without shader-f16', async () => {
    const opened = await openEditor('/', sdGraph())
    const { page } = opened
    await waitForFirstRun(page, 120_000)
    await autoRunOff(opened)
    await openPanel(page)
    const panel = page.locator('[data-testid="model-panel"]')
    await expect.poll(() => panel.isVisible()).toBe(true)
    await expect
      .poll(() => panel.locator('[data-testid="model-browser"]').innerText())
      .toMatch(/no shader-f16/)
    expect(await panel.locator('[data-model="tiny"]').innerText()).toMatch(/noise/)
    const turbo = panel.locator('[data-model="sd-turbo"]')
    expect(await turbo.innerText()).toMatch(/fp16 · ≈ 2\.\d GB/)
    expect(await turbo.innerText()).toMatch(/shader-f16/)
    expect(await panel.locator('[data-model="lcm-dreamshaper-v7"]').innerText()).toMatch(/GB/)
    const sd15 = panel.locator('[data-model="sd15"]')
    expect(await sd15.innerText()).toMatch(/does not fit/i)
    expect(await sd15.getByRole('button', { name: 'Download' }).isDisabled()).toBe(true)

    // The fp16 model would run on the CPU here: Download only asks, it does not start.
    await turbo.getByRole('button', { name: 'Download' }).click()
    const confirm = turbo.getByRole('alertdialog')
    expect(await confirm.innerText()).toMatch(/CPU \(WASM\)/)
    await screenshot(page, 'model-panel')
    await confirm.getByRole('button', { name: 'Not now' }).click()
    expect(await turbo.getByRole('progressbar').count()).toBe(0)

    // Use: the param (and the suggested settings) change as one undoable edit.
    await turbo.getByRole('button', { name: 'Use' }).click()
    const sd = async () => (await doc(page)).nodes.find((n) => n.id === 'sd')?.params
    // Applied once the panel has stored the permission to download it (a moment later).
    await expect.poll(sd).toMatchObject({ model: 'sd-turbo', steps: 1, guidance: 0 })
    await page.locator('[data-testid="undo"]').click()
    expect(await sd()).toMatchObject({ model: 'tiny', steps: 4 })
    expect(opened.outside).toEqual([])
    expect(unexpected(opened.errors)).toEqual([])
  })

  it('explains bad URLs, downloads a model from a URL with progress, uses and deletes it', async () => {
    const opened = await openEditor('/', sdGraph())
    const { page } = opened
    await waitForFirstRun(page, 120_000)
    await openPanel(page)
    const panel = page.locator('[data-testid="model-panel"]')
    const check = async (url: string) => {
      await panel.locator('[data-testid="model-url"]').fill(url)
      await panel.getByRole('button', { name: 'Check' }).click()
    }
    const problem = panel.locator('[data-testid="model-problem"]')
    await check('not a url at all')
    expect(await problem.innerText()).toMatch(/not a web address/)
    await check('http://127.0.0.1:39999/models/sd/')
    await expect.poll(() => problem.innerText()).toMatch(/could not be reached.*CORS/s)
    await check(`${baseUrl()}/e2e-models/nothing/`)
    await expect.poll(() => problem.innerText()).toMatch(/no unet\/model\.onnx/)
    await screenshot(page, 'model-panel-bad-url')

    const url = `${baseUrl()}/e2e-models/tiny/`
    await check(url)
    const found = panel.locator('[data-testid="model-found"]')
    await expect.poll(() => found.innerText()).toMatch(/A model is there/)
    await found.getByRole('button', { name: 'Download now' }).click()
    await expect.poll(() => found.innerText(), { timeout: 30_000 }).toMatch(/Downloaded/)
    const stored = panel.locator('[data-testid="stored-models"] li')
    await expect.poll(() => stored.count()).toBe(1)
    expect(await stored.innerText()).toMatch(/e2e-models\/tiny.*\d+ kB/)
    await screenshot(page, 'model-panel-downloaded')

    const before = await runCount(page)
    await stored.getByRole('button', { name: 'Use' }).click()
    await expect
      .poll(async () => (await doc(page)).nodes.find((n) => n.id === 'sd')?.params.model)
      .toBe(url)
    await waitForRun(page, before, 120_000) // auto-run: the stored files, no new download
    const run = await sdRun(page)
    expect(run.state).toBe('done')
    expect(run.ran).toMatch(/unet: (webgpu|wasm)/)

    await openPanel(page)
    await stored.getByRole('button', { name: /Delete/ }).click()
    await stored.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => stored.count()).toBe(0)
    expect(opened.outside).toEqual([])
    // The browser logs the failed requests this test made on purpose; nothing else.
    const provoked = /Failed to load resource: .*(CONNECTION_REFUSED|404)/
    expect(unexpected(opened.errors).filter((e) => !provoked.test(e))).toEqual([])
  })

  it('uses a model folder picked on this computer, and refuses a folder that is not a model', async () => {
    const opened = await openEditor('/', sdGraph())
    const { page } = opened
    await waitForFirstRun(page, 120_000)
    // Headless Chromium cannot click through the native folder picker: stand in for it with
    // folders of the page's private storage, filled from the fake model host.
    await page.evaluate(
      async ([base, paths]) => {
        const root = await navigator.storage.getDirectory()
        const folder = async (name: string, files: readonly string[]) => {
          const top = await root.getDirectoryHandle(name, { create: true })
          for (const path of files) {
            const parts = path.split('/')
            const file = parts.pop() ?? path
            let dir = top
            for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true })
            const bytes = await (await fetch(base + path)).arrayBuffer()
            const writable = await (
              await dir.getFileHandle(file, { create: true })
            ).createWritable()
            await writable.write(bytes)
            await writable.close()
          }
          return top
        }
        const picks = [
          await folder('not-a-model', ['model_index.json']),
          await folder('my-tiny', paths),
        ]
        Object.assign(window, { showDirectoryPicker: () => Promise.resolve(picks.shift()) })
      },
      [`${baseUrl()}/e2e-models/tiny/`, TINY_MODEL_PATHS] as const,
    )
    await openPanel(page)
    const panel = page.locator('[data-testid="model-panel"]')
    await panel.getByRole('button', { name: 'Use a folder…' }).click()
    await expect
      .poll(() => panel.locator('[data-testid="model-problem"]').innerText())
      .toMatch(
        /“not-a-model” is not a Stable Diffusion model folder: it has no tokenizer\/vocab\.json/,
      )
    const before = await runCount(page)
    await panel.getByRole('button', { name: 'Use a folder…' }).click()
    await expect
      .poll(async () => (await doc(page)).nodes.find((n) => n.id === 'sd')?.params.model)
      .toBe('folder:my-tiny')
    await waitForRun(page, before, 120_000)
    const run = await sdRun(page)
    expect(run.state).toBe('done')
    expect(run.ran).toMatch(/unet: (webgpu|wasm)/)
    await openPanel(page)
    expect(await panel.innerText()).toMatch(/Folder “my-tiny”/)
    expect(opened.outside).toEqual([])
    expect(unexpected(opened.errors)).toEqual([])
  })

  it('keeps what arrived when a download is cancelled, and resumes it with a Range request', async () => {
    const opened = await openEditor('/', sdGraph())
    const { page } = opened
    await waitForFirstRun(page, 120_000)
    const ranges: string[] = []
    page.on('request', (r) => {
      const range = r.headers().range
      if (r.url().includes('/e2e-models/slow/') && range) ranges.push(range)
    })
    await openPanel(page)
    const panel = page.locator('[data-testid="model-panel"]')
    await panel.locator('[data-testid="model-url"]').fill(`${baseUrl()}/e2e-models/slow/`)
    await panel.getByRole('button', { name: 'Check' }).click()
    const found = panel.locator('[data-testid="model-found"]')
    await found.getByRole('button', { name: 'Download now' }).click()
    const progress = found.locator('[data-testid="download-progress"]')
    await expect.poll(() => progress.innerText(), { timeout: 30_000 }).toMatch(/text_encoder/)
    // Part of the file, at least a kB (the slow host sends 4 kB at a time), so "Paused at N kB".
    await expect
      .poll(() => progress.innerText(), { timeout: 30_000 })
      .toMatch(/\d (kB|MB).*text_encoder/)
    await progress.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => found.innerText()).toMatch(/Paused at \d+ kB/)
    await found.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => found.innerText(), { timeout: 30_000 }).toMatch(/Downloaded/)
    expect(ranges.some((r) => /^bytes=[1-9]\d*-$/.test(r))).toBe(true)
    expect(opened.outside).toEqual([])
    expect(unexpected(opened.errors)).toEqual([])
  })

  it('says which file failed and what to do when a model cannot load, and keeps the rest', async () => {
    const opened = await openEditor('/', sdGraph())
    const { page } = opened
    await waitForFirstRun(page, 120_000)
    await autoRunOff(opened)
    const nodeError = page.locator('[data-node-id="sd"] [data-testid="node-error"]')

    await setModelAllowed(page, `${baseUrl()}/e2e-models/nothing/`)
    expect((await runAgain(page)).state).toBe('error')
    expect(await nodeError.innerText()).toMatch(/has no "tokenizer\/vocab\.json"/)

    await setModelAllowed(page, 'http://127.0.0.1:39999/models/sd/')
    expect((await runAgain(page)).state).toBe('error')
    expect(await nodeError.innerText()).toMatch(
      /Could not download "model_index\.json".*could not be reached.*CORS/s,
    )
    await fit(page)
    await screenshot(page, 'sd-node-load-error')

    // Storage full part-way: the node names the file; the files before it stay stored, and
    // once there is room again the run finishes without fetching them again.
    const cdp = await page.context().newCDPSession(page)
    const origin = new URL(page.url()).origin
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0)
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 40_000 })
    const url = `${baseUrl()}/e2e-models/tiny/`
    await setModelAllowed(page, url)
    const full = await runAgain(page)
    expect(full.state).toBe('error')
    expect(full.error).toMatch(/storage is full.*"text_encoder\/model\.onnx".*delet/s)
    await cdp.send('Storage.overrideQuotaForOrigin', { origin })
    const fetched: string[] = []
    page.on('request', (r) => {
      if (r.url().includes('/e2e-models/tiny/')) fetched.push(r.url().split('/tiny/')[1])
    })
    expect((await runAgain(page)).state).toBe('done')
    expect(fetched).not.toContain('tokenizer/vocab.json')
    expect(fetched).toContain('text_encoder/model.onnx')
    expect(opened.outside).toEqual([])
  })
})
