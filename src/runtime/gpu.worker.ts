import { registry } from '../../nodes/index'
import { serveGpuJobs } from './gpu-host'

/**
 * The one GPU worker. It lives as long as the page (unless it crashes), so the WebGPU device
 * and the onnxruntime-web sessions that GPU nodes create (memoised in their own modules, see
 * src/diffusion) stay loaded between runs.
 */
serveGpuJobs(registry)
