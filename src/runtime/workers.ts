/** The GPU worker's names when a provider is forced. Literal in createGpuWorker for Vite. */
export const GPU_WORKER_WASM = 'gpu-wasm'
export const GPU_WORKER_WEBGPU = 'gpu-webgpu'

/**
 * The production worker entries. Kept as literal `new Worker(new URL(…))` calls, the form
 * Vite recognises and bundles (each entry with the node registry it imports).
 */

export function createNodeWorker(): Worker {
  return new Worker(new URL('./node.worker.ts', import.meta.url), { type: 'module' })
}

/**
 * The GPU worker; `provider: 'wasm'` makes GPU nodes skip WebGPU, `'webgpu'` uses it even on a
 * software adapter. The choice travels as the worker's name (read in gpu.worker.ts before any
 * job): Vite only bundles workers whose options are literals, hence spelled-out calls.
 */
export function createGpuWorker(provider: 'auto' | 'wasm' | 'webgpu' = 'auto'): Worker {
  if (provider === 'wasm')
    return new Worker(new URL('./gpu.worker.ts', import.meta.url), {
      type: 'module',
      name: 'gpu-wasm', // = GPU_WORKER_WASM
    })
  if (provider === 'webgpu')
    return new Worker(new URL('./gpu.worker.ts', import.meta.url), {
      type: 'module',
      name: 'gpu-webgpu', // = GPU_WORKER_WEBGPU
    })
  return new Worker(new URL('./gpu.worker.ts', import.meta.url), { type: 'module', name: 'gpu' })
}

export function createCodecWorker(): Worker {
  return new Worker(new URL('./codec.worker.ts', import.meta.url), { type: 'module' })
}
