import type { NodeRegistry } from '../engine/registry'
import { onExecutionProvider } from './gpu-report'
import { serveJobs, type WorkerScope } from './worker-host'

/**
 * The GPU worker's host: the same job loop as the CPU workers, plus provider reports. GPU
 * code calls `reportExecutionProvider` (gpu-report.ts) after creating or running a session;
 * the report goes to the main thread, where `BrowserRuntime.gpu` shows it.
 *
 * Sessions stay alive because this worker does: module-level memos in the GPU code survive
 * from one job to the next. The pool terminates the worker only if it crashes or ignores a
 * cancel for longer than its (long) grace.
 */
export function serveGpuJobs(registry: NodeRegistry, scope: WorkerScope = self): void {
  onExecutionProvider((report) => scope.postMessage({ type: 'provider', report }))
  serveJobs(registry, scope)
}
