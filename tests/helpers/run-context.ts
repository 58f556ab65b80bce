import type { RunContext, RunReport } from '../../src/engine/define-node'
import type { ParamSpecs, ParamValues } from '../../src/engine/params'
import { mulberry32 } from '../../src/engine/random'

/** The engine's seeded PRNG (uniform in [0, 1)), for tests that need reproducible noise. */
export { mulberry32 }

export interface TestRunContext extends RunContext {
  controller: AbortController
  /** Every progress report, in order. */
  reports: { fraction: number; message?: string }[]
  /** What the node said about its run (`ctx.report`), merged as runJob merges it. */
  runReport?: RunReport
}

/**
 * A RunContext for calling a node's `run` directly in tests. `onProgress` runs after each
 * report is recorded (e.g. to abort after the n-th).
 */
export function createRunContext(
  seed = 0,
  onProgress?: (ctx: TestRunContext) => void,
): TestRunContext {
  const controller = new AbortController()
  const reports: { fraction: number; message?: string }[] = []
  const ctx: TestRunContext = {
    controller,
    reports,
    signal: controller.signal,
    progress: (fraction, message) => {
      reports.push({ fraction, message })
      onProgress?.(ctx)
    },
    random: mulberry32(seed),
    report: (more) => {
      ctx.runReport = { ...ctx.runReport, ...more }
    },
  }
  return ctx
}

/** A node's params at their defaults (file params null), to spread overrides over. */
export function defaultParams<P extends ParamSpecs>(specs: P): ParamValues<P> {
  const values: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(specs)) {
    values[name] = spec.type === 'file' ? null : spec.default
  }
  return values as ParamValues<P>
}
