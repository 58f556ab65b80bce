import { describe, expect, it } from 'vitest'
import type { NodeJob } from '../../src/engine/runner'
import { prepareJob } from '../../src/runtime/copy-in'

describe('prepareJob', () => {
  it('copies large arrays into fresh buffers to transfer, once each, leaving the originals', async () => {
    const big = new Float32Array(1_000_000).map((_, i) => i)
    const small = new Float32Array([1, 2, 3])
    const bytes = new Uint8Array(300_000).fill(7)
    const job: NodeJob = {
      node: 'n',
      type: 't',
      inputs: {
        a: { kind: 'audio', sampleRate: 8000, channels: [big, big, small] },
        b: undefined,
      },
      params: { file: { ref: 'blob:x', name: 'x.wav', bytes }, gain: 2 },
      seed: 3,
    }
    const { job: copy, transfer } = await prepareJob(job)
    const audio = copy.inputs.a
    if (audio?.kind !== 'audio') throw new Error('audio expected')
    expect(audio.channels[0] === big).toBe(false)
    expect(Buffer.compare(Buffer.from(audio.channels[0].buffer), Buffer.from(big.buffer))).toBe(0)
    expect(audio.channels[1] === audio.channels[0]).toBe(true) // one copy for one array
    expect(audio.channels[2] === small).toBe(true) // small: left to structured clone
    expect(transfer).toHaveLength(2)
    expect(transfer.includes(audio.channels[0].buffer as ArrayBuffer)).toBe(true)
    const file = copy.params.file as { bytes: Uint8Array }
    expect(file.bytes).toBeInstanceOf(Uint8Array)
    expect(file.bytes.length).toBe(bytes.length)
    expect(file.bytes[299_999]).toBe(7)
    expect(copy.params.gain).toBe(2)
    expect(copy.seed).toBe(3)
    expect('b' in copy.inputs).toBe(true)
    expect(big[999_999]).toBe(999_999)
  })

  it('leaves out large inputs that have an encoded Blob, unless asked for copies', async () => {
    const audio = {
      kind: 'audio' as const,
      sampleRate: 8000,
      channels: [new Float32Array(100_000)],
    }
    const small = { kind: 'audio' as const, sampleRate: 8000, channels: [new Float32Array(4)] }
    const blob = new Blob(['stands in for the codec bytes'])
    const job: NodeJob = {
      node: 'n',
      type: 't',
      inputs: { a: audio, s: small },
      params: {},
      seed: 0,
      stored: { a: { blob, port: 'out' }, s: { blob, port: 'out' } },
    }
    const sent = await prepareJob(job)
    expect(sent.job.stored).toBeUndefined() // the handles travel beside the job
    expect(sent.encoded).toEqual({ a: { blob, port: 'out' } })
    expect(sent.job.inputs).toEqual({ a: undefined, s: small }) // small: cloned as before
    expect(sent.transfer).toEqual([])
    expect(job.inputs.a).toBe(audio) // the caller's job is untouched

    const copied = await prepareJob(job, { copyOnly: true })
    expect(copied.encoded).toBeUndefined()
    expect(copied.transfer).toHaveLength(1)
    expect(copied.job.inputs.a).toEqual(audio)
  })

  it('leaves no message port open after copying in slices (an open port kept the CLI from exiting)', async () => {
    const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length
    const before = ports()
    // 16 MB: four slices, so the copy yields to the event loop between them.
    const big = new Float32Array(4 * 1024 * 1024).fill(0.5)
    const job: NodeJob = {
      node: 'n',
      type: 't',
      inputs: { a: { kind: 'audio', sampleRate: 8000, channels: [big] } },
      params: {},
      seed: 0,
    }
    const { transfer } = await prepareJob(job)
    expect(transfer).toHaveLength(1)
    expect(ports()).toBe(before)
  })
})
