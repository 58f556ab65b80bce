import type { NodeOutputs } from './codec'
import type { AnyNodeDefinition, NodeWarning } from './define-node'
import type { FileData } from './params'
import { mulberry32 } from './random'
import type { NodeRegistry } from './registry'
import { isFiniteValue, type ImageValue, type Value } from './values'
import { UserError } from './errors'

/** One node run, as plain data: it can be posted to a worker as it is. */
export interface NodeJob {
  node: string
  type: string
  inputs: Record<string, Value | undefined>
  /** Params with defaults filled and file references replaced by their bytes. */
  params: Record<string, StoredOrFile>
  /** Seeds the node's `ctx.random`. */
  seed: number
}

export type StoredOrFile = number | boolean | string | FileData | null

export interface JobContext {
  signal: AbortSignal
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
  run(job: NodeJob, ctx: JobContext): Promise<NodeOutputs>
}

/** Runs a job with the node's own definition; what every runner ends up calling. */
export async function runJob(
  registry: NodeRegistry,
  job: NodeJob,
  ctx: JobContext,
): Promise<NodeOutputs> {
  const def = registry.get(job.type)
  if (!def) throw new Error(`Unknown node type "${job.type}"`)
  ctx.signal.throwIfAborted()
  for (const [port, value] of Object.entries(job.inputs)) {
    if (value && !isFiniteValue(value)) {
      throw new UserError(
        `${def.title}: input "${port}" contains NaN or infinite values.`,
        'Check the node feeding it, or the file it was loaded from.',
      )
    }
  }
  const outputs = (await def.run(job.inputs, job.params, {
    signal: ctx.signal,
    progress: (fraction, message) => ctx.progress(fraction, message),
    random: mulberry32(job.seed),
    preview: ctx.preview && ((image: ImageValue) => ctx.preview?.(image)),
    warn: (warning) => ctx.warn?.(warning),
  })) as NodeOutputs
  checkOutputs(def, outputs)
  return outputs
}

/**
 * A node's outputs must be what it declared, and never carry NaN or infinities. Checked here,
 * where the node ran (a worker, in the browser), so the page never scans large arrays.
 */
export function checkOutputs(def: AnyNodeDefinition, outputs: NodeOutputs): void {
  for (const [port, kind] of Object.entries(def.outputs)) {
    const value = outputs[port] as Value | undefined
    if (!value || value.kind !== kind) {
      throw new Error(`${def.title} gave no ${kind} on output "${port}" (a bug in the node).`)
    }
    if (!isFiniteValue(value)) {
      throw new Error(
        `${def.title} produced a non-finite value on output "${port}" (a bug in the node).`,
      )
    }
  }
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
      queue = result.catch(() => undefined)
      return result
    },
  }
}
