import type { NodeRegistry } from '../../src/engine/registry'
import type { FromWorker, ToWorker } from '../../src/runtime/protocol'
import { serveJobs, type WorkerScope } from '../../src/runtime/worker-host'

/**
 * A Worker stand-in for Node tests: the real worker host runs in this thread behind a
 * structured-clone boundary (with transfers), messages delivered asynchronously as a
 * worker's are. It cannot interrupt a synchronous loop: the browser tests cover that.
 */
export class FakeWorker extends EventTarget {
  terminated = false
  /** Every message the host received, to check what reached "the worker". */
  readonly received: ToWorker[] = []
  private readonly inside = new EventTarget()

  constructor(registry: NodeRegistry) {
    super()
    const scope: WorkerScope = {
      postMessage: (message: FromWorker, transfer: Transferable[] = []) => {
        const data = structuredClone(message, { transfer })
        setTimeout(() => {
          if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data }))
        })
      },
      addEventListener: (type, listener) =>
        this.inside.addEventListener(type, listener as (event: Event) => void),
    }
    serveJobs(registry, scope)
  }

  postMessage(message: ToWorker): void {
    const data = structuredClone(message)
    setTimeout(() => {
      if (this.terminated) return
      this.received.push(data)
      this.inside.dispatchEvent(new MessageEvent('message', { data }))
    })
  }

  terminate(): void {
    this.terminated = true
  }

  /** What a browser does when a worker's script throws outside any job. */
  crash(message: string): void {
    const event = Object.assign(new Event('error', { cancelable: true }), { message })
    this.dispatchEvent(event)
  }
}

/** A factory for the pool that remembers every worker it made. */
export function fakeWorkers(registry: NodeRegistry) {
  const made: FakeWorker[] = []
  const create = () => {
    const worker = new FakeWorker(registry)
    made.push(worker)
    return worker as unknown as Worker
  }
  return { made, create }
}
