import { ancestorsOf, type GraphDocument } from '../../engine/document'
import { execute, GraphError, type ExecutionResult, type NodeState } from '../../engine/executor'
import { describeError } from '../../engine/errors'
import { unconnectedInputs } from '../../engine/inputs'
import type { NodeRegistry } from '../../engine/registry'
import type { RunRuntime } from '../../runtime/types'
import type { GraphStore } from '../store/graph-store'
import { graphChanges } from './changes'
import type { RunStore } from './run-store'
import { warmAhead } from './warm-ahead'

/** What the last run did, for the status bar and for tests (`window.__synesthete`). */
export interface LastRun {
  targets: string[] | 'all'
  ran: string[]
  cached: string[]
  failed: string[]
  /** Not run because a required input is not connected (not counted as failed). */
  needsInput: string[]
  ms: number
}

export interface RunControllerDeps {
  store: GraphStore
  runs: RunStore
  registry: NodeRegistry
  /** Undefined while the runtime is not available; runs are then refused with a notice. */
  runtime: () => RunRuntime | undefined
  autoDelayMs?: number
}

/**
 * Starts, restarts and stops graph runs. All node work goes through the runtime's runner (Web
 * Workers); here we only order it and collect results. Content keys make a re-run recompute only
 * what an edit affected.
 */
export class RunController {
  private abort: AbortController | undefined
  private current: Promise<void> | undefined
  private autoTimer: ReturnType<typeof setTimeout> | undefined
  private readonly listeners = new Set<() => void>()
  private autoRun = true
  /** Edits made while auto-run was off, which turning it back on catches up with. */
  private editedSinceRun = false
  /** Nodes edited since the last automatic run was scheduled. */
  private pendingEdits = new Set<string>()
  lastRun: LastRun | undefined
  runCount = 0

  constructor(private readonly deps: RunControllerDeps) {}

  get auto(): boolean {
    return this.autoRun
  }

  setAuto(on: boolean): void {
    this.autoRun = on
    this.emit()
    if (on && this.editedSinceRun) void this.runAfterEdits()
  }

  get running(): boolean {
    return this.abort !== undefined
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Runs the targets (default: every node), cancelling a run in progress first. */
  async run(targets?: string[]): Promise<void> {
    if (this.autoTimer !== undefined) clearTimeout(this.autoTimer)
    this.autoTimer = undefined
    if (this.current) {
      this.abort?.abort()
      await this.current
    }
    const promise = this.start(this.deps.store.doc, targets)
    this.current = promise
    await promise
    if (this.current === promise) this.current = undefined
  }

  stop(): void {
    if (this.autoTimer !== undefined) clearTimeout(this.autoTimer)
    this.autoTimer = undefined
    this.abort?.abort()
  }

  /** Marks edited nodes and their descendants out of date; re-runs them when auto is on. */
  onDocChange = (doc: GraphDocument, previous: GraphDocument): void => {
    const { affected, removed } = graphChanges(previous, doc)
    this.deps.runs.forget(removed)
    if (affected.size === 0) return
    this.deps.runs.markStale(affected)
    this.editedSinceRun = true
    for (const id of affected) this.pendingEdits.add(id)
    if (!this.autoRun) return
    if (this.autoTimer !== undefined) clearTimeout(this.autoTimer)
    this.autoTimer = setTimeout(() => {
      this.autoTimer = undefined
      void this.runAfterEdits()
    }, this.deps.autoDelayMs ?? 250)
  }

  /**
   * The automatic run after edits: every node but those waiting for a connection (a required
   * input unconnected, or a node just added with none of its inputs connected yet — a new
   * Stable Diffusion node would otherwise paint from its prompt alone for half a minute). When
   * only such nodes were edited, nothing runs. The Run button still runs everything.
   */
  private async runAfterEdits(): Promise<void> {
    const doc = this.deps.store.doc
    const edited = [...this.pendingEdits].filter((id) => doc.nodes.some((n) => n.id === id))
    this.pendingEdits = new Set()
    const waiting = waitingForConnection(doc, this.deps.registry, this.deps.runs)
    if (edited.length > 0 && edited.every((id) => waiting.has(id))) {
      this.editedSinceRun = false
      return
    }
    if (waiting.size === 0) return this.run()
    this.editedSinceRun = false
    return this.run(doc.nodes.filter((n) => !waiting.has(n.id)).map((n) => n.id))
  }

  private async start(doc: GraphDocument, targets: string[] | undefined): Promise<void> {
    const { runs, registry } = this.deps
    const runtime = this.deps.runtime()
    if (!runtime) {
      runs.setNotice('The engine is still starting; try again in a moment.')
      return
    }
    if (doc.nodes.length === 0) return
    if (!targets) this.editedSinceRun = false
    const wanted = targets?.filter((id) => doc.nodes.some((n) => n.id === id))
    const touched = ancestorsOf(doc, wanted ?? doc.nodes.map((n) => n.id))
    const abort = new AbortController()
    this.abort = abort
    this.runCount++
    this.emit()
    runs.begin(touched)
    runtime.prepare(doc.nodes.filter((n) => touched.has(n.id)).map((n) => n.type))
    const warm = warmAhead(doc, touched, registry, (node) => runtime.warm(node))
    const stopLive = runtime.onPreview(runs.setLive)
    let result: ExecutionResult | undefined
    let notice: string | undefined
    try {
      result = await execute(doc, {
        registry,
        files: runtime.files.resolve,
        cache: runtime.cache,
        runner: runtime.runner,
        targets: wanted,
        signal: abort.signal,
        onEvent: (event) => {
          warm(event)
          runs.onEvent(event)
        },
      })
    } catch (error) {
      if (error instanceof GraphError) {
        notice = `The graph cannot run: ${error.problems[0]?.message ?? error.message}`
        for (const p of error.problems) if (p.node) runs.setError(p.node, { message: p.message })
      } else {
        notice = `The run failed: ${describeError(error).message}`
      }
    }
    stopLive()
    if (abort.signal.aborted && !notice) notice = 'Stopped.'
    const unconnected = unconnectedNodes(doc, registry)
    runs.finish(result?.results, result?.ms, notice, unconnected)
    runs.flush()
    if (result) this.lastRun = summarise(result, wanted)
    if (this.abort === abort) this.abort = undefined
    this.emit()
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

function summarise(result: ExecutionResult, targets: string[] | undefined): LastRun {
  const by = (state: NodeState) =>
    [...result.results.values()].filter((r) => r.state === state).map((r) => r.node)
  return {
    targets: targets ?? 'all',
    ran: by('done'),
    cached: by('cached'),
    failed: by('error'),
    // The executor says so itself (engine/inputs.ts decides): not a failure.
    needsInput: by('needs-input'),
    ms: result.ms,
  }
}

/**
 * Nodes an automatic run leaves alone: a required input unconnected, or never run and with
 * inputs of which none is connected yet (only optional ones, or they would be in the first set).
 */
export function waitingForConnection(
  doc: GraphDocument,
  registry: NodeRegistry,
  runs: RunStore,
): Set<string> {
  const out = unconnectedNodes(doc, registry)
  const fed = new Set(doc.edges.map((e) => e.to.node))
  for (const node of doc.nodes) {
    const def = registry.get(node.type)
    const fresh = runs.get(node.id).state === 'idle'
    if (def && fresh && Object.keys(def.inputs).length > 0 && !fed.has(node.id)) out.add(node.id)
  }
  return out
}

/** Nodes with a required input that nothing feeds. */
export function unconnectedNodes(doc: GraphDocument, registry: NodeRegistry): Set<string> {
  const out = new Set<string>()
  for (const node of doc.nodes) {
    const def = registry.get(node.type)
    if (def && unconnectedInputs(doc, node.id, def).length > 0) out.add(node.id)
  }
  return out
}
