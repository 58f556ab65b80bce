/**
 * The production worker entries. Kept as literal `new Worker(new URL(…))` calls, the form
 * Vite recognises and bundles (each entry with the node registry it imports).
 */

export function createNodeWorker(): Worker {
  return new Worker(new URL('./node.worker.ts', import.meta.url), { type: 'module' })
}

export function createGpuWorker(): Worker {
  return new Worker(new URL('./gpu.worker.ts', import.meta.url), { type: 'module' })
}

export function createCodecWorker(): Worker {
  return new Worker(new URL('./codec.worker.ts', import.meta.url), { type: 'module' })
}
