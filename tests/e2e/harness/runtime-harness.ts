import type { NodeOutputs } from '../../../src/engine/codec'
import type { GraphDocument } from '../../../src/engine/document'
import { execute, type ErrorInfo } from '../../../src/engine/executor'
import { createLocalRunner } from '../../../src/engine/runner'
import { typedArraysOf, type Value } from '../../../src/engine/values'
import { createBrowserRuntime, type BrowserRuntime } from '../../../src/runtime/index'
import { harnessRegistry } from './harness-nodes'
import { watchMainThread, type MainThreadReport } from './main-thread'
import { runBench } from './bench'

/**
 * The page the runtime's browser tests drive through `window.harness`: it makes a runtime
 * over the harness registry (test nodes plus the real ones) and runs graphs with it.
 */

export interface StartOptions {
  cacheBytes?: number
  workers?: number
  memoryCacheBytes?: number
  dbName?: string
}

export interface RunOptions {
  /** Run in this thread with the local runner: the control for main-thread measurements. */
  local?: boolean
  /** Abort once this node has reported this many progress events. */
  cancelOn?: { node: string; progressEvents: number }
  /**
   * Abort this long after a node starts running in a worker (not after the run starts: on a
   * busy machine the worker may not have the job yet, and the cancel would never reach it).
   */
  cancelAfterMs?: number
}

export interface RunSummary {
  ms: number
  states: Record<string, string>
  errors: Record<string, ErrorInfo>
  /** Jobs that reached a worker during this run. */
  jobs: { cpu: number; gpu: number }
  /** A short fingerprint of each node's outputs, to compare runs. */
  digests: Record<string, string>
  texts: Record<string, string>
  progressEvents: Record<string, number>
  /** Pictures in progress that reached the page, by node. */
  previews: Record<string, number>
  warnings: string[]
  mainThread: MainThreadReport
  /** From the abort to the worker reporting that the job stopped (pool idle again). */
  cancelToIdleMs?: number
}

let runtime: BrowserRuntime | undefined

async function start(options: StartOptions = {}): Promise<void> {
  runtime?.dispose()
  runtime = await createBrowserRuntime({
    cacheBytes: options.cacheBytes,
    workers: options.workers,
    memoryCacheBytes: options.memoryCacheBytes,
    cacheDbName: options.dbName ?? 'synesthete-e2e-cache',
    registry: harnessRegistry,
    createCpuWorker: () =>
      new Worker(new URL('./cpu.worker.ts', import.meta.url), { type: 'module' }),
    createGpuWorker: () =>
      new Worker(new URL('./gpu.worker.ts', import.meta.url), { type: 'module' }),
  })
}

function current(): BrowserRuntime {
  if (!runtime) throw new Error('harness.start() first')
  return runtime
}

async function run(graph: GraphDocument, options: RunOptions = {}): Promise<RunSummary> {
  const rt = current()
  const before = rt.workerStats()
  const controller = new AbortController()
  const progressEvents: Record<string, number> = {}
  const warnings: string[] = []
  let abortedAt: number | undefined
  const abort = () => {
    abortedAt ??= performance.now()
    controller.abort()
  }
  let cancelTimer: ReturnType<typeof setTimeout> | undefined
  const previews: Record<string, number> = {}
  const stopPreviews = rt.onPreview((node) => {
    previews[node] = (previews[node] ?? 0) + 1
  })
  const watch = watchMainThread()
  const result = await execute(graph, {
    registry: harnessRegistry,
    files: rt.files.resolve,
    cache: rt.cache,
    runner: options.local ? createLocalRunner(harnessRegistry) : rt.runner,
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'warning') warnings.push(event.message)
      if (
        event.type === 'state' &&
        event.state === 'running' &&
        options.cancelAfterMs !== undefined
      )
        cancelTimer ??= setTimeout(abort, options.cancelAfterMs)
      if (event.type !== 'progress') return
      const count = (progressEvents[event.node] ?? 0) + 1
      progressEvents[event.node] = count
      const cancel = options.cancelOn
      if (cancel?.node === event.node && count >= cancel.progressEvents) abort()
    },
  })
  let cancelToIdleMs: number | undefined
  if (abortedAt !== undefined) {
    while (busy(rt) && performance.now() - abortedAt < 20_000) await sleep(5)
    cancelToIdleMs = performance.now() - abortedAt
  }
  const mainThread = await watch.stop()
  stopPreviews()
  const after = rt.workerStats()
  const summary: RunSummary = {
    ms: result.ms,
    states: {},
    errors: {},
    jobs: {
      cpu: after.cpu.started - before.cpu.started,
      gpu: after.gpu.started - before.gpu.started,
    },
    digests: {},
    texts: {},
    progressEvents,
    previews,
    warnings,
    mainThread,
    cancelToIdleMs,
  }
  for (const [id, r] of result.results) {
    summary.states[id] = r.state
    if (r.error) summary.errors[id] = r.error
    if (r.outputs) {
      summary.digests[id] = digest(r.outputs)
      for (const [port, value] of Object.entries(r.outputs)) {
        if (value.kind === 'text') summary.texts[`${id}.${port}`] = value.value
      }
    }
  }
  log(summary)
  return summary
}

/** A line per run on the page, so that a screenshot shows what happened. */
function log(summary: RunSummary): void {
  const nodes = Object.entries(summary.states).map(([id, state]) => {
    const error = summary.errors[id]
    return error ? `${id}: ${state} (${error.message})` : `${id}: ${state}`
  })
  const jobs = `${summary.jobs.cpu} CPU + ${summary.jobs.gpu} GPU jobs`
  document.getElementById('log')?.append(`${nodes.join(', ')} · ${jobs}\n`)
}

function busy(rt: BrowserRuntime): boolean {
  const { cpu, gpu } = rt.workerStats()
  return cpu.busy + gpu.busy > 0
}

function digest(outputs: NodeOutputs): string {
  return Object.entries(outputs)
    .map(([port, value]: [string, Value]) => {
      if (value.kind === 'number' || value.kind === 'text') return `${port}=${value.value}`
      const arrays = typedArraysOf(value)
      let sum = 0
      for (const a of arrays) for (let i = 0; i < a.length; i += 97) sum += Math.abs(a[i])
      return `${port}=${value.kind}[${arrays.map((a) => a.length).join(',')}]:${sum.toFixed(4)}`
    })
    .join(' ')
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const api = {
  start,
  run,
  stats: () => ({ cache: current().cacheStats(), workers: current().workerStats() }),
  gpuStatus: async () => {
    await current().gpu.probe()
    return current().gpu.status()
  },
  flush: () => current().flushCache(),
  addFile: (bytes: number[], name: string) => current().files.add(new Uint8Array(bytes), name),
  resolveFile: async (ref: string) => {
    try {
      const file = await current().files.resolve(ref)
      return { name: file.name, length: file.bytes.length }
    } catch (error) {
      const { message, hint } = error as { message: string; hint?: string }
      return { error: message, hint }
    }
  },
  setLimit: (bytes: number) => current().setCacheLimit(bytes),
  clear: () => current().clearCache(),
  dispose: () => current().dispose(),
  bench: () =>
    runBench({
      runner: () => current().runner,
      restart: () => start({ dbName: 'synesthete-bench-graph', cacheBytes: 2 ** 30 }),
      run: (graph) => run(graph),
      flush: () => current().flushCache(),
    }),
  /** Waits until no job is running on any worker, as a test's "the app is idle again". */
  idle: async (timeoutMs = 20_000) => {
    const until = performance.now() + timeoutMs
    while (busy(current()) && performance.now() < until) await sleep(5)
    return !busy(current())
  },
}

export type Harness = typeof api

declare global {
  interface Window {
    harness: Harness
  }
}

window.harness = api
document.getElementById('log')?.append('ready\n')
