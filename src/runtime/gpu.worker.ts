import { registry } from '../../nodes/index'
import { serveGpuJobs } from './gpu-host'
import { preferExecutionProvider } from '../diffusion/provider'
import { GPU_WORKER_WASM, GPU_WORKER_WEBGPU } from './workers'

/**
 * The one GPU worker. It lives as long as the page (unless it crashes), so the WebGPU device
 * and the onnxruntime-web sessions that GPU nodes create (memoised in their own modules, see
 * src/diffusion) stay loaded between runs.
 */
// A forced provider (createGpuWorker('wasm' | 'webgpu')): set before the first job can create a
// session.
if (self.name === GPU_WORKER_WASM) preferExecutionProvider('wasm')
if (self.name === GPU_WORKER_WEBGPU) preferExecutionProvider('webgpu')
serveGpuJobs(registry)
