/**
 * Every core for the CLI: CPU nodes run on a pool of `worker_threads`, through the browser's
 * WorkerPool and job protocol (src/runtime), so independent branches of a graph run at once.
 * GPU nodes stay on the main thread, where the inference backend was installed, and so do
 * output nodes (they pass their input on: a thread would only copy it). A node that
 * splits (a multi-channel Griffin-Lim's channels) has its parts spread over the threads.
 */
import { availableParallelism } from 'node:os'
import { Worker as Thread } from 'node:worker_threads'
import type { AnyNodeDefinition } from '../engine/define-node'
import { CancelledError } from '../engine/errors'
import type { NodeRegistry } from '../engine/registry'
import {
  createLocalRunner,
  createSplittingRunner,
  type JobContext,
  type NodeJob,
  type NodeRunner,
} from '../engine/runner'
import { createRoutingRunner, WorkerPool } from '../runtime/worker-pool'

type Listener = (event: unknown) => void

/**
 * A thread whose WebAssembly memory (what its isolate holds outside the JavaScript heap and
 * array buffers) passed this after a job is replaced by a fresh one: a 10-minute Griffin-Lim
 * channel grows it to 1.1 GB, which the thread would otherwise keep to the end of the run.
 * The default graph on three minutes (0.3–0.45 GB after each job) keeps its threads.
 */
const RETIRE_BYTES = 768 * 2 ** 20

/**
 * A worker thread behind the part of the Web Worker interface WorkerSlot uses: message, error
 * and messageerror events, postMessage with a transfer list, terminate. A thread that exits on
 * its own (a crash, out of memory) is reported as an error event, as a dead Web Worker is.
 */
export function createThreadWorker(retireBytes = RETIRE_BYTES): Worker {
  // The thread runs TypeScript as the CLI does: tsx's loader is registered in it first (an
  // `--import` in execArgv does not reach worker threads' module hooks).
  const entry = new URL('./thread-worker.ts', import.meta.url).href
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}) })`
  const listeners = new Map<string, Set<Listener>>()
  const emit = (type: string, event: unknown) => listeners.get(type)?.forEach((l) => l(event))
  let ended = false
  let init: unknown
  let heavy = false
  /**
   * A thread of its own; `fresh` is one that replaces a thread retired after a job: it is
   * sent the same 'init', and its 'ready' is not passed on (the pool heard it once).
   */
  const start = (fresh: boolean): Thread => {
    const thread = new Thread(boot, { eval: true })
    let mine = true // false once retired: its end is nobody's concern
    let greeted = !fresh
    thread.on('message', (data: { type?: string; bytes?: number }) => {
      if (!mine) return
      if (data.type === 'memory') {
        heavy = (data.bytes ?? 0) > retireBytes
        return
      }
      if (data.type === 'ready' && !greeted) {
        greeted = true
        return
      }
      emit('message', { data })
      if ((data.type === 'done' || data.type === 'failed') && heavy && !ended) {
        // WebAssembly memory never shrinks: a thread that grew it past retireBytes would keep
        // that for the rest of the run. Its job is over; the next goes to a fresh thread.
        heavy = false
        mine = false
        void thread.terminate()
        current = start(true)
        if (init !== undefined) current.postMessage(init)
      }
    })
    thread.on('messageerror', () => mine && emit('messageerror', {}))
    thread.on('error', (error: Error) => {
      if (mine && !ended) emit('error', { message: error.message, preventDefault: () => {} })
    })
    thread.on('exit', (code) => {
      if (!mine) return
      if (!ended)
        emit('error', { message: `its thread exited (code ${code})`, preventDefault: () => {} })
      ended = true
    })
    return thread
  }
  let current = start(false)
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
      if ((message as { type?: string }).type === 'init') init = message
      current.postMessage(message, (transfer ?? []) as never)
    },
    terminate() {
      ended = true
      void current.terminate()
    },
  }
  return face as unknown as Worker
}

/**
 * Bytes of nodes' own estimates (`estimate` on their definitions) that may run at once. The
 * threads share one process: two 10-minute Griffin-Lim channels at once held 2.9 GB between
 * them, and the default graph on 10 minutes of stereo peaked at 4.4 GB; one at a time, it
 * stays under 4 GB. Smaller work (3 minutes: 0.4 GB a channel) still runs side by side.
 */
export const MEMORY_BUDGET = 2 * 2 ** 30

/** A node's estimate of the memory its run needs, or 0 where it gives none (or cannot). */
function estimatedBytes(def: AnyNodeDefinition | undefined, job: NodeJob): number {
  try {
    return def?.estimate?.(job.inputs, job.params).bytes ?? 0
  } catch {
    return 0
  }
}

/**
 * Runs tasks while the bytes they say they need add up to at most `budget`; one that does not
 * fit waits for others to finish (one alone always runs, whatever it needs). Later tasks that
 * fit are not held behind it. A task cancelled while it waits leaves at once.
 */
export function memoryGate(budget: number): {
  run<T>(bytes: number, ctx: Pick<JobContext, 'signal'>, task: () => Promise<T>): Promise<T>
} {
  let used = 0
  let running = 0
  const waiting: { bytes: number; start: () => void }[] = []
  const fits = (bytes: number) => running === 0 || used + bytes <= budget
  const pump = () => {
    for (const entry of [...waiting]) {
      if (!fits(entry.bytes)) continue
      waiting.splice(waiting.indexOf(entry), 1)
      entry.start()
    }
  }
  return {
    run<T>(bytes: number, ctx: Pick<JobContext, 'signal'>, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          ctx.signal.removeEventListener('abort', onAbort)
          used += bytes
          running++
          // Room is made before the caller hears: the next task is under way by then.
          const done = () => {
            used -= bytes
            running--
            pump()
          }
          task().then(
            (value) => {
              done()
              resolve(value)
            },
            (error: unknown) => {
              done()
              reject(error instanceof Error ? error : new Error(String(error)))
            },
          )
        }
        const entry = { bytes, start }
        const onAbort = () => {
          const at = waiting.indexOf(entry)
          if (at < 0) return
          waiting.splice(at, 1)
          reject(new CancelledError())
        }
        if (ctx.signal.aborted) return reject(new CancelledError())
        if (fits(bytes)) return start()
        ctx.signal.addEventListener('abort', onAbort, { once: true })
        waiting.push(entry)
      })
    },
  }
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
  budget = MEMORY_BUDGET,
  retireBytes = RETIRE_BYTES,
): { runner: NodeRunner; dispose: () => void } {
  const pool = new WorkerPool({
    createWorker: () => createThreadWorker(retireBytes),
    size,
    label: 'CPU thread',
  })
  const here = createLocalRunner(registry)
  const routed = createRoutingRunner(registry, pool, here)
  const gate = memoryGate(budget)
  return {
    // Nodes that split (a multi-channel Griffin-Lim) spread their parts over the threads.
    // Output nodes pass their input on, and their files are written here: on a thread they
    // would cost a copy of it there and another back (a 10-minute picture: 2 × 320 MB).
    runner: createSplittingRunner(registry, {
      run: (job, ctx) => {
        const def = registry.get(job.type)
        if (def?.export) return here.run(job, ctx)
        return gate.run(estimatedBytes(def, job), ctx, () => routed.run(job, ctx))
      },
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
