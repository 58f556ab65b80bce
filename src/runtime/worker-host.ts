import {
  decodeOutputs,
  encodeResult,
  type Computed,
  type EncodedRef,
  type NodeOutputs,
} from '../engine/codec'
import type { CancelSignal, NodeWarning } from '../engine/define-node'
import { CancelledError } from '../engine/errors'
import type { NodeRegistry } from '../engine/registry'
import type { ImageValue } from '../engine/values'
import { runJob, type NodeJob } from '../engine/runner'
import {
  ENCODED_INPUT_UNREADABLE,
  serializeError,
  transferListOf,
  type FromWorker,
  type ToWorker,
} from './protocol'

/** The part of a dedicated worker's global scope the host uses (a fake in Node tests). */
export interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void
}

/** Progress messages are coalesced: a node may report every iteration of a tight loop. */
const PROGRESS_INTERVAL_MS = 40

export interface ServeOptions {
  /**
   * Whether to send each result's cache encoding along as a Blob (default true: the page's
   * IndexedDB keeps it without a copy). The CLI's disk cache writes from the values themselves,
   * so there the Blob would only be two more copies of every output held in memory.
   */
  encodeForCache?: boolean
}

/**
 * Runs node jobs posted by the main thread (worker-pool.ts) with the nodes' own `run`, one
 * AbortController per job, and posts back progress, outputs (transferred) or the error.
 */
export function serveJobs(
  registry: NodeRegistry,
  scope: WorkerScope = self,
  options: ServeOptions = {},
): void {
  const running = new Map<number, AbortController>()
  let cancelFlag: Int32Array | undefined
  const post = (message: FromWorker, transfer: Transferable[] = []) =>
    scope.postMessage(message, transfer)

  const runOne = async (
    id: number,
    job: NodeJob,
    fromBlobs?: Record<string, EncodedRef>,
  ): Promise<void> => {
    const controller = new AbortController()
    running.set(id, controller)
    const signal: CancelSignal = cancelFlag
      ? polledSignal(controller, id, cancelFlag)
      : controller.signal
    const started = performance.now()
    let lastSent = -Infinity
    let lastMessage: string | undefined
    const progress = (fraction: number, message?: string) => {
      if (signal.aborted) return // also polls the shared cancel flag, see polledSignal
      const now = performance.now()
      if (now - lastSent < PROGRESS_INTERVAL_MS && fraction < 1 && message === lastMessage) return
      lastSent = now
      lastMessage = message
      post({ type: 'progress', id, fraction, message })
    }
    post({ type: 'started', id })
    try {
      const preview = (image: ImageValue) => post({ type: 'preview', id, image })
      if (fromBlobs) job = await readEncodedInputs(job, fromBlobs)
      const warn = (warning: NodeWarning) => post({ type: 'warning', id, warning })
      const result = await runJob(registry, job, { signal, progress, preview, warn })
      const { outputs, report } = result
      const ms = performance.now() - started
      // Before the transfer detaches the arrays.
      const encoded = options.encodeForCache === false ? undefined : encodeForCache(result)
      try {
        post({ type: 'done', id, outputs, ms, report, encoded }, transferListOf(outputs))
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error)
        throw new Error(`The outputs of "${job.type}" could not be sent to the page: ${why}`)
      }
    } catch (error) {
      post({ type: 'failed', id, error: serializeError(error) })
    } finally {
      running.delete(id)
    }
  }

  scope.addEventListener('message', (event) => {
    const message = event.data
    switch (message.type) {
      case 'init':
        cancelFlag = message.cancelFlag
        holdLifeLock(message.lock, () => post({ type: 'ready' }))
        break
      case 'run':
        void runOne(message.id, message.job, message.encoded)
        break
      case 'cancel':
        running.get(message.id)?.abort(new CancelledError())
        break
      case 'prepare':
        // What fails here fails again in the run, which says so; nothing to report twice.
        registry
          .get(message.nodeType)
          ?.prepare?.(message.params)
          .catch(() => undefined)
        break
    }
  })
}

/**
 * The job with the inputs that came as cache Blobs decoded here, off the main thread. Ports
 * sharing a Blob (two outputs of one node) decode it once.
 */
async function readEncodedInputs(
  job: NodeJob,
  encoded: Record<string, EncodedRef>,
): Promise<NodeJob> {
  const decoded = new Map<Blob, Promise<NodeOutputs>>()
  const inputs = { ...job.inputs }
  try {
    for (const [port, { blob, port: from }] of Object.entries(encoded)) {
      let outputs = decoded.get(blob)
      if (!outputs) {
        outputs = blob.arrayBuffer().then((buffer) => decodeOutputs(new Uint8Array(buffer)))
        decoded.set(blob, outputs)
      }
      const value = (await outputs)[from]
      if (!value) throw new Error(`no output "${from}" in the stored result`)
      inputs[port] = value
    }
  } catch (error) {
    const unreadable = new Error(
      `An input could not be read from its stored result: ${error instanceof Error ? error.message : String(error)}`,
    )
    unreadable.name = ENCODED_INPUT_UNREADABLE
    throw unreadable
  }
  return { ...job, inputs }
}

/**
 * The cache's binary form of the outputs, as a Blob: encoding here, off the main thread,
 * lets the page store a large result without copying it (IndexedDB keeps a Blob by handle).
 * A value the codec cannot encode is a node bug that the executor will report; no Blob then.
 */
function encodeForCache(result: Computed): Blob | undefined {
  // Small results are cheaper to encode on the page than to wrap in a Blob here.
  if (transferListOf(result.outputs).reduce((sum, b) => sum + b.byteLength, 0) < 64 * 1024)
    return undefined
  try {
    return new Blob([encodeResult(result) as Uint8Array<ArrayBuffer>])
  } catch {
    return undefined
  }
}

/**
 * Holds a Web Lock until this worker dies. The main side queues for the same lock, and is
 * granted it when the worker is gone for any reason: crash, out of memory, `self.close()`.
 */
function holdLifeLock(name: string | undefined, onHeld: () => void): void {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
  if (!name || !locks) return onHeld()
  void locks.request(name, () => {
    onHeld()
    return new Promise<never>(() => {})
  })
}

/**
 * A job's cancel signal that also reads the shared cancel flag whenever it is looked at. A node
 * running a synchronous loop (Griffin-Lim) never yields to receive the 'cancel' message, but it
 * looks at `aborted` or calls `throwIfAborted()` every iteration: that look sees the main
 * thread's request and aborts the job's controller on the spot. Our own object over a real
 * AbortController (the `CancelSignal` nodes are given), not a patched AbortSignal.
 */
function polledSignal(controller: AbortController, id: number, flag: Int32Array): CancelSignal {
  const signal = controller.signal
  const poll = () => {
    if (!signal.aborted && Atomics.load(flag, 0) === id) controller.abort(new CancelledError())
  }
  return {
    get aborted() {
      poll()
      return signal.aborted
    },
    get reason(): unknown {
      return signal.reason as unknown
    },
    throwIfAborted() {
      poll()
      signal.throwIfAborted()
    },
    addEventListener: (type, listener, options) => signal.addEventListener(type, listener, options),
    removeEventListener: (type, listener) => signal.removeEventListener(type, listener),
  }
}
