import type { RunContext } from '../../src/engine/define-node'

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface TestRunContext extends RunContext {
  controller: AbortController
  /** Every progress report, in order. */
  reports: { fraction: number; message?: string }[]
}

/** A RunContext for calling a node's `run` directly in tests. */
export function createRunContext(seed = 0): TestRunContext {
  const controller = new AbortController()
  const reports: { fraction: number; message?: string }[] = []
  return {
    controller,
    reports,
    signal: controller.signal,
    progress: (fraction, message) => {
      reports.push({ fraction, message })
    },
    random: mulberry32(seed),
  }
}
