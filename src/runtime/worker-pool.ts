import type { Computed } from '../engine/codec'
import { CancelledError } from '../engine/errors'
import type { StoredParamValue } from '../engine/params'
import type { NodeRegistry } from '../engine/registry'
import type { JobContext, NodeJob, NodeRunner } from '../engine/runner'
import type { ImageValue } from '../engine/values'
import { WorkerSlot, type Ticket } from './worker-slot'

export interface WorkerPoolOptions {
  /** Makes one worker; it must run `serveJobs` (worker-host.ts). */
  createWorker: () => Worker
  /** Most workers alive at once; they start lazily, when jobs need them. */
  size: number
  /** Named in error messages: 'CPU worker', 'GPU worker'. */
  label?: string
  /** How long a cancelled job may take to stop before its worker is terminated. */
  cancelGraceMs?: number
  /** How long a job may go without progress before its worker counts as hung (WorkerSlot). */
  stallMs?: number
  /** Pictures in progress that nodes show through `ctx.preview` (by graph node id). */
  onPreview?: (node: string, image: ImageValue) => void
}

export interface PoolStats {
  size: number
  workers: number
  busy: number
  queued: number
  /** Jobs handed to a worker since the pool was made. */
  started: number
  completed: number
  failed: number
  cancelled: number
  /** Workers that died (crashed, killed, hung past a cancel) and were dropped. */
  replaced: number
}

/**
 * A NodeRunner over a pool of Web Workers. Jobs queue while every worker is busy. Inputs
 * are copied into the worker (the main thread's cache still holds them), outputs are
 * transferred back. A worker that dies takes only its own job down.
 */
export class WorkerPool implements NodeRunner {
  private readonly slots: WorkerSlot[] = []
  private readonly queue: Ticket[] = []
  private readonly counts = { started: 0, completed: 0, failed: 0, cancelled: 0, replaced: 0 }
  private nextId = 1
  private disposed = false

  constructor(private readonly options: WorkerPoolOptions) {}

  run(job: NodeJob, ctx: JobContext): Promise<Computed> {
    if (ctx.signal.aborted) return Promise.reject(new CancelledError())
    if (this.disposed) return Promise.reject(new Error('The worker pool has been disposed.'))
    return new Promise<Computed>((resolve, reject) => {
      const onAbort = () => this.abort(ticket)
      let settled = false
      const finish = (bump: keyof WorkerPool['counts']) => {
        settled = true
        this.counts[bump]++
        ctx.signal.removeEventListener('abort', onAbort)
      }
      const ticket: Ticket = {
        id: this.nextId++,
        job,
        ctx,
        get settled() {
          return settled
        },
        resolve: (result) => {
          if (settled) return
          finish('completed')
          resolve(result)
        },
        reject: (error) => {
          if (settled) return
          finish(error instanceof CancelledError ? 'cancelled' : 'failed')
          reject(error)
        },
      }
      ctx.signal.addEventListener('abort', onAbort, { once: true })
      this.queue.push(ticket)
      this.pump()
    })
  }

  /** Starts workers ahead of the first job, so it does not wait for module loading. */
  prewarm(count = 1): void {
    while (!this.disposed && this.slots.length < Math.min(count, this.options.size)) this.spawn()
  }

  /**
   * Has the first worker load ahead what a node of this kind will need (NodeDefinition.prepare),
   * starting it if need be. For the GPU worker, the one worker there is: what it loads stays
   * there for the node's job.
   */
  prepare(nodeType: string, params: Record<string, StoredParamValue>): void {
    this.prewarm(1)
    this.slots[0]?.prepare(nodeType, params)
  }

  stats(): PoolStats {
    return {
      size: this.options.size,
      workers: this.slots.length,
      busy: this.slots.filter((s) => s.busy).length,
      queued: this.queue.length,
      ...this.counts,
    }
  }

  dispose(): void {
    this.disposed = true
    for (const ticket of this.queue.splice(0)) ticket.reject(new CancelledError())
    for (const slot of this.slots.splice(0)) slot.terminate()
  }

  private abort(ticket: Ticket): void {
    const queued = this.queue.indexOf(ticket)
    if (queued >= 0) this.queue.splice(queued, 1)
    else this.slots.find((s) => s.ticket === ticket)?.cancel(ticket)
    // The executor hears at once; the worker's slot stays busy until the job really stops.
    ticket.reject(new CancelledError())
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.disposed) {
      let slot = this.slots.find((s) => s.alive && !s.busy)
      if (!slot && this.slots.length < this.options.size) {
        try {
          slot = this.spawn()
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error)
          this.queue.shift()?.reject(new Error(`Could not start a ${this.label}: ${why}`))
          continue
        }
      }
      if (!slot) return
      const ticket = this.queue.shift() as Ticket
      this.counts.started++
      slot.start(ticket)
    }
  }

  private spawn(): WorkerSlot {
    const slot = new WorkerSlot(
      this.options.createWorker,
      {
        free: () => this.pump(),
        dead: (dead) => {
          const at = this.slots.indexOf(dead)
          if (at >= 0) this.slots.splice(at, 1)
          this.counts.replaced++
          this.pump() // a queued job gets a fresh worker
        },
        preview: this.options.onPreview,
      },
      {
        label: this.label,
        cancelGraceMs: this.options.cancelGraceMs ?? 2000,
        stallMs: this.options.stallMs,
      },
    )
    this.slots.push(slot)
    return slot
  }

  private get label(): string {
    return this.options.label ?? 'worker'
  }
}

/** Sends jobs of `runtime: 'gpu'` nodes to the GPU runner, the rest to the CPU runner. */
export function createRoutingRunner(
  registry: NodeRegistry,
  cpu: NodeRunner,
  gpu: NodeRunner,
): NodeRunner {
  return {
    run: (job, ctx) => (registry.get(job.type)?.runtime === 'gpu' ? gpu : cpu).run(job, ctx),
  }
}

/**
 * Pool size: a worker per core, leaving one core to the page where there are four or more,
 * at most `max`. On 2 cores, two workers ran three parallel Griffin-Lims about 1.4× faster
 * than one, and the page still had no long tasks.
 */
export function defaultPoolSize(max = 4): number {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2
  return Math.max(1, Math.min(max, cores >= 4 ? cores - 1 : cores))
}
