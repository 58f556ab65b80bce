import type { Computed, EncodedRef, NodeOutputs } from './codec'
import type { AnyNodeDefinition, CancelSignal, NodeWarning, RunReport } from './define-node'
import type { FileData } from './params'
import { mulberry32, skipSeed } from './random'
import type { NodeRegistry } from './registry'
import {
  allFinite,
  isFiniteValue,
  largestMagnitude,
  typedArraysOf,
  valueShapeProblem,
  type FrameWindow,
  type ImageValue,
  type Value,
} from './values'
import { CancelledError, UserError } from './errors'

/** One node run, as plain data: it can be posted to a worker as it is. */
export interface NodeJob {
  node: string
  type: string
  inputs: Record<string, Value | undefined>
  /** Params with defaults filled and file references replaced by their bytes. */
  params: Record<string, StoredOrFile>
  /** Seeds the node's `ctx.random`. */
  seed: number
  /** The frames to make, for nodes that start frame sequences (see RunContext.frames). */
  frames?: FrameWindow
  /**
   * Inputs whose producer's result is already encoded (a worker's or IndexedDB's Blob), by
   * input port: a worker runner may send the handle instead of the arrays (copy-in.ts).
   */
  stored?: Record<string, EncodedRef>
  /**
   * The inputs are values that passed `checkOutputs` where they were made, or the cache's
   * checks when read back (the executor's jobs say so): runJob does not scan them for NaN
   * again, and an output that is one of them (a node passing its input on) is not scanned.
   */
  inputsChecked?: boolean
}

export type StoredOrFile = number | boolean | string | FileData | null

export interface JobContext {
  signal: CancelSignal
  progress(fraction: number, message?: string): void
  /**
   * Called by the runner when the job leaves its queue and really starts, so the executor
   * can show 'running' and time the node's own work. Runners that do not queue may omit it.
   */
  started?(): void
  /**
   * Called by the runner with how long the node's own run took, timed where it ran. The
   * executor records this rather than its own clock: on one thread the next queued node can
   * run before the executor resumes, and its work would be counted in this node's time.
   * Runners that cannot time the run may omit it; the executor then times the call.
   */
  ran?(ms: number): void
  /** Passed on to the node as `ctx.preview`. */
  preview?(image: ImageValue): void
  /** Passed on to the node as `ctx.warn`. */
  warn?(warning: NodeWarning): void
}

/**
 * Where node runs happen: in this thread (CLI, tests), a pool of Web Workers, or the GPU
 * worker. The executor only sees this interface.
 */
export interface NodeRunner {
  run(job: NodeJob, ctx: JobContext): Promise<Computed>
}

/** Runs a job with the node's own definition; what every runner ends up calling. */
export async function runJob(
  registry: NodeRegistry,
  job: NodeJob,
  ctx: JobContext,
): Promise<Computed> {
  const def = registry.get(job.type)
  if (!def) throw new Error(`Unknown node type "${job.type}"`)
  ctx.signal.throwIfAborted()
  for (const [port, value] of Object.entries(job.inputs)) {
    if (value && !job.inputsChecked && !isFiniteValue(value)) {
      throw new UserError(
        `${def.title}: input "${port}" contains NaN or infinite values.`,
        'Check the node feeding it, or the file it was loaded from.',
      )
    }
  }
  let report: RunReport | undefined
  const outputs = (await def.run(job.inputs, job.params, {
    signal: ctx.signal,
    progress: (fraction, message) => ctx.progress(fraction, message),
    random: mulberry32(job.seed),
    preview: ctx.preview && ((image: ImageValue) => ctx.preview?.(image)),
    warn: (warning) => ctx.warn?.(warning),
    ...(job.frames && { frames: job.frames }),
    report: (more) => {
      report = { ...report, ...more }
    },
  })) as NodeOutputs
  checkOutputs(def, outputs, job.inputs, job.inputsChecked ? arraysOf(job.inputs) : undefined)
  return report ? { outputs, report } : { outputs }
}

/** Every typed array the values hold. */
function arraysOf(values: Record<string, Value | undefined>): Set<Float32Array> {
  return new Set(Object.values(values).flatMap((v) => (v ? typedArraysOf(v) : [])))
}

/** Sound and pictures live within about ±1; inputs far beyond this overflow float maths. */
const EXTREME = 1e15

/**
 * What is wrong with a node's outputs, or undefined: each declared output present, of its
 * kind, consistent in shape (valueShapeProblem) and free of NaN and infinities.
 */
function outputsProblem(
  def: AnyNodeDefinition,
  outputs: NodeOutputs,
  checked?: ReadonlySet<Float32Array>,
): { port: string; problem: 'missing' | 'shape' | 'non-finite'; detail?: string } | undefined {
  for (const [port, kind] of Object.entries(def.outputs)) {
    const value = outputs[port] as Value | undefined
    if (!value || value.kind !== kind) return { port, problem: 'missing', detail: kind }
    const shape = valueShapeProblem(value)
    if (shape) return { port, problem: 'shape', detail: shape }
    const finite = checked
      ? value.kind === 'number'
        ? Number.isFinite(value.value)
        : typedArraysOf(value).every((a) => checked.has(a) || allFinite(a))
      : isFiniteValue(value)
    if (!finite) return { port, problem: 'non-finite' }
  }
  return undefined
}

/**
 * A node's outputs must be what it declared, and never carry NaN or infinities. Checked here,
 * where the node ran (a worker, in the browser), so the page never scans large arrays. NaN
 * or infinities made from extreme inputs (a WAV of 1e38 samples) are the data's fault, and
 * the message says so; from ordinary inputs they point at a param or the node.
 */
export function checkOutputs(
  def: AnyNodeDefinition,
  outputs: NodeOutputs,
  inputs: Record<string, Value | undefined> = {},
  /** Arrays known finite (checked inputs): an output that is one of them is not scanned. */
  checked?: ReadonlySet<Float32Array>,
): void {
  const found = outputsProblem(def, outputs, checked)
  if (!found) return
  const { port, problem, detail } = found
  if (problem === 'missing')
    throw new Error(`${def.title} gave no ${detail} on output "${port}" (a bug in the node).`)
  if (problem === 'shape')
    throw new Error(`${def.title}: its output "${port}" ${detail} (a bug in the node).`)
  for (const [input, value] of Object.entries(inputs)) {
    const largest = value ? largestMagnitude(value) : 0
    if (largest > EXTREME)
      throw new UserError(
        `${def.title}: its output "${port}" overflowed to infinity or NaN because the input "${input}" holds values as large as ${largest.toExponential(1)}, too large to compute with.`,
        'Sound and pictures are normally within ±1: check the node feeding it, or the file it was loaded from (Normalize brings it back into range).',
      )
  }
  throw new UserError(
    `${def.title} produced NaN or infinite values on output "${port}" from ordinary inputs.`,
    'A param may push the values out of range: try gentler settings. If they are ordinary, this is a bug in the node: please report it with the graph.',
  )
}

/**
 * Runs nodes in the calling thread, one at a time in the order they are asked: there is one
 * thread to run on, and running one job at a time keeps each node's timing its own.
 */
export function createLocalRunner(registry: NodeRegistry): NodeRunner {
  let queue: Promise<unknown> = Promise.resolve()
  return {
    run: (job, ctx) => {
      const result = queue.then(async () => {
        ctx.started?.()
        const began = performance.now()
        try {
          return await runJob(registry, job, ctx)
        } finally {
          ctx.ran?.(performance.now() - began)
        }
      })
      // Settles with nothing: the queue must not hold the last job's outputs until the next.
      queue = result.then(
        () => undefined,
        () => undefined,
      )
      return result
    },
  }
}

/**
 * Runs the parts of nodes that split (`split` on their definition: a multi-channel
 * Griffin-Lim's channels) as jobs of their own on `inner`, all at once, so a pool of workers
 * spreads them; joins their outputs. Each part's seed is skipped to where the whole run's
 * stream would be, so the numbers equal an unsplit run's. Other jobs go to `inner` as they are.
 * A part that fails stops the others; its error is the node's.
 */
export function createSplittingRunner(registry: NodeRegistry, inner: NodeRunner): NodeRunner {
  return {
    run: async (job, ctx) => {
      const def = registry.get(job.type)
      ctx.signal.throwIfAborted()
      const split = def?.split?.(job.inputs, job.params)
      if (!def || !split || split.parts.length < 2) return inner.run(job, ctx)
      const stop = new AbortController()
      const onAbort = () => stop.abort(ctx.signal.reason ?? new CancelledError())
      ctx.signal.addEventListener('abort', onAbort)
      const fractions = split.parts.map(() => 0)
      let began: number | undefined
      try {
        // A part's inputs are its own arrays, not its producer's: no stored handles go with it.
        const { stored: _whole, ...plain } = job
        const results = await Promise.all(
          split.parts.map((part, i) =>
            inner
              .run(
                {
                  ...plain,
                  inputs: part.inputs,
                  params: part.params,
                  seed: skipSeed(job.seed, part.draws),
                },
                {
                  signal: stop.signal,
                  progress: (fraction, message) => {
                    fractions[i] = fraction
                    const all = fractions.reduce((a, b) => a + b, 0) / fractions.length
                    ctx.progress(all, message && `${part.label}: ${message}`)
                  },
                  started: () => {
                    if (began !== undefined) return
                    began = performance.now()
                    ctx.started?.()
                  },
                  preview: ctx.preview && ((image) => ctx.preview?.(image)),
                  warn: (warning) => ctx.warn?.(warning),
                },
              )
              .catch((error: unknown) => {
                stop.abort(new CancelledError())
                throw error
              }),
          ),
        )
        const joined = split.join(results.map((r) => r.outputs)) as NodeOutputs
        if (began !== undefined) ctx.ran?.(performance.now() - began)
        checkOutputs(def, joined, job.inputs)
        // The parts' reports, merged in order (as one run's later ctx.report calls would be).
        const reports = results.flatMap((r) => (r.report ? [r.report] : []))
        return reports.length > 0
          ? { outputs: joined, report: Object.assign({}, ...reports) as RunReport }
          : { outputs: joined }
      } catch (error) {
        const reason = ctx.signal.reason
        if (ctx.signal.aborted) throw reason instanceof Error ? reason : new CancelledError()
        throw error
      } finally {
        ctx.signal.removeEventListener('abort', onAbort)
      }
    },
  }
}
