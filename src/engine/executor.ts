import type { ValueCache } from './cache'
import { estimateProblem, type MachineCapacity } from './capacity'
import type { Computed, EncodedRef, NodeOutputs } from './codec'
import {
  isOptionalInput,
  kindOfInput,
  makesFrames,
  takesSilence,
  type AnyNodeDefinition,
  type NodeWarning,
  type RunReport,
} from './define-node'
import { ancestorsOf, incomingEdges, type GraphDocument, type GraphNode } from './document'
import { describeError, isCancelled } from './errors'
import { unconnectedInputs } from './inputs'
import { bypassPorts, KeyComputer, type FileResolver, type NodeKey } from './keys'
import type { NodeRegistry } from './registry'
import { createLocalRunner, type NodeRunner } from './runner'
import { validateGraph, type Problem } from './validate'
import type { FrameWindow, Value } from './values'

export type NodeState =
  | 'queued'
  | 'running'
  | 'cached'
  | 'done'
  | 'error'
  | 'blocked'
  | 'muted'
  | 'bypassed'
  | 'cancelled'
  /** A required input is not connected: the node cannot run until it is (not a failure). */
  | 'needs-input'

export interface ErrorInfo {
  message: string
  hint?: string
}

export type ExecutionEvent =
  | {
      type: 'state'
      node: string
      state: NodeState
      ms?: number
      error?: ErrorInfo
      /** A settled node's values and key, sent the moment it settles (progressive previews). */
      outputs?: NodeOutputs
      key?: string
      /** What the node reported about the run that made `outputs` (also from the cache). */
      report?: RunReport
      /** `outputs` already encoded, where a worker or the cache made that form (see Computed). */
      encoded?: Blob
    }
  | { type: 'progress'; node: string; fraction: number; message?: string }
  /** A cache problem (no `warning`), or a node's own warning about its result (`warning`). */
  | { type: 'warning'; message: string; node?: string; warning?: NodeWarning }

export interface NodeResult {
  node: string
  type: string
  state: Exclude<NodeState, 'queued' | 'running'>
  key?: string
  outputs?: NodeOutputs
  error?: ErrorInfo
  /** The node whose failure kept this one from running. */
  blockedBy?: string
  /** Time the node's own run took, as its runner timed it where it ran (0 when cached). */
  ms: number
  /** What the node warned about its result (`ctx.warn`), in order. */
  warnings?: NodeWarning[]
  /** What the node reported about the run that made `outputs` (`ctx.report`), kept by the cache. */
  report?: RunReport
  /** `outputs` already encoded (see Computed): a worker runner sends it on instead of arrays. */
  encoded?: Blob
  /** A bypassed node's outputs' encoded forms: its inputs' producers' Blobs, passed on too. */
  forwarded?: Record<string, EncodedRef>
}

export interface ExecutionResult {
  results: Map<string, NodeResult>
  ms: number
}

export interface ExecuteOptions {
  registry: NodeRegistry
  files: FileResolver
  cache?: ValueCache
  runner?: NodeRunner
  /** Nodes whose outputs are wanted; only they and what they need run. Default: all. */
  targets?: readonly string[]
  signal?: AbortSignal
  onEvent?: (event: ExecutionEvent) => void
  /** What nodes' estimates are checked against; default: this machine (`machineCapacity`). */
  capacity?: MachineCapacity
  /**
   * Make only this window of every frame sequence (see FrameWindow): how a long sequence is
   * rendered in bounded memory, a window per call. Absent: whole sequences.
   */
  frames?: FrameWindow
  /**
   * Which nodes' values the result keeps (the CLI: those it writes). Default: every node's.
   * Another node's values are let go as soon as every node of this run that takes them has
   * settled, so a long run holds only what is still to be used, not every intermediate value
   * until it ends. Events carry each value as its node settles, whatever is kept.
   */
  keep?: (node: string) => boolean
}

/** The graph itself is unusable (a cycle, a mistyped edge…): nothing ran. */
export class GraphError extends Error {
  override readonly name = 'GraphError'
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join('\n'))
  }
}

const SETTLED: ReadonlySet<NodeState> = new Set(['done', 'cached', 'bypassed'])

/**
 * Runs the part of the graph the targets need, in dependency order, independent branches
 * concurrently (as far as the runner allows). A node whose content key is cached is not run,
 * and its ancestors are not even visited unless they are targets themselves.
 */
export async function execute(
  graph: GraphDocument,
  options: ExecuteOptions,
): Promise<ExecutionResult> {
  const started = performance.now()
  const checked = validateGraph(graph, options.registry)
  if (!checked.ok) throw new GraphError(checked.problems)
  const run = new Run(checked.graph, options)
  const targets = options.targets ?? checked.graph.nodes.map((n) => n.id)
  for (const id of targets) {
    if (!checked.graph.nodes.some((n) => n.id === id))
      throw new GraphError([{ message: `No node "${id}" in the graph.`, path: 'nodes', node: id }])
  }
  const needed = ancestorsOf(checked.graph, targets)
  for (const id of needed) options.onEvent?.({ type: 'state', node: id, state: 'queued' })
  run.countConsumers(needed)
  await Promise.all(targets.map((id) => run.evaluate(id)))
  run.releaseAll()
  return { results: run.results, ms: performance.now() - started }
}

class Run {
  readonly results = new Map<string, NodeResult>()
  private readonly pending = new Map<string, Promise<NodeResult>>()
  private readonly byKey = new Map<string, Promise<NodeResult>>()
  private readonly keys: KeyComputer
  private readonly runner: NodeRunner
  private readonly byId: Map<string, GraphNode>
  private readonly signal: AbortSignal
  /** Per node and output port, the nodes of this run that take it and have not settled yet. */
  private readonly unsettledConsumers = new Map<string, Map<string, Set<string>>>()

  constructor(
    private readonly graph: GraphDocument,
    private readonly options: ExecuteOptions,
  ) {
    this.keys = new KeyComputer(graph, options.registry, options.files, options.frames)
    this.runner = options.runner ?? createLocalRunner(options.registry)
    this.byId = new Map(graph.nodes.map((n) => [n.id, n]))
    this.signal = options.signal ?? new AbortController().signal
  }

  /** Who takes each output port of each needed node in this run (see `keep`). */
  countConsumers(needed: ReadonlySet<string>): void {
    if (!this.options.keep) return
    for (const id of needed) {
      for (const { from } of incomingEdges(this.graph, id).values()) {
        const ports = this.unsettledConsumers.get(from.node) ?? new Map<string, Set<string>>()
        const consumers = ports.get(from.port) ?? new Set<string>()
        consumers.add(id)
        ports.set(from.port, consumers)
        this.unsettledConsumers.set(from.node, ports)
      }
    }
  }

  /** At the end: what is not kept goes, whether or not all its consumers were visited. */
  releaseAll(): void {
    for (const id of this.results.keys()) this.release(id, true)
  }

  /**
   * Lets go of a node's output values that nothing of this run still needs, port by port (an
   * output nothing takes goes at once). The result object is changed in place: it is also
   * what `pending` and `byKey` resolve to, and they must not hold the values; its `outputs`
   * is replaced, not edited, as a node with the same key may share that object. Such a node
   * that looks after some are gone computes its own (or reads the cache).
   */
  private release(id: string, atEnd = false): void {
    const keep = this.options.keep
    if (!keep || keep(id)) return
    const result = this.results.get(id)
    if (!result?.outputs) return
    const ports = this.unsettledConsumers.get(id)
    const left = Object.entries(result.outputs).filter(
      ([port]) => !atEnd && (ports?.get(port)?.size ?? 0) > 0,
    )
    if (left.length === Object.keys(result.outputs).length) return
    if (left.length > 0) {
      result.outputs = Object.fromEntries(left)
      return
    }
    delete result.outputs
    delete result.encoded
  }

  /** A node settled: the values it took may now be needed by no one. */
  private settled(id: string): void {
    if (!this.options.keep) return
    this.release(id)
    for (const { from } of incomingEdges(this.graph, id).values()) {
      const consumers = this.unsettledConsumers.get(from.node)?.get(from.port)
      if (consumers?.delete(id) && consumers.size === 0) this.release(from.node)
    }
  }

  evaluate(id: string): Promise<NodeResult> {
    let promise = this.pending.get(id)
    if (!promise) {
      promise = this.compute(id).then((result) => {
        this.results.set(id, result)
        this.emit({
          type: 'state',
          node: id,
          state: result.state,
          ms: result.ms,
          error: result.error,
          outputs: result.outputs,
          key: result.key,
          report: result.report,
          encoded: result.encoded,
        })
        this.settled(id)
        return result
      })
      this.pending.set(id, promise)
    }
    return promise
  }

  private async compute(id: string): Promise<NodeResult> {
    const node = this.byId.get(id) as GraphNode
    const def = this.options.registry.get(node.type) as AnyNodeDefinition
    const base = { node: id, type: node.type, ms: 0 }
    if (node.mode === 'mute') return { ...base, state: 'muted' }
    if (node.mode === 'normal') {
      // The one decision (engine/inputs.ts), the same the editor shows before any run.
      const missing = unconnectedInputs(this.graph, id, def)
      if (missing.length > 0)
        return { ...base, state: 'needs-input', error: needsInput(def, missing) }
    }
    let key: NodeKey
    try {
      key = await this.keys.keyOf(id)
    } catch (error) {
      const blocked = await this.firstUnsettledInput(id)
      return blocked ?? { ...base, state: 'error', error: describeError(error) }
    }
    if (node.mode === 'normal' && key.key) {
      // Nodes with equal keys compute equal values: the first computes, the others share it.
      const twin = this.byKey.get(key.key)
      const shared = twin && (await twin)
      // Every port still there: with `keep`, the twin's unused ports may have been let go.
      const whole = Object.keys(def.outputs).every((port) => shared?.outputs?.[port])
      if (shared?.outputs && whole && (shared.state === 'done' || shared.state === 'cached'))
        return {
          ...base,
          ...resultOf({ ...shared, outputs: shared.outputs }),
          state: 'cached',
          key: key.key,
        }
      const own = this.produce(id, node, def, key)
      this.byKey.set(key.key, own)
      return own
    }
    return this.produce(id, node, def, key)
  }

  /** Reads a node's value from the cache, or gathers its inputs and runs it. */
  private async produce(
    id: string,
    node: GraphNode,
    def: AnyNodeDefinition,
    key: NodeKey,
  ): Promise<NodeResult> {
    const base = { node: id, type: node.type, ms: 0 }
    if (node.mode === 'normal' && key.key) {
      const hit = await this.cacheGet(key.key, id)
      // Stored values were checked when stored, and again when read back from a persistent
      // tier (TieredCache); here only that the entry is this node's: its ports and kinds.
      const missing =
        hit && Object.entries(def.outputs).find(([p, kind]) => hit.outputs[p]?.kind !== kind)
      if (hit && !missing) return { ...base, ...hit, state: 'cached', key: key.key }
      if (missing)
        this.warn(
          `The cached result has no ${missing[1]} output "${missing[0]}"; computing it again.`,
          id,
        )
    }
    const gathered = await this.gatherInputs(id, def)
    if ('blocked' in gathered) return gathered.blocked
    if (node.mode === 'bypass') {
      // Each value passes on with its encoded form, so the node after the bypass is sent the
      // producer's Blob rather than a copy of the arrays (as it is when nothing is bypassed).
      const { inputs, stored } = gathered
      const names = Object.fromEntries(
        Object.entries(inputs).map(([port, v]) => [port, v === undefined ? undefined : port]),
      )
      const forwarded: Record<string, EncodedRef> = {}
      for (const [port, from] of Object.entries(bypassPorts(def, names))) {
        const ref = from === undefined ? undefined : stored?.[from]
        if (ref) forwarded[port] = ref
      }
      return {
        ...base,
        state: 'bypassed',
        outputs: definedOnly(bypassPorts(def, inputs)),
        ...(Object.keys(forwarded).length > 0 && { forwarded }),
      }
    }
    if (this.signal.aborted) return { ...base, state: 'cancelled', key: key.key }
    return this.runNode(node, def, key, gathered.inputs, gathered.stored)
  }

  private async runNode(
    node: GraphNode,
    def: AnyNodeDefinition,
    key: NodeKey,
    inputs: Record<string, Value | undefined>,
    stored: Record<string, EncodedRef> | undefined,
  ): Promise<NodeResult> {
    const base = { node: node.id, type: node.type, key: key.key }
    const tooMuch = this.checkEstimate(def, inputs, key.params)
    if (tooMuch) return { ...base, ms: 0, state: 'error', error: tooMuch }
    let started = performance.now()
    let ranMs: number | undefined
    const warnings: NodeWarning[] = []
    let running = false
    const start = () => {
      if (running) return
      running = true
      started = performance.now()
      this.emit({ type: 'state', node: node.id, state: 'running' })
    }
    try {
      const computed = await this.runner.run(
        {
          node: node.id,
          type: node.type,
          inputs,
          params: key.params,
          seed: seedOf(def, key),
          ...(this.options.frames && makesFrames(def) && { frames: this.options.frames }),
          ...(stored && { stored }),
          // Outputs checked where they were made, or the cache's checked values (runner.ts).
          inputsChecked: true,
        },
        {
          signal: this.signal,
          started: start,
          ran: (ms) => {
            ranMs = ms
          },
          progress: (fraction, message) => {
            start()
            this.emit({ type: 'progress', node: node.id, fraction, message })
          },
          warn: (warning) => {
            warnings.push(warning)
            this.emit({ type: 'warning', node: node.id, message: warning.message, warning })
          },
        },
      )
      start()
      // Taken before the cache write: other nodes may run while it is awaited.
      const ms = ranMs ?? performance.now() - started
      // A warned result is not cached: from the cache, the warning would be lost.
      if (key.key && warnings.length === 0) await this.cacheSet(key.key, computed, node.id)
      return {
        ...base,
        ...resultOf(computed),
        state: 'done',
        ms,
        ...(warnings.length > 0 && { warnings }),
      }
    } catch (error) {
      const ms = ranMs ?? performance.now() - started
      if (isCancelled(error) || this.signal.aborted) return { ...base, state: 'cancelled', ms }
      return { ...base, state: 'error', error: describeError(error), ms }
    }
  }

  /** A node's own up-front estimate against the machine: its refusal, before anything runs. */
  private checkEstimate(
    def: AnyNodeDefinition,
    inputs: Record<string, Value | undefined>,
    params: Record<string, unknown>,
  ): ErrorInfo | undefined {
    if (!def.estimate) return undefined
    let problem
    try {
      problem = estimateProblem(def.title, def.estimate(inputs, params), this.options.capacity)
    } catch {
      return undefined // an estimate that cannot be made leaves the node's own checks to speak
    }
    return problem && describeError(problem)
  }

  private async gatherInputs(
    id: string,
    def: AnyNodeDefinition,
  ): Promise<
    | { inputs: Record<string, Value | undefined>; stored?: Record<string, EncodedRef> }
    | { blocked: NodeResult }
  > {
    const inputs: Record<string, Value | undefined> = {}
    let stored: Record<string, EncodedRef> | undefined
    let silenced: { port: string; upstream: NodeResult } | undefined
    for (const [port, edge] of incomingEdges(this.graph, id)) {
      const upstream = await this.evaluate(edge.from.node)
      const value = SETTLED.has(upstream.state) ? upstream.outputs?.[edge.from.port] : undefined
      if (value === undefined) {
        // Mute means silence: into an optional or mixable input it is simply nothing there.
        if (this.isSilent(upstream) && takesSilence(def.inputs[port])) {
          if (!isOptionalInput(def.inputs[port])) silenced ??= { port, upstream }
          continue
        }
        const by = upstream.blockedBy ?? upstream.node
        return { blocked: this.blockedResult(id, by, upstream, port) }
      }
      inputs[port] = value
      // Where the value's bytes already sit encoded (its producer's Blob), say so: a worker
      // runner then sends that handle rather than a copy of the arrays.
      const ref =
        upstream.state === 'bypassed'
          ? upstream.forwarded?.[edge.from.port]
          : upstream.encoded && { blob: upstream.encoded, port: edge.from.port }
      if (ref) stored = { ...stored, [port]: ref }
    }
    // A mixable input silenced with nothing else coming in: there is nothing to mix.
    if (silenced && Object.values(inputs).every((v) => v === undefined)) {
      const { port, upstream } = silenced
      return {
        blocked: this.blockedResult(id, upstream.blockedBy ?? upstream.node, upstream, port),
      }
    }
    for (const port of Object.keys(def.inputs)) inputs[port] ??= undefined
    return stored ? { inputs, stored } : { inputs }
  }

  /** Muted, or waiting only because something it needs is muted: it gives silence. */
  private isSilent(result: NodeResult): boolean {
    if (result.state === 'muted') return true
    const cause = result.blockedBy === undefined ? undefined : this.results.get(result.blockedBy)
    return result.state === 'blocked' && cause?.state === 'muted'
  }

  private blockedResult(id: string, by: string, upstream: NodeResult, port: string): NodeResult {
    const type = this.byId.get(id)?.type ?? ''
    if (upstream.state === 'cancelled') return { node: id, type, state: 'cancelled', ms: 0 }
    const why =
      upstream.state === 'bypassed'
        ? `the bypassed node "${upstream.node}" has no input of this kind to pass on`
        : upstream.state === 'muted'
          ? `"${upstream.node}" is muted`
          : `"${by}" failed`
    return {
      node: id,
      type,
      state: 'blocked',
      blockedBy: by,
      ms: 0,
      error: { message: `Waiting on input "${port}": ${why}.` },
    }
  }

  private async firstUnsettledInput(id: string): Promise<NodeResult | undefined> {
    for (const [port, edge] of incomingEdges(this.graph, id)) {
      const upstream = await this.evaluate(edge.from.node)
      if (!SETTLED.has(upstream.state)) {
        return this.blockedResult(id, upstream.blockedBy ?? upstream.node, upstream, port)
      }
    }
    return undefined
  }

  private async cacheGet(key: string, node: string): Promise<Computed | undefined> {
    try {
      return await this.options.cache?.get(key)
    } catch (error) {
      this.warn(`Cache read failed, recomputing: ${describeError(error).message}`, node)
      return undefined
    }
  }

  private async cacheSet(key: string, result: Computed, node: string): Promise<void> {
    try {
      await this.options.cache?.set(key, result)
    } catch (error) {
      this.warn(`Could not store the result in the cache: ${describeError(error).message}`, node)
    }
  }

  private warn(message: string, node?: string): void {
    this.emit({ type: 'warning', message, node })
  }

  private emit(event: ExecutionEvent): void {
    this.options.onEvent?.(event)
  }
}

/** A computed or stored result's fields as a NodeResult carries them (none left undefined). */
function resultOf(result: Computed): Pick<NodeResult, 'outputs' | 'report' | 'encoded'> {
  return {
    outputs: result.outputs,
    ...(result.report && { report: result.report }),
    ...(result.encoded && { encoded: result.encoded }),
  }
}

/** What a node with required inputs unconnected says, in the words the editor shows too. */
function needsInput(def: AnyNodeDefinition, ports: readonly string[]): ErrorInfo {
  const list = ports.map((p) => `"${p}"`).join(' and ')
  const kinds = [...new Set(ports.map((p) => kindOfInput(def.inputs[p])))].join(' or ')
  return {
    message: `Input${ports.length > 1 ? 's' : ''} ${list} ${ports.length > 1 ? 'are' : 'is'} not connected.`,
    hint: `Connect an output of kind ${kinds} to ${ports.length > 1 ? 'them' : 'it'}.`,
  }
}

function seedOf(def: AnyNodeDefinition, key: NodeKey): number {
  const name = Object.keys(def.params).find((p) => def.params[p].type === 'seed')
  return name === undefined ? 0 : Number(key.params[name])
}

function definedOnly(outputs: Record<string, Value | undefined>): NodeOutputs {
  return Object.fromEntries(
    Object.entries(outputs).filter(([, v]) => v !== undefined),
  ) as NodeOutputs
}
