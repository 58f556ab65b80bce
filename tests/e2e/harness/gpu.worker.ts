import { serveGpuJobs } from '../../../src/runtime/gpu-host'
import { harnessRegistry } from './harness-nodes'

/** The harness's GPU worker: the production host with the test nodes added. */
serveGpuJobs(harnessRegistry)
