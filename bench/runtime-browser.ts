import { launchChromium } from '../tests/e2e/chromium'
import type { Harness } from '../tests/e2e/harness/runtime-harness'
import { buildForE2e, startPreview } from '../tests/e2e/preview-server'

/**
 * The browser runtime's benchmark: builds the e2e bundle, opens the runtime harness in
 * headless Chromium and prints what tests/e2e/harness/bench.ts measured.
 *   npm run bench:runtime            (E2E_SKIP_BUILD=1 reuses the last build)
 */
declare const window: { harness: Harness }

const server = await startPreview(buildForE2e())
const browser = await launchChromium()
try {
  const page = await browser.newPage()
  await page.goto(`${server.url}/tests/e2e/harness/runtime.html`)
  await page.waitForFunction(() => 'harness' in window)
  const cores = await page.evaluate(() => navigator.hardwareConcurrency)
  await page.evaluate(() => window.harness.start({ dbName: 'synesthete-bench-cache' }))
  const rows = await page.evaluate(() => window.harness.bench())
  console.log(`Browser runtime bench (Chromium headless, ${cores} cores)\n`)
  for (const row of rows) {
    const ms = row.ms < 1 ? row.ms.toFixed(3) : row.ms.toFixed(1)
    console.log(`${row.name.padEnd(58)} ${ms.padStart(9)} ms  ${row.note ?? ''}`)
  }
} finally {
  await browser.close()
  await server.stop()
}
