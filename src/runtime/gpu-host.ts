import type { NodeRegistry } from '../engine/registry'
import { serveJobs, type WorkerScope } from './worker-host'

/**
 * The GPU worker's host: the same job loop as the CPU workers. Where each network ran comes
 * back on each job's result (`ctx.report`), and the page's GPU status reads it there.
 *
 * Sessions stay alive because this worker does: module-level memos in the GPU code survive
 * from one job to the next. The pool terminates the worker only if it crashes or ignores a
 * cancel for longer than its (long) grace.
 */
export function serveGpuJobs(registry: NodeRegistry, scope: WorkerScope = self): void {
  serveJobs(registry, scope)
}
