import { writeFileSync } from 'node:fs'
import { launchChromium } from '../tests/e2e/chromium'
import type { Harness } from '../tests/e2e/harness/runtime-harness'
import { buildForE2e, startPreview } from '../tests/e2e/preview-server'

declare const window: { harness: Harness }

const node = (id: string, type: string, params: Record<string, number> = {}) => ({
  id,
  type,
  params,
  position: { x: 0, y: 0 },
  mode: 'normal' as const,
})
const edge = (from: string, to: string) => ({
  from: { node: from, port: 'audio' },
  to: { node: to, port: 'audio' },
})
const graph = {
  format: 'synesthete-graph' as const,
  version: 1 as const,
  nodes: [
    node('source', 'e2e/tone', { seconds: Number(process.env.SECONDS ?? 180), frequencyHz: 220 }),
    node('quieter', 'e2e/gain', { factor: 0.5 }),
    node('louder', 'e2e/gain', { factor: 1.5 }),
    node('copy', 'e2e/pass'),
  ],
  edges: [edge('source', 'quieter'), edge('quieter', 'louder'), edge('louder', 'copy')],
}
const reps = Number(process.env.REPS ?? 3)
const server = await startPreview(
  process.env.OWN_DIST ? { outDir: process.env.OWN_DIST, temporary: false } : buildForE2e(),
)
const browser = await launchChromium()
try {
  const page = await browser.newPage()
  await page.goto(`${server.url}/tests/e2e/harness/runtime.html`)
  await page.waitForFunction(() => 'harness' in window)
  for (let r = 0; r < reps; r++) {
    await page.evaluate(() =>
      window.harness.start({ dbName: 'prof-' + Math.random(), cacheBytes: 2 ** 30 }),
    )
    await page.waitForTimeout(500)
    const trace = r === reps - 1 && process.env.TRACE
    if (trace)
      await browser.startTracing(page, {
        path: trace,
        categories: [
          'devtools.timeline',
          'v8',
          'disabled-by-default-v8.gc',
          'disabled-by-default-devtools.timeline',
          'toplevel',
          'blink',
          'v8.execute',
          'IndexedDB',
          'blink.user_timing',
        ],
      })
    const prof = r === reps - 1 && process.env.PROFILE
    const cdp = prof ? await page.context().newCDPSession(page) : undefined
    if (cdp) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 })
      await cdp.send('Profiler.start')
    }
    const s = await page.evaluate((g) => window.harness.run(g), graph)
    if (cdp && prof) {
      const { profile } = await cdp.send('Profiler.stop')
      writeFileSync(prof, JSON.stringify(profile))
    }
    if (trace) await browser.stopTracing()
    console.log(
      `${s.ms.toFixed(0)} ms; ${Object.values(s.states).join(',')}; long tasks [${s.mainThread.longTasks.join(', ')}]; max gap ${s.mainThread.maxFrameGapMs}`,
    )
    await page.evaluate(() => window.harness.flush())
  }
} finally {
  await browser.close()
  await server.stop()
}
