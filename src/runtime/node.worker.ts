import { registry } from '../../nodes/index'
import { serveJobs } from './worker-host'

/** A CPU pool worker: runs any node of the registry, one job at a time. */
serveJobs(registry)
