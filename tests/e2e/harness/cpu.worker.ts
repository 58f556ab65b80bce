import { serveJobs } from '../../../src/runtime/worker-host'
import { harnessRegistry } from './harness-nodes'

/** The harness's pool worker: the production host with the test nodes added. */
serveJobs(harnessRegistry)
