/** The GPU worker's name when WASM is forced. Literal in createGpuWorker for Vite. */
export const GPU_WORKER_WASM = 'gpu-wasm'

/**
 * The production worker entries. Kept as literal `new Worker(new URL(…))` calls, the form
 * Vite recognises and bundles (each entry with the node registry it imports).
 */

export function createNodeWorker(): Worker {
  return new Worker(new URL('./node.worker.ts', import.meta.url), { type: 'module' })
}

/**
 * The GPU worker; `provider: 'wasm'` makes GPU nodes skip WebGPU. The choice travels as the
 * worker's name (read in gpu.worker.ts before any job): Vite only bundles workers whose
 * options are literals, hence two spelled-out calls.
 */
export function createGpuWorker(provider: 'auto' | 'wasm' = 'auto'): Worker {
  return provider === 'wasm'
    ? new Worker(new URL('./gpu.worker.ts', import.meta.url), {
        type: 'module',
        name: 'gpu-wasm', // = GPU_WORKER_WASM
      })
    : new Worker(new URL('./gpu.worker.ts', import.meta.url), { type: 'module', name: 'gpu' })
}

export function createCodecWorker(): Worker {
  return new Worker(new URL('./codec.worker.ts', import.meta.url), { type: 'module' })
}
