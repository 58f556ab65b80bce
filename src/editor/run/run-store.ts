import type { EncodedRef, NodeOutputs } from '../../engine/codec'
import type { NodeWarning, RunReport } from '../../engine/define-node'
import type { ErrorInfo, ExecutionEvent, NodeResult, NodeState } from '../../engine/executor'
import type { ImageValue } from '../../engine/values'

/** What the editor shows about one node's last run. */
export interface NodeRun {
  /**
   * The executor's state (`needs-input` included: a required input is not connected), or
   * `idle` before any run.
   */
  state: NodeState | 'idle'
  /** Time spent in `run`, for `done`. */
  ms?: number
  /** 0..1 while running. */
  progress?: number
  message?: string
  error?: ErrorInfo
  outputs?: NodeOutputs
  key?: string
  /** What the node reported about the run that made `outputs` (also when they came cached). */
  report?: RunReport
  /** `outputs` already encoded (a worker's or the cache's Blob): previews read it off the page. */
  encoded?: Blob
  /** The outputs shown come from before the node (or something it depends on) was edited. */
  stale: boolean
  /** While running: the latest picture in progress (Stable Diffusion's every-N-steps preview). */
  live?: ImageValue
  /** What the node warned about its last result (a damaged file loaded in part). */
  warnings?: NodeWarning[]
}

type Settled = Pick<NodeResult, 'state' | 'ms' | 'error' | 'outputs' | 'key' | 'report' | 'encoded'>

export interface RunSummary {
  running: boolean
  /** Nodes this run touches. */
  total: number
  settled: number
  /** 0..1 over the whole run, running nodes counted by their own progress. */
  progress: number
  ran: number
  cached: number
  failed: number
  /** Nodes that could not run only because a required input is not connected. */
  waiting: number
  ms?: number
  /** A line for the status bar: what went wrong with the run as a whole. */
  notice?: string
}

const IDLE: NodeRun = { state: 'idle', stale: false }
const EMPTY_SUMMARY: RunSummary = {
  running: false,
  total: 0,
  settled: 0,
  progress: 0,
  ran: 0,
  cached: 0,
  failed: 0,
  waiting: 0,
}

type Scheduler = (flush: () => void) => void

const frame: Scheduler =
  typeof requestAnimationFrame === 'function'
    ? (flush) => requestAnimationFrame(() => flush())
    : (flush) => setTimeout(flush, 16)

/**
 * Per-node run state, with listeners per node so a progress tick re-renders one node, not the
 * graph. Notifications are batched to one per frame.
 */
export class RunStore {
  private readonly nodes = new Map<string, NodeRun>()
  private readonly nodeListeners = new Map<string, Set<() => void>>()
  private readonly listeners = new Set<() => void>()
  private summary: RunSummary = EMPTY_SUMMARY
  private previous = new Map<string, NodeRun>()
  private dirty = new Set<string>()
  private settledIds = new Set<string>()
  private summaryDirty = false
  private scheduled = false

  constructor(private readonly schedule: Scheduler = frame) {}

  get = (id: string): NodeRun => this.nodes.get(id) ?? IDLE

  getSummary = (): RunSummary => this.summary

  subscribeNode(id: string, listener: () => void): () => void {
    let set = this.nodeListeners.get(id)
    if (!set) this.nodeListeners.set(id, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A run starts over these nodes: remember what they showed, in case the run skips them. */
  begin(ids: Iterable<string>): void {
    this.previous = new Map()
    this.settledIds = new Set()
    let total = 0
    for (const id of ids) {
      this.previous.set(id, this.get(id))
      total++
    }
    this.summary = { ...EMPTY_SUMMARY, running: true, total }
    this.summaryDirty = true
    this.queueFlush()
  }

  onEvent = (event: ExecutionEvent): void => {
    if (event.type === 'warning') {
      // Cache troubles concern the run, not the result; only a node's own warnings are shown.
      if (!event.node || !event.warning) return
      const current = this.get(event.node)
      this.set(event.node, { ...current, warnings: [...(current.warnings ?? []), event.warning] })
      this.queueFlush()
      return
    }
    const current = this.get(event.node)
    if (event.type === 'progress') {
      this.set(event.node, { ...current, progress: event.fraction, message: event.message })
    } else if (event.state === 'queued' || event.state === 'running') {
      const { error: _error, ms: _ms, live: _live, warnings: _warnings, ...rest } = current
      // Running means recomputing: an earlier result stays in view, but as outdated.
      const stale = rest.stale || (event.state === 'running' && rest.outputs !== undefined)
      this.set(event.node, { ...rest, state: event.state, progress: 0, message: undefined, stale })
    } else {
      // The node's values arrive with its state: its preview, and its downstream previews'
      // inputs, need not wait for the rest of the run.
      this.settle(event.node, event as Settled)
      if (!this.settledIds.has(event.node)) {
        this.settledIds.add(event.node)
        this.count(event.state)
      }
    }
    this.summaryDirty = true
    this.queueFlush()
  }

  /** A picture in progress from a running node; dropped once the node settles. */
  setLive = (id: string, image: ImageValue): void => {
    const current = this.get(id)
    if (current.state !== 'running' && current.state !== 'queued') return
    this.set(id, { ...current, live: image })
    this.queueFlush()
  }

  /** The run is over: keep outputs, and give back their old state to nodes it never reached. */
  finish(
    results: ReadonlyMap<string, NodeResult> | undefined,
    ms?: number,
    notice?: string,
    unconnected: ReadonlySet<string> = new Set(),
  ): void {
    for (const [id, before] of this.previous) {
      const result = results?.get(id)
      const current = this.get(id)
      if (result) {
        if (!this.settledIds.has(id)) this.settle(id, result) // its state event did it otherwise
      } else if (current.state === 'queued' || current.state === 'running') {
        this.set(id, { ...before, state: before.state === 'idle' ? 'idle' : before.state })
      }
    }
    this.previous = new Map()
    this.summary = {
      ...this.summary,
      running: false,
      ms,
      notice,
      progress: 1,
      // Automatic runs leave such nodes out, so count them all, run or not.
      waiting: unconnected.size,
    }
    this.summaryDirty = true
    this.queueFlush()
  }

  /** A problem with the graph as a whole, or on one node, outside a run. */
  setNotice(notice: string | undefined): void {
    this.summary = { ...this.summary, notice }
    this.summaryDirty = true
    this.queueFlush()
  }

  setError(id: string, error: ErrorInfo): void {
    this.set(id, { ...this.get(id), state: 'error', error })
    this.queueFlush()
  }

  markStale(ids: Iterable<string>): void {
    for (const id of ids) {
      const run = this.nodes.get(id)
      if (run && !run.stale && run.state !== 'idle') this.set(id, { ...run, stale: true })
    }
    this.queueFlush()
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.nodes.delete(id)) this.dirty.add(id)
    }
    this.queueFlush()
  }

  /** Delivers pending notifications now (tests, and the end of a run). */
  flush = (): void => {
    this.scheduled = false
    if (this.summaryDirty) this.recomputeProgress()
    const dirty = this.dirty
    this.dirty = new Set()
    for (const id of dirty) for (const listener of this.nodeListeners.get(id) ?? []) listener()
    if (this.summaryDirty || dirty.size > 0) {
      this.summaryDirty = false
      for (const listener of [...this.listeners]) listener()
    }
  }

  /** A node's final word in a run (idempotent: its state event and `finish` both call it). */
  private settle(id: string, result: Settled): void {
    const current = this.get(id)
    const keepOld = !result.outputs && result.state === 'cancelled'
    const before = this.previous.get(id) ?? current
    this.set(id, {
      state: result.state,
      ms: result.ms,
      error: result.error,
      key: result.key,
      message: result.state === 'done' ? current.message : undefined,
      warnings: result.state === 'done' ? current.warnings : undefined,
      outputs: keepOld ? current.outputs : result.outputs,
      report: keepOld ? current.report : result.report,
      encoded: keepOld ? current.encoded : result.encoded,
      stale: keepOld ? current.stale || before.stale : false,
    })
  }

  private count(state: NodeState): void {
    const s = { ...this.summary, settled: this.summary.settled + 1 }
    if (state === 'done') s.ran++
    if (state === 'cached') s.cached++
    if (state === 'error') s.failed++
    this.summary = s
  }

  private recomputeProgress(): void {
    if (!this.summary.running || this.summary.total === 0) return
    let partial = 0
    for (const id of this.previous.keys()) {
      const run = this.get(id)
      if (run.state === 'running') partial += run.progress ?? 0
    }
    const progress = Math.min(1, (this.summary.settled + partial) / this.summary.total)
    this.summary = { ...this.summary, progress }
  }

  private set(id: string, run: NodeRun): void {
    this.nodes.set(id, run)
    this.dirty.add(id)
  }

  private queueFlush(): void {
    if (this.scheduled) return
    this.scheduled = true
    this.schedule(this.flush)
  }
}

/**
 * Where a port's value of this run already sits encoded (see `Computed`): previews and the
 * listening room hand that Blob to their workers instead of walking the arrays on the page.
 */
export function storedRef(run: NodeRun | undefined, port: string): EncodedRef | undefined {
  return run?.encoded && run.outputs?.[port] ? { blob: run.encoded, port } : undefined
}
