import { Worker as ThreadWorker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { defineNode } from '../../src/engine/define-node'
import { CancelledError, UserError } from '../../src/engine/errors'
import { int } from '../../src/engine/params'
import { createRegistry } from '../../src/engine/registry'
import {
  reviveError,
  serializeError,
  transferListOf,
  type FromWorker,
  type ToWorker,
} from '../../src/runtime/protocol'
import { serveJobs } from '../../src/runtime/worker-host'

/** Spins synchronously, never yielding, checking the signal as Griffin-Lim does. */
const busy = defineNode({
  type: 'test/busy',
  version: 1,
  title: 'Busy',
  category: 'Test',
  description: 'A synchronous loop that checks its signal.',
  inputs: {},
  outputs: { value: 'number' },
  params: { ms: int(5000) },
  runtime: 'cpu',
  run: (_inputs, { ms }, ctx) => {
    const until = performance.now() + ms
    let checks = 0
    while (performance.now() < until) {
      ctx.signal.throwIfAborted()
      checks++
    }
    return { value: { kind: 'number', value: checks } }
  },
})

function host() {
  const inbox: FromWorker[] = []
  const listeners: ((event: MessageEvent<ToWorker>) => void)[] = []
  serveJobs(createRegistry([busy]), {
    postMessage: (message) => inbox.push(message),
    addEventListener: (_type, listener) => listeners.push(listener),
  })
  const send = (data: ToWorker) =>
    listeners.forEach((l) => l(new MessageEvent('message', { data })))
  return { inbox, send }
}

describe('worker host', () => {
  it('stops a synchronous loop as soon as the main thread raises the shared cancel flag', async () => {
    const { inbox, send } = host()
    const cancelFlag = new Int32Array(new SharedArrayBuffer(4))
    send({ type: 'init', cancelFlag })
    // Another thread raises the flag 100 ms in, while this one is stuck in the loop.
    const other = new ThreadWorker(
      `const { workerData } = require('node:worker_threads')
       setTimeout(() => Atomics.store(workerData, 0, 7), 100)`,
      { eval: true, workerData: cancelFlag },
    )
    // The loop would run 30 s and end 'done' if the flag went unseen; the flag is raised
    // 100 ms in, so only a loop that reads it fails with a cancellation, however busy the machine.
    send({
      type: 'run',
      id: 7,
      job: { node: 'n', type: 'test/busy', inputs: {}, params: { ms: 30_000 }, seed: 0 },
    })
    await new Promise((r) => setTimeout(r, 0))
    await other.terminate()
    expect(inbox.at(-1)).toMatchObject({ type: 'failed', id: 7, error: { name: 'CancelledError' } })
  })

  it('answers init once it holds its life lock (here: at once, there are no locks)', () => {
    const { inbox, send } = host()
    send({ type: 'init' })
    expect(inbox).toEqual([{ type: 'ready' }])
  })
})

describe('protocol', () => {
  it('carries a UserError hint and cancellation across threads', () => {
    const user = reviveError(serializeError(new UserError('Too short.', 'Use a longer file.')))
    expect(user).toBeInstanceOf(UserError)
    expect(user).toMatchObject({ message: 'Too short.', hint: 'Use a longer file.' })
    const abort = new DOMException('stopped', 'AbortError')
    expect(reviveError(serializeError(abort))).toBeInstanceOf(CancelledError)
    const plain = reviveError(serializeError(new RangeError('bad hop')))
    expect(plain).toMatchObject({ name: 'RangeError', message: 'bad hop' })
  })

  it('lists each output buffer once for transfer, and no shared buffers', () => {
    const shared = new Float32Array(8)
    const left = new Float32Array(new SharedArrayBuffer(16))
    const list = transferListOf({
      a: { kind: 'audio', sampleRate: 1, channels: [shared, shared.subarray(4), left] },
      b: { kind: 'latent', shape: [8], data: shared },
      n: { kind: 'number', value: 1 },
    })
    expect(list).toEqual([shared.buffer])
  })
})
