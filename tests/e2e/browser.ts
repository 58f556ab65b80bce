import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, inject } from 'vitest'
import { CHROMIUM_ARGS, launchChromium } from './chromium'

/**
 * Shared helpers for browser tests: Debian's Chromium (never a downloaded one) with WebGPU
 * on SwiftShader, pages of the e2e build, console errors collected, screenshots saved.
 */

export { CHROMIUM_ARGS, launchChromium }

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

/** The e2e build's address (from global-setup.ts). */
export function baseUrl(): string {
  return inject('baseUrl')
}

export interface OpenedPage {
  page: Page
  context: BrowserContext
  /** Console errors and uncaught exceptions, page and workers alike, in order. */
  errors: string[]
}

/**
 * Opens `path` (e.g. '/' or '/tests/e2e/harness/runtime.html') in a fresh context: its own
 * IndexedDB, so tests do not see each other's caches. Reloading keeps the context's storage.
 */
export async function openPage(
  browser: Browser,
  path: string,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const { url } = message.location()
    // Chromium asks for /favicon.ico by itself; its 404 is not the app's error.
    if (url.endsWith('/favicon.ico')) return
    errors.push(
      url && !message.text().includes(url) ? `${message.text()} (${url})` : message.text(),
    )
  })
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`))
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (message.type() === 'error') errors.push(`[worker] ${message.text()}`)
    })
  })
  await page.goto(new URL(path, baseUrl()).href)
  return { page, context, errors }
}

/** Saves a PNG under test-results/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true })
  const path = `${SCREENSHOTS}${name.replace(/[^\w.-]+/g, '-')}.png`
  await page.screenshot({ path })
  return path
}

/** One browser for the test file: launched before its tests, closed after. */
export function useBrowser(): { readonly browser: Browser; open: typeof openPageIn } {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })
  const get = () => {
    if (!browser) throw new Error('The browser is not running (use inside a test).')
    return browser
  }
  function openPageIn(path: string, options?: Parameters<typeof openPage>[2]) {
    return openPage(get(), path, options)
  }
  return {
    get browser() {
      return get()
    },
    open: openPageIn,
  }
}
