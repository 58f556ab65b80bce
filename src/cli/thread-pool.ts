/**
 * Every core for the CLI: CPU nodes run on a pool of `worker_threads`, through the browser's
 * WorkerPool and job protocol (src/runtime), so independent branches of a graph run at once.
 * GPU nodes stay on the main thread, where the inference backend was installed, and so do
 * output nodes (they pass their input on: a thread would only copy it). A node that
 * splits (a multi-channel Griffin-Lim's channels) has its parts spread over the threads.
 */
import { availableParallelism } from 'node:os'
import { Worker as Thread } from 'node:worker_threads'
import type { NodeRegistry } from '../engine/registry'
import { createLocalRunner, createSplittingRunner, type NodeRunner } from '../engine/runner'
import { createRoutingRunner, WorkerPool } from '../runtime/worker-pool'

type Listener = (event: unknown) => void

/**
 * A worker thread behind the part of the Web Worker interface WorkerSlot uses: message, error
 * and messageerror events, postMessage with a transfer list, terminate. A thread that exits on
 * its own (a crash, out of memory) is reported as an error event, as a dead Web Worker is.
 */
export function createThreadWorker(): Worker {
  // The thread runs TypeScript as the CLI does: tsx's loader is registered in it first (an
  // `--import` in execArgv does not reach worker threads' module hooks).
  const entry = new URL('./thread-worker.ts', import.meta.url).href
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}) })`
  const thread = new Thread(boot, { eval: true })
  const listeners = new Map<string, Set<Listener>>()
  const emit = (type: string, event: unknown) => listeners.get(type)?.forEach((l) => l(event))
  let ended = false
  thread.on('message', (data: unknown) => emit('message', { data }))
  thread.on('messageerror', () => emit('messageerror', {}))
  thread.on('error', (error: Error) => {
    if (!ended) emit('error', { message: error.message, preventDefault: () => {} })
  })
  thread.on('exit', (code) => {
    if (!ended)
      emit('error', { message: `its thread exited (code ${code})`, preventDefault: () => {} })
    ended = true
  })
  const face = {
    addEventListener(type: string, listener: Listener) {
      const set = listeners.get(type) ?? new Set<Listener>()
      set.add(listener)
      listeners.set(type, set)
    },
    removeEventListener(type: string, listener: Listener) {
      listeners.get(type)?.delete(listener)
    },
    postMessage(message: unknown, transfer?: Transferable[]) {
      thread.postMessage(message, (transfer ?? []) as never)
    },
    terminate() {
      ended = true
      void thread.terminate()
    },
  }
  return face as unknown as Worker
}

/** Threads for a machine: one per core, at most `max` (each holds its own copy of its inputs). */
export function threadCount(max = 8): number {
  return Math.max(1, Math.min(max, availableParallelism()))
}

/**
 * A runner for `execute`: CPU nodes on `size` threads, GPU and output nodes here. Call
 * `dispose` after.
 */
export function createThreadRunner(
  registry: NodeRegistry,
  size = threadCount(),
): { runner: NodeRunner; dispose: () => void } {
  const pool = new WorkerPool({ createWorker: createThreadWorker, size, label: 'CPU thread' })
  const here = createLocalRunner(registry)
  const routed = createRoutingRunner(registry, pool, here)
  return {
    // Nodes that split (a multi-channel Griffin-Lim) spread their parts over the threads.
    // Output nodes pass their input on, and their files are written here: on a thread they
    // would cost a copy of it there and another back (a 10-minute picture: 2 × 320 MB).
    runner: createSplittingRunner(registry, {
      run: (job, ctx) => (registry.get(job.type)?.export ? here : routed).run(job, ctx),
    }),
    dispose: () => pool.dispose(),
  }
}

/**
 * The CLI's runner: threads unless SYNESTHETE_THREADS=0 (everything on the main thread, as
 * before); SYNESTHETE_THREADS=N sets the count.
 */
export function threadRunner(
  registry: NodeRegistry,
): { runner: NodeRunner; dispose: () => void } | undefined {
  const asked = process.env.SYNESTHETE_THREADS
  const count = asked === undefined || asked === '' ? threadCount() : Number(asked)
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(
      `SYNESTHETE_THREADS must be a whole number of threads (0: none), not "${asked}"`,
    )
  }
  return count === 0 ? undefined : createThreadRunner(registry, count)
}
