import { describe, expect, it } from 'vitest'
import { encodeOutputs } from '../../src/engine/codec'
import { sha256Hex } from '../../src/engine/hash'
import { createWorkerDecoder, createWorkerHasher } from '../../src/runtime/codec-client'
import { answerCodecRequest, type CodecRequest } from '../../src/runtime/codec-host'

/** The codec worker's host in this thread, behind asynchronous messages. */
class FakeCodecWorker extends EventTarget {
  readonly received: CodecRequest['op'][] = []
  silent = false

  postMessage(request: CodecRequest): void {
    this.received.push(request.op)
    if (this.silent) return
    void answerCodecRequest(request).then(({ reply, transfer }) => {
      const data: unknown = structuredClone(reply, { transfer })
      this.dispatchEvent(new MessageEvent('message', { data }))
    })
  }

  terminate(): void {}

  crash(): void {
    this.dispatchEvent(new Event('error', { cancelable: true }))
  }
}

const entry = () => {
  const outputs = {
    audio: { kind: 'audio' as const, sampleRate: 8000, channels: [new Float32Array([0.5, -1])] },
  }
  return { outputs, blob: new Blob([encodeOutputs(outputs) as Uint8Array<ArrayBuffer>]) }
}

describe('codec worker client', () => {
  it('decodes cache entries and hashes files in the worker', async () => {
    const worker = new FakeCodecWorker()
    const create = () => worker as unknown as Worker
    const { outputs, blob } = entry()
    expect(await createWorkerDecoder(create)(blob)).toEqual({ outputs })
    const bytes = new Uint8Array([1, 2, 3])
    expect(await createWorkerHasher(create)(new Blob([bytes]))).toBe(await sha256Hex(bytes))
    expect(worker.received).toEqual(['decode', 'sha256'])
  })

  it('does the work in this thread when no worker can start', async () => {
    const hash = createWorkerHasher(() => {
      throw new Error('workers are blocked here')
    })
    const bytes = new Uint8Array([4])
    expect(await hash(new Blob([bytes]))).toBe(await sha256Hex(bytes))
  })

  it('does the work in this thread when the worker dies with requests waiting', async () => {
    const worker = new FakeCodecWorker()
    worker.silent = true
    const decode = createWorkerDecoder(() => worker as unknown as Worker)
    const { outputs, blob } = entry()
    const pending = decode(blob)
    worker.crash()
    expect(await pending).toEqual({ outputs })
  })

  it('rejects a damaged entry instead of decoding it again here', async () => {
    const decode = createWorkerDecoder(() => new FakeCodecWorker() as unknown as Worker)
    await expect(decode(new Blob(['not an entry']))).rejects.toThrow(/Not a Synesthete/)
  })
})
