import type { Computed } from '../engine/codec'
import { CancelledError, UserError } from '../engine/errors'
import type { StoredParamValue } from '../engine/params'
import type { JobContext, NodeJob } from '../engine/runner'
import type { ImageValue } from '../engine/values'
import { prepareJob } from './copy-in'
import { ENCODED_INPUT_UNREADABLE, reviveError, type FromWorker, type ToWorker } from './protocol'

/** One job on its way through the pool; settles exactly once. */
export interface Ticket {
  readonly id: number
  readonly job: NodeJob
  readonly ctx: JobContext
  readonly settled: boolean
  resolve(result: Computed): void
  reject(error: Error): void
}

export interface SlotEvents {
  /** The slot can take another job. */
  free(slot: WorkerSlot): void
  /** The worker is gone (crashed, killed, hung and terminated); the pool drops the slot. */
  dead(slot: WorkerSlot): void
  /** A node's picture in progress. */
  preview?(node: string, image: ImageValue): void
}

export interface SlotOptions {
  /** For messages: 'CPU worker', 'GPU worker'. */
  label: string
  /** How long a cancelled job may take to stop before the worker is terminated. */
  cancelGraceMs: number
  /**
   * How long a job may go without a sign of life (its start, a progress report) before its
   * worker is taken as hung, terminated and replaced; unset: wait for ever.
   */
  stallMs?: number
}

const SESSION = Math.random().toString(36).slice(2)
let slotCount = 0

/** One Web Worker and the job it runs, seen from the main thread. */
export class WorkerSlot {
  ticket: Ticket | undefined
  alive = true
  private readonly worker: Worker
  private readonly cancelFlag: Int32Array | undefined
  private cancelTimer: ReturnType<typeof setTimeout> | undefined
  private stallTimer: ReturnType<typeof setTimeout> | undefined
  /** Whether the current job has reached the worker (it may still be copying its inputs). */
  private posted = false
  /** Set when we end the worker ourselves, so its released life lock is not a crash. */
  private stopping = false

  constructor(
    create: () => Worker,
    private readonly events: SlotEvents,
    private readonly options: SlotOptions,
  ) {
    this.worker = create()
    // Shared memory needs cross-origin isolation; without it, cancel is by message only.
    this.cancelFlag =
      typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated
        ? new Int32Array(new SharedArrayBuffer(4))
        : undefined
    const lock = globalThis.navigator?.locks
      ? `synesthete-worker:${SESSION}:${++slotCount}`
      : undefined
    this.worker.addEventListener('message', (event: MessageEvent<FromWorker>) =>
      this.onMessage(event.data, lock),
    )
    this.worker.addEventListener('error', (event) => {
      event.preventDefault()
      const text = (event as Partial<ErrorEvent>).message
      const why = typeof text === 'string' && text ? text : 'a script error'
      this.die(`it crashed (${why})`)
    })
    this.worker.addEventListener('messageerror', () => {
      this.settle((t) =>
        t.reject(new Error(`The ${options.label} sent a result that could not be read.`)),
      )
    })
    this.post({ type: 'init', lock, cancelFlag: this.cancelFlag })
  }

  get busy(): boolean {
    return this.ticket !== undefined
  }

  start(ticket: Ticket): void {
    this.ticket = ticket
    this.posted = false
    this.watchStall(ticket)
    void this.send(ticket)
  }

  private async send(ticket: Ticket, copyOnly = false): Promise<void> {
    try {
      // Large inputs go as the Blobs their producers encoded, or else as copies made in slices
      // that leave the page responsive (the main thread's cache still holds them): copy-in.ts.
      const { job, transfer, encoded } = await prepareJob(ticket.job, { copyOnly })
      if (this.ticket !== ticket || !this.alive) return // cancelled while copying
      this.worker.postMessage(
        { type: 'run', id: ticket.id, job, encoded } satisfies ToWorker,
        transfer,
      )
      this.posted = true
    } catch (error) {
      if (this.ticket !== ticket) return
      const why = error instanceof Error ? error.message : String(error)
      this.settle((t) =>
        t.reject(new Error(`Could not send the job to the ${this.options.label}: ${why}`)),
      )
    }
  }

  /** Asks the worker to load ahead what a node of this kind will need (NodeDefinition.prepare). */
  prepare(nodeType: string, params: Record<string, StoredParamValue>): void {
    if (this.alive) this.post({ type: 'prepare', nodeType, params })
  }

  /** Asks the worker to stop the job; terminates it if it has not stopped after the grace. */
  cancel(ticket: Ticket): void {
    if (this.ticket !== ticket || this.cancelTimer !== undefined) return
    if (!this.posted) return this.settle((t) => t.reject(new CancelledError()))
    if (this.cancelFlag) Atomics.store(this.cancelFlag, 0, ticket.id)
    this.post({ type: 'cancel', id: ticket.id })
    this.cancelTimer = setTimeout(() => {
      if (this.ticket === ticket) {
        this.die(`it did not stop within ${this.options.cancelGraceMs} ms of being cancelled`)
      }
    }, this.options.cancelGraceMs)
  }

  /** Ends the worker on purpose (dispose); a job still running is cancelled. */
  terminate(): void {
    if (!this.alive) return
    this.alive = false
    this.stopping = true
    this.worker.terminate()
    this.settle((t) => t.reject(new CancelledError()), false)
  }

  private die(reason: string): void {
    if (!this.alive) return
    this.alive = false
    this.stopping = true
    this.worker.terminate()
    this.settle(
      (t) =>
        t.reject(
          new UserError(
            `The ${this.options.label} running this node stopped: ${reason}.`,
            'Other nodes carried on. Run the graph again to retry; if it happens again, try a shorter input.',
          ),
        ),
      false,
    )
    this.events.dead(this)
  }

  private onMessage(message: FromWorker, lock: string | undefined): void {
    switch (message.type) {
      case 'ready':
        if (lock) this.watchLife(lock)
        break
      case 'started':
        if (this.ticket?.id === message.id && !this.ticket.settled) {
          this.watchStall(this.ticket)
          this.ticket.ctx.started?.()
        }
        break
      case 'progress':
        if (this.ticket?.id === message.id && !this.ticket.settled) {
          this.watchStall(this.ticket)
          this.ticket.ctx.progress(message.fraction, message.message)
        }
        break
      case 'warning':
        if (this.ticket?.id === message.id && !this.ticket.settled)
          this.ticket.ctx.warn?.(message.warning)
        break
      case 'done':
        if (this.ticket?.id === message.id) {
          const { outputs, report, encoded } = message
          this.settle((t) => {
            t.ctx.ran?.(message.ms) // timed in the worker, around the node's run
            t.resolve({ outputs, ...(report && { report }), ...(encoded && { encoded }) })
          })
        }
        break
      case 'failed':
        if (this.ticket?.id !== message.id) break
        if (message.error.name === ENCODED_INPUT_UNREADABLE && !this.ticket.settled) {
          this.posted = false // the worker has dropped it; a cancel now needs no message
          void this.send(this.ticket, true) // the stored bytes are gone: send copies instead
          break
        }
        this.settle((t) => t.reject(reviveError(message.error)))
        break
      case 'preview':
        if (this.ticket?.id === message.id && !this.ticket.settled) {
          this.events.preview?.(this.ticket.job.node, message.image)
        }
        break
    }
  }

  /** (Re)starts the count to `stallMs` from now: every sign of life puts it off. */
  private watchStall(ticket: Ticket): void {
    clearTimeout(this.stallTimer)
    const ms = this.options.stallMs
    if (ms === undefined) return
    this.stallTimer = setTimeout(() => {
      if (this.ticket === ticket && !ticket.settled)
        this.die(
          `it gave no sign of progress for ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`} and looked hung`,
        )
    }, ms)
  }

  /** Granted only once the worker no longer holds its life lock: it is gone. */
  private watchLife(lock: string): void {
    void navigator.locks.request(lock, () => {
      if (!this.stopping) this.die('it was killed (out of memory, or closed)')
    })
  }

  /** Ends the current job (if not already settled) and, unless dying, frees the slot. */
  private settle(outcome: (ticket: Ticket) => void, free = true): void {
    const ticket = this.ticket
    clearTimeout(this.cancelTimer)
    clearTimeout(this.stallTimer)
    this.cancelTimer = undefined
    this.ticket = undefined
    if (ticket && !ticket.settled) outcome(ticket)
    if (free && this.alive) this.events.free(this)
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message)
  }
}
