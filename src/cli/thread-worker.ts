/**
 * A CLI worker thread: serves node jobs with the browser workers' host (worker-host.ts) over
 * `parentPort`, the same protocol the Web Workers speak.
 */
import { parentPort } from 'node:worker_threads'
import { registry } from '../../nodes/index'
import type { ToWorker } from '../runtime/protocol'
import { serveJobs } from '../runtime/worker-host'

const port = parentPort
if (!port) throw new Error('thread-worker.ts runs as a worker thread (thread-pool.ts starts it).')
serveJobs(
  registry,
  {
    postMessage: (message, transfer) => {
      // Before a job's end, what this thread holds outside its heap and array buffers (its
      // WebAssembly memory): the pool replaces a thread that grew it far (thread-pool.ts).
      if (message.type === 'done' || message.type === 'failed') {
        const { external, arrayBuffers } = process.memoryUsage()
        port.postMessage({ type: 'memory', bytes: external - arrayBuffers })
      }
      port.postMessage(message, transfer as never)
    },
    addEventListener: (_type, listener) =>
      port.on('message', (data: ToWorker) => listener({ data } as MessageEvent<ToWorker>)),
  },
  // The disk cache encodes from the values (src/cli/disk-cache.ts): no Blob copy to send.
  { encodeForCache: false },
)
